import { cleanup, configure } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

// The testing library only cleans up by itself when vitest globals are on; they are off here.
afterEach(cleanup);

// Pages are lazy chunks, transformed on first import; on a busy 2-core machine that can take longer
// than the library's 1 s default for findBy* and waitFor.
configure({ asyncUtilTimeout: 5000 });
