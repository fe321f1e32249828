import { describe, expect, it } from 'vitest';
import type { UserInfo } from '../../domain/auth/auth.schema.ts';
import { SESSION_RENEW_INTERVAL_MS } from './session.service.ts';
import { isSessionGateFailure, SessionGate, SessionGateFailure, SessionHints } from './session-gate.ts';

const user: UserInfo = {
  id: '0193a1b2-0000-7000-8000-000000000001',
  email: 'ada@example.test',
  name: 'Ada',
  role: 'CUSTOMER_USER',
  organizationId: '0193a1b2-0000-7000-8000-000000000002',
  isActive: true,
};
const seenAt = Date.UTC(2026, 10, 23, 12, 0, 0);

function remembered(lastSeenAt = seenAt) {
  return {
    session: { id: 'hash', expiresAt: new Date(lastSeenAt + 8 * 3600_000), lastSeenAt: new Date(lastSeenAt) },
    user,
  };
}

describe('SessionHints', () => {
  it('offers a session until its renewal is due, then forgets it', () => {
    const hints = new SessionHints();
    hints.remember('token', remembered());
    expect(hints.usable('token', seenAt + SESSION_RENEW_INTERVAL_MS - 1)?.user).toBe(user);
    expect(hints.usable('token', seenAt + SESSION_RENEW_INTERVAL_MS)).toBeNull();
    expect(hints.size).toBe(0);
  });

  it('never offers an expired session, nor one a validation found gone', () => {
    const hints = new SessionHints();
    hints.remember('token', {
      ...remembered(),
      session: { ...remembered().session, expiresAt: new Date(seenAt) },
    });
    expect(hints.usable('token', seenAt)).toBeNull();
    hints.remember('other', remembered());
    hints.remember('other', null);
    expect(hints.usable('other', seenAt)).toBeNull();
  });

  it('keeps at most its capacity, dropping the oldest', () => {
    const hints = new SessionHints(2);
    hints.remember('a', remembered());
    hints.remember('b', remembered());
    hints.remember('a', remembered());
    hints.remember('c', remembered());
    expect(hints.size).toBe(2);
    expect(hints.usable('b', seenAt)).toBeNull();
    expect(hints.usable('a', seenAt)).not.toBeNull();
    expect(hints.usable('c', seenAt)).not.toBeNull();
  });
});

describe('SessionGate', () => {
  it('passes the remembered caller to atum_session_gate in its parameter order', () => {
    const gate = new SessionGate(remembered(), async () => null);
    expect(gate.condition()).toEqual({
      sql: '(select atum_session_gate(?, ?::uuid, ?, ?::uuid, ?, ?))',
      params: ['hash', user.id, 'CUSTOMER_USER', user.organizationId, 'ada@example.test', 'Ada'],
    });
  });

  it('confirms only when the session still names the same user', async () => {
    const same = new SessionGate(remembered(), async () => remembered());
    await same.confirm();
    expect(same.confirmed).toBe(true);
    const renamed = new SessionGate(remembered(), async () => ({
      ...remembered(),
      user: { ...user, name: 'Eve' },
    }));
    await expect(renamed.confirm()).rejects.toBeInstanceOf(SessionGateFailure);
    const ended = new SessionGate(remembered(), async () => null);
    await expect(ended.confirm()).rejects.toBeInstanceOf(SessionGateFailure);
    expect(ended.confirmed).toBe(false);
  });

  it('recognises its refusal behind the errors that wrap it', () => {
    const fromSql = Object.assign(new Error('the session ended or its user changed'), { code: 'AT401' });
    expect(isSessionGateFailure(new Error('procedure failed', { cause: fromSql }))).toBe(true);
    expect(isSessionGateFailure(new Error('wrapped', { cause: new SessionGateFailure() }))).toBe(true);
    expect(isSessionGateFailure(Object.assign(new Error('unique'), { code: '23505' }))).toBe(false);
  });
});
