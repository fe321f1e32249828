import { nodeTestConfig } from '@atum-desk/test-helpers/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig(nodeTestConfig('./vitest.global-setup.ts'));
