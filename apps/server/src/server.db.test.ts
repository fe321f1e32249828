import { createServer, type Server } from 'node:net';
import { createLogger, loadConfig, StartupError } from '@atum-desk/core/server';
import { cloneDatabase, databaseUrl, dropDatabase, useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningServer, startServer, VERSION } from './server.ts';

const db = useTestDatabase();
const logger = createLogger({ name: 'test', level: 'silent' });
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(loadConfig({ PORT: '0' }), db.url, logger);
});
afterAll(async () => {
  await server?.close();
});

describe('the HTTP server', () => {
  it('answers GET /api/health over a socket with the database state and version', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok', db: 'ok', jobs: 'none', version: VERSION });
  });

  it('gives every response a request id', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await fetch(`${server.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such route' } });
  });

  it('refuses to start on a port that is taken, naming the port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const attempt = startServer(loadConfig({ PORT: String(port) }), db.url, logger);
      await expect(attempt).rejects.toThrow(StartupError);
      await expect(attempt).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('reports the database as down with a 503 when it stops answering', async () => {
    const serverUrl = inject('databaseServerUrl');
    const doomed = await cloneDatabase(serverUrl, inject('templateDatabase'));
    const lonely = await startServer(loadConfig({ PORT: '0' }), databaseUrl(serverUrl, doomed), logger);
    expect((await fetch(`${lonely.url}/api/health`)).status).toBe(200);
    await dropDatabase(serverUrl, doomed);
    try {
      const response = await fetch(`${lonely.url}/api/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'degraded', db: 'error' });
    } finally {
      await lonely.close();
    }
  });
});
