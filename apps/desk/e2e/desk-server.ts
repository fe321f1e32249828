import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, DEMO_PASSWORD, loadConfig, seedDemoData } from '@atum-desk/core/server';
import type { TestDatabase } from '@atum-desk/test-helpers';
// By path, not package name: @atum-desk/server is not a dependency of the desk, and Node runs its
// TypeScript directly. It serves the desk's and the portal's dist/, which turbo builds before `test`.
import { type RunningServer, startServer } from '../../server/src/server.ts';

export interface DeskServer {
  url: string;
  server: RunningServer;
  /** A bearer token of a demo user (for reading ids the test needs, never for the steps themselves). */
  token(email: string): Promise<string>;
  /** `/api/v1` over HTTP with a bearer token; throws on an unexpected status. */
  rest<T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** The real server with the demo data (ATUM_DEMO=1), on a free port, over the test file's own database. */
export async function startDeskServer(db: TestDatabase): Promise<DeskServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'atum-desk-e2e-'));
  const server = await startServer(
    loadConfig({
      PORT: '0',
      ATUM_DATA_DIR: dataDir,
      // The limits have their own tests; several signed-in pages of one scenario must not trip them.
      RATE_LIMIT_API_PER_MINUTE: '0',
      RATE_LIMIT_TICKETS_PER_HOUR: '0',
    }),
    db.url,
    createLogger({ name: 'desk-e2e', level: 'silent' }),
  );
  await seedDemoData(server.orm.em.fork());
  const rest = async <T>(method: string, path: string, token: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    url: server.url,
    server,
    rest,
    async token(email) {
      const response = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      if (!response.ok) throw new Error(`login of ${email} answered ${response.status}`);
      return ((await response.json()) as { token: string }).token;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
