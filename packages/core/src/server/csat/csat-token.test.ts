import { describe, expect, it } from 'vitest';
import { signCsatToken, verifyCsatToken } from './csat-token.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const TICKET = '0190b7a0-1234-7abc-8def-0123456789ab';

describe('the CSAT token', () => {
  it('round-trips to its ticket id, and is short enough for a link', () => {
    const token = signCsatToken(SECRET, TICKET);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(verifyCsatToken(SECRET, token)).toBe(TICKET);
  });

  it('is refused under another secret', () => {
    expect(verifyCsatToken(`${SECRET}x`, signCsatToken(SECRET, TICKET))).toBeNull();
  });

  it('is refused when the ticket part is swapped for another ticket', () => {
    const mine = signCsatToken(SECRET, TICKET);
    const other = signCsatToken(SECRET, '0190b7a0-1234-7abc-8def-0123456789ac');
    const forged = `${other.split('.')[0]}.${mine.split('.')[1]}`;
    expect(verifyCsatToken(SECRET, forged)).toBeNull();
  });

  it.each(['', 'x', 'a.b', `${'A'.repeat(22)}.${'A'.repeat(22)}`, `${signCsatToken(SECRET, TICKET)}x`])(
    'refuses %j',
    (token) => {
      expect(verifyCsatToken(SECRET, token)).toBeNull();
    },
  );
});
