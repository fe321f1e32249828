import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { createLogger } from '../logging/logger.ts';
import { createTestUser, signIn, TEST_CONFIG, TEST_PASSWORD } from '../testing/caller.ts';
import { createContextFactory } from '../trpc/context.ts';
import { appRouter } from '../trpc/router.ts';

// The admin procedures over REST (`/api/v1`), through the same adapter the server mounts: paths with
// ids, PATCH and DELETE, query-string filters and status codes.

const db = useTestDatabase();
let orm: MikroORM;
let token: string;

beforeAll(async () => {
  orm = await openOrm(db.url);
  token = (await signIn(orm, await createTestUser(orm.em.fork(), { role: 'ADMIN' }))).token;
});
afterAll(async () => {
  await orm?.close(true);
});

async function rest(method: string, path: string, body?: unknown, bearer: string | null = token) {
  const createContext = createContextFactory({
    orm,
    config: TEST_CONFIG,
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
  const headers = new Headers(body === undefined ? {} : { 'content-type': 'application/json' });
  if (bearer) headers.set('authorization', `Bearer ${bearer}`);
  const req = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await createOpenApiFetchHandler({
    endpoint: '/api/v1',
    req,
    router: appRouter,
    createContext: ({ resHeaders }: { resHeaders: Headers }) =>
      createContext({ req, resHeaders, ip: '127.0.0.1' }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the admin REST surface', () => {
  it('creates, reads, filters and changes organizations and users', async () => {
    const organization = await rest('POST', '/orgs', { name: 'Rest Org', slug: 'rest-org' });
    expect(organization).toMatchObject({ status: 200, body: { slug: 'rest-org' } });
    const organizationId = String(organization.body.id);
    expect((await rest('POST', '/orgs', { name: 'Again', slug: 'rest-org' })).status).toBe(409);

    const user = await rest('POST', '/users', {
      email: 'Rest.User@Example.test',
      name: 'Rest User',
      role: 'CUSTOMER_USER',
      organizationId,
      password: TEST_PASSWORD,
    });
    expect(user).toMatchObject({ status: 200, body: { email: 'rest.user@example.test' } });
    expect(user.body).not.toHaveProperty('password');
    const userId = String(user.body.id);

    expect(await rest('PATCH', `/users/${userId}`, { isActive: false })).toMatchObject({
      status: 200,
      body: { isActive: false },
    });
    const inactive = await rest('GET', `/users?organizationId=${organizationId}&isActive=false`);
    expect(inactive).toMatchObject({ status: 200, body: { items: [{ id: userId }], nextCursor: null } });
    const active = await rest('GET', `/users?organizationId=${organizationId}&isActive=true&limit=10`);
    expect(active.body.items).toEqual([]);
    expect((await rest('GET', `/users/${userId}`)).body).toMatchObject({ id: userId, isActive: false });
    expect((await rest('GET', `/orgs/${organizationId}`)).body).toMatchObject({ name: 'Rest Org' });
    expect((await rest('PATCH', `/orgs/${organizationId}`, { name: 'Renamed' })).body).toMatchObject({
      name: 'Renamed',
    });
  });

  it('answers 400 with the issues for malformed input, 404 for unknown ids, 401 signed out', async () => {
    const malformed = await rest('POST', '/users', { email: 'x@example.test', name: 'X', role: 'ROOT' });
    expect(malformed.status).toBe(400);
    expect(await rest('GET', '/users/not-a-uuid')).toMatchObject({ status: 400 });
    expect(await rest('GET', '/orgs/0194c0de-0000-7000-8000-000000000000')).toMatchObject({ status: 404 });
    expect(await rest('GET', '/users', undefined, null)).toMatchObject({ status: 401 });
  });

  it('adds, changes and deletes SLA policies, and refuses to delete a global default with 409', async () => {
    const organization = await rest('POST', '/orgs', { name: 'Rest SLA', slug: 'rest-sla' });
    const created = await rest('POST', '/sla/policies', {
      organizationId: organization.body.id,
      name: 'Rest P2',
      priority: 'HIGH',
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
    });
    expect(created).toMatchObject({ status: 200, body: { priority: 'HIGH', warnAtPercent: 80 } });
    const id = String(created.body.id);

    expect(await rest('PATCH', `/sla/policies/${id}`, { warnAtPercent: 50 })).toMatchObject({
      status: 200,
      body: { warnAtPercent: 50 },
    });
    expect(await rest('DELETE', `/sla/policies/${id}`)).toMatchObject({ status: 200, body: { ok: true } });

    const listed = await rest('GET', '/sla/policies');
    const policies = listed.body as unknown as { id: string; organizationId: string | null }[];
    const global = policies.find((policy) => policy.organizationId === null);
    expect(await rest('DELETE', `/sla/policies/${global?.id}`)).toMatchObject({ status: 409 });
  });

  it('offers services to anyone signed in and the staff directory to staff', async () => {
    const service = await rest('POST', '/services', { name: 'Rest service' });
    expect(service.status).toBe(200);
    const agentToken = (await signIn(orm, await createTestUser(orm.em.fork(), { role: 'AGENT' }))).token;

    const services = await rest('GET', '/services', undefined, agentToken);
    expect(services.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: service.body.id })]));
    const staff = await rest('GET', '/internal/staff?role=AGENT', undefined, agentToken);
    expect(staff.status).toBe(200);
    expect(
      await rest('PATCH', `/services/${service.body.id}`, { isActive: false }, agentToken),
    ).toMatchObject({
      status: 403,
    });
  });
});
