import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  DEMO_PASSWORD,
  loadConfig,
  SESSION_COOKIE,
  seedDemoData,
} from '@atum-desk/core/server';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import NodeWebSocket from 'ws';
import { type RunningServer, startServer } from '../server.ts';
import { type LiveSubscriber, subscribeLive, within } from './live-test-client.ts';
import { SESSION_ENDED_CLOSE_CODE } from './ws.ts';

// The WebSocket at /ws as a browser or an integration meets it: who may open it, what a subscription
// answers without a session, and what happens to an open socket when its session ends or the server
// stops.

const db = useTestDatabase();
let dataDir: string;
let server: RunningServer;
const subscribers: LiveSubscriber[] = [];

async function rest(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function login(email: string): Promise<string> {
  const answer = await rest('POST', '/auth/login', undefined, { email, password: DEMO_PASSWORD });
  if (answer.status !== 200) throw new Error(`login of ${email}: ${answer.status}`);
  return String(answer.body.token);
}

function live(token: string | undefined, input: { ticketId?: string } = {}): LiveSubscriber {
  const subscriber = subscribeLive(server.url, token, input);
  subscribers.push(subscriber);
  return subscriber;
}

/** Opens a raw socket with these headers; resolves with the open socket or the refusal's HTTP status. */
function rawSocket(headers: Record<string, string>, path = '/ws'): Promise<NodeWebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new NodeWebSocket(`${server.url.replace('http', 'ws')}${path}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', reject);
  });
}

/** Sends one tRPC subscription message on a raw socket; resolves with the first answer. */
function subscribeRaw(socket: NodeWebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
    socket.send(
      JSON.stringify({
        id: 1,
        method: 'subscription',
        params: { path: 'events.onTicketEvent', input: { json: {} } },
      }),
    );
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'atum-ws-'));
  server = await startServer(
    loadConfig({ PORT: '0', ATUM_DATA_DIR: dataDir, RATE_LIMIT_API_PER_MINUTE: '0' }),
    db.url,
    createLogger({ name: 'test', level: 'silent' }),
    { realtime: { sessionCheckMs: 100 } },
  );
  await seedDemoData(server.orm.em.fork());
});

afterAll(async () => {
  for (const subscriber of subscribers) await subscriber.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the WebSocket at /ws', () => {
  it('refuses a subscription without a session with UNAUTHORIZED', async () => {
    const anonymous = live(undefined);
    expect(await within(anonymous.failed, 5000, 'the refusal')).toBe('UNAUTHORIZED');
    expect(anonymous.events()).toEqual([]);
  });

  it('refuses a token that is no session with UNAUTHORIZED', async () => {
    const forged = live('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(await within(forged.failed, 5000, 'the refusal')).toBe('UNAUTHORIZED');
  });

  it("answers NOT_FOUND for another organization's ticket page", async () => {
    const requester = await login('bob@acme.demo');
    const ticket = await rest('POST', '/tickets', requester, {
      title: 'Acme only',
      description: 'not for Globex',
      priority: 'LOW',
    });
    const stranger = live(await login('carol@globex.demo'), { ticketId: String(ticket.body.id) });
    expect(await within(stranger.failed, 5000, 'the refusal')).toBe('NOT_FOUND');
  });

  it('refuses a cookie-authenticated upgrade from another origin, or with no origin', async () => {
    const token = await login('manager@atum.demo');
    const cookie = `${SESSION_COOKIE}=${token}`;
    expect(await rawSocket({ cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await rawSocket({ cookie })).toBe(403);
  });

  it('serves a cookie-authenticated upgrade from its own pages', async () => {
    const token = await login('manager@atum.demo');
    const socket = await rawSocket({ cookie: `${SESSION_COOKIE}=${token}`, origin: server.url });
    if (typeof socket === 'number') throw new Error(`refused with ${socket}`);
    try {
      expect(await subscribeRaw(socket)).toMatchObject({ id: 1, result: { type: 'started' } });
    } finally {
      socket.close();
    }
  });

  it('answers 404 to an upgrade anywhere else', async () => {
    expect(await rawSocket({}, '/trpc')).toBe(404);
  });

  it('resumes after the socket drops: the stream starts again with resync, and events follow', async () => {
    const sockets: WebSocket[] = [];
    // The client's own WebSocket class, remembered so that the test can drop the line under it.
    class RememberedSocket extends globalThis.WebSocket {
      constructor(url: string | URL, protocols?: ConstructorParameters<typeof globalThis.WebSocket>[1]) {
        super(url, protocols);
        sockets.push(this);
      }
    }
    const token = await login('manager@atum.demo');
    const requester = await login('bob@acme.demo');
    const manager = subscribeLive(server.url, token, {}, { WebSocket: RememberedSocket });
    subscribers.push(manager);
    await within(manager.started, 5000, 'the subscription');
    const first = await rest('POST', '/tickets', requester, {
      title: 'One',
      description: 'd',
      priority: 'LOW',
    });
    await manager.until((event) => event.kind === 'created' && event.ticketId === first.body.id);

    sockets[0]?.close();
    await manager.until((event) => event.kind === 'resync');
    expect(manager.events().find((event) => event.kind === 'resync')).toMatchObject({ reason: 'resumed' });
    const second = await rest('POST', '/tickets', requester, {
      title: 'Two',
      description: 'd',
      priority: 'LOW',
    });
    await manager.until((event) => event.kind === 'created' && event.ticketId === second.body.id);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
  });

  it('closes the socket of a session that ended, and the resubscription is refused', async () => {
    const token = await login('agent@atum.demo');
    const agent = live(token);
    await within(agent.started, 5000, 'the subscription');
    expect((await rest('POST', '/auth/logout', token)).status).toBe(200);
    expect(await within(agent.failed, 5000, 'the refusal after logout')).toBe('UNAUTHORIZED');
    expect(agent.closes).toContain(SESSION_ENDED_CLOSE_CODE);
  });
});

describe('stopping the server', () => {
  it('closes every socket and the database listener', async () => {
    const ownDir = await mkdtemp(join(tmpdir(), 'atum-ws-'));
    const other = await startServer(
      loadConfig({ PORT: '0', ATUM_DATA_DIR: ownDir, RATE_LIMIT_API_PER_MINUTE: '0' }),
      db.url,
      createLogger({ name: 'test', level: 'silent' }),
      { realtime: { shutdownGraceMs: 200 } },
    );
    const token = await login('manager@atum.demo');
    const subscriber = subscribeLive(other.url, token, {}, { retryDelayMs: () => 60_000 });
    try {
      await within(subscriber.started, 5000, 'the subscription');
      expect(other.realtime.connections).toBe(1);
      await other.close();
      expect(other.realtime.connections).toBe(0);
      expect(other.realtime.hub.listening).toBe(false);
      expect(subscriber.closes.length).toBeGreaterThan(0);
    } finally {
      await subscriber.close();
      await rm(ownDir, { recursive: true, force: true });
    }
  });
});
