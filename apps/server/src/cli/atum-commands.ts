import { randomBytes } from 'node:crypto';
import type { ParseArgsOptionsConfig } from 'node:util';
import {
  type Config,
  createOrganization,
  createUser,
  DomainError,
  describeConfig,
  type EntityManager,
  type Logger,
  listOrganizations,
  listUsers,
  migrateDatabase,
  Organization,
  openOrm,
  type Scope,
  StartupError,
  SYSTEM_SCOPE,
  User,
  updateUser,
  verifyAuditChains,
  ZCreateOrganizationInput,
  ZCreateUserInput,
  ZNewPassword,
  ZUserRole,
} from '@atum-desk/core/server';
import pg from 'pg';
import { ZodError, z } from 'zod';
import { grantApplicationRole } from './app-role.ts';

// The subcommands of `atum-desk` (see atum.ts). Each returns its exit code: 0 done, 2 the audit log is
// broken; a failure to run at all throws (runEntrypoint prints one line and exits 1).

type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  config: Config;
  logger: Logger;
  values: OptionValues;
  out: (text: string) => void;
  readStdin: () => Promise<string>;
  /** The login of whoever runs the command, recorded in the audit log's user agent. */
  operator: string;
  /** The database to work on: DATABASE_URL's, else the embedded one (started on demand). */
  databaseUrl: () => Promise<{ url: string; stop: () => Promise<void> }>;
}

export interface Command {
  words: string[];
  /** Its options, as the usage shows them. */
  synopsis: string;
  /** What it does, in one line. */
  summary: string;
  options: ParseArgsOptionsConfig;
  run: (context: CommandContext) => Promise<number>;
}

const orgOption = { org: { type: 'string' } } as const;
const passwordStdin = { 'password-stdin': { type: 'boolean' } } as const;

export const COMMANDS: Command[] = [
  {
    words: ['org', 'create'],
    synopsis: '--name <name> --slug <slug>',
    summary: 'create a customer organization',
    options: { name: { type: 'string' }, slug: { type: 'string' } },
    run: (context) =>
      withServices(context, async (em, scope) => {
        const input = parse(ZCreateOrganizationInput, {
          name: context.values.name,
          slug: context.values.slug,
        });
        const organization = await createOrganization(em, scope, input);
        context.out(`organization ${organization.slug} created: ${organization.id}\n`);
        return 0;
      }),
  },
  {
    words: ['org', 'list'],
    synopsis: '',
    summary: 'list organizations, newest first',
    options: {},
    run: (context) =>
      withServices(context, async (em, scope) => {
        const page = await listOrganizations(em, scope, { limit: 100 });
        for (const organization of page.items) {
          context.out(
            `${organization.id}  ${organization.slug}  ${organization.name}${organization.isActive ? '' : '  (inactive)'}\n`,
          );
        }
        return 0;
      }),
  },
  {
    words: ['user', 'create'],
    synopsis: '--email <e> --name <n> --role <ROLE> [--org <slug|id>] [--password-stdin]',
    summary: 'create a user (customers need --org); prints a generated password unless --password-stdin',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      ...orgOption,
      ...passwordStdin,
    },
    run: (context) =>
      withServices(context, async (em, scope) => {
        const { password, generated } = await newPassword(context);
        const organizationId =
          typeof context.values.org === 'string' ? (await findOrganization(em, context.values.org)).id : null;
        const input = parse(ZCreateUserInput, {
          email: context.values.email,
          name: context.values.name,
          role: context.values.role,
          organizationId,
          password,
        });
        const user = await createUser(em, scope, input);
        context.out(`user ${user.email} (${user.role}) created: ${user.id}\n`);
        if (generated) context.out(`password: ${password}\n`);
        return 0;
      }),
  },
  {
    words: ['user', 'list'],
    synopsis: '[--org <slug|id>] [--role <ROLE>]',
    summary: 'list users, newest first',
    options: { ...orgOption, role: { type: 'string' } },
    run: (context) =>
      withServices(context, async (em, scope) => {
        const organizationId =
          typeof context.values.org === 'string'
            ? (await findOrganization(em, context.values.org)).id
            : undefined;
        const role =
          context.values.role === undefined ? undefined : parse(ZUserRole, context.values.role, 'role');
        const page = await listUsers(em, scope, { limit: 100, organizationId, role });
        for (const user of page.items) {
          context.out(`${user.id}  ${user.email}  ${user.role}${user.isActive ? '' : '  (inactive)'}\n`);
        }
        return 0;
      }),
  },
  {
    words: ['user', 'reset-password'],
    synopsis: '--email <e> [--password-stdin]',
    summary: "set a new password (printed if generated) and end the user's sessions",
    options: { email: { type: 'string' }, ...passwordStdin },
    run: (context) =>
      withServices(context, async (em, scope) => {
        const email = typeof context.values.email === 'string' ? context.values.email.toLowerCase() : '';
        if (!email) throw new StartupError('user reset-password: --email is required');
        const user = await em.findOne(User, { email });
        if (!user) throw new StartupError(`user reset-password: no user has the e-mail address ${email}`);
        const { password, generated } = await newPassword(context);
        await updateUser(em, scope, { id: user.id, password });
        context.out(`password of ${user.email} reset; their sessions are ended\n`);
        if (generated) context.out(`password: ${password}\n`);
        return 0;
      }),
  },
  {
    words: ['audit', 'verify'],
    synopsis: '',
    summary: "recompute the audit log's hash chains; exit 2 if one is broken",
    options: {},
    run: (context) =>
      withServices(context, async (em) => {
        const result = await verifyAuditChains(em);
        if (result.ok) {
          context.out(`audit log intact: ${result.rows} rows in ${result.chains} chains\n`);
          return 0;
        }
        for (const found of result.breaks) {
          context.out(
            `chain ${found.organizationId ?? 'system'}: ${found.reason} at chain_seq ${found.chainSeq} (row ${found.id ?? '?'}): expected ${found.expected ?? '?'}, found ${found.found ?? 'null'}\n`,
          );
        }
        return 2;
      }),
  },
  {
    words: ['outbox'],
    synopsis: '[--limit <n>]',
    summary: 'the newest mails of the outbox',
    options: { limit: { type: 'string' } },
    run: (context) => showOutbox(context),
  },
  {
    words: ['migrate'],
    synopsis: '[--app-role <role>]',
    summary: 'apply pending migrations; with --app-role, then grant that role least privilege (as the owner)',
    options: { 'app-role': { type: 'string' } },
    run: async (context) => {
      const database = await context.databaseUrl();
      try {
        const report = await migrateDatabase(database.url, context.logger);
        context.out(
          report.applied.length === 0
            ? 'database is up to date\n'
            : `applied ${report.applied.length} migration(s):\n${report.applied.map((name) => `  ${name}\n`).join('')}`,
        );
        const role = context.values['app-role'];
        if (typeof role === 'string') {
          const client = new pg.Client({ connectionString: database.url });
          await client.connect();
          try {
            const granted = await grantApplicationRole(client, role);
            context.out(`granted ${granted.role} least privilege on ${granted.database}\n`);
          } finally {
            await client.end();
          }
        }
        return 0;
      } finally {
        await database.stop();
      }
    },
  },
  {
    words: ['config'],
    synopsis: '',
    summary: 'print the effective configuration, without secrets',
    options: {},
    run: async (context) => {
      context.out(`${JSON.stringify(describeConfig(context.config), null, 2)}\n`);
      return 0;
    },
  },
];

/** What `atum-desk --help` prints. */
export const USAGE = `usage: atum-desk <command> [options]

${COMMANDS.map((command) => `  ${[...command.words, command.synopsis].join(' ').trim()}\n      ${command.summary}`).join('\n')}

Settings come from the environment as for the server (README "Configuration"); on an installed host
/usr/local/bin/atum-desk loads /etc/atum-desk/atum-desk.env and runs as the atum-desk user.
`;

/** The scope CLI actions run under: the system (no person signs in), named in the audit log. */
export function cliScope(operator: string): Scope {
  return { ...SYSTEM_SCOPE, userAgent: `atum-desk-cli (${operator})` };
}

async function withServices(
  context: CommandContext,
  work: (em: EntityManager, scope: Scope) => Promise<number>,
): Promise<number> {
  const database = await context.databaseUrl();
  try {
    const orm = await openOrm(database.url, { poolSize: 2 });
    try {
      return await work(orm.em.fork(), cliScope(context.operator));
    } catch (error) {
      // A refusal of the services is the operator's to fix: one line, no stack.
      if (error instanceof DomainError) {
        const fields = (error.details as { fields?: string[] } | undefined)?.fields;
        throw new StartupError(`${error.message}${fields ? ` (${fields.join(', ')})` : ''}`);
      }
      throw error;
    } finally {
      await orm.close(true);
    }
  } finally {
    await database.stop();
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, name?: string): z.output<T> {
  try {
    return schema.parse(value);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issue = error.issues[0];
    const option = name ?? String(issue?.path[0] ?? 'input');
    throw new StartupError(
      `--${option === 'organizationId' ? 'org' : option}: ${issue?.message ?? 'invalid'}`,
    );
  }
}

async function findOrganization(em: EntityManager, slugOrId: string): Promise<Organization> {
  const byId = z.uuid().safeParse(slugOrId).success;
  const organization = await em.findOne(
    Organization,
    byId ? { id: slugOrId } : { slug: slugOrId.toLowerCase() },
  );
  if (!organization) throw new StartupError(`--org: no organization ${slugOrId}`);
  return organization;
}

/** The password from stdin (one line) with --password-stdin, else a generated one to print once. */
async function newPassword(context: CommandContext): Promise<{ password: string; generated: boolean }> {
  if (context.values['password-stdin'] === true) {
    const password = (await context.readStdin()).replace(/\r?\n$/, '');
    return { password: parse(ZNewPassword, password, 'password-stdin'), generated: false };
  }
  // 144 random bits, URL-safe, 24 characters: well over the 12 the policy asks.
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

/**
 * The mail outbox (SPEC §10): the newest notifications, whatever their state: `outbox` (no SMTP_URL,
 * kept here and in the log), `pending`, `sent` or `failed`. Looked up at run time, so the command also
 * answers plainly against a database from before mail existed.
 */
async function showOutbox(context: CommandContext): Promise<number> {
  const limit = parse(z.coerce.number().int().min(1).max(1000).default(20), context.values.limit, 'limit');
  const database = await context.databaseUrl();
  const client = new pg.Client({ connectionString: database.url });
  try {
    await client.connect();
    const {
      rows: [table],
    } = await client.query<{ exists: boolean }>(
      "select to_regclass('public.notifications') is not null as exists",
    );
    if (!table?.exists) {
      throw new StartupError(
        'the mail outbox is not available in this database: there is no notifications table (run atum-desk migrate)',
      );
    }
    const { rows } = await client.query<{
      created_at: Date;
      status: string;
      kind: string;
      to_address: string;
      subject: string | null;
      attempts: number;
      last_error: string | null;
    }>(
      `select created_at, status, kind, to_address, subject, attempts, last_error
         from notifications order by created_at desc, id desc limit $1`,
      [limit],
    );
    if (rows.length === 0) context.out('the outbox is empty\n');
    for (const row of rows) {
      const problem = row.last_error ? `  (${row.attempts} attempts; last error: ${row.last_error})` : '';
      context.out(
        `${row.created_at.toISOString()}  ${row.status.padEnd(7)}  ${row.kind}  ${row.to_address}  ${row.subject ?? '(not rendered yet)'}${problem}\n`,
      );
    }
    return 0;
  } finally {
    await client.end().catch(() => undefined);
    await database.stop();
  }
}
