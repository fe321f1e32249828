import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtumRealtimeClient, type LiveEvent } from '@atum-desk/core/client';
import { DEMO_PASSWORD, openOrm, seedDemoData } from '@atum-desk/core/server';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { CHROMIUM_PATH, launchChromium } from '@atum-desk/test-helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type Answer,
  type Certificate,
  makeCertificate,
  makeWebRoot,
  multipart,
  type NginxInstance,
  prepareNginx,
  send,
} from './nginx-harness.ts';
import {
  baseEnv,
  freePort,
  requireTool,
  SERVER_MAIN,
  type Started,
  startProcess,
  waitFor,
} from './test-processes.ts';

// nginx from apt in front of two real server processes, as infra/install.sh sets it up on a host: the
// site rendered from infra/nginx/atum-desk.conf, TLS with a self-signed certificate, loopback and high
// ports instead of 80 and 443. Every request below goes through nginx.

const db = useTestDatabase();
const MAX_UPLOAD = 1024 * 1024; // small, so the size limits are cheap to cross
const started: Started[] = [];
let dir: string;
let certificate: Certificate;
let nginx: NginxInstance;
let nginxProcess: Started;
let httpPort: number;
let httpsPort: number;
let servers: { port: number; process: Started }[] = [];
let base: string;

async function startServerProcess(port: number): Promise<Started> {
  const server = startProcess(
    process.execPath,
    [SERVER_MAIN],
    baseEnv({
      DATABASE_URL: db.url,
      PORT: String(port),
      ATUM_DATA_DIR: join(dir, 'data'),
      PUBLIC_URL: `https://localhost:${httpsPort}`,
      ATUM_MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
      // Behind the proxy every client is 127.0.0.1 to the server; this test is about nginx's limit.
      RATE_LIMIT_LOGIN_FAILURES: '0',
      RATE_LIMIT_TICKETS_PER_HOUR: '0',
      RATE_LIMIT_API_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
    }),
  );
  started.push(server);
  await waitFor(`http://127.0.0.1:${port}/api/health`, (status) => status === 200, server);
  return server;
}

const get = (path: string, headers: Record<string, string> = {}) =>
  send(`${base}${path}`, { ca: certificate.pem, headers });

async function post(
  path: string,
  body: unknown,
  token?: string,
): Promise<Answer & { json: Record<string, unknown> }> {
  const answer = await send(`${base}${path}`, {
    method: 'POST',
    ca: certificate.pem,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { ...answer, json: answer.text.startsWith('{') ? JSON.parse(answer.text) : {} };
}

async function login(email: string): Promise<string> {
  const answer = await post('/api/v1/auth/login', { email, password: DEMO_PASSWORD });
  expect(answer.status, answer.text).toBe(200);
  return String(answer.json.token);
}

beforeAll(async () => {
  await requireTool('nginx', ['-v']);
  await requireTool('openssl', ['version']);
  dir = await mkdtemp(join(tmpdir(), 'atum-nginx-'));
  certificate = await makeCertificate(dir);
  [httpPort, httpsPort] = [await freePort(), await freePort()];
  base = `https://localhost:${httpsPort}`;
  const orm = await openOrm(db.url, { poolSize: 1 });
  await seedDemoData(orm.em.fork());
  await orm.close();
  const ports = [await freePort(), await freePort()];
  servers = [];
  for (const port of ports) servers.push({ port, process: await startServerProcess(port) });
  nginx = await prepareNginx(dir, {
    serverNames: ['localhost'],
    httpListen: [`127.0.0.1:${httpPort}`],
    httpsListen: [`127.0.0.1:${httpsPort}`],
    httpsPort,
    tlsCertificate: certificate.cert,
    tlsKey: certificate.key,
    upstreamPorts: ports,
    webRoot: await makeWebRoot(dir),
    logDir: join(dir, 'logs'),
    maxUploadBytes: MAX_UPLOAD,
  });
}, 180_000);

afterAll(async () => {
  for (const process of started.reverse()) await process.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('the nginx site', () => {
  it('passes nginx -t once rendered', async () => {
    expect(nginx.site).not.toMatch(/\{\{[A-Z_]+\}\}/);
    const result = await nginx.test();
    expect(result.stderr).toContain('syntax is ok');
    expect(result.stderr).toContain('test is successful');
    expect(result.code).toBe(0);
    nginxProcess = await nginx.start();
    started.push(nginxProcess);
    const deadline = Date.now() + 30_000;
    while (
      !(await send(`http://127.0.0.1:${httpPort}/`).then(
        (answer) => answer.status === 301,
        () => false,
      ))
    ) {
      if (Date.now() > deadline || nginxProcess.child.exitCode !== null) {
        throw new Error(`nginx did not start:\n${nginxProcess.output()}`);
      }
      await new Promise((wake) => setTimeout(wake, 100));
    }
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const answer = await send(`http://127.0.0.1:${httpPort}/portal/login?next=%2F`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe(`https://localhost:${httpsPort}/portal/login?next=%2F`);
  });

  it('answers / as the server does, with the security headers', async () => {
    const direct = await send(`http://127.0.0.1:${servers[0]?.port}/`);
    const proxied = await get('/');
    expect(proxied.status).toBe(direct.status);
    expect(proxied.text).toBe(direct.text);
    expect(proxied.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(proxied.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(proxied.headers['x-frame-options']).toBe('DENY');
    expect(proxied.headers['referrer-policy']).toBe('same-origin');
    expect(proxied.headers['x-content-type-options']).toBe('nosniff');
    expect(proxied.headers.server).toBe('nginx');
  });

  it('serves the portal and the desk itself: index revalidated, hashed assets cached for good', async () => {
    for (const app of ['portal', 'desk']) {
      const index = await get(`/${app}/`);
      expect(index.status).toBe(200);
      expect(index.headers['content-type']).toBe('text/html');
      expect(index.headers['cache-control']).toBe('no-cache');
      expect(index.headers['content-security-policy']).toContain("script-src 'self'");
      // A client-side route is the app's index.html; a missing file is a 404, not the index.
      expect((await get(`/${app}/tickets/0196a000-0000-7000-8000-000000000001`)).text).toBe(index.text);
      expect((await get(`/${app}/assets/missing-0000.js`)).status).toBe(404);
      const script = /src="(\/[a-z]+\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
      expect(script).toBeDefined();
      const asset = await get(script as string);
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toBe('application/javascript');
      expect(asset.headers['cache-control']).toBe('max-age=315360000');
      expect(asset.headers['strict-transport-security']).toBeDefined();
      expect((await get(`/${app}`)).headers.location).toBe(`/${app}/`); // relative: absolute_redirect off
    }
  });

  it('proxies /api/health and spreads requests over both instances', async () => {
    for (let i = 0; i < 6; i++) {
      const answer = await get('/api/health');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ status: 'ok', db: 'ok' });
      expect(answer.headers['cache-control']).toBe('no-store');
      // The server takes nginx's request id, so its log line and nginx's access log share it.
      expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    }
    // Each server logs one JSON line per request it answered.
    for (const server of servers) {
      expect(server.process.output()).toMatch(/"path":"\/api\/health"/);
    }
  });

  it('signs in over REST and tRPC, with a Secure session cookie that works behind the proxy', async () => {
    const token = await login('alice@acme.demo');
    const me = await get('/api/v1/me', { authorization: `Bearer ${token}` });
    expect(JSON.parse(me.text)).toMatchObject({ email: 'alice@acme.demo', role: 'CUSTOMER_ADMIN' });

    const answer = await post('/api/v1/auth/login', { email: 'manager@atum.demo', password: DEMO_PASSWORD });
    const cookie = String(answer.headers['set-cookie']?.[0] ?? '');
    expect(cookie).toMatch(/^atum_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    const session = cookie.split(';')[0] as string;
    // A cookie-authenticated mutation from our own origin passes the server's Origin check.
    const logout = await send(`${base}/api/v1/auth/logout`, {
      method: 'POST',
      ca: certificate.pem,
      headers: { cookie: session, origin: base, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(logout.status).toBe(200);

    const trpc = await send(`${base}/trpc/auth.login`, {
      method: 'POST',
      ca: certificate.pem,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'agent@atum.demo', password: DEMO_PASSWORD } }),
    });
    expect(trpc.status, trpc.text).toBe(200);
  });

  it('takes uploads up to the server limit and refuses larger bodies itself', async () => {
    const token = await login('bob@acme.demo');
    const ticket = await post(
      '/api/v1/tickets',
      { title: 'Through the proxy', description: 'Uploads behind nginx.', priority: 'LOW' },
      token,
    );
    expect(ticket.status, ticket.text).toBe(200);
    const upload = (bytes: Buffer) => {
      const form = multipart('notes.txt', bytes);
      return send(`${base}/api/v1/tickets/${ticket.json.id}/attachments`, {
        method: 'POST',
        ca: certificate.pem,
        headers: { authorization: `Bearer ${token}`, 'content-type': form.contentType },
        body: form.body,
      });
    };
    const small = Buffer.from('printer log\nerror 0x2F at tray 2\n'.repeat(1000));
    const accepted = await upload(small);
    expect(accepted.status, accepted.text).toBe(201);
    expect(JSON.parse(accepted.text).sha256).toBe(createHash('sha256').update(small).digest('hex'));
    // Over the server's limit but within nginx's margin: the server's own 413 (JSON).
    const overServer = await upload(Buffer.alloc(MAX_UPLOAD + 1024, 'a'));
    expect(overServer.status).toBe(413);
    expect(overServer.headers['content-type']).toMatch(/^application\/json/);
    // Beyond nginx's limit (the server's plus 1 MiB): refused before the server sees a byte.
    const overNginx = await upload(Buffer.alloc(MAX_UPLOAD + 2 * 1024 * 1024, 'a'));
    expect(overNginx.status).toBe(413);
    expect(overNginx.headers['content-type']).toBe('text/html');
  });

  it('upgrades /ws and carries live events across instances', async () => {
    // A bare upgrade: 101 through nginx, then an open socket.
    const socket = new WebSocket(`wss://localhost:${httpsPort}/ws`, { ca: certificate.pem });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.close();
    // A cookie-carrying upgrade from another site's page is refused by the server, through nginx.
    const foreign = new WebSocket(`wss://localhost:${httpsPort}/ws`, {
      ca: certificate.pem,
      headers: { cookie: 'atum_session=x', origin: 'https://evil.example' },
    });
    const refused = await new Promise<number>((resolve) => {
      foreign.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      foreign.once('open', () => resolve(101));
    });
    expect(refused).toBe(403);

    const ca = certificate.pem;
    class TrustingWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { ca });
      }
    }
    const customer = await login('alice@acme.demo');
    const received: LiveEvent[] = [];
    const live = createAtumRealtimeClient({
      url: base,
      token: customer,
      live: { WebSocket: TrustingWebSocket as unknown as typeof globalThis.WebSocket },
    });
    const subscribed = new Promise<void>((resolve, reject) => {
      live.client.events.onTicketEvent.subscribe(
        {},
        { onStarted: () => resolve(), onData: (event) => received.push(event.data), onError: reject },
      );
    });
    try {
      await subscribed;
      const ticket = await post(
        '/api/v1/tickets',
        { title: 'Live through nginx', description: 'Seen over the socket.', priority: 'HIGH' },
        customer,
      );
      const deadline = Date.now() + 10_000;
      while (!received.some((event) => JSON.stringify(event).includes(String(ticket.json.id)))) {
        if (Date.now() > deadline) throw new Error(`no live event; got ${JSON.stringify(received)}`);
        await new Promise((wake) => setTimeout(wake, 50));
      }
    } finally {
      await live.close();
    }
  });

  it('meets its own CSP in Chromium: no violation on the landing page, the portal or the desk', async () => {
    await requireTool(CHROMIUM_PATH, ['--version']);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const violations: string[] = [];
      await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
      // A page script (a string: this file is typed for Node, not the DOM).
      await page.addInitScript(
        `document.addEventListener('securitypolicyviolation', (event) =>
           window.reportViolation(event.violatedDirective + ' ' + event.blockedURI + ' at ' + location.pathname));`,
      );
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      for (const path of ['/', '/portal/', '/portal/login', '/desk/', '/desk/login']) {
        const response = await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
        expect(response?.status(), path).toBe(200);
      }
      await page.waitForTimeout(300);
      expect(errors).toEqual([]);
      // zod 4 probes once whether eval works (`Function('')` inside try/catch) and parses without it when
      // it does not: the probe is reported, nothing breaks. z.config({ jitless: true }) in an app skips it.
      expect(violations.filter((violation) => !/^script-src eval at /.test(violation))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('limits sign-in attempts per address with a JSON 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let limited: Answer | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      const answer = await post('/api/v1/auth/login', {
        email: 'nobody@acme.demo',
        password: 'wrong password!',
      });
      statuses.push(answer.status);
      if (answer.status === 429) limited ??= answer;
    }
    expect(statuses).toContain(401);
    expect(limited?.headers['retry-after']).toBe('60');
    expect(JSON.parse(limited?.text ?? '{}')).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const trpc = await send(`${base}/trpc/auth.me,auth.login?batch=1`, {
      method: 'POST',
      ca: certificate.pem,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(trpc.status).toBe(429);
    // Other routes are not limited.
    expect((await get('/api/health')).status).toBe(200);
  });

  it('keeps answering when one instance stops', async () => {
    await servers[0]?.process.stop();
    for (let i = 0; i < 6; i++) expect((await get('/api/health')).status).toBe(200);
  });
});
