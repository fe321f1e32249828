import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../domain/sla/business-calendar.schema.ts';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { openOrm } from '../db/orm.ts';
import { callerFor, createTestOrganization, createTestUser } from '../testing/caller.ts';
import { findSlaPolicy } from './sla.service.ts';
import { SlaPolicy } from './sla-policy.entity.ts';

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

const OFFICE_HOURS: BusinessCalendar = {
  timezone: 'Europe/Berlin',
  weekly: {
    monday: [{ start: '09:00', end: '17:00' }],
    tuesday: [{ start: '09:00', end: '17:00' }],
    wednesday: [{ start: '09:00', end: '17:00' }],
    thursday: [{ start: '09:00', end: '17:00' }],
    friday: [{ start: '09:00', end: '13:00' }],
  },
  holidays: ['2026-12-25'],
};

async function auditOf(entityId: string) {
  return orm.em.fork().find(AuditLog, { entityId }, { orderBy: { id: 'asc' } });
}

async function organizationId(): Promise<string> {
  return (await createTestOrganization(orm.em.fork())).id;
}

function policyInput(organization: string, overrides: Record<string, unknown> = {}) {
  return {
    organizationId: organization,
    name: 'Gold P1',
    priority: 'URGENT' as const,
    firstResponseMinutes: 30,
    resolutionMinutes: 120,
    calendar: OFFICE_HOURS,
    warnAtPercent: 75,
    ...overrides,
  };
}

describe('sla.policies.list', () => {
  it('lists the global defaults, one per priority, most urgent first', async () => {
    const policies = await admin.sla.policies.list({});

    const globals = policies.filter((policy) => policy.organizationId === null);
    expect(globals.map((policy) => policy.priority)).toEqual(['URGENT', 'HIGH', 'MEDIUM', 'LOW']);
    expect(globals[0]).toMatchObject({
      firstResponseMinutes: 60,
      resolutionMinutes: 240,
      calendar: { timezone: 'UTC', weekly: {}, holidays: [] },
      warnAtPercent: 80,
    });
  });

  it("lists what can apply to an organization: the global defaults and its own, not others'", async () => {
    const [mine, theirs] = [await organizationId(), await organizationId()];
    const own = await admin.sla.policies.create(policyInput(mine));
    const foreign = await admin.sla.policies.create(policyInput(theirs));

    const policies = await admin.sla.policies.list({ organizationId: mine });

    expect(policies.map((policy) => policy.id)).toContain(own.id);
    expect(policies.map((policy) => policy.id)).not.toContain(foreign.id);
    expect(policies.filter((policy) => policy.organizationId === null)).toHaveLength(4);
  });
});

describe('sla.policies.create', () => {
  it("adds an organization's policy, which then wins over the global default, audited in its chain", async () => {
    const organization = await organizationId();

    const policy = await admin.sla.policies.create(policyInput(organization));

    expect(policy).toEqual({
      id: expect.any(String),
      organizationId: organization,
      name: 'Gold P1',
      priority: 'URGENT',
      firstResponseMinutes: 30,
      resolutionMinutes: 120,
      calendar: OFFICE_HOURS,
      warnAtPercent: 75,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect((await findSlaPolicy(orm.em.fork(), organization, 'URGENT'))?.id).toBe(policy.id);
    expect(await auditOf(policy.id)).toMatchObject([
      {
        action: 'sla_policy.created',
        organizationId: organization,
        entityType: 'sla_policy',
        newValue: { priority: 'URGENT', firstResponseMinutes: 30, calendar: OFFICE_HOURS },
      },
    ]);
  });

  it('defaults to a round-the-clock calendar and a warning at 80 %', async () => {
    const organization = await organizationId();
    const {
      calendar: _calendar,
      warnAtPercent: _warn,
      ...rest
    } = policyInput(organization, {
      priority: 'LOW',
    });

    const policy = await admin.sla.policies.create(rest);

    expect(policy).toMatchObject({
      calendar: { timezone: 'UTC', weekly: {}, holidays: [] },
      warnAtPercent: 80,
    });
  });

  it('answers CONFLICT for a second policy of one organization and priority, and for a second global one', async () => {
    const organization = await organizationId();
    await admin.sla.policies.create(policyInput(organization));

    await expect(
      admin.sla.policies.create(policyInput(organization, { name: 'Again' })),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      admin.sla.policies.create(policyInput(organization, { organizationId: null })),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await orm.em.fork().count(SlaPolicy, { organization, priority: 'URGENT' })).toBe(1);
    expect(await orm.em.fork().count(SlaPolicy, { organization: null })).toBe(4);
  });

  it('refuses impossible targets, thresholds and calendars with BAD_REQUEST and writes nothing', async () => {
    const organization = await organizationId();
    const em = orm.em.fork();
    const before = [await em.count(SlaPolicy, {}), await em.count(AuditLog, {})];

    for (const overrides of [
      { firstResponseMinutes: 121, resolutionMinutes: 120 },
      { firstResponseMinutes: 0 },
      { firstResponseMinutes: -5 },
      { resolutionMinutes: 90.5 },
      { warnAtPercent: 0 },
      { warnAtPercent: 100 },
      { priority: 'CRITICAL' },
      { name: 'n'.repeat(201) },
      { organizationId: 'not-a-uuid' },
      { calendar: { ...OFFICE_HOURS, timezone: 'Mars/Olympus_Mons' } },
      { calendar: { ...OFFICE_HOURS, weekly: { monday: [{ start: '17:00', end: '09:00' }] } } },
      { calendar: { ...OFFICE_HOURS, holidays: ['25.12.2026'] } },
    ]) {
      await expect(
        admin.sla.policies.create(policyInput(organization, overrides) as never),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect([await em.count(SlaPolicy, {}), await em.count(AuditLog, {})]).toEqual(before);
  });

  it('answers BAD_REQUEST for an organization that does not exist', async () => {
    await expect(
      admin.sla.policies.create(policyInput('0194c0de-0000-7000-8000-000000000000')),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('sla.policies.update', () => {
  it('changes targets and calendar, auditing what changed', async () => {
    const policy = await admin.sla.policies.create(policyInput(await organizationId()));

    const changed = await admin.sla.policies.update({
      id: policy.id,
      resolutionMinutes: 480,
      calendar: { timezone: 'UTC', weekly: {}, holidays: [] },
      name: 'Gold P1',
    });

    expect(changed).toMatchObject({ firstResponseMinutes: 30, resolutionMinutes: 480, name: 'Gold P1' });
    const [, updated] = await auditOf(policy.id);
    expect(updated).toMatchObject({
      action: 'sla_policy.updated',
      organizationId: policy.organizationId,
      oldValue: { resolutionMinutes: 120, calendar: OFFICE_HOURS },
      newValue: { resolutionMinutes: 480, calendar: { timezone: 'UTC' } },
    });
    expect(updated?.newValue).not.toHaveProperty('name');
  });

  it('may change a global default, audited in the system-wide chain', async () => {
    const global = (await admin.sla.policies.list({})).find(
      (policy) => policy.organizationId === null && policy.priority === 'LOW',
    );
    if (!global) throw new Error('the global LOW default is missing');

    await admin.sla.policies.update({ id: global.id, warnAtPercent: 90 });

    expect(await auditOf(global.id)).toMatchObject([
      { action: 'sla_policy.updated', organizationId: null, newValue: { warnAtPercent: 90 } },
    ]);
  });

  it('answers BAD_REQUEST when the first response would be due after the resolution', async () => {
    const policy = await admin.sla.policies.create(policyInput(await organizationId()));

    await expect(
      admin.sla.policies.update({ id: policy.id, firstResponseMinutes: 121 }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(admin.sla.policies.update({ id: policy.id, resolutionMinutes: 29 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await auditOf(policy.id)).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown policy', async () => {
    await expect(
      admin.sla.policies.update({ id: '0194c0de-0000-7000-8000-000000000000', name: 'Nobody' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('sla.policies.delete', () => {
  it("deletes an organization's policy, after which the global default applies again", async () => {
    const organization = await organizationId();
    const policy = await admin.sla.policies.create(policyInput(organization));

    expect(await admin.sla.policies.delete({ id: policy.id })).toEqual({ ok: true });

    const applies = await findSlaPolicy(orm.em.fork(), organization, 'URGENT');
    expect(applies?.organization).toBeNull();
    expect((await auditOf(policy.id)).map((row) => [row.action, row.organizationId])).toEqual([
      ['sla_policy.created', organization],
      ['sla_policy.deleted', organization],
    ]);
    await expect(admin.sla.policies.delete({ id: policy.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to delete a global default with CONFLICT: every priority keeps one', async () => {
    const globals = (await admin.sla.policies.list({})).filter((policy) => policy.organizationId === null);

    for (const policy of globals) {
      await expect(admin.sla.policies.delete({ id: policy.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    }
    expect(await orm.em.fork().count(SlaPolicy, { organization: null })).toBe(4);
  });
});
