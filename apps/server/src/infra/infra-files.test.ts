import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mergeEnvFile,
  parseEnvFile,
  passwordOf,
  readRenderedSite,
  renderNginxSite,
  serverPorts,
  uploadBodyLimit,
} from '../../../../infra/installer/render.ts';
import { SERVER_NODE_FLAGS } from '../node-flags.ts';
import { SITE_TEMPLATE } from './nginx-harness.ts';
import { REPO_ROOT, requireTool, runCommand } from './test-processes.ts';

// The operator's files as files: every shell script passes shellcheck and follows STYLE.md, every
// systemd unit passes systemd-analyze verify, and the installer's rendering does what it says.

const INFRA = join(REPO_ROOT, 'infra');
const UNITS = join(INFRA, 'systemd');
const INSTALL_ROOT = '/opt/atum-desk/current';

async function shellScripts(): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(INFRA, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile()) continue;
    if (entry.name.endsWith('.sh') || (await readFile(path, 'utf8')).startsWith('#!/usr/bin/env bash')) {
      found.push(path);
    }
  }
  return found.sort();
}

describe('the shell scripts', () => {
  it('are all found: install, backup, restore, the CLI wrapper and their library', async () => {
    const names = (await shellScripts()).map((path) => path.slice(INFRA.length + 1));
    expect(names).toEqual(['backup.sh', 'bin/atum-desk', 'install.sh', 'lib/common.sh', 'restore.sh']);
  });

  it('pass shellcheck with every check on', async () => {
    await requireTool('shellcheck');
    const result = await runCommand('shellcheck', [
      '--external-sources',
      '--severity=style',
      ...(await shellScripts()),
    ]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('follow STYLE.md: bash, strict mode, main "$@", executable', async () => {
    for (const path of await shellScripts()) {
      const text = await readFile(path, 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n'), path).toBe(true);
      if (path.endsWith('lib/common.sh')) continue; // sourced, never run
      expect(text, path).toContain('\nset -euo pipefail\n');
      expect(text.trimEnd().endsWith('main "$@"'), path).toBe(true);
      const mode = await runCommand('stat', ['-c', '%a', path]);
      expect(Number.parseInt(mode.stdout, 8) & 0o111, `${path} is executable`).not.toBe(0);
    }
  });
});

describe('the systemd units', () => {
  let root: string;
  let units: string;

  beforeAll(async () => {
    await requireTool('systemd-analyze');
    // systemd-analyze checks that each ExecStart program exists, so the units are verified as installed
    // but with /opt/atum-desk/current moved into a temporary folder holding this checkout's node.
    root = await mkdtemp(join(tmpdir(), 'atum-units-'));
    units = join(root, 'units');
    await mkdir(units);
    await mkdir(join(root, 'current/.toolchain/node/bin'), { recursive: true });
    await mkdir(join(root, 'current/infra'), { recursive: true });
    await symlink(process.execPath, join(root, 'current/.toolchain/node/bin/node'));
    await symlink(join(INFRA, 'backup.sh'), join(root, 'current/infra/backup.sh'));
    for (const unit of await readdir(UNITS)) {
      const text = await readFile(join(UNITS, unit), 'utf8');
      await writeFile(join(units, unit), text.replaceAll(INSTALL_ROOT, join(root, 'current')));
    }
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('are the ones the runbook names', async () => {
    expect((await readdir(UNITS)).sort()).toEqual([
      'atum-desk-backup.service',
      'atum-desk-backup.timer',
      'atum-desk-jobs.service',
      'atum-desk-migrate.service',
      'atum-desk-server.service',
      'atum-desk-server@.service',
      'atum-desk.target',
    ]);
  });

  it('pass systemd-analyze verify without a warning, the template as instance 3001 too', async () => {
    const names = (await readdir(units)).filter((unit) => unit !== 'atum-desk-server@.service');
    const paths = [...names, 'atum-desk-server@3001.service'].map((unit) => join(units, unit));
    const result = await runCommand('systemd-analyze', ['verify', '--man=no', ...paths]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('harden every service and restart the long-running ones', async () => {
    for (const unit of (await readdir(UNITS)).filter((name) => name.endsWith('.service'))) {
      const text = await readFile(join(UNITS, unit), 'utf8');
      for (const line of [
        'NoNewPrivileges=yes',
        'ProtectSystem=strict',
        'PrivateTmp=yes',
        'ProtectHome=yes',
      ]) {
        expect(text, `${unit}: ${line}`).toContain(`\n${line}\n`);
      }
      if (unit === 'atum-desk-backup.service') continue;
      expect(text, unit).toContain('\nUser=atum-desk\n');
      expect(text, unit).toContain('\nEnvironmentFile=/etc/atum-desk/atum-desk.env\n');
      expect(text, unit).toContain('\nCapabilityBoundingSet=\n');
      // The migration step is the only one that sees the owner's credentials.
      expect(text.includes('owner.env'), unit).toBe(unit === 'atum-desk-migrate.service');
      if (unit === 'atum-desk-migrate.service') continue;
      expect(text, unit).toContain('\nRestart=on-failure\n');
      expect(text, unit).toContain('\nRequires=atum-desk-migrate.service\n');
      // The data directory is the one place these processes may write.
      expect(text.match(/^ReadWritePaths=.*$/gm), unit).toEqual(['ReadWritePaths=/var/lib/atum-desk']);
    }
  });

  it('give each server instance its own port, whatever the environment file says', async () => {
    const first = await readFile(join(UNITS, 'atum-desk-server.service'), 'utf8');
    const template = await readFile(join(UNITS, 'atum-desk-server@.service'), 'utf8');
    expect(first).toMatch(/^ExecStart=\/usr\/bin\/env PORT=3000 /m);
    expect(template).toMatch(/^ExecStart=\/usr\/bin\/env PORT=%i /m);
  });

  it('start every server process with the heap limits of SERVER_NODE_FLAGS', async () => {
    for (const unit of ['atum-desk-server.service', 'atum-desk-server@.service']) {
      const text = await readFile(join(UNITS, unit), 'utf8');
      const execStart = text.match(
        /^ExecStart=.* \/opt\/atum-desk\/current\/\.toolchain\/node\/bin\/node (.*) apps\/server\/src\/main\.ts$/m,
      );
      expect(execStart?.[1]?.split(' '), unit).toEqual([...SERVER_NODE_FLAGS]);
    }
  });
});

describe('the installer', () => {
  // Only inputs it refuses before touching the host: these runs must never install anything.
  const configure = (args: string[]) =>
    runCommand(process.execPath, [join(INFRA, 'installer/configure.ts'), ...args]);

  it('refuses incomplete or unknown options before doing anything', async () => {
    const halfTls = await configure(['--release', '/nonexistent', '--tls-cert', '/x.crt']);
    expect(halfTls).toMatchObject({
      code: 1,
      stderr: 'install: error: give both --tls-cert and --tls-key, or neither (a self-signed one is made)\n',
    });
    const unknown = await configure(['--release', '/nonexistent', '--frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^install: error: Unknown option '--frobnicate'/);
    const noInstances = await configure(['--release', '/nonexistent', '--instances', '0']);
    expect(noInstances.stderr).toBe('install: error: --instances: expected 1 to 64, got 0\n');
    const noRelease = await configure([]);
    expect(noRelease.stderr).toBe('install: error: --release is required (install.sh passes it)\n');
  });

  it('explains itself with --help without being root', async () => {
    const result = await runCommand(join(INFRA, 'install.sh'), ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('infra/install.sh [--server-name NAME]...');
  });
});

describe("the installer's rendering", () => {
  const options = {
    serverNames: ['desk.example.com', 'helpdesk.example.com'],
    httpListen: ['80', '[::]:80'],
    httpsListen: ['443', '[::]:443'],
    httpsPort: 443,
    tlsCertificate: '/etc/atum-desk/tls/atum-desk.crt',
    tlsKey: '/etc/atum-desk/tls/atum-desk.key',
    upstreamPorts: serverPorts(3),
    webRoot: '/opt/atum-desk/current/webroot',
    logDir: '/var/log/nginx',
    maxUploadBytes: 25 * 1024 * 1024,
  };

  it('fills every placeholder of the nginx site', async () => {
    const site = renderNginxSite(await readFile(SITE_TEMPLATE, 'utf8'), options);
    expect(site).not.toMatch(/\{\{/);
    expect(site).toContain('    server 127.0.0.1:3000 max_fails=3 fail_timeout=10s;\n');
    expect(site).toContain('    server 127.0.0.1:3002 max_fails=3 fail_timeout=10s;\n');
    expect(site).toContain('    listen [::]:443 ssl http2;\n');
    expect(site).toContain('server_name desk.example.com helpdesk.example.com;');
    expect(site).toContain('return 301 https://desk.example.com$request_uri;');
    expect(site).toContain('client_max_body_size 26m;');
    expect(site).toContain('wss://desk.example.com;');
  });

  it('reads back what a site was rendered with, so an upgrade without options keeps it', async () => {
    const template = await readFile(SITE_TEMPLATE, 'utf8');
    expect(readRenderedSite(renderNginxSite(template, options))).toEqual({
      serverNames: ['desk.example.com', 'helpdesk.example.com'],
      tlsCertificate: '/etc/atum-desk/tls/atum-desk.crt',
      tlsKey: '/etc/atum-desk/tls/atum-desk.key',
      upstreamPorts: [3000, 3001, 3002],
      httpPort: 80,
      httpsPort: 443,
    });
    const loopback = {
      ...options,
      httpListen: ['127.0.0.1:8080'],
      httpsListen: ['127.0.0.1:8443'],
      httpsPort: 8443,
    };
    expect(readRenderedSite(renderNginxSite(template, loopback))).toMatchObject({
      httpPort: 8080,
      httpsPort: 8443,
    });
    expect(readRenderedSite('')).toEqual({});
  });

  it('names a non-standard HTTPS port in redirects and the CSP', async () => {
    const site = renderNginxSite(await readFile(SITE_TEMPLATE, 'utf8'), { ...options, httpsPort: 8443 });
    expect(site).toContain('return 301 https://desk.example.com:8443$request_uri;');
    expect(site).toContain('wss://desk.example.com:8443;');
  });

  it('refuses values that would break or inject into the configuration', async () => {
    const template = await readFile(SITE_TEMPLATE, 'utf8');
    expect(() => renderNginxSite(template, { ...options, serverNames: ['desk.example.com; evil'] })).toThrow(
      /is not a host name/,
    );
    expect(() => renderNginxSite(template, { ...options, webRoot: '/srv/web root' })).toThrow(
      /plain absolute path/,
    );
    expect(() => renderNginxSite(template, { ...options, upstreamPorts: [] })).toThrow(/no server instance/);
    expect(() => renderNginxSite('{{NOPE}}', options)).toThrow(/unknown placeholder \{\{NOPE\}\}/);
  });

  it('sizes the upload limit as the server limit plus room for the multipart framing', () => {
    expect(uploadBodyLimit(25 * 1024 * 1024)).toBe('26m');
    expect(uploadBodyLimit(10_000_000)).toBe('11m');
    expect(serverPorts(2)).toEqual([3000, 3001]);
    expect(() => serverPorts(0)).toThrow(/--instances/);
  });

  it('keeps an environment file as the operator left it and only adds what is missing', () => {
    const settings = [
      { key: 'DATABASE_URL', value: 'postgres://atum_app:new@127.0.0.1:5432/atum_desk', comment: 'db' },
      { key: 'LOG_LEVEL', value: 'info', comment: 'logs' },
    ];
    const fresh = mergeEnvFile(undefined, settings, '# header');
    expect(fresh).toBe(
      '# header\n# db\nDATABASE_URL=postgres://atum_app:new@127.0.0.1:5432/atum_desk\n# logs\nLOG_LEVEL=info\n',
    );
    const edited =
      '# mine\nDATABASE_URL="postgres://atum_app:old%2Fpw@127.0.0.1:5432/atum_desk"\nSMTP_URL=smtp://x\n';
    const merged = mergeEnvFile(edited, settings, '# header');
    expect(merged.startsWith(edited)).toBe(true);
    expect(merged).toContain('\n# Added by infra/install.sh on upgrade:\n# logs\nLOG_LEVEL=info\n');
    expect(mergeEnvFile(merged, settings, '# header')).toBe(merged);
    const parsed = parseEnvFile(merged);
    expect(passwordOf(parsed.get('DATABASE_URL'))).toBe('old/pw');
    expect(parsed.get('SMTP_URL')).toBe('smtp://x');
    expect(() => mergeEnvFile(undefined, [{ key: 'X', value: 'two\nlines', comment: '' }], '')).toThrow(
      /quoting/,
    );
  });
});
