import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './test-server.ts';

// The per-user API limit (SPEC §8) as a client meets it: counted per user in memory, refused with 429
// and Retry-After once the minute's allowance is used, whichever way the user signed in.

const db = useTestDatabase();
let demo: DemoServer;

beforeAll(async () => {
  demo = await startDemoServer(db, { RATE_LIMIT_API_PER_MINUTE: '5' });
});
afterAll(async () => {
  await demo?.close();
});

describe('the per-user API limit', () => {
  it('answers 429 with Retry-After after the allowance, for that user only, across sessions', async () => {
    const first = await demo.login('bob@acme.demo');
    const second = await demo.login('bob@acme.demo');
    const statuses: number[] = [];
    for (let call = 0; call < 5; call++) {
      statuses.push((await demo.rest('GET', '/me', call % 2 === 0 ? first.token : second.token)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await demo.rest('GET', '/tickets', second.token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Another user is not held back by bob's traffic.
    const carol = await demo.login('carol@globex.demo');
    expect((await demo.rest('GET', '/me', carol.token)).status).toBe(200);
  });
});
