import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { openOrm } from '../db/orm.ts';
import { createLogger } from '../logging/logger.ts';
import { Notification } from '../notifications/notification.entity.ts';
import { deliverNotification } from '../notifications/notification.service.ts';
import { installationSecret } from '../settings/installation-secret.ts';
import { callerFor, createTestUser, TEST_CONFIG } from '../testing/caller.ts';
import { createContextFactory } from '../trpc/context.ts';
import { appRouter } from '../trpc/router.ts';
import { CsatResponse } from './csat-response.entity.ts';
import { signCsatToken } from './csat-token.ts';

// The survey behind the resolved-ticket mail, over REST as the portal page calls it: the link from the
// mail works once; anything else is 404, 409 or 400 and writes nothing.

const db = useTestDatabase();
const logger = createLogger({ name: 'test', level: 'silent' });
let orm: MikroORM;
let resolvedTicketId: string;
let resolvedTicketNumber: number;
let tokenFromMail: string;

async function rest(method: string, path: string, body?: unknown) {
  const createContext = createContextFactory({ orm, config: TEST_CONFIG, logger });
  const req = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await createOpenApiFetchHandler({
    endpoint: '/api/v1',
    req,
    router: appRouter,
    createContext: ({ resHeaders }: { resHeaders: Headers }) =>
      createContext({ req, resHeaders, ip: '203.0.113.7' }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function answers(): Promise<number> {
  return orm.em.fork().count(CsatResponse, {});
}

beforeAll(async () => {
  orm = await openOrm(db.url);
  const em = orm.em.fork();
  const customer = await createTestUser(em, { role: 'CUSTOMER_USER' });
  const manager = await createTestUser(em, { role: 'MANAGER' });
  const asCustomer = await callerFor(orm, customer);
  const asManager = await callerFor(orm, manager);
  const ticket = await asCustomer.tickets.create({ title: 'Rate me', description: 'x', priority: 'LOW' });
  await asManager.internal.tickets.accept({ id: ticket.id });
  await asManager.internal.tickets.assign({ id: ticket.id, assigneeId: manager.id });
  await asManager.internal.tickets.status({
    id: ticket.id,
    status: 'RESOLVED',
    resolution: 'Done',
    rootCause: 'Cause',
  });
  resolvedTicketId = ticket.id;
  resolvedTicketNumber = ticket.number;
  // The link exactly as the resolved-ticket mail carries it.
  const mail = await em.findOneOrFail(Notification, { ticket: ticket.id, kind: 'ticket_resolved' });
  await deliverNotification(orm.em.fork(), mail.id, {
    config: TEST_CONFIG,
    send: null,
    logger,
    lastAttempt: false,
  });
  const rendered = await orm.em.fork().findOneOrFail(Notification, mail.id);
  const link = /\/portal\/csat\/([A-Za-z0-9_.-]+)/.exec(rendered.textBody ?? '');
  tokenFromMail = link?.[1] ?? '';
});
afterAll(async () => {
  await orm?.close(true);
});

describe('the CSAT survey', () => {
  it('shows which ticket the link of the mail is about', async () => {
    expect(await rest('GET', `/csat/${tokenFromMail}`)).toEqual({
      status: 200,
      body: { ticketNumber: resolvedTicketNumber, title: 'Rate me', answered: false },
    });
  });

  it.each([
    ['a rating of 0', { rating: 0 }],
    ['a rating of 6', { rating: 6 }],
    ['a fractional rating', { rating: 4.5 }],
    ['no rating', { comment: 'hm' }],
    ['a rating as text', { rating: 'five' }],
    ['a comment that is too long', { rating: 3, comment: 'x'.repeat(2001) }],
  ])('answers 400 to %s and writes nothing', async (_name, body) => {
    expect((await rest('POST', `/csat/${tokenFromMail}`, body)).status).toBe(400);
    expect(await answers()).toBe(0);
  });

  it('answers 404 to a forged, mangled or foreign token and writes nothing', async () => {
    const [idPart] = tokenFromMail.split('.');
    const forged = `${idPart}.${'A'.repeat(22)}`;
    const otherSecret = signCsatToken('another-installation-secret-of-32-chars!', resolvedTicketId);
    const unknownTicket = signCsatToken(
      await installationSecret(orm.em.fork(), TEST_CONFIG),
      '0190b7a0-0000-7000-8000-000000000000',
    );
    for (const token of [forged, otherSecret, unknownTicket, 'nonsense', `${tokenFromMail}x`]) {
      expect((await rest('GET', `/csat/${token}`)).status).toBe(404);
      expect((await rest('POST', `/csat/${token}`, { rating: 5 })).status).toBe(404);
    }
    expect(await answers()).toBe(0);
  });

  it('takes one answer with a comment, audited, and refuses a second with 409', async () => {
    expect(
      await rest('POST', `/csat/${tokenFromMail}`, { rating: 4, comment: '  Quick and kind  ' }),
    ).toEqual({
      status: 200,
      body: { ticketNumber: resolvedTicketNumber, title: 'Rate me', answered: true },
    });
    const stored = await orm.em.fork().findOneOrFail(CsatResponse, { ticket: resolvedTicketId });
    expect({ rating: stored.rating, comment: stored.comment }).toEqual({
      rating: 4,
      comment: 'Quick and kind',
    });
    const audit = await orm.em.fork().findOneOrFail(AuditLog, { action: 'csat.submitted' });
    expect(audit).toMatchObject({ entityType: 'ticket', entityId: resolvedTicketId, ip: '203.0.113.7' });
    expect(audit.newValue).toMatchObject({ rating: 4 });

    expect((await rest('POST', `/csat/${tokenFromMail}`, { rating: 1 })).status).toBe(409);
    expect((await rest('GET', `/csat/${tokenFromMail}`)).body).toMatchObject({ answered: true });
    expect(await answers()).toBe(1);
  });

  it('keeps to one answer when two arrive at the same instant', async () => {
    const em = orm.em.fork();
    const customer = await createTestUser(em, { role: 'CUSTOMER_USER' });
    const manager = await createTestUser(em, { role: 'MANAGER' });
    const ticket = await (await callerFor(orm, customer)).tickets.create({
      title: 'Race',
      description: 'x',
      priority: 'LOW',
    });
    const asManager = await callerFor(orm, manager);
    await asManager.internal.tickets.accept({ id: ticket.id });
    await asManager.internal.tickets.assign({ id: ticket.id, assigneeId: manager.id });
    await asManager.internal.tickets.status({
      id: ticket.id,
      status: 'RESOLVED',
      resolution: 'a',
      rootCause: 'b',
    });
    const token = signCsatToken(await installationSecret(em, TEST_CONFIG), ticket.id);
    const statuses = await Promise.all(
      [5, 1, 3].map(async (rating) => (await rest('POST', `/csat/${token}`, { rating })).status),
    );
    expect(statuses.sort()).toEqual([200, 409, 409]);
    expect(await orm.em.fork().count(CsatResponse, { ticket: ticket.id })).toBe(1);
  });

  it('signs with ATUM_SECRET when set, else with one generated secret kept in the database', async () => {
    const generated = await installationSecret(orm.em.fork(), { secret: undefined });
    expect(await installationSecret(orm.em.fork(), { secret: undefined })).toBe(generated);
    expect(generated.length).toBeGreaterThanOrEqual(32);
    const configured = 'x'.repeat(40);
    expect(await installationSecret(orm.em.fork(), { secret: configured })).toBe(configured);
  });
});
