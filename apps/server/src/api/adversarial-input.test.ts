import { useTestDatabase } from '@atum-desk/test-helpers';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './test-server.ts';

// Bad input answers 4xx, never 500, and writes nothing (SPEC §14).

const db = useTestDatabase();
let demo: DemoServer;
let customer: string;
let manager: string;
let ticketId: string;

async function rowCounts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(
      `select (select count(*) from tickets) as tickets, (select count(*) from comments) as comments,
              (select count(*) from audit_log) as audit, (select count(*) from attachments) as attachments`,
    );
    return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([key, value]) => [key, Number(value)]));
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  demo = await startDemoServer(db, { RATE_LIMIT_TICKETS_PER_HOUR: '0', RATE_LIMIT_API_PER_MINUTE: '0' });
  customer = (await demo.login('alice@acme.demo')).token;
  manager = (await demo.login('manager@atum.demo')).token;
  const created = await demo.rest('POST', '/tickets', customer, {
    title: 'Base',
    description: 'x',
    priority: 'LOW',
  });
  ticketId = created.body.id;
});
afterAll(async () => {
  await demo?.close();
});

const validTicket = { title: 'Valid title', description: 'Valid description', priority: 'MEDIUM' };

describe('malformed requests', () => {
  it.each([
    ['malformed JSON', '{"title": "unterminated'],
    ['a JSON array instead of an object', '[1,2,3]'],
    ['a number for the title', { ...validTicket, title: 123 }],
    ['a missing description', { title: 'x', priority: 'LOW' }],
    ['a blank title', { ...validTicket, title: '   ' }],
    ['a title of 201 characters', { ...validTicket, title: 'x'.repeat(201) }],
    ['an unknown priority', { ...validTicket, priority: 'CRITICAL' }],
    ['a lower-case priority', { ...validTicket, priority: 'high' }],
    ['a service id that is not a uuid', { ...validTicket, serviceId: '../etc' }],
    ['a null body', 'null'],
  ])('answers 400 to %s and writes nothing', async (_name, body) => {
    const before = await rowCounts();
    const answer = await demo.rest('POST', '/tickets', customer, body);
    expect(answer.status).toBe(400);
    expect(await rowCounts()).toEqual(before);
  });

  it('lists the zod issues in a 400 body', async () => {
    const answer = await demo.rest('POST', '/tickets', customer, { ...validTicket, priority: 'CRITICAL' });
    expect(answer.body.issues).toEqual([expect.objectContaining({ path: ['priority'] })]);
  });

  it.each([
    ['GET', '/tickets/not-a-uuid'],
    ['GET', '/internal/tickets/12345'],
    ['POST', '/internal/tickets/abc/accept'],
    ['GET', `/tickets?limit=0`],
    ['GET', `/tickets?limit=1000`],
    ['GET', `/tickets?status=OPEN`],
    ['GET', `/tickets?cursor=garbage`],
  ])('answers 400 to %s %s', async (method, path) => {
    const answer = await demo.rest(
      method,
      path,
      method === 'GET' && path.startsWith('/tickets') ? customer : manager,
    );
    expect(answer.status).toBe(400);
  });

  it('answers 404, not 500, for a well-formed id that does not exist', async () => {
    const answer = await demo.rest('GET', '/tickets/01990000-0000-7000-8000-000000000000', customer);
    expect(answer.status).toBe(404);
  });

  it('answers 413 to a body over 1 MiB and writes nothing', async () => {
    const before = await rowCounts();
    const answer = await demo.rest('POST', '/tickets', customer, {
      ...validTicket,
      description: 'x'.repeat(1_100_000),
    });
    expect(answer.status).toBe(413);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const response = await fetch(`${demo.server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer}`, 'content-type': 'text/plain' },
      body: 'title=x',
    });
    expect(response.status).toBe(415);
  });

  it('answers 401 to a garbage or missing token', async () => {
    expect((await demo.rest('GET', '/me', 'not-a-token')).status).toBe(401);
    expect((await demo.rest('GET', '/me', 'a'.repeat(10_000))).status).toBe(401);
    expect((await demo.rest('GET', '/me')).status).toBe(401);
  });

  it('answers 400 to a blank or over-long comment, and keeps the ticket as it was', async () => {
    const before = await rowCounts();
    expect((await demo.rest('POST', `/tickets/${ticketId}/comments`, customer, { body: '' })).status).toBe(
      400,
    );
    expect(
      (await demo.rest('POST', `/tickets/${ticketId}/comments`, customer, { body: 'x'.repeat(20_001) }))
        .status,
    ).toBe(400);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a cookie-authenticated mutation from another origin with 403', async () => {
    const response = await fetch(`${demo.server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: {
        cookie: `atum_session=${customer}`,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: JSON.stringify(validTicket),
    });
    expect(response.status).toBe(403);
    const sameOrigin = await fetch(`${demo.server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: {
        cookie: `atum_session=${customer}`,
        origin: demo.server.url,
        'content-type': 'application/json',
      },
      body: JSON.stringify(validTicket),
    });
    expect(sameOrigin.status).toBe(200);
  });
});
