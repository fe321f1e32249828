import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { openOrm } from '../db/orm.ts';
import { callerFor, createTestOrganization, createTestUser } from '../testing/caller.ts';
import { Service } from './service.entity.ts';

const db = useTestDatabase();
let orm: MikroORM;
let admin: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  orm = await openOrm(db.url);
  admin = await callerFor(orm, await createTestUser(orm.em.fork(), { role: 'ADMIN' }));
});
afterAll(async () => {
  await orm?.close(true);
});

async function auditOf(entityId: string) {
  return orm.em.fork().find(AuditLog, { entityId }, { orderBy: { id: 'asc' } });
}

/** Two organizations, each with a service of its own, a global service and a retired global service. */
async function catalogue() {
  const em = orm.em.fork();
  const [mine, theirs] = [await createTestOrganization(em), await createTestOrganization(em)];
  const global = await admin.services.create({ name: 'Global e-mail', description: 'Mailboxes' });
  const own = await admin.services.create({ name: 'Our ERP', organizationId: mine.id });
  const foreign = await admin.services.create({ name: 'Their ERP', organizationId: theirs.id });
  const retired = await admin.services.create({ name: 'Fax' });
  await admin.services.update({ id: retired.id, isActive: false });
  return { mine, theirs, global, own, foreign, retired };
}

describe('services.create and services.update', () => {
  it('adds a global service and one for an organization, each audited in its chain', async () => {
    const organization = await createTestOrganization(orm.em.fork());

    const global = await admin.services.create({ name: 'Laptops', description: 'Hardware requests' });
    const own = await admin.services.create({ name: 'Payroll', organizationId: organization.id });

    expect(global).toEqual({
      id: expect.any(String),
      organizationId: null,
      name: 'Laptops',
      description: 'Hardware requests',
      isActive: true,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect(own).toMatchObject({ organizationId: organization.id, description: null });
    expect(await auditOf(global.id)).toMatchObject([{ action: 'service.created', organizationId: null }]);
    expect(await auditOf(own.id)).toMatchObject([
      { action: 'service.created', organizationId: organization.id, newValue: { name: 'Payroll' } },
    ]);
  });

  it('renames, re-describes and retires a service, auditing what changed', async () => {
    const service = await admin.services.create({ name: 'VPN', description: 'Remote access' });

    const changed = await admin.services.update({
      id: service.id,
      name: 'VPN (legacy)',
      description: null,
      isActive: false,
    });

    expect(changed).toMatchObject({ name: 'VPN (legacy)', description: null, isActive: false });
    const [, updated] = await auditOf(service.id);
    expect(updated).toMatchObject({
      action: 'service.updated',
      organizationId: null,
      oldValue: { name: 'VPN', description: 'Remote access', isActive: true },
      newValue: { name: 'VPN (legacy)', description: null, isActive: false },
    });
  });

  it('answers BAD_REQUEST for an unknown organization and NOT_FOUND for an unknown service', async () => {
    const unknown = '0194c0de-0000-7000-8000-000000000000';
    await expect(admin.services.create({ name: 'Orphan', organizationId: unknown })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(admin.services.update({ id: unknown, name: 'Nobody' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await orm.em.fork().count(Service, { name: 'Orphan' })).toBe(0);
  });

  it('refuses malformed input with BAD_REQUEST and writes nothing', async () => {
    const em = orm.em.fork();
    const before = [await em.count(Service, {}), await em.count(AuditLog, {})];

    for (const input of [
      { name: 'n'.repeat(201) },
      { name: '' },
      { name: 'Bad org', organizationId: 'nope' },
      { name: 'Long', description: 'd'.repeat(2_001) },
    ]) {
      await expect(admin.services.create(input)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(admin.services.update({ id: 'nope', name: 'x' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect([await em.count(Service, {}), await em.count(AuditLog, {})]).toEqual(before);
  });
});

describe('services.list', () => {
  it("shows customers the active global services and their organization's, whatever they ask for", async () => {
    const { mine, theirs, global, own, foreign, retired } = await catalogue();
    const customer = await callerFor(
      orm,
      await createTestUser(orm.em.fork(), { role: 'CUSTOMER_USER', organizationId: mine.id }),
    );

    for (const input of [{}, { organizationId: theirs.id }, { includeInactive: true }]) {
      const ids = (await customer.services.list(input)).map((service) => service.id);
      expect(ids).toContain(global.id);
      expect(ids).toContain(own.id);
      expect(ids).not.toContain(foreign.id);
      expect(ids).not.toContain(retired.id);
    }
  });

  it('shows staff the active services offered to an organization, or all active ones', async () => {
    const { mine, global, own, foreign, retired } = await catalogue();
    const agent = await callerFor(orm, await createTestUser(orm.em.fork(), { role: 'AGENT' }));

    const offered = (await agent.services.list({ organizationId: mine.id })).map((service) => service.id);
    expect(offered).toEqual(expect.arrayContaining([global.id, own.id]));
    expect(offered).not.toContain(foreign.id);
    const all = (await agent.services.list({ includeInactive: 'true' })).map((service) => service.id);
    expect(all).toEqual(expect.arrayContaining([global.id, own.id, foreign.id]));
    expect(all).not.toContain(retired.id);
  });

  it('includes retired services for administrators who ask', async () => {
    const { retired } = await catalogue();

    expect((await admin.services.list({})).map((service) => service.id)).not.toContain(retired.id);
    expect((await admin.services.list({ includeInactive: 'true' })).map((service) => service.id)).toContain(
      retired.id,
    );
  });

  it('answers UNAUTHORIZED when signed out', async () => {
    const anonymous = await callerFor(orm, null);
    await expect(anonymous.services.list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
