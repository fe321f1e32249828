import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import {
  type Config,
  createLogger,
  hashPassword,
  loadConfig,
  Organization,
  Ticket,
  User,
  type UserRole,
} from '@atum-desk/core/server';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.ts';

// Over a real socket: multipart bodies built by fetch's FormData, so framing, streaming and aborts are
// what a browser or curl would produce. Users sign in through the REST login (the core test helpers are
// not part of the package's exports).

const db = useTestDatabase();
const logger = createLogger({ name: 'test', level: 'silent' });
const MAX_UPLOAD_BYTES = 2048;
const PASSWORD = 'correct horse battery staple';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let dataDir: string;
let uploadsDir: string;
let config: Config;
let server: RunningServer;
let passwordHash: string;

interface SignedIn {
  user: User;
  token: string;
}
let orgA: Organization;
let orgB: Organization;
let customerA: SignedIn;
let customerB: SignedIn;
let agent: SignedIn;
let manager: SignedIn;
/** orgA's ticket by customerA, assigned to agent. */
let ticketA: Ticket;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'atum-attachment-routes-'));
  uploadsDir = path.join(dataDir, 'uploads');
  config = loadConfig({
    PORT: '0',
    ATUM_DATA_DIR: dataDir,
    ATUM_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
  });
  server = await startServer(config, db.url, logger);
  passwordHash = await hashPassword(PASSWORD);
  const em = server.orm.em.fork();
  orgA = em.create(Organization, { name: 'Org A', slug: 'org-a' });
  orgB = em.create(Organization, { name: 'Org B', slug: 'org-b' });
  await em.flush();
  customerA = await signedIn('CUSTOMER_USER', orgA);
  customerB = await signedIn('CUSTOMER_USER', orgB);
  agent = await signedIn('AGENT');
  manager = await signedIn('MANAGER');
  ticketA = em.create(Ticket, {
    organization: orgA,
    createdBy: em.getReference(User, customerA.user.id),
    assignedTo: em.getReference(User, agent.user.id),
    status: 'ASSIGNED',
    priority: 'MEDIUM',
    title: 'Printer on fire',
    description: 'It is on fire.',
  });
  await em.flush();
});

afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let userCount = 0;

/** Inserts a user and signs them in through the REST login, as an API client would. */
async function signedIn(role: UserRole, organization: Organization | null = null): Promise<SignedIn> {
  const em = server.orm.em.fork();
  const email = `${role.toLowerCase()}-${++userCount}@example.test`;
  const user = em.create(User, {
    email,
    name: email,
    role,
    organization: organization ? em.getReference(Organization, organization.id) : null,
    passwordHash,
  });
  await em.flush();
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  return { user, token };
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 greyscale PNG. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  pngChunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
  pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])),
  pngChunk('IEND', Buffer.alloc(0)),
]);

/** The start of an x86-64 ELF executable. */
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200, 1)]);

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type Part = [name: string, value: string] | [name: string, bytes: Uint8Array, fileName: string];

function form(...parts: Part[]): FormData {
  const body = new FormData();
  for (const [name, value, fileName] of parts) {
    if (typeof value === 'string') body.append(name, value);
    else body.append(name, new Blob([new Uint8Array(value)]), fileName);
  }
  return body;
}

function uploadTo(
  ticketId: string,
  who: SignedIn | null,
  body: FormData | Uint8Array,
  options: { internalRoute?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  const prefix = options.internalRoute ? '/api/v1/internal/tickets' : '/api/v1/tickets';
  return fetch(`${server.url}${prefix}/${ticketId}/attachments`, {
    method: 'POST',
    headers: { ...(who ? { authorization: `Bearer ${who.token}` } : {}), ...options.headers },
    body,
  });
}

function download(attachmentId: string, who: SignedIn | null): Promise<Response> {
  return fetch(`${server.url}/api/v1/attachments/${attachmentId}/download`, {
    headers: who ? { authorization: `Bearer ${who.token}` } : {},
  });
}

/** Every file under the uploads directory, `.part` files included, relative to it. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(uploadsDir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(uploadsDir, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function attachmentCount(): Promise<number> {
  const rows = await server.orm.em
    .fork()
    .execute<{ count: string }[]>('select count(*) as count from attachments');
  return Number(rows[0]?.count);
}

/** Sends `attempt`, expects `status` and an error body with `domainCode`, and checks nothing was kept. */
async function expectRefusedLeavingNothing(
  attempt: () => Promise<Response>,
  status: number,
  domainCode?: string,
): Promise<Record<string, unknown>> {
  const filesBefore = await storedFiles();
  const rowsBefore = await attachmentCount();
  const response = await attempt();
  const body = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, body }).toMatchObject({
    status,
    body: { data: { httpStatus: status, ...(domainCode ? { domainCode } : {}) } },
  });
  expect(await storedFiles()).toEqual(filesBefore);
  expect(await attachmentCount()).toBe(rowsBefore);
  return body;
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  // Generous: the shared test machine can be slow.
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

describe('POST /api/v1/tickets/{id}/attachments', () => {
  it('stores a PNG (201), lists it on the ticket and serves identical bytes with safe headers', async () => {
    const response = await uploadTo(ticketA.id, customerA, form(['file', PNG, 'screenshot.png']));
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, unknown>;
    expect(created).toMatchObject({
      id: expect.stringMatching(new RegExp(`^${UUID}$`)),
      ticketId: ticketA.id,
      commentId: null,
      fileName: 'screenshot.png',
      mimeType: 'image/png',
      sizeBytes: PNG.length,
      sha256: sha256(PNG),
      internal: false,
    });

    const ticket = await fetch(`${server.url}/api/v1/tickets/${ticketA.id}`, {
      headers: { authorization: `Bearer ${customerA.token}` },
    });
    const detail = (await ticket.json()) as { attachments: { id: string }[] };
    expect(detail.attachments.map((attachment) => attachment.id)).toContain(created.id);

    const served = await download(String(created.id), customerA);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(served.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(PNG.length),
      'content-disposition': `attachment; filename="screenshot.png"; filename*=UTF-8''screenshot.png`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });

  it('stores a path-traversal name under a safe name, the file under <dataDir>/uploads/<orgId>/<uuid>', async () => {
    const response = await uploadTo(ticketA.id, customerA, form(['file', PNG, '../../etc/passwd.png']));
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; fileName: string };
    expect(created.fileName).toBe('passwd.png');
    expect(await storedFiles()).toContain(path.join(orgA.id, created.id));
    for (const file of await storedFiles()) expect(file).toMatch(new RegExp(`^${UUID}/${UUID}$`));
    const served = await download(created.id, customerA);
    expect(served.headers.get('content-disposition')).toBe(
      `attachment; filename="passwd.png"; filename*=UTF-8''passwd.png`,
    );
  });

  it('serves UTF-8 text as text/plain with a charset and keeps a non-ASCII name', async () => {
    const text = Buffer.from('Überweisung fehlgeschlagen\n', 'utf8');
    const response = await uploadTo(
      ticketA.id,
      customerA,
      form(['file', text, 'Fehlerbericht für März.txt']),
    );
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; fileName: string; mimeType: string };
    expect(created).toMatchObject({ fileName: 'Fehlerbericht für März.txt', mimeType: 'text/plain' });
    const served = await download(created.id, customerA);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('content-disposition')).toBe(
      `attachment; filename="Fehlerbericht fur Marz.txt"; filename*=UTF-8''Fehlerbericht%20f%C3%BCr%20M%C3%A4rz.txt`,
    );
    expect(Buffer.from(await served.arrayBuffer())).toEqual(text);
  });

  it('refuses executable content named cat.png with 415 and keeps no file or row', async () => {
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['file', ELF, 'cat.png'])),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses a file over ATUM_MAX_UPLOAD_BYTES with 413 while streaming, keeping nothing', async () => {
    const large = Buffer.alloc(MAX_UPLOAD_BYTES * 2, 'a');
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['file', large, 'notes.txt'])),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('refuses a body whose Content-Length cannot fit before reading it (413)', async () => {
    const huge = Buffer.alloc(MAX_UPLOAD_BYTES + 128 * 1024, 'a');
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['file', huge, 'huge.txt'])),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('refuses an empty file with 400', async () => {
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['file', new Uint8Array(0), 'empty.png'])),
      400,
      'VALIDATION',
    );
  });

  it('refuses a body that is not multipart with 415', async () => {
    await expectRefusedLeavingNothing(
      () =>
        uploadTo(ticketA.id, customerA, PNG, {
          headers: { 'content-type': 'image/png' },
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses a form without the file field, a file under another name, and two files (400)', async () => {
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['internal', 'false'])),
      400,
      'VALIDATION',
    );
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['upload', PNG, 'a.png'])),
      400,
      'VALIDATION',
    );
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['file', PNG, 'a.png'], ['file', PNG, 'b.png'])),
      400,
      'VALIDATION',
    );
  });

  it('answers 400 with the zod issues for a ticket id that is not a UUID', async () => {
    const body = await expectRefusedLeavingNothing(
      () => uploadTo('42', customerA, form(['file', PNG, 'a.png'])),
      400,
    );
    expect(body).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ path: ['id'] })],
    });
  });

  it('answers 401 without a session', async () => {
    const body = await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, null, form(['file', PNG, 'a.png'])),
      401,
    );
    expect(body).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it("answers 404 for another organization's ticket, in the REST API's error shape", async () => {
    const ours = await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerB, form(['file', PNG, 'a.png'])),
      404,
      'NOT_FOUND',
    );
    const rest = (await (
      await fetch(`${server.url}/api/v1/tickets/${crypto.randomUUID()}`, {
        headers: { authorization: `Bearer ${customerB.token}` },
      })
    ).json()) as { data: Record<string, unknown> };
    const shape = (body: Record<string, unknown>) => ({
      keys: Object.keys(body).sort(),
      dataKeys: Object.keys(body.data as object).sort(),
    });
    expect(shape(ours)).toEqual(shape(rest));
    expect(ours).toMatchObject({ code: 'NOT_FOUND', data: { code: 'NOT_FOUND', httpStatus: 404 } });
  });

  it('refuses a caller who may not add files while the body is still arriving, and stays up', async () => {
    // Larger than the parser's buffers, so the file part is still streaming when the refusal comes.
    const large = Buffer.alloc(60 * 1024, 'a');
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerB, form(['file', large, 'notes.txt'])),
      404,
      'NOT_FOUND',
    );
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['upload', large, 'notes.txt'])),
      400,
      'VALIDATION',
    );
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('refuses internal files from customers (403) and reads text fields only before the file', async () => {
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['internal', 'true'], ['file', PNG, 'a.png'])),
      403,
      'FORBIDDEN',
    );
    const internal = await uploadTo(ticketA.id, agent, form(['internal', 'true'], ['file', PNG, 'note.png']));
    expect(internal.status).toBe(201);
    expect(await internal.json()).toMatchObject({ internal: true });
    // Sent after the file, the field arrives too late to count (documented on the route).
    const late = await uploadTo(ticketA.id, agent, form(['file', PNG, 'late.png'], ['internal', 'true']));
    expect(late.status).toBe(201);
    expect(await late.json()).toMatchObject({ internal: false });
  });

  it('offers the same upload to staff under /internal, and refuses it to customers', async () => {
    const staff = await uploadTo(ticketA.id, manager, form(['internal', 'true'], ['file', PNG, 'a.png']), {
      internalRoute: true,
    });
    expect(staff.status).toBe(201);
    const created = (await staff.json()) as { id: string };
    await expectRefusedLeavingNothing(
      () => uploadTo(ticketA.id, customerA, form(['file', PNG, 'a.png']), { internalRoute: true }),
      403,
      'FORBIDDEN',
    );
    // The internal file is there for staff and does not exist for the customer.
    expect((await download(created.id, agent)).status).toBe(200);
    expect((await download(created.id, customerA)).status).toBe(404);
  });

  it('keeps nothing of an upload the client abandons midway: no .part file, no row', async () => {
    const boundary = 'atum-test-boundary';
    const content = Buffer.alloc(1500, 'x');
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.txt"\r\n` +
        'Content-Type: text/plain\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const rowsBefore = await attachmentCount();
    const url = new URL(`/api/v1/tickets/${ticketA.id}/attachments`, server.url);
    const request = httpRequest(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${customerA.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + content.length + tail.length),
      },
    });
    request.on('error', () => {});
    request.write(Buffer.concat([head, content.subarray(0, 1000)]));
    // The bytes sent so far are being written to disk when the client disappears.
    await waitFor(async () => (await storedFiles()).some((file) => file.endsWith('.part')), 'a .part file');
    request.destroy();
    await waitFor(
      async () => !(await storedFiles()).some((file) => file.endsWith('.part')),
      'the .part file to go',
    );
    expect(await attachmentCount()).toBe(rowsBefore);
  });
});

describe('GET /api/v1/attachments/{id}/download', () => {
  let attachmentId: string;

  beforeAll(async () => {
    const response = await uploadTo(ticketA.id, customerA, form(['file', PNG, 'for-download.png']));
    attachmentId = ((await response.json()) as { id: string }).id;
  });

  it('answers 401 without a session', async () => {
    const response = await download(attachmentId, null);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED', data: { httpStatus: 401 } });
  });

  it("answers 404 to another organization's customer", async () => {
    const response = await download(attachmentId, customerB);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', data: { domainCode: 'NOT_FOUND' } });
  });

  it('answers 404 for an unknown id and 400 for one that is not a UUID', async () => {
    expect((await download(crypto.randomUUID(), customerA)).status).toBe(404);
    const invalid = await download('not-a-uuid', customerA);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'BAD_REQUEST', data: { httpStatus: 400 } });
  });

  it('records each download in the audit log', async () => {
    const before = await downloadsAudited(attachmentId);
    expect((await download(attachmentId, manager)).status).toBe(200);
    expect(await downloadsAudited(attachmentId)).toBe(before + 1);
  });

  it('refuses HEAD, which would count as a download without one', async () => {
    const response = await fetch(`${server.url}/api/v1/attachments/${attachmentId}/download`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${customerA.token}` },
    });
    expect(response.status).toBe(405);
  });

  it('counts against the per-user API rate limit: 429 with Retry-After', async () => {
    const strict = await startServer(
      loadConfig({ PORT: '0', ATUM_DATA_DIR: dataDir, RATE_LIMIT_API_PER_MINUTE: '1' }),
      db.url,
      logger,
    );
    try {
      const limited = await signedIn('MANAGER');
      const get = () =>
        fetch(`${strict.url}/api/v1/attachments/${attachmentId}/download`, {
          headers: { authorization: `Bearer ${limited.token}` },
        });
      const first = await get();
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      const second = await get();
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await second.json()).toMatchObject({ data: { domainCode: 'RATE_LIMITED' } });
    } finally {
      await strict.close();
    }
  });
});

async function downloadsAudited(attachmentId: string): Promise<number> {
  const rows = await server.orm.em
    .fork()
    .execute<{ count: string }[]>(
      "select count(*) as count from audit_log where action = 'attachment.downloaded' and entity_id = ?",
      [attachmentId],
    );
  return Number(rows[0]?.count);
}
