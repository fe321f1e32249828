// infra/installer/configure.ts: the second half of infra/install.sh, run as root with the new release's
// own Node 24 once install.sh has built it. Idempotent: a second run with the same options changes
// nothing but the release (an upgrade), and never a secret or a setting the operator edited.
//
//   node infra/installer/configure.ts --release DIR [--server-name NAME]... [--instances N]
//        [--tls-cert FILE --tls-key FILE] [--http-port 80] [--https-port 443] [--admin-email E]
//        [--no-start] [--no-backup]
//
// Steps: PostgreSQL cluster running → owner and application roles and the database → environment
// files → TLS certificate → pre-upgrade backup → migrations with the new release → first administrator
// → switch /opt/atum-desk/current → systemd units → nginx site → (rolling) restart → health → summary.
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  databaseUrlFor,
  type EnvSetting,
  mergeEnvFile,
  parseEnvFile,
  passwordOf,
  readRenderedSite,
  renderNginxSite,
  serverPorts,
} from './render.ts';

const INSTALL_ROOT = '/opt/atum-desk';
const CURRENT = join(INSTALL_ROOT, 'current');
const ETC = '/etc/atum-desk';
const ENV_FILE = join(ETC, 'atum-desk.env');
const OWNER_ENV_FILE = join(ETC, 'owner.env');
const TLS_DIR = join(ETC, 'tls');
const DATA_DIR = '/var/lib/atum-desk';
const SERVICE_USER = 'atum-desk';
const DATABASE = 'atum_desk';
const OWNER_ROLE = 'atum_owner';
const APP_ROLE = 'atum_app';
const FIRST_PORT = 3000;
const UNIT_DIR = '/etc/systemd/system';
const NGINX_SITE = '/etc/nginx/sites-available/atum-desk.conf';
const NGINX_ENABLED = '/etc/nginx/sites-enabled/atum-desk.conf';
const CLI_LINK = '/usr/local/bin/atum-desk';
const RELEASES_KEPT = 3;

interface Options {
  release: string;
  serverNames: string[];
  instances: number;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  httpPort: number;
  httpsPort: number;
  adminEmail: string | undefined;
  start: boolean;
  backup: boolean;
}

class InstallError extends Error {}

function say(message: string): void {
  process.stderr.write(`install: ${message}\n`);
}

/** Runs a command; throws with its output when it fails (unless `allowFailure`). */
function run(
  command: string,
  args: string[],
  options: SpawnSyncOptions & { input?: string; allowFailure?: boolean } = {},
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...options,
  });
  if (result.error) throw new InstallError(`${command}: ${result.error.message}`);
  const outcome = {
    status: result.status ?? 1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
  if (outcome.status !== 0 && !options.allowFailure) {
    throw new InstallError(`${command} ${args.join(' ')} failed:\n${outcome.stderr || outcome.stdout}`);
  }
  return outcome;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      release: { type: 'string' },
      'server-name': { type: 'string', multiple: true },
      instances: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'http-port': { type: 'string' },
      'https-port': { type: 'string' },
      'admin-email': { type: 'string' },
      'no-start': { type: 'boolean', default: false },
      'no-backup': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.release) throw new InstallError('--release is required (install.sh passes it)');
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new InstallError('give both --tls-cert and --tls-key, or neither (a self-signed one is made)');
  }
  const port = (name: string, value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > 65535)
      throw new InstallError(`--${name}: not a port`);
    return number;
  };
  const instances = Number(values.instances ?? '2');
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) {
    throw new InstallError(`--instances: expected 1 to 64, got ${values.instances}`);
  }
  // What an option left out was the last time: an upgrade keeps the name, certificate, ports and
  // number of instances the installed site was rendered with.
  const previous = readRenderedSite(readIfExists(NGINX_SITE) ?? '');
  const keptTls =
    values['tls-cert'] === undefined &&
    previous.tlsCertificate &&
    previous.tlsKey &&
    existsSync(previous.tlsCertificate) &&
    existsSync(previous.tlsKey)
      ? { cert: previous.tlsCertificate, key: previous.tlsKey }
      : undefined;
  return {
    release: values.release,
    serverNames: values['server-name'] ?? previous.serverNames ?? [defaultServerName()],
    instances: values.instances === undefined ? (previous.upstreamPorts?.length ?? 2) : instances,
    tlsCert: values['tls-cert'] ?? keptTls?.cert,
    tlsKey: values['tls-key'] ?? keptTls?.key,
    httpPort: values['http-port'] ? port('http-port', values['http-port']) : (previous.httpPort ?? 80),
    httpsPort: values['https-port'] ? port('https-port', values['https-port']) : (previous.httpsPort ?? 443),
    adminEmail: values['admin-email'],
    start: !values['no-start'],
    backup: !values['no-backup'],
  };
}

function defaultServerName(): string {
  const fqdn = run('hostname', ['--fqdn'], { allowFailure: true }).stdout.trim();
  return fqdn && fqdn !== 'localhost' ? fqdn : hostname();
}

const systemdRunning = () => existsSync('/run/systemd/system');

/** Starts (or creates) the local PostgreSQL cluster and returns its port. */
function ensurePostgres(): number {
  const clusters = () =>
    run('pg_lsclusters', ['--no-header'])
      .stdout.split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length >= 4)
      .map(([version, name, port, status]) => ({
        version,
        name,
        port: Number(port),
        online: status === 'online',
      }));
  let found = clusters();
  if (found.length === 0) {
    say('creating a PostgreSQL cluster');
    const version = readdirSync('/usr/lib/postgresql').sort().pop();
    if (!version) throw new InstallError('PostgreSQL is not installed (apt-get install postgresql)');
    run('pg_createcluster', [version, 'main']);
    found = clusters();
  }
  const cluster = found.find((candidate) => candidate.online) ?? found[0];
  if (!cluster) throw new InstallError('no PostgreSQL cluster');
  if (!cluster.online) {
    say(`starting PostgreSQL ${cluster.version}/${cluster.name}`);
    if (systemdRunning())
      run('systemctl', ['enable', '--now', `postgresql@${cluster.version}-${cluster.name}`]);
    else run('pg_ctlcluster', [String(cluster.version), String(cluster.name), 'start']);
  } else if (systemdRunning()) {
    run('systemctl', ['enable', 'postgresql'], { allowFailure: true });
  }
  return cluster.port;
}

/** Runs SQL as the postgres superuser over the local socket (peer authentication). */
function superuserSql(port: number, sql: string, database = 'postgres'): string {
  return run(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      'psql',
      '-X',
      '-q',
      '-A',
      '-t',
      '-v',
      'ON_ERROR_STOP=1',
      '-p',
      String(port),
      '-d',
      database,
    ],
    { input: sql, cwd: '/' },
  ).stdout;
}

/** Literal for SQL; the installer's own secrets are hex, but quote properly anyway. */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The owner role (migrations), the application role (the processes) and the database. The application
 * role gets its table grants from `atum-desk migrate --app-role` after the migrations.
 */
function ensureDatabase(port: number, ownerPassword: string, appPassword: string): boolean {
  const hardened = 'nosuperuser nocreatedb nocreaterole noreplication nobypassrls';
  superuserSql(
    port,
    `do $$ begin
       if not exists (select from pg_roles where rolname = '${OWNER_ROLE}') then create role ${OWNER_ROLE} login; end if;
       if not exists (select from pg_roles where rolname = '${APP_ROLE}') then create role ${APP_ROLE} login; end if;
     end $$;
     alter role ${OWNER_ROLE} with login ${hardened} password ${literal(ownerPassword)};
     alter role ${APP_ROLE} with login ${hardened} noinherit password ${literal(appPassword)};
     select 'create database ${DATABASE} owner ${OWNER_ROLE} encoding ''UTF8'' template template0'
      where not exists (select from pg_database where datname = '${DATABASE}') \\gexec
     alter database ${DATABASE} owner to ${OWNER_ROLE};
     revoke all on database ${DATABASE} from public;
     grant connect on database ${DATABASE} to ${APP_ROLE};
     grant connect, create, temporary on database ${DATABASE} to ${OWNER_ROLE};
`,
  );
  const migrated = superuserSql(
    port,
    "select to_regclass('public.schema_migrations') is not null",
    DATABASE,
  ).trim();
  return migrated === 't';
}

function writeSecretFile(path: string, text: string): void {
  const temporary = `${path}.new`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

interface Environment {
  app: Map<string, string>;
  owner: Map<string, string>;
}

function ensureEnvironment(options: Options, port: number): Environment {
  mkdirSync(ETC, { recursive: true, mode: 0o700 });
  chmodSync(ETC, 0o700);
  const appText = readIfExists(ENV_FILE);
  const ownerText = readIfExists(OWNER_ENV_FILE);
  const secret = () => randomBytes(24).toString('hex');
  const appPassword = passwordOf(parseEnvFile(appText ?? '').get('DATABASE_URL')) ?? secret();
  const ownerPassword = passwordOf(parseEnvFile(ownerText ?? '').get('DATABASE_URL')) ?? secret();
  const [primary] = options.serverNames;
  const publicUrl = `https://${primary}${options.httpsPort === 443 ? '' : `:${options.httpsPort}`}`;
  const appSettings: EnvSetting[] = [
    {
      key: 'DATABASE_URL',
      value: databaseUrlFor(APP_ROLE, appPassword, port, DATABASE),
      comment: `The application role (${APP_ROLE}): rows only, no schema changes, audit_log append-only.`,
    },
    { key: 'HOST', value: '127.0.0.1', comment: 'Server instances listen on loopback; nginx is the way in.' },
    { key: 'ATUM_DATA_DIR', value: DATA_DIR, comment: 'Uploads live in <ATUM_DATA_DIR>/uploads.' },
    {
      key: 'PUBLIC_URL',
      value: publicUrl,
      comment: 'The address users reach (links in mail; Secure cookies).',
    },
    {
      key: 'LOG_LEVEL',
      value: 'info',
      comment: 'JSON lines to the journal: journalctl -u atum-desk-server.',
    },
    {
      key: 'ATUM_MAX_UPLOAD_BYTES',
      value: String(25 * 1024 * 1024),
      comment: 'Largest attachment; re-run install.sh after changing it so nginx follows.',
    },
    { key: 'DATABASE_POOL_SIZE', value: '10', comment: 'Connections per server process.' },
  ];
  const header = [
    '# ATUM DESK settings (README.md, "Configuration"), read by every atum-desk unit and by',
    '# /usr/local/bin/atum-desk. Written by infra/install.sh, which keeps your edits on upgrade.',
    '# Do not set PORT here: each server unit sets its own. Restart after a change:',
    '#   systemctl restart atum-desk.target',
    '# Mail: uncomment and fill in (without SMTP_URL mail goes to the outbox: atum-desk outbox).',
    '#SMTP_URL=smtp://user:password@mail.example.com:587',
    '#MAIL_FROM=ATUM DESK <desk@example.com>',
  ].join('\n');
  writeSecretFile(ENV_FILE, mergeEnvFile(appText, appSettings, header));
  writeSecretFile(
    OWNER_ENV_FILE,
    mergeEnvFile(
      ownerText,
      [
        {
          key: 'DATABASE_URL',
          value: databaseUrlFor(OWNER_ROLE, ownerPassword, port, DATABASE),
          comment: `The schema owner (${OWNER_ROLE}): migrations, backups and restores only.`,
        },
      ],
      '# Loaded after atum-desk.env by atum-desk-migrate.service, backup.sh, restore.sh and\n# `atum-desk migrate` only: the server and jobs processes never see these credentials.',
    ),
  );
  const app = parseEnvFile(readFileSync(ENV_FILE, 'utf8'));
  if (app.get('PUBLIC_URL') !== publicUrl) {
    say(
      `note: PUBLIC_URL in ${ENV_FILE} is ${app.get('PUBLIC_URL')}, not ${publicUrl}; edit it if the name changed`,
    );
  }
  if (app.has('PORT')) say(`note: PORT in ${ENV_FILE} is ignored; each server unit sets its own port`);
  // ensureDatabase sets the roles' passwords from these files, so files and roles always agree.
  return { app, owner: parseEnvFile(readFileSync(OWNER_ENV_FILE, 'utf8')) };
}

function ensureTls(options: Options): { cert: string; key: string } {
  if (options.tlsCert && options.tlsKey) {
    for (const file of [options.tlsCert, options.tlsKey]) {
      if (!existsSync(file)) throw new InstallError(`${file} does not exist`);
    }
    return { cert: options.tlsCert, key: options.tlsKey };
  }
  const cert = join(TLS_DIR, 'atum-desk.crt');
  const key = join(TLS_DIR, 'atum-desk.key');
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  mkdirSync(TLS_DIR, { recursive: true, mode: 0o700 });
  say('making a self-signed certificate (replace it: docs/RUNBOOK.md, "TLS certificate")');
  const names = options.serverNames.map((name) => `DNS:${name}`).join(',');
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '825',
    '-subj',
    `/CN=${options.serverNames[0]}`,
    '-addext',
    `subjectAltName=${names}`,
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  chmodSync(key, 0o600);
  return { cert, key };
}

/** The environment of a CLI run as the service user: the settings, plus owner credentials if asked. */
function cliEnvironment(environment: Environment, asOwner: boolean): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: DATA_DIR,
    LANG: 'C.UTF-8',
    ...Object.fromEntries(environment.app),
    ...(asOwner ? Object.fromEntries(environment.owner) : {}),
    LOG_LEVEL: 'warn',
  };
}

function runCli(
  options: Options,
  environment: Environment,
  args: string[],
  asOwner = false,
  allowFailure = false,
) {
  const node = join(options.release, '.toolchain/node/bin/node');
  return run('runuser', ['-u', SERVICE_USER, '--', node, 'apps/server/src/cli/atum.ts', ...args], {
    cwd: options.release,
    env: cliEnvironment(environment, asOwner),
    allowFailure,
  });
}

function switchCurrent(release: string): string | undefined {
  const previous = existsSync(CURRENT) ? readlinkSync(CURRENT) : undefined;
  const link = join(INSTALL_ROOT, '.current.new');
  rmSync(link, { force: true });
  symlinkSync(join('releases', basename(release)), link);
  renameSync(link, CURRENT);
  return previous;
}

function installUnits(options: Options, ports: number[]): void {
  const source = join(options.release, 'infra/systemd');
  for (const unit of readdirSync(source)) {
    copyFileSync(join(source, unit), join(UNIT_DIR, unit));
    chmodSync(join(UNIT_DIR, unit), 0o644);
  }
  const wants = join(UNIT_DIR, 'atum-desk.target.wants');
  const wanted = new Set(ports.slice(1).map((port) => `atum-desk-server@${port}.service`));
  const stale = existsSync(wants)
    ? readdirSync(wants).filter((unit) => unit.startsWith('atum-desk-server@') && !wanted.has(unit))
    : [];
  if (systemdRunning()) run('systemctl', ['daemon-reload']);
  for (const unit of stale) {
    say(`removing instance ${unit}`);
    if (systemdRunning()) run('systemctl', ['disable', '--now', unit]);
    else unlinkSync(join(wants, unit));
  }
  // systemctl enable works on the unit files alone when systemd is not running (a container, a chroot).
  run('systemctl', ['enable', 'atum-desk.target', 'atum-desk-backup.timer', ...wanted]);
}

function installNginx(
  options: Options,
  ports: number[],
  tls: { cert: string; key: string },
  env: Environment,
) {
  const template = readFileSync(join(options.release, 'infra/nginx/atum-desk.conf'), 'utf8');
  const ipv6 = existsSync('/proc/net/if_inet6');
  const site = renderNginxSite(template, {
    serverNames: options.serverNames,
    httpListen: [String(options.httpPort), ...(ipv6 ? [`[::]:${options.httpPort}`] : [])],
    httpsListen: [String(options.httpsPort), ...(ipv6 ? [`[::]:${options.httpsPort}`] : [])],
    httpsPort: options.httpsPort,
    tlsCertificate: tls.cert,
    tlsKey: tls.key,
    upstreamPorts: ports,
    webRoot: join(CURRENT, 'webroot'),
    logDir: '/var/log/nginx',
    maxUploadBytes: Number(env.app.get('ATUM_MAX_UPLOAD_BYTES') ?? 25 * 1024 * 1024),
  });
  writeFileSync(NGINX_SITE, site, { mode: 0o644 });
  if (!existsSync(NGINX_ENABLED)) symlinkSync(NGINX_SITE, NGINX_ENABLED);
  // Debian's default site also claims port 80 for every name; it would shadow the redirect.
  const debianDefault = '/etc/nginx/sites-enabled/default';
  if (existsSync(debianDefault) && lstatSync(debianDefault).isSymbolicLink()) {
    say("disabling nginx's Debian default site");
    unlinkSync(debianDefault);
  }
  run('nginx', ['-t', '-q']);
  if (systemdRunning()) {
    run('systemctl', ['enable', 'nginx']);
    run('systemctl', ['reload-or-restart', 'nginx']);
  } else if (nginxRunning()) {
    run('nginx', ['-s', 'reload']);
  } else {
    say('nginx is not running; start it (systemctl start nginx)');
  }
}

/** Whether nginx runs (without systemd): its pid file names a live process. `nginx -t` leaves it empty. */
function nginxRunning(): boolean {
  const pid = Number(readIfExists('/run/nginx.pid')?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForHealth(port: number): Promise<boolean> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 500));
  }
  return false;
}

async function startServices(ports: number[], upgrade: boolean): Promise<void> {
  if (!upgrade) {
    run('systemctl', ['start', 'atum-desk.target']);
  } else {
    // One instance at a time, each healthy before the next: nginx sends requests to the others meanwhile.
    // Not atum-desk-migrate.service: the migrations ran above, and restarting a unit the servers
    // Require= restarts all of them at once.
    for (const [index, port] of ports.entries()) {
      const unit = index === 0 ? 'atum-desk-server.service' : `atum-desk-server@${port}.service`;
      run('systemctl', ['restart', unit]);
      if (!(await waitForHealth(port)))
        throw new InstallError(`${unit} is not healthy; see journalctl -u ${unit}`);
    }
    run('systemctl', ['restart', 'atum-desk-jobs.service']);
    run('systemctl', ['start', 'atum-desk.target']);
  }
  for (const port of ports) {
    if (!(await waitForHealth(port))) throw new InstallError(`the server on port ${port} is not healthy`);
  }
}

function pruneReleases(current: string): void {
  const releases = join(INSTALL_ROOT, 'releases');
  const old = readdirSync(releases)
    .filter((name) => !name.startsWith('.') && name !== basename(current))
    .sort()
    .reverse()
    .slice(RELEASES_KEPT - 1);
  for (const name of old) {
    say(`removing old release ${name}`);
    rmSync(join(releases, name), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const ports = serverPorts(options.instances, FIRST_PORT);
  const port = ensurePostgres();
  const environment = ensureEnvironment(options, port);
  const ownerPassword = passwordOf(environment.owner.get('DATABASE_URL')) as string;
  const appPassword = passwordOf(environment.app.get('DATABASE_URL')) as string;
  const upgrade = ensureDatabase(port, ownerPassword, appPassword);
  mkdirSync(join(DATA_DIR, 'uploads'), { recursive: true });
  run('chown', [`${SERVICE_USER}:${SERVICE_USER}`, DATA_DIR, join(DATA_DIR, 'uploads')]);
  chmodSync(DATA_DIR, 0o750);
  const tls = ensureTls(options);

  // The web root nginx serves: the built apps of this release under their URL prefixes.
  const webRoot = join(options.release, 'webroot');
  mkdirSync(webRoot, { recursive: true });
  for (const app of ['portal', 'desk']) {
    if (!existsSync(join(options.release, 'apps', app, 'dist/index.html'))) {
      throw new InstallError(`apps/${app} is not built in ${options.release}`);
    }
    rmSync(join(webRoot, app), { force: true });
    symlinkSync(join('..', 'apps', app, 'dist'), join(webRoot, app));
  }

  if (upgrade && options.backup) {
    say('backing up before migrating (restore it to roll back: docs/RUNBOOK.md)');
    const backup = run(join(options.release, 'infra/backup.sh'), ['--keep', '14']).stdout.trim();
    say(`backup: ${backup}`);
  }
  say('applying migrations');
  say(
    runCli(options, environment, ['migrate', '--app-role', APP_ROLE], true)
      .stdout.trim()
      .replace(/\n/g, '; '),
  );

  let adminPassword: string | undefined;
  if (options.adminEmail) {
    const result = runCli(
      options,
      environment,
      ['user', 'create', '--email', options.adminEmail, '--name', 'Administrator', '--role', 'ADMIN'],
      false,
      true,
    );
    if (result.status === 0) {
      adminPassword = /password: (\S+)/.exec(result.stdout)?.[1];
      // At once, not only in the summary: should a later step fail, the password is not lost.
      say(`administrator ${options.adminEmail} created; password (shown once): ${adminPassword}`);
    } else if (result.stderr.includes('already exists'))
      say(`${options.adminEmail} exists already; left as it is`);
    else throw new InstallError(`creating the administrator failed: ${result.stderr.trim()}`);
  }

  const previous = switchCurrent(options.release);
  if (!existsSync(CLI_LINK)) symlinkSync(join(CURRENT, 'infra/bin/atum-desk'), CLI_LINK);
  installUnits(options, ports);
  installNginx(options, ports, tls, environment);

  const started = options.start && systemdRunning();
  if (started) await startServices(ports, upgrade);
  pruneReleases(options.release);

  const url = environment.app.get('PUBLIC_URL');
  const lines = [
    '',
    `ATUM DESK ${upgrade ? 'upgraded' : 'installed'}: ${options.release}${previous ? ` (previous: ${previous})` : ''}`,
    `  URL:        ${url}/  (portal ${url}/portal/, desk ${url}/desk/)`,
    `  settings:   ${ENV_FILE}`,
    `  data:       ${DATA_DIR}; backups: /var/backups/atum-desk (daily, atum-desk-backup.timer)`,
    `  processes:  ${ports.length} server instance(s) on 127.0.0.1:${ports.join(', ')} and one jobs worker`,
  ];
  if (adminPassword) lines.push(`  admin:      ${options.adminEmail} / ${adminPassword}  (shown once)`);
  lines.push('', 'Next steps:');
  if (!started) {
    lines.push(
      options.start
        ? '  - systemd is not running here: start the units on a systemd host (systemctl start atum-desk.target)'
        : '  - start it: systemctl start atum-desk.target',
    );
  }
  if (!options.adminEmail && !upgrade) {
    lines.push(
      '  - create an administrator: atum-desk user create --email you@example.com --name You --role ADMIN',
    );
  }
  if (tls.cert === join(TLS_DIR, 'atum-desk.crt'))
    lines.push(`  - replace the self-signed certificate in ${TLS_DIR} (docs/RUNBOOK.md, "TLS certificate")`);
  lines.push('  - run the first-ticket walkthrough: docs/ACCEPTANCE_TESTS.md', '');
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  // Refusals (ours, and node:util's for bad options) are one line; anything else brings its stack.
  const expected =
    error instanceof InstallError || String((error as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS');
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`install: error: ${message}\n`);
  if (!expected && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
