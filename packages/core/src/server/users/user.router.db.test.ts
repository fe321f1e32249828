import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { verifyPassword } from '../auth/password.ts';
import { validateSessionToken } from '../auth/session.service.ts';
import { openOrm } from '../db/orm.ts';
import {
  callerFor,
  createTestOrganization,
  createTestUser,
  signIn,
  TEST_PASSWORD,
} from '../testing/caller.ts';
import { appRouter } from '../trpc/router.ts';
import { User } from './user.entity.ts';

const db = useTestDatabase();
let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm(db.url);
});
afterAll(async () => {
  await orm?.close(true);
});

const NEW_PASSWORD = 'a much longer new passphrase';

/** The user-administration rows about one user, oldest first (sign-ins are audited too; not these). */
async function auditOf(entityId: string) {
  return orm.em.fork().find(AuditLog, { entityId, action: { $like: 'user.%' } }, { orderBy: { id: 'asc' } });
}

async function adminCaller() {
  return callerFor(orm, await createTestUser(orm.em.fork(), { role: 'ADMIN' }));
}

async function stillSignedIn(token: string): Promise<boolean> {
  return (await validateSessionToken(orm.em.fork(), token)) !== null;
}

async function storedPasswordHash(id: string): Promise<string> {
  const user = await orm.em.fork().findOneOrFail(User, id, { populate: ['passwordHash'] });
  return user.passwordHash;
}

describe('users.create', () => {
  it('creates a customer with a lower-cased e-mail and never returns or audits the password', async () => {
    const admin = await adminCaller();
    const organization = await createTestOrganization(orm.em.fork());

    const user = await admin.users.create({
      email: 'Jane.Doe@Example.TEST',
      name: 'Jane Doe',
      role: 'CUSTOMER_USER',
      organizationId: organization.id,
      password: TEST_PASSWORD,
    });

    expect(user).toEqual({
      id: expect.any(String),
      email: 'jane.doe@example.test',
      name: 'Jane Doe',
      role: 'CUSTOMER_USER',
      organizationId: organization.id,
      isActive: true,
    });
    expect(await verifyPassword(await storedPasswordHash(user.id), TEST_PASSWORD)).toBe(true);
    const [created, ...rest] = await auditOf(user.id);
    expect(rest).toEqual([]);
    expect(created).toMatchObject({
      action: 'user.created',
      organizationId: organization.id,
      entityType: 'user',
      newValue: { email: 'jane.doe@example.test', role: 'CUSTOMER_USER', organizationId: organization.id },
    });
    expect(JSON.stringify(created?.newValue)).not.toMatch(/password|argon2|correct horse/i);
  });

  it('creates staff with no organization, audited in the system-wide chain', async () => {
    const admin = await adminCaller();

    const agent = await admin.users.create({
      email: 'new-agent@example.test',
      name: 'New Agent',
      role: 'AGENT',
      password: TEST_PASSWORD,
    });

    expect(agent).toMatchObject({ role: 'AGENT', organizationId: null, isActive: true });
    expect(await auditOf(agent.id)).toMatchObject([{ action: 'user.created', organizationId: null }]);
  });

  it('lets the new user sign in with the password given', async () => {
    const admin = await adminCaller();
    await admin.users.create({
      email: 'signs-in@example.test',
      name: 'Signs In',
      role: 'MANAGER',
      password: TEST_PASSWORD,
    });

    const anonymous = await callerFor(orm, null);
    const login = await anonymous.auth.login({ email: 'SIGNS-IN@example.test', password: TEST_PASSWORD });

    expect(login.user).toMatchObject({ email: 'signs-in@example.test', role: 'MANAGER' });
  });

  it('answers CONFLICT for an e-mail address already taken, whatever its case', async () => {
    const admin = await adminCaller();
    const input = { name: 'Twice', role: 'AGENT' as const, password: TEST_PASSWORD };
    await admin.users.create({ ...input, email: 'twice@example.test' });

    await expect(admin.users.create({ ...input, email: 'TWICE@example.test' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await orm.em.fork().count(User, { email: 'twice@example.test' })).toBe(1);
  });

  it('answers CONFLICT to the loser of two creations of one e-mail address at once', async () => {
    const admin = await adminCaller();
    const input = {
      email: 'race@example.test',
      name: 'Race',
      role: 'AGENT' as const,
      password: TEST_PASSWORD,
    };

    const results = await Promise.allSettled([admin.users.create(input), admin.users.create(input)]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'CONFLICT' });
  });

  it('answers BAD_REQUEST for staff with an organization and for a customer without one', async () => {
    const admin = await adminCaller();
    const organization = await createTestOrganization(orm.em.fork());

    await expect(
      admin.users.create({
        email: 'staff-with-org@example.test',
        name: 'Staff',
        role: 'MANAGER',
        organizationId: organization.id,
        password: TEST_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      admin.users.create({
        email: 'customer-without-org@example.test',
        name: 'Customer',
        role: 'CUSTOMER_ADMIN',
        password: TEST_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(
      await orm.em.fork().count(User, {
        email: { $in: ['staff-with-org@example.test', 'customer-without-org@example.test'] },
      }),
    ).toBe(0);
  });

  it('answers BAD_REQUEST for a customer of an organization that does not exist or is inactive', async () => {
    const admin = await adminCaller();
    const em = orm.em.fork();
    const inactive = await createTestOrganization(em);
    inactive.isActive = false;
    await em.flush();

    for (const organizationId of ['0194c0de-0000-7000-8000-000000000000', inactive.id]) {
      await expect(
        admin.users.create({
          email: 'orphan@example.test',
          name: 'Orphan',
          role: 'CUSTOMER_USER',
          organizationId,
          password: TEST_PASSWORD,
        }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'VALIDATION' } });
    }
    expect(await orm.em.fork().count(User, { email: 'orphan@example.test' })).toBe(0);
  });

  it('refuses malformed input with BAD_REQUEST and writes nothing', async () => {
    const admin = await adminCaller();
    const em = orm.em.fork();
    const [users, audits] = [await em.count(User, {}), await em.count(AuditLog, {})];
    const valid = {
      email: 'malformed@example.test',
      name: 'Malformed',
      role: 'AGENT',
      password: TEST_PASSWORD,
    };
    const malformed: unknown[] = [
      { ...valid, email: 'not an address' },
      { ...valid, role: 'SUPERUSER' },
      { ...valid, name: 'n'.repeat(201) },
      { ...valid, name: '   ' },
      { ...valid, password: 'short' },
      { ...valid, role: 'CUSTOMER_USER', organizationId: 'not-a-uuid' },
    ];

    for (const input of malformed) {
      await expect(admin.users.create(input as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(admin.users.get({ id: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.users.update({ id: 'not-a-uuid', name: 'x' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect([await em.count(User, {}), await em.count(AuditLog, {})]).toEqual([users, audits]);
  });
});

describe('users.list and users.get', () => {
  it('lists users filtered by organization, role and text, newest first, in pages', async () => {
    const admin = await adminCaller();
    const em = orm.em.fork();
    const organization = await createTestOrganization(em);
    const first = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id });
    const second = await createTestUser(em, {
      role: 'CUSTOMER_USER',
      organizationId: organization.id,
      name: 'Zelda 100%_match',
    });
    const lead = await createTestUser(em, { role: 'CUSTOMER_ADMIN', organizationId: organization.id });

    const page1 = await admin.users.list({ organizationId: organization.id, limit: 2 });
    expect(page1.items.map((user) => user.id)).toEqual([lead.id, second.id]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await admin.users.list({
      organizationId: organization.id,
      limit: 2,
      cursor: page1.nextCursor ?? undefined,
    });
    expect(page2).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });

    const byRole = await admin.users.list({ organizationId: organization.id, role: 'CUSTOMER_ADMIN' });
    expect(byRole.items.map((user) => user.id)).toEqual([lead.id]);
    // The wildcard characters of LIKE are matched literally.
    const byText = await admin.users.list({ q: '100%_MATCH' });
    expect(byText.items.map((user) => user.id)).toEqual([second.id]);
    expect((await admin.users.list({ q: '100%x' })).items).toEqual([]);
    expect(page1.items[0]).not.toHaveProperty('passwordHash');
  });

  it('filters by active flag, given as a query string or a boolean', async () => {
    const admin = await adminCaller();
    const em = orm.em.fork();
    const organization = await createTestOrganization(em);
    const active = await createTestUser(em, { role: 'CUSTOMER_USER', organizationId: organization.id });
    const gone = await createTestUser(em, {
      role: 'CUSTOMER_USER',
      organizationId: organization.id,
      isActive: false,
    });

    const ids = async (isActive: boolean | 'true' | 'false') =>
      (await admin.users.list({ organizationId: organization.id, isActive })).items.map((user) => user.id);
    expect(await ids('false')).toEqual([gone.id]);
    expect(await ids(false)).toEqual([gone.id]);
    expect(await ids('true')).toEqual([active.id]);
  });

  it('answers BAD_REQUEST for a cursor it did not make', async () => {
    const admin = await adminCaller();
    await expect(admin.users.list({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('gets one user, and answers NOT_FOUND for an unknown id', async () => {
    const admin = await adminCaller();
    const agent = await createTestUser(orm.em.fork(), { role: 'AGENT' });

    expect(await admin.users.get({ id: agent.id })).toMatchObject({ id: agent.id, role: 'AGENT' });
    await expect(admin.users.get({ id: '0194c0de-0000-7000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('users.update', () => {
  it('renames a user without ending their sessions', async () => {
    const admin = await adminCaller();
    const agent = await createTestUser(orm.em.fork(), { role: 'AGENT' });
    const session = await signIn(orm, agent);

    const renamed = await admin.users.update({ id: agent.id, name: 'Renamed Agent' });

    expect(renamed.name).toBe('Renamed Agent');
    expect(await stillSignedIn(session.token)).toBe(true);
    expect((await auditOf(agent.id)).map((row) => [row.action, row.oldValue, row.newValue])).toEqual([
      ['user.updated', { name: agent.name }, { name: 'Renamed Agent' }],
    ]);
  });

  it("ends a deactivated user's sessions at once, and a reactivated user signs in again", async () => {
    const admin = await adminCaller();
    const customer = await createTestUser(orm.em.fork(), { role: 'CUSTOMER_USER' });
    const session = await signIn(orm, customer);
    const asCustomer = appRouter.createCaller(session.context);
    await asCustomer.auth.me();

    const deactivated = await admin.users.update({ id: customer.id, isActive: false });

    expect(deactivated.isActive).toBe(false);
    expect(await stillSignedIn(session.token)).toBe(false);
    await expect(asCustomer.auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const anonymous = await callerFor(orm, null);
    await expect(
      anonymous.auth.login({ email: customer.email, password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    await admin.users.update({ id: customer.id, isActive: true });
    await expect(
      anonymous.auth.login({ email: customer.email, password: TEST_PASSWORD }),
    ).resolves.toMatchObject({
      user: { id: customer.id },
    });
    const actions = (await auditOf(customer.id)).map((row) => [row.action, row.organizationId]);
    expect(actions).toEqual([
      ['user.deactivated', customer.organization?.id],
      ['user.reactivated', customer.organization?.id],
    ]);
  });

  it('ends the sessions of a user whose role changes, and audits from and to', async () => {
    const admin = await adminCaller();
    const agent = await createTestUser(orm.em.fork(), { role: 'AGENT' });
    const session = await signIn(orm, agent);

    const promoted = await admin.users.update({ id: agent.id, role: 'MANAGER' });

    expect(promoted.role).toBe('MANAGER');
    expect(await stillSignedIn(session.token)).toBe(false);
    expect(await auditOf(agent.id)).toMatchObject([
      {
        action: 'user.role_changed',
        organizationId: null,
        oldValue: { role: 'AGENT' },
        newValue: { role: 'MANAGER' },
      },
    ]);
  });

  it('clears the organization of a customer who becomes staff, and refuses staff with one', async () => {
    const admin = await adminCaller();
    const customer = await createTestUser(orm.em.fork(), { role: 'CUSTOMER_ADMIN' });
    const organizationId = customer.organization?.id;

    await expect(
      admin.users.update({ id: customer.id, role: 'AGENT', organizationId: organizationId ?? null }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await admin.users.get({ id: customer.id })).toMatchObject({
      role: 'CUSTOMER_ADMIN',
      organizationId,
    });

    const staff = await admin.users.update({ id: customer.id, role: 'AGENT' });
    expect(staff).toMatchObject({ role: 'AGENT', organizationId: null });
    await expect(admin.users.update({ id: customer.id, role: 'CUSTOMER_USER' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect((await auditOf(customer.id)).map((row) => [row.action, row.organizationId])).toEqual([
      ['user.updated', organizationId],
      ['user.role_changed', organizationId],
    ]);
  });

  it('moves a customer to another organization and ends their sessions', async () => {
    const admin = await adminCaller();
    const em = orm.em.fork();
    const customer = await createTestUser(em, { role: 'CUSTOMER_USER' });
    const target = await createTestOrganization(em);
    const session = await signIn(orm, customer);

    const moved = await admin.users.update({ id: customer.id, organizationId: target.id });

    expect(moved.organizationId).toBe(target.id);
    expect(await stillSignedIn(session.token)).toBe(false);
  });

  it('sets a new password: sessions end, the new password signs in and the old one no longer does', async () => {
    const admin = await adminCaller();
    const manager = await createTestUser(orm.em.fork(), { role: 'MANAGER' });
    const session = await signIn(orm, manager);

    await admin.users.update({ id: manager.id, password: NEW_PASSWORD });

    expect(await stillSignedIn(session.token)).toBe(false);
    const hash = await storedPasswordHash(manager.id);
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, TEST_PASSWORD)).toBe(false);
    const anonymous = await callerFor(orm, null);
    await expect(
      anonymous.auth.login({ email: manager.email, password: NEW_PASSWORD }),
    ).resolves.toBeTruthy();
    const [changed, ...rest] = await auditOf(manager.id);
    expect(rest).toEqual([]);
    expect(changed).toMatchObject({ action: 'user.password_changed', oldValue: null, newValue: null });
  });

  it('answers NOT_FOUND for an unknown user', async () => {
    const admin = await adminCaller();
    await expect(
      admin.users.update({ id: '0194c0de-0000-7000-8000-000000000000', name: 'Nobody' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the last active administrator: they can neither deactivate nor demote themselves', async () => {
    const em = orm.em.fork();
    const last = await createTestUser(em, { role: 'ADMIN' });
    // Earlier tests made administrators too; leave this one alone.
    await em.nativeUpdate(User, { role: 'ADMIN', id: { $ne: last.id } }, { isActive: false });
    const self = await callerFor(orm, last);

    await expect(self.users.update({ id: last.id, isActive: false })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(self.users.update({ id: last.id, role: 'MANAGER' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await self.users.get({ id: last.id })).toMatchObject({ role: 'ADMIN', isActive: true });
    expect(await auditOf(last.id)).toEqual([]);

    // With a second administrator, stepping down is allowed (and ends one's own sessions).
    const second = await self.users.create({
      email: 'second-admin@example.test',
      name: 'Second Admin',
      role: 'ADMIN',
      password: TEST_PASSWORD,
    });
    await expect(self.users.update({ id: last.id, role: 'MANAGER' })).resolves.toMatchObject({
      role: 'MANAGER',
    });
    await expect(self.users.get({ id: last.id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const secondCaller = await callerFor(orm, await orm.em.fork().findOneOrFail(User, second.id));
    await expect(secondCaller.users.update({ id: second.id, isActive: false })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('lets only one of two administrators demoting each other at once succeed', async () => {
    const em = orm.em.fork();
    const [a, b] = [await createTestUser(em, { role: 'ADMIN' }), await createTestUser(em, { role: 'ADMIN' })];
    await em.nativeUpdate(User, { role: 'ADMIN', id: { $nin: [a.id, b.id] } }, { isActive: false });
    const [asA, asB] = [await callerFor(orm, a), await callerFor(orm, b)];

    const results = await Promise.allSettled([
      asA.users.update({ id: b.id, isActive: false }),
      asB.users.update({ id: a.id, isActive: false }),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await orm.em.fork().count(User, { role: 'ADMIN', isActive: true })).toBe(1);
  });
});

describe('internal.staff.list', () => {
  it('lists active staff, by name, for any staff member', async () => {
    const em = orm.em.fork();
    const agent = await createTestUser(em, { role: 'AGENT', name: 'Aaron Agent' });
    const retired = await createTestUser(em, { role: 'AGENT', isActive: false });
    const customer = await createTestUser(em, { role: 'CUSTOMER_USER' });
    const asAgent = await callerFor(orm, agent);

    const staff = await asAgent.internal.staff.list({});
    const ids = staff.map((member) => member.id);
    expect(ids).toContain(agent.id);
    expect(ids).not.toContain(retired.id);
    expect(ids).not.toContain(customer.id);
    expect(staff.find((member) => member.id === agent.id)).toEqual({
      id: agent.id,
      name: 'Aaron Agent',
      email: agent.email,
      role: 'AGENT',
    });
    const names = staff.map((member) => member.name);
    expect(names).toEqual([...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    const agents = await asAgent.internal.staff.list({ role: 'AGENT' });
    expect(new Set(agents.map((member) => member.role))).toEqual(new Set(['AGENT']));
  });

  it('answers FORBIDDEN to customers', async () => {
    for (const role of ['CUSTOMER_USER', 'CUSTOMER_ADMIN'] as const) {
      const customer = await callerFor(orm, await createTestUser(orm.em.fork(), { role }));
      await expect(customer.internal.staff.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});
