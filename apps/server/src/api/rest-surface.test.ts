import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './test-server.ts';

// SPEC §11 names each REST route by method and path; the OpenAPI document must carry every one of
// them (the multipart upload and the download are plain routes beside the generated ones).

const SPEC_ROUTES = [
  'POST /auth/login',
  'POST /auth/logout',
  'GET /me',
  'POST /tickets',
  'GET /tickets',
  'GET /tickets/{id}',
  'POST /tickets/{id}/comments',
  'GET /internal/tickets',
  'GET /internal/tickets/new',
  'GET /internal/tickets/{id}',
  'POST /internal/tickets/{id}/accept',
  'POST /internal/tickets/{id}/reject',
  'POST /internal/tickets/{id}/assign',
  'POST /internal/tickets/{id}/status',
  'POST /internal/tickets/{id}/comments',
  'GET /audit',
  'GET /orgs',
  'POST /orgs',
  'GET /users',
  'POST /users',
  'GET /services',
  'POST /services',
  'GET /sla/policies',
  'POST /sla/policies',
];

const db = useTestDatabase();
let demo: DemoServer;
let customerToken: string;

beforeAll(async () => {
  demo = await startDemoServer(db, { RATE_LIMIT_LOGIN_FAILURES: '3', RATE_LIMIT_TICKETS_PER_HOUR: '2' });
  // Signed in before the sign-in test below uses up this address's failures.
  customerToken = (await demo.login('bob@acme.demo')).token;
});
afterAll(async () => {
  await demo?.close();
});

describe('the REST surface', () => {
  it('documents every route of SPEC §11 in /api/v1/openapi.json', async () => {
    const response = await fetch(`${demo.server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(SPEC_ROUTES));
  });

  it('answers GET /api/health as SPEC §11 says', async () => {
    const response = await fetch(`${demo.server.url}/api/health`);
    expect(await response.json()).toMatchObject({ status: 'ok', db: 'ok', version: expect.any(String) });
  });
});

describe('the rate limits', () => {
  it('refuse sign-ins after the configured failures with 429 and Retry-After, even with the right password', async () => {
    const attempt = (password: string) =>
      demo.rest('POST', '/auth/login', undefined, { email: 'carol@globex.demo', password });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong password')).status).toBe(401);
    const refused = await attempt('AtumDemo!2026');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
  });

  it('refuse ticket creation over the hourly limit with 429 and write nothing', async () => {
    const token = customerToken;
    const create = () =>
      demo.rest('POST', '/tickets', token, { title: 'Limit', description: 'x', priority: 'LOW' });
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(200);
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const list = await demo.rest('GET', '/tickets?limit=100', token);
    expect(
      (list.body.items as { title: string }[]).filter((ticket) => ticket.title === 'Limit'),
    ).toHaveLength(2);
  });
});
