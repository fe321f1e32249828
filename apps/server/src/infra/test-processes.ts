import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Processes as an operator meets them, for the infra and CLI tests: real executables, real ports, their
// real output. Each helper leaves nothing running once the caller's cleanup has run.

const execFileAsync = promisify(execFile);

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** One server process, as systemd runs it. */
export const SERVER_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
/** The jobs process, as systemd runs it. */
export const JOBS_MAIN = fileURLToPath(new URL('../../../jobs/src/main.ts', import.meta.url));
/** The operator CLI. */
export const ATUM_CLI = fileURLToPath(new URL('../cli/atum.ts', import.meta.url));

/** The environment every child gets: a PATH (to find tools) and quiet logs, nothing else of ours. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  // biome-ignore lint/style/noProcessEnv: children need a PATH and nothing else of the test's
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'warn', ...extra };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never throws for a non-zero exit. */
export async function runCommand(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        env: options.env ?? baseEnv(),
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as { code?: unknown }).code !== 'number') {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            reject(new Error(`${command} is not installed (see README: what .ci/run installs)`));
            return;
          }
          if (!error.killed) {
            reject(error);
            return;
          }
        }
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Runs the operator CLI with `env` (plus a PATH) and optional stdin. */
export function runAtum(args: string[], env: Record<string, string>, input?: string): Promise<RunResult> {
  return runCommand(process.execPath, [ATUM_CLI, ...args], { env: baseEnv(env), input });
}

/** Fails with a clear message when a tool the infra tests need is missing. */
export async function requireTool(tool: string, versionArgs: string[] = ['--version']): Promise<void> {
  try {
    await execFileAsync(tool, versionArgs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${tool} is not installed; the infra tests need it (apt-get install nginx shellcheck systemd postgresql-client-15; .ci/run does this)`,
      );
    }
  }
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<number | null>;
}

/** Starts a long-running process; the caller must `stop()` it. */
export function startProcess(command: string, args: string[], env: Record<string, string>): Started {
  let output = '';
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Polls `url` until `want(response, body)` holds, failing early if `process` exits. */
export async function waitFor(
  url: string,
  want: (status: number, body: string) => boolean,
  started?: Started,
  timeoutMs = 90_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (started && started.child.exitCode !== null) {
      throw new Error(`process exited early (${started.child.exitCode}):\n${started.output()}`);
    }
    try {
      const response = await fetch(url);
      const body = await response.text();
      last = `${response.status} ${body}`;
      if (want(response.status, body)) return body;
    } catch (error) {
      last = String(error);
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`${url} never answered as expected; last: ${last}\n${started?.output() ?? ''}`);
}
