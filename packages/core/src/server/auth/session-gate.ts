import type { UserInfo } from '../../domain/auth/auth.schema.ts';
import { SESSION_RENEW_INTERVAL_MS, type SessionInfo } from './session.service.ts';

// The session gate: a signed-in request whose session this process validated within the last minute
// (before its sliding renewal is due) need not spend a statement of its own on validating it again. A
// procedure that opts in (`meta.sessionGate`) runs on what the process remembers, and the session is
// confirmed inside the procedure's first statement that reads tickets through the tenant scope or writes
// (db/scoped.ts): that statement calls `atum_session_gate`, which raises SQLSTATE AT401 and so aborts
// the statement when the session ended or its user changed. The signed-in bases (trpc/procedures.ts)
// answer nothing before the session is confirmed: when no statement confirmed it (an empty list, a
// ticket not found), they validate it with the usual statement before answering; when the gate failed,
// they validate it again and either refuse the request or run it once more as the user now is. Nothing
// is trusted from memory that a statement of the same request has not confirmed (docs/DECISIONS.md,
// "Sessions").

/** What a process remembers of a session it validated: enough to act on before the confirmation. */
export interface RememberedSession {
  session: SessionInfo;
  user: UserInfo;
}

/**
 * Sessions this process validated, by token, kept while their renewal is not due (one minute after the
 * session was last seen): once it is, the request validates the session the usual way, which renews it.
 * Bounded; the oldest are dropped first.
 */
export class SessionHints {
  readonly #entries = new Map<string, RememberedSession>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** The remembered session of `token` while it needs no renewal, else null. */
  usable(token: string, now: number): RememberedSession | null {
    const entry = this.#entries.get(token);
    if (!entry) return null;
    if (
      now - entry.session.lastSeenAt.getTime() >= SESSION_RENEW_INTERVAL_MS ||
      entry.session.expiresAt.getTime() <= now
    ) {
      this.#entries.delete(token);
      return null;
    }
    return entry;
  }

  /** Remembers a session just validated (null: the token opens no session; forget it). */
  remember(token: string, validated: RememberedSession | null): void {
    this.#entries.delete(token);
    if (!validated) return;
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, validated);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The SQLSTATE `atum_session_gate` raises. */
export const SESSION_GATE_SQLSTATE = 'AT401';

/**
 * The session a request acts on before it is confirmed, shared by every copy of the request's scope.
 * `confirmed` turns true once a statement that called the gate returned a row (every row such a
 * statement returns passed the gate) or once `confirm()` validated the session.
 */
export class SessionGate {
  confirmed = false;
  readonly remembered: RememberedSession;
  readonly #validate: () => Promise<RememberedSession | null>;

  constructor(remembered: RememberedSession, validate: () => Promise<RememberedSession | null>) {
    this.remembered = remembered;
    this.#validate = validate;
  }

  /** The gate's SQL condition and its parameters (the function's arguments, in its order). */
  condition(): { sql: string; params: unknown[] } {
    const user = this.remembered.user;
    return {
      sql: '(select atum_session_gate(?, ?::uuid, ?, ?::uuid, ?, ?))',
      params: [this.remembered.session.id, user.id, user.role, user.organizationId, user.email, user.name],
    };
  }

  /**
   * Validates the session with a statement of its own unless a statement confirmed it already: before a
   * write that no gated statement precedes. Throws `SessionGateFailure` when the session ended or its
   * user changed, as the gate itself would.
   */
  async confirm(): Promise<void> {
    if (this.confirmed) return;
    const current = await this.#validate();
    if (!current || !sameUser(current.user, this.remembered.user)) throw new SessionGateFailure();
    this.confirmed = true;
  }
}

/** The session a request acted on ended, or its user changed, before the request's first write or answer. */
export class SessionGateFailure extends Error {
  constructor() {
    super('the session ended or its user changed');
    this.name = 'SessionGateFailure';
  }
}

/** Whether `error`, or an error it was caused by, is the gate's refusal (in SQL or from `confirm`). */
export function isSessionGateFailure(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (cause instanceof SessionGateFailure) return true;
    if ((cause as { code?: unknown }).code === SESSION_GATE_SQLSTATE) return true;
    cause = cause.cause;
  }
  return false;
}

/** Whether two views of a user agree on everything the gate checks. */
export function sameUser(a: UserInfo, b: UserInfo): boolean {
  return (
    a.id === b.id &&
    a.role === b.role &&
    a.organizationId === b.organizationId &&
    a.email === b.email &&
    a.name === b.name &&
    a.isActive === b.isActive
  );
}
