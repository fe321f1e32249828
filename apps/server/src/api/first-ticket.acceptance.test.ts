import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAtumClient } from '@atum-desk/core/client';
import { createLogger, DEMO_PASSWORD, loadConfig, seedDemoData } from '@atum-desk/core/server';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.ts';

// The first-ticket acceptance of the blueprint (steps 2–11), over a real socket: once through REST as
// curl would drive it, once through the typed client.

const db = useTestDatabase();
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'atum-accept-'));
  const config = loadConfig({ PORT: '0', ATUM_DATA_DIR: dataDir, RATE_LIMIT_TICKETS_PER_HOUR: '0' });
  server = await startServer(config, db.url, createLogger({ name: 'test', level: 'silent' }));
  // Step 2: an organization with a customer admin, a manager and an agent (the demo data has them).
  await seedDemoData(server.orm.em.fork());
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Json = Record<string, unknown> & { id: string };

async function rest(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function login(email: string): Promise<{ token: string; userId: string }> {
  const { status, body } = await rest('POST', '/auth/login', undefined, { email, password: DEMO_PASSWORD });
  expect(status).toBe(200);
  return { token: String(body.token), userId: (body.user as Json).id };
}

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('the first ticket, through REST', () => {
  it('goes from a customer request to a closed ticket with every step audited', async () => {
    const customer = await login('alice@acme.demo');
    const manager = await login('manager@atum.demo');
    const agent = await login('agent@atum.demo');

    // 3. The customer files a P2 ticket with an attachment.
    const created = await rest('POST', '/tickets', customer.token, {
      title: 'Mail server rejects large attachments',
      description: 'Since Monday every mail over 5 MB bounces.',
      priority: 'HIGH',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'NEW', priority: 'HIGH' });
    expect(created.body).not.toHaveProperty('sla');
    const ticketId = created.body.id;

    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'bounce.png');
    const upload = await fetch(`${server.url}/api/v1/tickets/${ticketId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const attachment = (await upload.json()) as Json;
    expect(attachment).toMatchObject({
      fileName: 'bounce.png',
      mimeType: 'image/png',
      sizeBytes: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });

    // 4. It waits in the managers' NEW queue.
    const inbox = await rest('GET', '/internal/tickets/new', manager.token);
    expect((inbox.body.items as Json[]).map((ticket) => ticket.id)).toContain(ticketId);

    // 5. Accepting starts the SLA.
    const accepted = await rest('POST', `/internal/tickets/${ticketId}/accept`, manager.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'ACCEPTED', acceptedById: manager.userId });
    expect((accepted.body.sla as Json).firstResponseDueAt).toEqual(expect.any(String));

    // 6. Assigned to the agent.
    const assigned = await rest('POST', `/internal/tickets/${ticketId}/assign`, manager.token, {
      assigneeId: agent.userId,
    });
    expect(assigned.body).toMatchObject({ status: 'ASSIGNED', assignedToId: agent.userId });

    // 7. The agent starts, writes an internal note and a public reply; the customer sees only the reply.
    expect(
      (await rest('POST', `/internal/tickets/${ticketId}/status`, agent.token, { status: 'IN_PROGRESS' }))
        .status,
    ).toBe(200);
    await rest('POST', `/internal/tickets/${ticketId}/comments`, agent.token, {
      body: 'Quota is 5 MB; raising it.',
      internal: true,
    });
    const reply = await rest('POST', `/internal/tickets/${ticketId}/comments`, agent.token, {
      body: 'We are raising the limit.',
    });
    expect(reply.body).toMatchObject({ internal: false });
    const seen = await rest('GET', `/tickets/${ticketId}`, customer.token);
    expect((seen.body.comments as Json[]).map((comment) => comment.body)).toEqual([
      'We are raising the limit.',
    ]);
    expect(JSON.stringify(seen.body)).not.toContain('Quota is 5 MB');
    expect((seen.body.attachments as Json[]).map((file) => file.id)).toEqual([attachment.id]);
    const staffView = await rest('GET', `/internal/tickets/${ticketId}`, agent.token);
    expect((staffView.body.sla as Json).firstRespondedAt).toEqual(expect.any(String));

    // The customer downloads the attachment: the same bytes.
    const download = await fetch(`${server.url}/api/v1/attachments/${attachment.id}/download`, {
      headers: { authorization: `Bearer ${customer.token}` },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);

    // 8. Waiting for the customer pauses the clocks.
    const waiting = await rest('POST', `/internal/tickets/${ticketId}/status`, agent.token, {
      status: 'WAITING_CUSTOMER',
    });
    expect(waiting.body).toMatchObject({ status: 'WAITING_CUSTOMER' });
    expect((waiting.body.sla as Json).pausedAt).toEqual(expect.any(String));

    // 9. The customer's reply brings it back to IN_PROGRESS and the clocks run again.
    expect(
      (
        await rest('POST', `/tickets/${ticketId}/comments`, customer.token, {
          body: 'Still bouncing at 8 MB.',
        })
      ).status,
    ).toBe(200);
    const resumed = await rest('GET', `/internal/tickets/${ticketId}`, agent.token);
    expect(resumed.body).toMatchObject({ status: 'IN_PROGRESS' });
    expect((resumed.body.sla as Json).pausedAt).toBeNull();

    // 10. The agent resolves (resolution and root cause are required), the manager closes.
    const incomplete = await rest('POST', `/internal/tickets/${ticketId}/status`, agent.token, {
      status: 'RESOLVED',
    });
    expect(incomplete.status).toBe(400);
    const resolved = await rest('POST', `/internal/tickets/${ticketId}/status`, agent.token, {
      status: 'RESOLVED',
      resolution: 'Raised the message size limit to 25 MB.',
      rootCause: 'Default MTA limit of 5 MB.',
    });
    expect(resolved.body).toMatchObject({ status: 'RESOLVED' });
    const closed = await rest('POST', `/internal/tickets/${ticketId}/status`, manager.token, {
      status: 'CLOSED',
    });
    expect(closed.body).toMatchObject({ status: 'CLOSED' });
    // Closed is read-only for everyone.
    expect(
      (await rest('POST', `/tickets/${ticketId}/comments`, customer.token, { body: 'thanks' })).status,
    ).toBe(409);

    // 11. The audit log holds every step, the attachment's upload and download included.
    const audit = await rest('GET', `/audit?entityId=${ticketId}&limit=100`, manager.token);
    const ticketActions = (audit.body.items as Json[]).map((entry) => entry.action);
    expect(ticketActions).toEqual(
      expect.arrayContaining([
        'ticket.created',
        'ticket.accepted',
        'ticket.assigned',
        'ticket.status_changed',
      ]),
    );
    const fileAudit = await rest('GET', `/audit?entityId=${attachment.id}`, manager.token);
    expect((fileAudit.body.items as Json[]).map((entry) => entry.action).sort()).toEqual([
      'attachment.downloaded',
      'attachment.uploaded',
    ]);
  });
});

describe('the first ticket, through the typed client', () => {
  it('walks the same workflow with typed calls', async () => {
    const anonymous = createAtumClient({ url: server.url });
    const signIn = (email: string) => anonymous.auth.login.mutate({ email, password: DEMO_PASSWORD });
    const customer = createAtumClient({ url: server.url, token: (await signIn('bob@acme.demo')).token });
    const manager = createAtumClient({ url: server.url, token: (await signIn('manager@atum.demo')).token });
    const agentLogin = await signIn('agent@atum.demo');
    const agent = createAtumClient({ url: server.url, token: agentLogin.token });

    const ticket = await customer.tickets.create.mutate({
      title: 'VPN certificate expired',
      description: 'The VPN client says the certificate expired today.',
      priority: 'URGENT',
    });
    expect(ticket.createdAt).toBeInstanceOf(Date);
    await manager.internal.tickets.accept.mutate({ id: ticket.id });
    await manager.internal.tickets.assign.mutate({ id: ticket.id, assigneeId: agentLogin.user.id });
    await agent.internal.tickets.status.mutate({ id: ticket.id, status: 'IN_PROGRESS' });
    await agent.internal.tickets.comment.mutate({ id: ticket.id, body: 'Checking the CA.', internal: true });
    await agent.internal.tickets.comment.mutate({ id: ticket.id, body: 'Please restart the client.' });
    await agent.internal.tickets.status.mutate({ id: ticket.id, status: 'WAITING_CUSTOMER' });
    await customer.tickets.comment.mutate({ id: ticket.id, body: 'Restarted, works now.' });
    const detail = await customer.tickets.get.query({ id: ticket.id });
    expect(detail.status).toBe('IN_PROGRESS');
    expect(detail.comments.map((comment) => comment.body)).toEqual([
      'Please restart the client.',
      'Restarted, works now.',
    ]);
    await agent.internal.tickets.status.mutate({
      id: ticket.id,
      status: 'RESOLVED',
      resolution: 'Renewed the certificate.',
      rootCause: 'Certificate renewal was not scheduled.',
    });
    const closed = await manager.internal.tickets.status.mutate({ id: ticket.id, status: 'CLOSED' });
    expect(closed.status).toBe('CLOSED');
    expect(closed.sla.resolutionBreached).toBe(false);
  });
});
