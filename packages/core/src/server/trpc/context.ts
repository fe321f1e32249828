import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { UserInfo } from '../../domain/auth/auth.schema.ts';
import type { Scope } from '../auth/scope.ts';
import { type SessionInfo, validateSessionToken } from '../auth/session.service.ts';
import { SessionGate, SessionHints } from '../auth/session-gate.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logging/logger.ts';
import { BatchedRateLimiter } from '../rate-limits/batched-rate-limiter.ts';
import { RATE_LIMIT_RULES } from '../rate-limits/rate-limiter.ts';
import type { RealtimeHub } from '../realtime/realtime-hub.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'atum_session';

export interface ContextDependencies {
  orm: MikroORM;
  config: Config;
  logger: Logger;
}

export interface RequestFacts {
  req: Request;
  /** Headers to add to the response (cookies, Retry-After). */
  resHeaders: Headers;
  /** The client address as the HTTP layer determined it. */
  ip: string | null;
}

/** A signed-in caller: the session, its user, and how the token came. */
export interface SignedIn {
  session: SessionInfo;
  user: UserInfo;
  via: 'cookie' | 'bearer';
  token: string;
}

/**
 * A session token this process validated within the last minute (auth/session-gate.ts): the caller it
 * names, to be confirmed before anything is answered or written, and the usual validation, run at most
 * once per request when it is needed.
 */
export class PendingSignIn {
  readonly remembered: SignedIn;
  readonly #validateNow: () => Promise<SignedIn | null>;
  #validated: Promise<SignedIn | null> | undefined;

  constructor(remembered: SignedIn, validateNow: () => Promise<SignedIn | null>) {
    this.remembered = remembered;
    this.#validateNow = validateNow;
  }

  /** Validates the session with a statement of its own (once per request). */
  validate(): Promise<SignedIn | null> {
    this.#validated ??= this.#validateNow();
    return this.#validated;
  }

  /**
   * Validates the session again, whatever an earlier call of the same request found: after the gate
   * refused it, an earlier validation (another call of a batch) may predate its end.
   */
  revalidate(): Promise<SignedIn | null> {
    this.#validated = this.#validateNow();
    return this.#validated;
  }

  /** A gate for one procedure call that acts on the remembered caller. */
  gate(): SessionGate {
    return new SessionGate(this.remembered, () => this.validate());
  }
}

export interface Context {
  /** An entity manager of this request alone (MikroORM's identity map must not be shared). */
  em: EntityManager;
  config: Config;
  logger: Logger;
  resHeaders: Headers;
  ip: string | null;
  userAgent: string | null;
  /** The per-user API limit of this process (SPEC §8), counted in memory and flushed in batches. */
  apiRateLimiter: BatchedRateLimiter;
  /**
   * The signed-in caller, validated by a statement of this request; null if none, or if pending. Inside
   * a procedure that opts into the session gate, the remembered caller, confirmed before any answer.
   */
  auth: SignedIn | null;
  /**
   * Set instead of `auth` when the token names a session this process validated within the last
   * minute (on the API's routes only): the signed-in bases (trpc/procedures.ts) confirm it.
   */
  pendingSignIn: PendingSignIn | null;
  /** The live ticket events of this process; set on WebSocket connections (`/ws`) only. */
  realtime?: RealtimeHub | undefined;
}

/** Reads the session token from `Authorization: Bearer …`, else from the session cookie. */
export function sessionTokenFrom(req: Request): { token: string; via: 'cookie' | 'bearer' } | null {
  const authorization = req.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match?.[1] ? { token: match[1], via: 'bearer' } : null;
  }
  const cookies = req.headers.get('cookie');
  if (!cookies) return null;
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length > 0) return { token: value.join('='), via: 'cookie' };
  }
  return null;
}

/** The session cookie for a token, or the cookie that clears it (token null). */
export function sessionCookie(config: Config, token: string | null, expiresAt?: Date): string {
  const secure = config.publicUrl.startsWith('https://') ? '; Secure' : '';
  if (token === null) return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
  const maxAge = expiresAt ? Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) : undefined;
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}${secure}`;
}

/**
 * Builds the per-request context: a forked entity manager and the caller behind the token, if any. With
 * `sessionHints` (the API's routes, whose signed-in bases know how to confirm a pending session), a
 * token whose session this process validated within the last minute is not validated here but left
 * pending (`Context.pendingSignIn`).
 */
export function createContextFactory(deps: ContextDependencies, options: { sessionHints?: boolean } = {}) {
  const hints = options.sessionHints ? new SessionHints() : null;
  const apiRateLimiter = new BatchedRateLimiter(
    deps.orm,
    RATE_LIMIT_RULES.apiPerUser(deps.config.rateLimits.apiPerMinute),
    deps.logger,
  );
  return async ({ req, resHeaders, ip }: RequestFacts): Promise<Context> => {
    const em = deps.orm.em.fork() as EntityManager;
    const presented = sessionTokenFrom(req);
    let auth: Context['auth'] = null;
    let pendingSignIn: PendingSignIn | null = null;
    if (presented) {
      const { token, via } = presented;
      const validate = async (): Promise<SignedIn | null> => {
        const valid = await validateSessionToken(em, token);
        hints?.remember(token, valid && { session: valid.session, user: valid.user });
        if (!valid) return null;
        if (valid.renewed && via === 'cookie') {
          resHeaders.append('Set-Cookie', sessionCookie(deps.config, token, valid.session.expiresAt));
        }
        return { session: valid.session, user: valid.user, via, token };
      };
      const remembered = hints?.usable(token, Date.now());
      if (remembered) {
        pendingSignIn = new PendingSignIn({ ...remembered, via, token }, validate);
      } else {
        auth = await validate();
      }
    }
    return {
      em,
      config: deps.config,
      logger: deps.logger,
      resHeaders,
      ip,
      userAgent: req.headers.get('user-agent')?.slice(0, 512) ?? null,
      apiRateLimiter,
      auth,
      pendingSignIn,
    };
  };
}

/** The scope of a signed-in caller, or null; the same for tRPC procedures and plain HTTP routes. */
export function scopeOf(ctx: Pick<Context, 'auth' | 'ip' | 'userAgent'>): Scope | null {
  if (!ctx.auth) return null;
  const user = ctx.auth.user;
  return {
    actorId: user.id,
    role: user.role,
    organizationId: user.organizationId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  };
}
