import { describe, expect, it } from 'vitest';
import { hashPassword, hashSlots, MAX_CONCURRENT_HASHES, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one or a malformed hash', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it(`runs at most ${MAX_CONCURRENT_HASHES} hashes at once and queues the rest`, async () => {
    const burst = Array.from({ length: 5 }, (_, i) => hashPassword(`password ${i}`));
    expect(hashSlots()).toEqual({ running: MAX_CONCURRENT_HASHES, waiting: 5 - MAX_CONCURRENT_HASHES });
    const hashes = await Promise.all(burst);
    expect(new Set(hashes).size).toBe(5);
    expect(hashSlots()).toEqual({ running: 0, waiting: 0 });
    expect(await verifyPassword(hashes[4] ?? '', 'password 4')).toBe(true);
  });
});
