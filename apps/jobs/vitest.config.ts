import { nodeTestConfig } from '@atum-desk/test-helpers/vitest';
import { defineConfig } from 'vitest/config';

// One PostgreSQL server and migrated template per run, set up as packages/core's tests set it up.
export default defineConfig(nodeTestConfig('../../packages/core/vitest.global-setup.ts'));
