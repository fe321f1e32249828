import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { openOrm } from '../db/orm.ts';
import { callerFor, createTestUser, TEST_PASSWORD } from '../testing/caller.ts';
import { Organization } from './organization.entity.ts';

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

describe('orgs.create', () => {
  it('creates an organization with a lower-cased slug, audited in its own chain', async () => {
    const organization = await admin.orgs.create({ name: '  Acme Corporation ', slug: 'Acme-Corp' });

    expect(organization).toEqual({
      id: expect.any(String),
      name: 'Acme Corporation',
      slug: 'acme-corp',
      isActive: true,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect(await auditOf(organization.id)).toMatchObject([
      {
        action: 'organization.created',
        organizationId: organization.id,
        entityType: 'organization',
        newValue: { name: 'Acme Corporation', slug: 'acme-corp' },
      },
    ]);
  });

  it('answers CONFLICT for a slug already taken', async () => {
    await admin.orgs.create({ name: 'Globex', slug: 'globex' });

    await expect(admin.orgs.create({ name: 'Globex again', slug: 'GLOBEX' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await orm.em.fork().count(Organization, { slug: 'globex' })).toBe(1);
  });

  it('answers CONFLICT to the loser of two creations of one slug at once', async () => {
    const results = await Promise.allSettled([
      admin.orgs.create({ name: 'Race one', slug: 'race' }),
      admin.orgs.create({ name: 'Race two', slug: 'race' }),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses malformed names and slugs with BAD_REQUEST and writes nothing', async () => {
    const em = orm.em.fork();
    const before = [await em.count(Organization, {}), await em.count(AuditLog, {})];
    const malformed: unknown[] = [
      { name: 'Spaces', slug: 'has spaces' },
      { name: 'Underscore', slug: 'under_score' },
      { name: 'Short', slug: 'a' },
      { name: 'Long', slug: 'a'.repeat(101) },
      { name: 'Accent', slug: 'café' },
      { name: 'n'.repeat(201), slug: 'long-name' },
      { name: '', slug: 'no-name' },
      { slug: 'missing-name' },
    ];

    for (const input of malformed) {
      await expect(admin.orgs.create(input as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect([await em.count(Organization, {}), await em.count(AuditLog, {})]).toEqual(before);
  });
});

describe('orgs.get and orgs.list', () => {
  it('gets one organization; an unknown id is NOT_FOUND and a malformed one BAD_REQUEST', async () => {
    const organization = await admin.orgs.create({ name: 'Initech', slug: 'initech' });

    expect(await admin.orgs.get({ id: organization.id })).toEqual(organization);
    await expect(admin.orgs.get({ id: '0194c0de-0000-7000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(admin.orgs.get({ id: 'initech' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('lists organizations newest first, by text and active flag, in pages', async () => {
    const a = await admin.orgs.create({ name: 'Listed Alpha', slug: 'listed-alpha' });
    const b = await admin.orgs.create({ name: 'Listed Beta', slug: 'listed-beta' });
    const c = await admin.orgs.create({ name: 'Listed Gamma', slug: 'listed-gamma' });
    await admin.orgs.update({ id: b.id, isActive: false });

    const page1 = await admin.orgs.list({ q: 'LISTED', limit: 2 });
    expect(page1.items.map((organization) => organization.id)).toEqual([c.id, b.id]);
    const page2 = await admin.orgs.list({ q: 'listed', limit: 2, cursor: page1.nextCursor ?? undefined });
    expect(page2.items.map((organization) => organization.id)).toEqual([a.id]);
    expect(page2.nextCursor).toBeNull();

    const inactive = await admin.orgs.list({ q: 'listed', isActive: 'false' });
    expect(inactive.items.map((organization) => organization.id)).toEqual([b.id]);
    const bySlug = await admin.orgs.list({ q: 'alpha' });
    expect(bySlug.items.map((organization) => organization.id)).toEqual([a.id]);
  });
});

describe('orgs.update', () => {
  it('renames and deactivates, auditing only what changed', async () => {
    const organization = await admin.orgs.create({ name: 'Umbrella', slug: 'umbrella' });

    const changed = await admin.orgs.update({ id: organization.id, name: 'Umbrella Corp', isActive: false });
    const unchanged = await admin.orgs.update({
      id: organization.id,
      name: 'Umbrella Corp',
      slug: 'umbrella',
    });

    expect(changed).toMatchObject({ name: 'Umbrella Corp', slug: 'umbrella', isActive: false });
    expect(unchanged).toMatchObject({ name: 'Umbrella Corp', isActive: false });
    const rows = await auditOf(organization.id);
    expect(rows.map((row) => [row.action, row.organizationId, row.oldValue, row.newValue])).toEqual([
      ['organization.created', organization.id, null, { name: 'Umbrella', slug: 'umbrella' }],
      [
        'organization.updated',
        organization.id,
        { name: 'Umbrella', isActive: true },
        { name: 'Umbrella Corp', isActive: false },
      ],
    ]);
  });

  it('changes the slug, and answers CONFLICT when the new one is taken', async () => {
    const first = await admin.orgs.create({ name: 'Hooli', slug: 'hooli' });
    await admin.orgs.create({ name: 'Pied Piper', slug: 'pied-piper' });

    expect(await admin.orgs.update({ id: first.id, slug: 'hooli-xyz' })).toMatchObject({ slug: 'hooli-xyz' });
    await expect(admin.orgs.update({ id: first.id, slug: 'pied-piper' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await admin.orgs.get({ id: first.id })).toMatchObject({ slug: 'hooli-xyz' });
  });

  it('answers NOT_FOUND for an unknown organization', async () => {
    await expect(
      admin.orgs.update({ id: '0194c0de-0000-7000-8000-000000000000', name: 'Nobody' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes no new customers into a deactivated organization', async () => {
    const organization = await admin.orgs.create({ name: 'Closing', slug: 'closing' });
    await admin.orgs.update({ id: organization.id, isActive: false });

    await expect(
      admin.users.create({
        email: 'late@example.test',
        name: 'Late',
        role: 'CUSTOMER_USER',
        organizationId: organization.id,
        password: TEST_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
