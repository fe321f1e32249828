import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../domain/auth/roles.ts';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { openOrm } from '../db/orm.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { Service } from '../services/service.entity.ts';
import { SlaPolicy } from '../sla/sla-policy.entity.ts';
import { callerFor, createTestUser, TEST_PASSWORD } from '../testing/caller.ts';
import { User } from './user.entity.ts';

// SPEC §4: organizations, users, services and SLA policies are the administrator's. Every other role
// gets 403 from every admin procedure, before anything is read or written; signed out, 401.

const db = useTestDatabase();
let orm: MikroORM;
let targets: { organizationId: string; userId: string; serviceId: string; policyId: string };

beforeAll(async () => {
  orm = await openOrm(db.url);
  const admin = await callerFor(orm, await createTestUser(orm.em.fork(), { role: 'ADMIN' }));
  const organization = await admin.orgs.create({ name: 'Target', slug: 'target' });
  const user = await admin.users.create({
    email: 'target@example.test',
    name: 'Target',
    role: 'CUSTOMER_USER',
    organizationId: organization.id,
    password: TEST_PASSWORD,
  });
  const service = await admin.services.create({ name: 'Target service', organizationId: organization.id });
  const policy = await admin.sla.policies.create({
    organizationId: organization.id,
    name: 'Target policy',
    priority: 'HIGH',
    firstResponseMinutes: 60,
    resolutionMinutes: 600,
  });
  targets = { organizationId: organization.id, userId: user.id, serviceId: service.id, policyId: policy.id };
});
afterAll(async () => {
  await orm?.close(true);
});

type Caller = Awaited<ReturnType<typeof callerFor>>;

/** Every admin procedure, called with input that an administrator's call would accept. */
const ADMIN_CALLS: Record<string, (caller: Caller) => Promise<unknown>> = {
  'orgs.list': (caller) => caller.orgs.list({}),
  'orgs.create': (caller) => caller.orgs.create({ name: 'Sneaky', slug: 'sneaky' }),
  'orgs.get': (caller) => caller.orgs.get({ id: targets.organizationId }),
  'orgs.update': (caller) => caller.orgs.update({ id: targets.organizationId, isActive: false }),
  'users.list': (caller) => caller.users.list({}),
  'users.create': (caller) =>
    caller.users.create({
      email: 'sneaky@example.test',
      name: 'Sneaky',
      role: 'ADMIN',
      password: TEST_PASSWORD,
    }),
  'users.get': (caller) => caller.users.get({ id: targets.userId }),
  'users.update': (caller) => caller.users.update({ id: targets.userId, role: 'CUSTOMER_ADMIN' }),
  'services.create': (caller) => caller.services.create({ name: 'Sneaky service' }),
  'services.update': (caller) => caller.services.update({ id: targets.serviceId, isActive: false }),
  'sla.policies.list': (caller) => caller.sla.policies.list({}),
  'sla.policies.create': (caller) =>
    caller.sla.policies.create({
      organizationId: targets.organizationId,
      name: 'Sneaky',
      priority: 'LOW',
      firstResponseMinutes: 1,
      resolutionMinutes: 2,
    }),
  'sla.policies.update': (caller) =>
    caller.sla.policies.update({ id: targets.policyId, resolutionMinutes: 1_000 }),
  'sla.policies.delete': (caller) => caller.sla.policies.delete({ id: targets.policyId }),
};

async function snapshot() {
  const em = orm.em.fork();
  return {
    audit: await em.count(AuditLog, {}),
    organizations: await em.count(Organization, {}),
    users: await em.count(User, {}),
    services: await em.count(Service, {}),
    policies: await em.count(SlaPolicy, {}),
    organization: (await em.findOneOrFail(Organization, targets.organizationId)).isActive,
    user: (await em.findOneOrFail(User, targets.userId)).role,
    service: (await em.findOneOrFail(Service, targets.serviceId)).isActive,
    policy: (await em.findOneOrFail(SlaPolicy, targets.policyId)).resolutionMinutes,
  };
}

describe('admin procedures', () => {
  const roles: UserRole[] = ['AGENT', 'MANAGER', 'CUSTOMER_ADMIN', 'CUSTOMER_USER'];

  it.each(roles)('answer FORBIDDEN to %s for every procedure and change nothing', async (role) => {
    const organizationId = role.startsWith('CUSTOMER') ? targets.organizationId : null;
    const caller = await callerFor(orm, await createTestUser(orm.em.fork(), { role, organizationId }));
    const before = await snapshot();

    for (const [name, call] of Object.entries(ADMIN_CALLS)) {
      await expect(call(caller), name).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answer UNAUTHORIZED when signed out', async () => {
    const anonymous = await callerFor(orm, null);
    for (const [name, call] of Object.entries(ADMIN_CALLS)) {
      await expect(call(anonymous), name).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('are all open to an administrator', async () => {
    const admin = await callerFor(orm, await createTestUser(orm.em.fork(), { role: 'ADMIN' }));
    for (const [name, call] of Object.entries(ADMIN_CALLS)) {
      await expect(call(admin), name).resolves.toBeDefined();
    }
  });
});
