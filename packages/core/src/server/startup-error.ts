import { ConfigError } from './config.ts';
import { EmbeddedPostgresError } from './db/embedded-postgres.ts';

/** A start-up failure the operator can fix; its message is the one line printed before exiting. */
export class StartupError extends Error {
  override name = 'StartupError';
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
};

// PostgreSQL error codes an operator meets when DATABASE_URL is wrong.
const POSTGRES_CODES: Record<string, string> = {
  '28P01': 'password authentication failed',
  '28000': 'the role may not connect',
  '3D000': 'the database does not exist',
  '42501': 'permission denied',
  '57P03': 'the server is starting up or shutting down',
};

/**
 * One line describing why start-up failed, for expected failures (bad configuration, unreachable
 * database, port in use, unwritable data directory); undefined for anything else, which deserves its
 * stack trace.
 */
export function describeStartupError(error: unknown): string | undefined {
  if (
    error instanceof ConfigError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof StartupError
  ) {
    return error.message;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const network = NETWORK_CODES[code];
  if (network) {
    const address = (error as { address?: string; port?: number; hostname?: string }) ?? {};
    const where =
      address.hostname ?? (address.address ? `${address.address}:${address.port ?? ''}` : 'the server');
    return `cannot reach the database (DATABASE_URL): ${network} at ${where}`;
  }
  const postgres = POSTGRES_CODES[code];
  if (postgres) return `the database refused the connection (DATABASE_URL): ${postgres}`;
  return undefined;
}
