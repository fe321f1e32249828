#!/usr/bin/env node
// Runs a root command (start, test, …) under the project's own Node and pnpm.
//
// The host may have any Node ≥ 18 with npm. The official Node binaries are published on the npm
// registry as `node-<platform>-<arch>` packages and pnpm is a plain npm package, so both are
// fetched with `npm pack` (which verifies the registry's integrity hash) and unpacked into the
// git-ignored `.toolchain/` folder. Nothing else is downloaded from anywhere else.
//
// Usage: node tooling/toolchain/bootstrap.mjs <pnpm script> [args…]
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const toolchainDir = join(root, '.toolchain');

function fail(message) {
  process.stderr.write(`atum-desk bootstrap: ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) fail(`${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** Unpacks one npm package into `target` (its `package/` folder becomes `target`). */
function installPackage(spec, target) {
  const scratch = mkdtempSync(join(tmpdir(), 'atum-toolchain-'));
  try {
    const pack = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', scratch], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (pack.status !== 0) fail(`could not fetch ${spec} from the npm registry`);
    const tarball = join(scratch, pack.stdout.trim().split('\n').pop());
    if (run('tar', ['-xzf', tarball, '-C', scratch]) !== 0) fail(`could not unpack ${spec}`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(join(scratch, 'package'), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function nodePackageName() {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!os || !arch) fail(`no Node build is published for ${process.platform}-${process.arch}`);
  return `node-${os}-${arch}`;
}

function ensureNode(version) {
  const dir = join(toolchainDir, `node-${version}`);
  const bin = join(dir, 'bin', 'node');
  if (!existsSync(bin)) {
    process.stderr.write(`atum-desk bootstrap: installing Node ${version}\n`);
    installPackage(`${nodePackageName()}@${version}`, dir);
  }
  return dirname(bin);
}

function ensurePnpm(version, nodeBinDir) {
  const dir = join(toolchainDir, `pnpm-${version}`);
  const bin = join(dir, 'bin', 'pnpm.cjs');
  if (!existsSync(bin)) {
    process.stderr.write(`atum-desk bootstrap: installing pnpm ${version}\n`);
    installPackage(`pnpm@${version}`, dir);
  }
  // turbo looks for a `pnpm` executable on PATH: put one beside our node.
  const shim = join(nodeBinDir, 'pnpm');
  const script = `#!/bin/sh\nexec "${join(nodeBinDir, 'node')}" "${bin}" "$@"\n`;
  if (readFileSafe(shim) !== script) writeFileSync(shim, script, { mode: 0o755 });
  return bin;
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function main() {
  const [script, ...args] = process.argv.slice(2);
  if (!script) fail('usage: bootstrap.mjs <script> [args…]');

  const nodeVersion = readFileSync(join(root, '.node-version'), 'utf8').trim();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pnpmVersion = /^pnpm@(\d+\.\d+\.\d+)/.exec(manifest.packageManager ?? '')?.[1];
  if (!pnpmVersion) fail('package.json has no pinned "packageManager": "pnpm@x.y.z"');

  const nodeBinDir = ensureNode(nodeVersion);
  const pnpm = ensurePnpm(pnpmVersion, nodeBinDir);
  const node = join(nodeBinDir, 'node');
  const env = {
    ...process.env,
    PATH: `${nodeBinDir}:${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    // The host's npm may be configured to build native addons against the host's (older) Node headers.
    npm_config_nodedir: '',
    NPM_CONFIG_NODEDIR: '',
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  };

  // Install only when the lockfile changed since the last install: a second start is instant.
  const stamp = join(toolchainDir, 'installed.stamp');
  const lockfile = join(root, 'pnpm-lock.yaml');
  const installed = existsSync(join(root, 'node_modules', '.modules.yaml'));
  if (
    !installed ||
    mtime(lockfile) > mtime(stamp) ||
    readFileSafe(stamp) !== installKey(nodeVersion, pnpmVersion)
  ) {
    const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
    if (run(node, [pnpm, 'install', ...frozen], { cwd: root, env }) !== 0) fail('pnpm install failed');
    writeFileSync(stamp, installKey(nodeVersion, pnpmVersion));
  }

  // The command runs asynchronously so that a SIGINT or SIGTERM sent to this process reaches it and it
  // can shut down cleanly; this process exits with its status once it has.
  const child = spawn(node, [pnpm, 'run', '--silent', script, ...args], { cwd: root, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

function installKey(nodeVersion, pnpmVersion) {
  return `node ${nodeVersion} pnpm ${pnpmVersion}\n`;
}

function readFileSafe(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

main();
