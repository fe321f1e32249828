import { DEMO_PASSWORD } from '@atum-desk/core/server';
import { useTestDatabase } from '@atum-desk/test-helpers';
import {
  type Browser,
  type BrowserContext,
  checkAccessibility,
  formatViolations,
  launchChromium,
  openPage,
  type Page,
  saveScreenshot,
  VIEWPORTS,
  type Viewport,
} from '@atum-desk/test-helpers/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskServer, startDeskServer } from './desk-server.ts';

// The first ticket of the blueprint (seed 002) through the web apps alone, in Debian's Chromium against
// the real server and database, with several browser contexts open at once: the customer files a
// ticket with an attachment in the portal; the manager sees it arrive in the desk's inbox without a
// reload, accepts it and assigns it; the agent writes an internal note and a public reply; the customer
// sees the reply live and never the note; the agent waits for the customer, whose reply brings the
// ticket back in progress; the agent resolves it, the manager closes it, and the audit trail shows every
// step. Every desk page gets an axe check (no serious or critical violation) and a screenshot.

const db = useTestDatabase();
const LAPTOP = VIEWPORTS.desktop;
const PHONE = { width: 390, height: 844 };
/** Live updates must show within 2 s (SPEC §13); the margin is for a shared 2-core machine. */
const LIVE_MS = 10_000;

let desk: DeskServer;
let browser: Browser;
let agentId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  desk = await startDeskServer(db);
  browser = await launchChromium();
  agentId = (await desk.rest<{ id: string }>('GET', '/me', await desk.token('agent@atum.demo'))).id;
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await desk?.close();
});

async function open(viewport: Viewport = LAPTOP): Promise<Page> {
  const { context, page } = await openPage(browser, viewport, { baseURL: desk.url });
  // Fail a missing element in 15 s, not Playwright's 30: the machine is slow, not that slow.
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return page;
}

/** Fails with the list of violations, so the report says what to fix. */
async function expectAccessible(page: Page): Promise<void> {
  const violations = await checkAccessibility(page);
  expect(violations, formatViolations(violations)).toEqual([]);
}

/** The axe check and the screenshot every desk page gets. */
async function record(page: Page, name: string): Promise<void> {
  await expectAccessible(page);
  // A full-page screenshot of a scrolled page draws the sticky header half-way down.
  await page.evaluate('window.scrollTo(0, 0)');
  await saveScreenshot(page, `desk-${name}`);
}

async function deskSignIn(page: Page, email: string, next = '/'): Promise<void> {
  await page.goto(`/desk${next === '/' ? '/' : next}`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The router writes the desk's root as `/desk` (its base), a link may write it `/desk/`.
  await page.waitForURL(
    (url) => url.pathname + url.search === `/desk${next}` || (next === '/' && url.pathname === '/desk'),
  );
}

async function setStatus(
  page: Page,
  status: string,
  fields: { resolution?: string; rootCause?: string } = {},
) {
  await page.getByLabel('Status', { exact: true }).selectOption(status);
  if (fields.resolution) await page.getByLabel('Resolution', { exact: true }).fill(fields.resolution);
  if (fields.rootCause) await page.getByLabel('Root cause', { exact: true }).fill(fields.rootCause);
  await page.getByRole('button', { name: 'Update status' }).click();
}

/** The ticket's status pill in the page header. */
function headerStatus(page: Page) {
  return page.locator('.desk-ticket__meta [data-status]');
}

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('the first ticket, through the portal and the desk', () => {
  const title = 'Mail server rejects large attachments';
  const note = 'Internal: the relay caps messages at 5 MB; raising it needs a change window.';
  const reply = 'We are raising the size limit tonight; large mails will go through tomorrow.';
  const customerReply = 'Thank you, tomorrow morning is fine for us.';
  let customer: Page;
  let manager: Page;
  let agent: Page;
  let ticketId: string;

  it('signs the manager in to the desk: dashboard and inbox', async () => {
    manager = await open();
    await manager.goto('/desk/');
    await manager.waitForURL('**/desk/login?next=%2F');
    await manager.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await record(manager, 'login');
    await deskSignIn(manager, 'manager@atum.demo', '/');
    await manager.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await manager.locator('.desk-chart canvas').first().waitFor();
    await manager.locator('.desk-live[data-status="live"]').waitFor();
    await record(manager, 'dashboard');
    await manager
      .getByRole('navigation', { name: 'Desk sections' })
      .getByRole('link', { name: 'Inbox' })
      .click();
    await manager.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await manager.getByRole('link', { name: /VPN drops every few minutes/ }).waitFor();
    await record(manager, 'inbox');
  });

  it('lets the customer file a ticket with an attachment, which appears in the inbox without a reload', async () => {
    customer = await open();
    await customer.goto('/portal/login');
    await customer.getByLabel('Email', { exact: true }).fill('alice@acme.demo');
    await customer.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await customer.getByRole('button', { name: 'Sign in' }).click();
    await customer.waitForURL('**/portal/tickets');
    await customer.getByRole('link', { name: 'New ticket' }).first().click();
    await customer.getByRole('textbox', { name: 'Title' }).fill(title);
    await customer
      .getByRole('textbox', { name: 'Description' })
      .fill('Since Monday every mail over 5 MB bounces.');
    await customer.getByRole('combobox', { name: 'Priority' }).selectOption('HIGH');
    await customer
      .getByLabel('Attachments')
      .setInputFiles({ name: 'bounce.png', mimeType: 'image/png', buffer: PNG });
    await customer.getByRole('button', { name: 'Submit ticket' }).click();
    await customer.waitForURL(/\/portal\/tickets\/[0-9a-f-]{36}$/);
    ticketId = new URL(customer.url()).pathname.split('/').at(-1) ?? '';
    await customer.getByRole('link', { name: 'bounce.png' }).waitFor();

    const row = manager.locator('tr', { has: manager.getByRole('link', { name: new RegExp(title) }) });
    await row.waitFor({ timeout: LIVE_MS });
    await manager.getByText('New ticket', { exact: true }).waitFor({ timeout: LIVE_MS });
    await saveScreenshot(manager, 'desk-inbox-live');
    await row.getByRole('button', { name: 'Accept' }).click();
    await row.waitFor({ state: 'detached' });
  });

  it('lets the manager assign it to the agent', async () => {
    await manager
      .getByRole('navigation', { name: 'Desk sections' })
      .getByRole('link', { name: 'Tickets' })
      .click();
    await manager.getByRole('heading', { level: 1, name: 'Tickets' }).waitFor();
    await manager.getByRole('link', { name: new RegExp(title) }).waitFor();
    await record(manager, 'tickets');
    await manager.getByRole('link', { name: new RegExp(title) }).click();
    await manager.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
    await manager.getByRole('link', { name: 'bounce.png' }).first().waitFor();
    expect(await headerStatus(manager).textContent()).toBe('Accepted');
    await manager.getByLabel('Assignee', { exact: true }).selectOption(agentId);
    await manager.getByRole('button', { name: 'Assign' }).click();
    await manager.getByText('Assignee: Arun Agent').waitFor();
    await manager.locator('.desk-ticket__meta [data-status="ASSIGNED"]').waitFor();
    await record(manager, 'ticket');
  });

  it('lets the agent write an internal note and a public reply', async () => {
    agent = await open();
    await deskSignIn(agent, 'agent@atum.demo', '/');
    const mine = agent.getByRole('link', { name: new RegExp(title) });
    await mine.waitFor();
    // Agents see no inbox, no audit log, no administration.
    const sections = agent.getByRole('navigation', { name: 'Desk sections' });
    expect(await sections.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Tickets']);
    await mine.click();
    await agent.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();

    await agent.getByRole('textbox', { name: 'Reply' }).fill(note);
    await agent.getByRole('checkbox', { name: 'Internal note' }).check();
    await agent.getByLabel('Files', { exact: true }).setInputFiles({
      name: 'relay-limits.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('message_size_limit = 5242880\n'),
    });
    await agent.getByRole('button', { name: 'Send' }).click();
    const noteItem = agent.locator('li[data-internal]', { hasText: note });
    await noteItem.waitFor();
    expect(await noteItem.getByText('Internal note', { exact: true }).isVisible()).toBe(true);
    // The file went with the note, as an internal attachment.
    await noteItem.getByRole('link', { name: 'relay-limits.txt' }).waitFor();
    await agent.locator('.desk-files li[data-internal]', { hasText: 'relay-limits.txt' }).waitFor();

    await agent.getByRole('checkbox', { name: 'Internal note' }).uncheck();
    await agent.getByRole('textbox', { name: 'Reply' }).fill(reply);
    await agent.getByRole('button', { name: 'Send' }).click();
    await agent.locator('li.desk-public', { hasText: reply }).waitFor();
    await agent.locator('[data-clock="first_response"][data-tone="met"]').waitFor();
    await record(agent, 'ticket-agent');
    // The manager's page, open all along, shows both without a reload.
    await manager.getByText(note).waitFor({ timeout: LIVE_MS });
    await manager.getByText(reply).waitFor({ timeout: LIVE_MS });
  });

  it('shows the customer the reply live, and never the note', async () => {
    // The customer's portal page was open all along: the reply arrives without a reload.
    await customer.getByText(reply).waitFor({ timeout: LIVE_MS });
    const seen = await customer.content();
    expect(seen).not.toContain(note);
    expect(seen).not.toContain('relay-limits.txt');
  });

  it('pauses for the customer, whose reply brings the ticket back in progress', async () => {
    await setStatus(agent, 'WAITING_CUSTOMER');
    await agent.locator('.desk-ticket__meta [data-status="WAITING_CUSTOMER"]').waitFor();
    await agent.locator('[data-clock="resolution"][data-tone="paused"]').waitFor();

    await customer.getByRole('textbox', { name: 'Reply' }).fill(customerReply);
    await customer.getByRole('button', { name: 'Send reply' }).click();
    await customer.getByText(customerReply).waitFor();

    await agent.getByText(customerReply).waitFor({ timeout: LIVE_MS });
    await agent.locator('.desk-ticket__meta [data-status="IN_PROGRESS"]').waitFor({ timeout: LIVE_MS });
    // The SLA timeline explains the pause: running, paused, running again.
    await agent.locator('.desk-sla-timeline__item[data-state="paused"]').waitFor();
  });

  it('lets the agent resolve with resolution and root cause, and the manager close', async () => {
    await agent.getByLabel('Status', { exact: true }).selectOption('RESOLVED');
    await agent.getByRole('button', { name: 'Update status' }).click();
    await agent.getByText('Describe how it was resolved.').waitFor();
    await setStatus(agent, 'RESOLVED', {
      resolution: 'Raised the relay size limit to 25 MB.',
      rootCause: 'Relay limit of 5 MB.',
    });
    await agent.locator('.desk-ticket__meta [data-status="RESOLVED"]').waitFor();

    await manager.locator('.desk-ticket__meta [data-status="RESOLVED"]').waitFor({ timeout: LIVE_MS });
    await setStatus(manager, 'CLOSED');
    await manager.locator('.desk-ticket__meta [data-status="CLOSED"]').waitFor();
    expect(await manager.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
  });

  it('shows the customer the closed ticket live', async () => {
    await customer.getByText('This ticket is closed and read-only.').waitFor({ timeout: LIVE_MS });
    expect(await customer.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
  });

  it('shows every step in the audit trail', async () => {
    const trail = manager.getByRole('list', { name: 'Audit trail of this ticket' });
    await trail.locator('li[data-action="ticket.status_changed"]').nth(3).waitFor({ timeout: LIVE_MS });
    const actions = await trail
      .locator('li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-action')));
    for (const action of ['ticket.created', 'attachment.uploaded', 'ticket.accepted', 'ticket.assigned']) {
      expect(actions).toContain(action);
    }
    // The note, the reply and the customer's answer.
    expect(actions.filter((action) => action === 'comment.created')).toHaveLength(3);
    // Waiting, back in progress, resolved, closed.
    expect(actions.filter((action) => action === 'ticket.status_changed')).toHaveLength(4);
    await record(manager, 'ticket-closed');

    await manager.getByRole('link', { name: "Open the ticket's rows in the audit log" }).click();
    await manager.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await manager.locator('tr[data-action="ticket.accepted"]').waitFor();
    await record(manager, 'audit');
  });

  it('lays the ticket page out for a phone', async () => {
    const phone = await open(PHONE);
    await deskSignIn(phone, 'manager@atum.demo', `/tickets/${ticketId}`);
    await phone.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
    await phone.getByRole('list', { name: 'Audit trail of this ticket' }).locator('li').first().waitFor();
    await record(phone, 'ticket');
  });
});

describe('the administration pages', () => {
  let admin: Page;

  beforeAll(async () => {
    admin = await open();
    await deskSignIn(admin, 'admin@atum.demo', '/admin/users');
  });

  it.each([
    ['users', 'Users', 'Ada Admin'],
    ['organizations', 'Organizations', 'Acme Corporation'],
    ['services', 'Services', undefined],
    ['sla', 'SLA policies', 'Global defaults'],
  ] as const)('shows /admin/%s', async (path, heading, text) => {
    await admin.goto(`/desk/admin/${path}`);
    await admin.getByRole('heading', { level: 1, name: heading }).waitFor();
    if (text) await admin.getByText(text).first().waitFor();
    else await admin.locator('table, .atum-state').first().waitFor();
    await record(admin, `admin-${path}`);
  });

  it('edits an SLA policy’s business calendar in a dialog', async () => {
    await admin.goto('/desk/admin/sla');
    await admin
      .getByRole('button', { name: /^Edit / })
      .first()
      .click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Timezone *').waitFor();
    await record(admin, 'admin-sla-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('lists the keyboard shortcuts behind "?" and goes places with them', async () => {
    await admin.goto('/desk/');
    await admin.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await admin.keyboard.press('?');
    await admin.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await record(admin, 'shortcuts');
    await admin.keyboard.press('Escape');
    await admin.keyboard.press('g');
    await admin.keyboard.press('a');
    await admin.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  });

  it('verifies the audit chains for administrators', async () => {
    await admin.getByRole('button', { name: 'Verify the hash chains' }).click();
    await admin.getByText('Intact').waitFor();
  });
});
