import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, DEMO_PASSWORD, loadConfig, seedDemoData } from '@atum-desk/core/server';
import type { TestDatabase } from '@atum-desk/test-helpers';
import { type RunningServer, startServer } from '../server.ts';

/** A live server on a free port over a test file's database, with the demo data, for API tests. */
export interface DemoServer {
  server: RunningServer;
  /** `fetch` against `/api/v1`, JSON in and out. */
  rest(method: string, path: string, token?: string, body?: unknown): Promise<RestAnswer>;
  /** Signs a demo user in and returns the token and user id. */
  login(email: string): Promise<{ token: string; userId: string }>;
  close(): Promise<void>;
}

export type Json = Record<string, unknown> & { id: string };
export interface RestAnswer {
  status: number;
  headers: Headers;
  body: Json;
}

/** Starts the server; `env` adds configuration such as small limits. */
export async function startDemoServer(
  db: TestDatabase,
  env: Record<string, string> = {},
): Promise<DemoServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'atum-api-'));
  const server = await startServer(
    loadConfig({ PORT: '0', ATUM_DATA_DIR: dataDir, ...env }),
    db.url,
    createLogger({ name: 'test', level: 'silent' }),
  );
  await seedDemoData(server.orm.em.fork());
  const rest = async (method: string, path: string, token?: string, body?: unknown): Promise<RestAnswer> => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : {}) as Json,
    };
  };
  return {
    server,
    rest,
    async login(email) {
      const answer = await rest('POST', '/auth/login', undefined, { email, password: DEMO_PASSWORD });
      if (answer.status !== 200) throw new Error(`login of ${email} failed: ${answer.status}`);
      return { token: String(answer.body.token), userId: (answer.body.user as Json).id };
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
