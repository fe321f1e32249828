import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

const ZBooleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const ZPort = z.coerce.number().int().min(0).max(65535);

const ZNonNegativeInt = z.coerce.number().int().min(0);

const ZDatabaseUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' })
  .refine((value) => !URL.canParse(value) || new URL(value).pathname.length > 1, {
    message: 'the URL names no database',
  });

/** Every setting of ATUM DESK, read from the environment once at start-up (SPEC §12). */
export const ZConfigEnv = z
  .object({
    DATABASE_URL: ZDatabaseUrl.optional(),
    PORT: ZPort.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    ATUM_DATA_DIR: z.string().min(1).default('./data'),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected an smtp:// or smtps:// URL' }).optional(),
    MAIL_FROM: z.string().min(3).default('ATUM DESK <desk@localhost>'),
    OLLAMA_HOST: z.url().optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    ATUM_ADMIN_EMAIL: z.email().optional(),
    ATUM_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    ATUM_DEMO: ZBooleanFlag.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ATUM_MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(25 * 1024 * 1024),
    RATE_LIMIT_LOGIN_FAILURES: ZNonNegativeInt.default(5),
    RATE_LIMIT_TICKETS_PER_HOUR: ZNonNegativeInt.default(10),
    RATE_LIMIT_API_PER_MINUTE: ZNonNegativeInt.default(100),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    ATUM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ATUM_AUTO_CLOSE_DAYS: z.coerce
      .number()
      .int()
      .min(7, 'must be at least 7 (the reopen window)')
      .max(365)
      .default(7),
  })
  .refine((env) => (env.ATUM_ADMIN_EMAIL === undefined) === (env.ATUM_ADMIN_PASSWORD === undefined), {
    message: 'set both ATUM_ADMIN_EMAIL and ATUM_ADMIN_PASSWORD, or neither',
    path: ['ATUM_ADMIN_PASSWORD'],
  });

export interface Config {
  /** Unset: the launcher starts an embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** Absolute path; uploads and the embedded database live here. */
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  ollamaHost: string | undefined;
  publicUrl: string;
  admin: { email: string; password: string } | undefined;
  demo: boolean;
  logLevel: string;
  maxUploadBytes: number;
  rateLimits: { loginFailures: number; ticketsPerHour: number; apiPerMinute: number };
  databasePoolSize: number;
  /** Signs links in mail (CSAT); unset: a random secret generated once and kept in the database. */
  secret: string | undefined;
  /** RESOLVED tickets are closed by the nightly job after this many days. */
  autoCloseDays: number;
}

/** A setting that failed validation; the message names the variable and is meant for one log line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment into a frozen Config, or throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): Config {
  // An empty variable means unset, as it does for most Unix tools.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = ZConfigEnv.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path[0] ?? 'environment';
    const shown =
      typeof variable === 'string' && !/PASSWORD|SECRET/.test(variable) ? present[variable] : undefined;
    throw new ConfigError(
      `invalid ${String(variable)}${shown === undefined ? '' : ` (${JSON.stringify(shown)})`}: ${issue?.message ?? 'invalid value'}`,
    );
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    dataDir: isAbsolute(e.ATUM_DATA_DIR) ? e.ATUM_DATA_DIR : resolve(cwd, e.ATUM_DATA_DIR),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    ollamaHost: e.OLLAMA_HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(
      /\/$/,
      '',
    ),
    admin:
      e.ATUM_ADMIN_EMAIL && e.ATUM_ADMIN_PASSWORD
        ? { email: e.ATUM_ADMIN_EMAIL, password: e.ATUM_ADMIN_PASSWORD }
        : undefined,
    demo: e.ATUM_DEMO,
    logLevel: e.LOG_LEVEL,
    maxUploadBytes: e.ATUM_MAX_UPLOAD_BYTES,
    rateLimits: {
      loginFailures: e.RATE_LIMIT_LOGIN_FAILURES,
      ticketsPerHour: e.RATE_LIMIT_TICKETS_PER_HOUR,
      apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE,
    },
    databasePoolSize: e.DATABASE_POOL_SIZE,
    secret: e.ATUM_SECRET,
    autoCloseDays: e.ATUM_AUTO_CLOSE_DAYS,
  });
}

/** Describes the configuration without secrets, for logs and the operator CLI. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl ? redactUrl(config.databaseUrl) : '(embedded)',
    smtpUrl: config.smtpUrl ? redactUrl(config.smtpUrl) : '(outbox only)',
    admin: config.admin ? { email: config.admin.email, password: '(set)' } : undefined,
    secret: config.secret ? '(set)' : '(generated, in the database)',
  };
}

function redactUrl(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}
