import { TICKET_PRIORITIES, type TicketPriority } from '@atum-desk/core/domain';
import { hashPassword, type Logger, migrateDatabase } from '@atum-desk/core/server';
import pg from 'pg';
import { type DatabaseServer, quoteIdent, withClient } from '../database.ts';
import { CopyWriter, copyLine } from './copy.ts';
import {
  type DeferredObject,
  dropForLoad,
  foreignKeyStatements,
  restoreStatements,
} from './deferred-indexes.ts';
import { createProgress } from './progress.ts';
import { Random, uuidv7At } from './random.ts';
import { BENCH_PASSWORD, type DatasetSpec, GENERATOR_VERSION, userCount } from './spec.ts';
import {
  COMMENT_COLUMNS,
  type OrganizationFixture,
  type SlaTargets,
  TICKET_COLUMNS,
  TicketGenerator,
  type TicketWorld,
} from './tickets.ts';

// Fills a database with a data set through the product's own migrations: migrate, drop the big tables'
// indexes and foreign keys, COPY the rows (tickets and comments on two connections at once, one per
// core), build the indexes, add the foreign keys back (validating every row), VACUUM ANALYZE. A row in
// `bench.dataset` marks a finished load; a database with that mark and the same spec is reused as is.

/** What the harness needs to know about a data set. */
export interface DatasetInfo {
  name: string;
  database: string;
  url: string;
  /** False when an existing data set was reused. */
  generated: boolean;
  /** Seconds the load took when it was generated (also for a reused one: the original load). */
  loadSeconds: number;
  phases: Record<string, number>;
  counts: {
    organizations: number;
    users: number;
    tickets: number;
    comments: number;
    internalComments: number;
  };
  generatedAt: string;
  sizeBytes: number;
}

export interface EnsureDatasetOptions {
  logger: Logger;
  /** Regenerate even when a finished data set is present. */
  force?: boolean;
  /** Progress and phase lines. */
  log?: (line: string) => void;
}

const DEFAULT_POLICY_TARGETS: Record<TicketPriority, [number, number]> = {
  URGENT: [60, 240],
  HIGH: [240, 1440],
  MEDIUM: [480, 4320],
  LOW: [1440, 10080],
};

const COMPANY_WORDS = [
  'Nordwind',
  'Atlas',
  'Helios',
  'Kestrel',
  'Meridian',
  'Orchid',
  'Pioneer',
  'Quartz',
  'Riverside',
  'Summit',
  'Tessera',
  'Vantage',
] as const;
const COMPANY_KINDS = [
  'Logistics',
  'Clinics',
  'Foods',
  'Legal',
  'Retail',
  'Energy',
  'Labs',
  'Finance',
] as const;

const FIRST_NAMES = ['Alice', 'Bruno', 'Chen', 'Dana', 'Emil', 'Fatima', 'Gita', 'Hugo', 'Ines', 'Jonas'];
const LAST_NAMES = [
  'Berg',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
];

const BUSINESS_CALENDAR = JSON.stringify({
  timezone: 'Europe/Berlin',
  weekly: Object.fromEntries(
    ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [
      day,
      [{ start: '09:00', end: '17:00' }],
    ]),
  ),
  holidays: ['2026-12-25', '2026-12-26', '2027-01-01'],
});

/** The database name of a data set. */
export function databaseName(spec: DatasetSpec): string {
  return `atum_bench_${spec.name}`;
}

/** Returns the data set of `spec`, generating it first unless a finished one is present. */
export async function ensureDataset(
  server: DatabaseServer,
  spec: DatasetSpec,
  options: EnsureDatasetOptions,
): Promise<DatasetInfo> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const database = databaseName(spec);
  const url = server.urlOf(database);
  if (!options.force) {
    const existing = await readMarker(server, database, spec);
    if (existing) {
      // The product may have gained migrations since the data set was made; they apply on top.
      await migrateDatabase(url, options.logger);
      log(
        `data set "${spec.name}" present (${existing.counts.tickets} tickets, ${existing.counts.comments} comments, loaded in ${existing.loadSeconds.toFixed(0)} s on ${existing.generatedAt}); reusing it`,
      );
      return { ...existing, url, generated: false, sizeBytes: await databaseSize(url) };
    }
  }
  return generate(server, spec, { ...options, log }, database, url);
}

async function readMarker(
  server: DatabaseServer,
  database: string,
  spec: DatasetSpec,
): Promise<Omit<DatasetInfo, 'url' | 'generated' | 'sizeBytes'> | null> {
  const present = await withClient(server.adminUrl, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    return (found.rowCount ?? 0) > 0;
  });
  if (!present) return null;
  return withClient(server.urlOf(database), async (client) => {
    const table = await client.query(`select to_regclass('bench.dataset') is not null as present`);
    if (!table.rows[0]?.present) return null;
    const result = await client.query<{ info: Omit<DatasetInfo, 'url' | 'generated' | 'sizeBytes'> }>(
      'select info from bench.dataset where name = $1 and generator = $2 and spec = $3::jsonb',
      [spec.name, GENERATOR_VERSION, JSON.stringify(spec)],
    );
    return result.rows[0]?.info ?? null;
  });
}

async function databaseSize(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const result = await client.query<{ size: string }>(
      'select pg_database_size(current_database()) as size',
    );
    return Number(result.rows[0]?.size ?? 0);
  });
}

async function session(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // A bulk load: no need to wait for each commit's WAL flush, more memory to sort index entries, and no
  // parallel index workers, since both connections already keep both cores busy.
  await client.query(
    "set synchronous_commit = off; set maintenance_work_mem = '512MB'; set max_parallel_maintenance_workers = 0",
  );
  return client;
}

async function generate(
  server: DatabaseServer,
  spec: DatasetSpec,
  options: EnsureDatasetOptions & { log: (line: string) => void },
  database: string,
  url: string,
): Promise<DatasetInfo> {
  const { log } = options;
  const phases: Record<string, number> = {};
  const started = performance.now();
  let phaseStarted = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - phaseStarted) / 1000;
    phaseStarted = now;
  };

  log(
    `generating data set "${spec.name}": ${spec.organizations} organizations, ${userCount(spec)} users, ${spec.tickets.toLocaleString('en')} tickets`,
  );
  await withClient(server.adminUrl, async (client) => {
    await client.query(`drop database if exists ${quoteIdent(database)} with (force)`);
    await client.query(`create database ${quoteIdent(database)}`);
  });
  await migrateDatabase(url, options.logger);
  phase('migrate');

  const a = await session(url);
  const b = await session(url);
  const c = await session(url);
  try {
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const world = await loadSmallTables(a, spec, passwordHash);
    phase('small tables');

    const deferred = await dropForLoad(a, ['tickets', 'comments']);
    const counts = await loadTicketsAndComments([a, b], c, world, log);
    phase('copy tickets and comments');

    await rebuild(a, b, deferred, log);
    phase('indexes and foreign keys');

    const progress = createProgress('vacuum analyze', 2);
    await Promise.all([
      a.query('vacuum (analyze) tickets').then(() => progress.update(1)),
      b
        .query('vacuum (analyze) comments, users, organizations, services, sla_policies')
        .then(() => progress.update(1)),
    ]);
    progress.finish();
    phase('vacuum analyze');

    const loadSeconds = (performance.now() - started) / 1000;
    const info: Omit<DatasetInfo, 'url' | 'generated' | 'sizeBytes'> = {
      name: spec.name,
      database,
      loadSeconds,
      phases,
      counts: {
        organizations: spec.organizations,
        users: userCount(spec),
        tickets: counts.tickets,
        comments: counts.comments,
        internalComments: counts.internal,
      },
      generatedAt: new Date().toISOString(),
    };
    await a.query(
      `create schema if not exists bench;
       create table if not exists bench.dataset (name text primary key, generator int not null, spec jsonb not null, info jsonb not null)`,
    );
    await a.query(
      `insert into bench.dataset (name, generator, spec, info) values ($1, $2, $3, $4)
       on conflict (name) do update set generator = excluded.generator, spec = excluded.spec, info = excluded.info`,
      [spec.name, GENERATOR_VERSION, JSON.stringify(spec), JSON.stringify(info)],
    );
    const sizeBytes = await databaseSize(url);
    log(
      `data set "${spec.name}" loaded in ${loadSeconds.toFixed(1)} s (${Object.entries(phases)
        .map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`)
        .join(', ')}); ${(sizeBytes / 2 ** 30).toFixed(2)} GiB`,
    );
    return { ...info, url, generated: true, sizeBytes };
  } finally {
    await Promise.all([a.end(), b.end(), c.end()]);
  }
}

/** Organizations, services, SLA policies and users: small, loaded with the indexes in place. */
async function loadSmallTables(
  client: pg.Client,
  spec: DatasetSpec,
  passwordHash: string,
): Promise<TicketWorld> {
  const random = new Random(spec.seed + 1);
  const now = Date.now();
  const origin = now - (spec.historyDays + 30) * 24 * 3600 * 1000;
  const at = (offsetMinutes: number) => new Date(origin + offsetMinutes * 60_000).toISOString();

  const defaults = await client.query<{
    id: string;
    priority: TicketPriority;
    first_response_minutes: number;
    resolution_minutes: number;
  }>(
    'select id, priority, first_response_minutes, resolution_minutes from sla_policies where organization_id is null',
  );
  const defaultSla = Object.fromEntries(
    TICKET_PRIORITIES.map((priority) => {
      const row = defaults.rows.find((policy) => policy.priority === priority);
      if (!row) throw new Error(`the migrations made no default SLA policy for ${priority}`);
      return [
        priority,
        {
          id: row.id,
          firstResponseMinutes: row.first_response_minutes,
          resolutionMinutes: row.resolution_minutes,
          stretch: 1,
        },
      ];
    }),
  ) as Record<TicketPriority, SlaTargets>;

  const organizations: OrganizationFixture[] = [];
  const orgLines: string[] = [];
  const serviceLines: string[] = [];
  const policyLines: string[] = [];
  const userLines: string[] = [];
  const globalServiceIds: string[] = [];
  for (const name of [
    'E-mail and calendar',
    'Network and VPN',
    'Printing',
    'Accounts and access',
    'Hardware',
    'Business applications',
  ]) {
    const id = uuidv7At(origin, random);
    globalServiceIds.push(id);
    serviceLines.push(copyLine([id, null, name, `${name} for every customer`, true, at(0), at(0)]));
  }

  let userIndex = 0;
  const user = (organizationId: string | null, role: string, email: string) => {
    const id = uuidv7At(origin + userIndex * 60_000, random);
    const name = `${FIRST_NAMES[userIndex % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(userIndex / FIRST_NAMES.length) % LAST_NAMES.length]}`;
    userLines.push(
      copyLine([
        id,
        organizationId,
        email,
        name,
        role,
        passwordHash,
        true,
        null,
        at(userIndex),
        at(userIndex),
      ]),
    );
    userIndex++;
    return id;
  };

  const ownSlaEvery = spec.ownSlaShare > 0 ? Math.max(1, Math.round(1 / spec.ownSlaShare)) : 0;
  for (let o = 0; o < spec.organizations; o++) {
    const id = uuidv7At(origin + o * 1000, random);
    const slug = `org-${String(o + 1).padStart(3, '0')}`;
    const name = `${COMPANY_WORDS[o % COMPANY_WORDS.length]} ${COMPANY_KINDS[Math.floor(o / COMPANY_WORDS.length) % COMPANY_KINDS.length]} ${o + 1}`;
    orgLines.push(copyLine([id, name, slug, true, at(o), at(o)]));
    const serviceIds: string[] = [];
    const serviceId = uuidv7At(origin + o * 1000, random);
    serviceIds.push(serviceId);
    serviceLines.push(copyLine([serviceId, id, `${name} line-of-business app`, null, true, at(o), at(o)]));
    const sla: Partial<Record<TicketPriority, SlaTargets>> = {};
    if (ownSlaEvery > 0 && o % ownSlaEvery === 0) {
      for (const priority of TICKET_PRIORITIES) {
        const [firstResponse, resolution] = DEFAULT_POLICY_TARGETS[priority];
        const policyId = uuidv7At(origin + o * 1000, random);
        sla[priority] = {
          id: policyId,
          firstResponseMinutes: firstResponse,
          resolutionMinutes: resolution * 2,
          stretch: (24 * 7) / 40,
        };
        policyLines.push(
          copyLine([
            policyId,
            id,
            `${name} ${priority.toLowerCase()}`,
            priority,
            firstResponse,
            resolution * 2,
            BUSINESS_CALENDAR,
            80,
            at(o),
            at(o),
          ]),
        );
      }
    }
    const customerIds: string[] = [];
    for (let c = 0; c < spec.customersPerOrganization; c++) {
      customerIds.push(
        user(id, c === 0 ? 'CUSTOMER_ADMIN' : 'CUSTOMER_USER', `customer${c + 1}@${slug}.example`),
      );
    }
    // Organization sizes vary from half to one and a half times the mean, like a real customer base.
    const weight = spec.organizations > 1 ? 0.5 + o / (spec.organizations - 1) : 1;
    organizations.push({ id, customerIds, serviceIds, sla, weight });
  }
  const staff = (role: string, prefix: string, count: number) =>
    Array.from({ length: count }, (_, k) => user(null, role, `${prefix}${k + 1}@atum-desk.example`));
  const agentIds = staff('AGENT', 'agent', spec.agents);
  const managerIds = staff('MANAGER', 'manager', spec.managers);
  staff('ADMIN', 'admin', spec.admins);

  const copyAll = async (table: string, columns: string[], lines: string[]) => {
    const writer = CopyWriter.start(client, table, columns);
    for (const line of lines) await writer.write(line);
    await writer.end();
  };
  await copyAll('organizations', ['id', 'name', 'slug', 'is_active', 'created_at', 'updated_at'], orgLines);
  await copyAll(
    'services',
    ['id', 'organization_id', 'name', 'description', 'is_active', 'created_at', 'updated_at'],
    serviceLines,
  );
  await copyAll(
    'sla_policies',
    [
      'id',
      'organization_id',
      'name',
      'priority',
      'first_response_minutes',
      'resolution_minutes',
      'calendar',
      'warn_at_percent',
      'created_at',
      'updated_at',
    ],
    policyLines,
  );
  await copyAll(
    'users',
    [
      'id',
      'organization_id',
      'email',
      'name',
      'role',
      'password_hash',
      'is_active',
      'last_login_at',
      'created_at',
      'updated_at',
    ],
    userLines,
  );

  return {
    organizations,
    agentIds,
    managerIds,
    globalServiceIds,
    defaultSla,
    tickets: spec.tickets,
    historyDays: spec.historyDays,
    now,
    seed: spec.seed,
  };
}

/**
 * Tickets on two connections (their generated full-text column makes PostgreSQL spend most of the load
 * in to_tsvector, so two backends share that work) and comments on a third. The comments' transaction
 * truncates its table first, so COPY FREEZE writes them already frozen and all-visible; two writers
 * cannot both truncate the tickets, so their visibility map is set by the VACUUM after the load.
 * Tickets alternate between the two connections in blocks of 512, so the table's physical order still
 * follows creation time closely.
 */
async function loadTicketsAndComments(
  ticketClients: readonly pg.Client[],
  commentClient: pg.Client,
  world: TicketWorld,
  log: (line: string) => void,
): Promise<{ tickets: number; comments: number; internal: number }> {
  for (const client of ticketClients) await client.query('begin');
  await commentClient.query('begin; truncate comments');
  const ticketWriters = ticketClients.map((client) => CopyWriter.start(client, 'tickets', TICKET_COLUMNS));
  const comments = CopyWriter.start(commentClient, 'comments', COMMENT_COLUMNS, 'freeze');
  const generator = new TicketGenerator(world);
  const progress = createProgress('copy tickets', world.tickets);
  const clients = [...ticketClients, commentClient];
  try {
    for (let i = 0; i < world.tickets; i++) {
      const rows = generator.next(i);
      const writer = ticketWriters[(i >> 9) % ticketWriters.length] as CopyWriter;
      await writer.write(rows.ticket);
      for (const line of rows.comments) await comments.write(line);
      if ((i & 1023) === 0) progress.update(i);
    }
    await Promise.all([...ticketWriters.map((writer) => writer.end()), comments.end()]);
    await Promise.all(clients.map((client) => client.query('commit')));
  } catch (error) {
    await Promise.all(clients.map((client) => client.query('rollback').catch(() => undefined)));
    throw error;
  }
  progress.finish(`+ ${generator.commentsWritten.toLocaleString('en')} comments`);
  log(
    `  ${generator.ticketsWritten.toLocaleString('en')} tickets, ${generator.commentsWritten.toLocaleString('en')} comments (${((generator.internalWritten / Math.max(1, generator.commentsWritten)) * 100).toFixed(1)} % internal notes)`,
  );
  return {
    tickets: generator.ticketsWritten,
    comments: generator.commentsWritten,
    internal: generator.internalWritten,
  };
}

/**
 * Builds the keys and indexes: the tickets' keys and then their GIN index (the longest job) on one
 * connection, the comments' keys and indexes and then the tickets' other indexes on the other (CREATE
 * INDEX only shares the table, so it runs beside the GIN build once the primary key is there). Then the
 * foreign keys, which validate every row with one join each.
 */
async function rebuild(a: pg.Client, b: pg.Client, deferred: DeferredObject[], log: (line: string) => void) {
  const ticketStatements = restoreStatements(deferred, 'tickets');
  const isGin = (statement: string) => /using gin/i.test(statement);
  const isKey = (statement: string) => statement.startsWith('alter table');
  const ticketKeys = ticketStatements.filter(isKey);
  const ticketGin = ticketStatements.filter((statement) => !isKey(statement) && isGin(statement));
  const ticketOther = ticketStatements.filter((statement) => !isKey(statement) && !isGin(statement));
  const commentStatements = restoreStatements(deferred, 'comments');
  const foreignKeys = foreignKeyStatements(deferred);
  const total = ticketStatements.length + commentStatements.length + foreignKeys.length;
  const progress = createProgress('indexes and keys', total);
  let done = 0;
  const timings: [string, number][] = [];
  const run = async (client: pg.Client, statements: string[]) => {
    for (const statement of statements) {
      const t0 = performance.now();
      await client.query(statement);
      timings.push([statement, (performance.now() - t0) / 1000]);
      progress.update(++done);
    }
  };
  const keysDone = run(a, ticketKeys);
  await Promise.all([
    keysDone.then(() => run(a, ticketGin)),
    run(b, commentStatements).then(async () => {
      await keysDone;
      await run(b, ticketOther);
    }),
  ]);
  // Each foreign key locks its table and the one it references. The tickets' own keys (to users,
  // organizations, services, policies) on one connection and the keys of the other tables on the other
  // can never wait for each other in a cycle: tickets reference none of those tables.
  const ticketForeignKeys = foreignKeys.filter((statement) => statement.startsWith('alter table tickets '));
  const otherForeignKeys = foreignKeys.filter((statement) => !statement.startsWith('alter table tickets '));
  await Promise.all([run(a, ticketForeignKeys), run(b, otherForeignKeys)]);
  progress.finish();
  const slowest = timings.sort((x, y) => y[1] - x[1]).slice(0, 4);
  for (const [statement, seconds] of slowest) log(`  ${seconds.toFixed(1)} s  ${statement.slice(0, 100)}`);
}
