import { cleanup } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

// The testing library only cleans up by itself when vitest globals are on; they are off here.
afterEach(cleanup);
