import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { useTestDatabase } from '@atum-desk/test-helpers';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../domain/auth/roles.ts';
import { DomainError, type DomainErrorCode } from '../../domain/errors.ts';
import type { TicketStatus } from '../../domain/tickets/ticket-enums.ts';
import type { Scope } from '../auth/scope.ts';
import { openOrm } from '../db/orm.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { createTestOrganization, createTestUser } from '../testing/caller.ts';
import { Comment } from '../tickets/comment.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { User } from '../users/user.entity.ts';
import {
  openAttachmentForDownload,
  type UploadAttachmentInput,
  uploadAttachment,
} from './attachment.service.ts';

const db = useTestDatabase();
let orm: MikroORM;
let sandbox: string;
let uploadsDir: string;

const MAX_BYTES = 1024 * 1024;

interface Fixtures {
  orgA: Organization;
  orgB: Organization;
  customerA: User;
  otherCustomerA: User;
  customerAdminA: User;
  customerB: User;
  agent: User;
  otherAgent: User;
  manager: User;
  /** orgA, by customerA, ASSIGNED to agent. */
  ticketA: Ticket;
  /** orgA, by customerA, ACCEPTED and unassigned: agents see it but may not add to it. */
  acceptedA: Ticket;
  /** orgA, by customerA, CLOSED. */
  closedA: Ticket;
  /** orgB, by customerB. */
  ticketB: Ticket;
  publicComment: Comment;
  internalNote: Comment;
  commentOnB: Comment;
}
let f: Fixtures;

beforeAll(async () => {
  orm = await openOrm(db.url);
  sandbox = await mkdtemp(path.join(tmpdir(), 'atum-attachment-service-'));
  uploadsDir = path.join(sandbox, 'uploads');
  const setup = orm.em.fork();
  const orgA = await createTestOrganization(setup, 'Org A');
  const orgB = await createTestOrganization(setup, 'Org B');
  const user = (role: UserRole, organization: Organization | null = null) =>
    createTestUser(setup, { role, organizationId: organization?.id ?? null });
  const customerA = await user('CUSTOMER_USER', orgA);
  const agent = await user('AGENT');
  const customerB = await user('CUSTOMER_USER', orgB);
  const ticket = (createdBy: User, status: TicketStatus, assignedTo: User | null = null) =>
    setup.create(Ticket, {
      organization: createdBy.organization ?? orgA,
      createdBy,
      status,
      assignedTo,
      priority: 'MEDIUM',
      title: `${status} ticket`,
      description: 'fixture',
    });
  const ticketA = ticket(customerA, 'ASSIGNED', agent);
  const ticketB = ticket(customerB, 'NEW');
  const comment = (on: Ticket, author: User, internal: boolean) =>
    setup.create(Comment, { organization: on.organization, ticket: on, author, body: 'hello', internal });
  f = {
    orgA,
    orgB,
    customerA,
    otherCustomerA: await user('CUSTOMER_USER', orgA),
    customerAdminA: await user('CUSTOMER_ADMIN', orgA),
    customerB,
    agent,
    otherAgent: await user('AGENT'),
    manager: await user('MANAGER'),
    ticketA,
    acceptedA: ticket(customerA, 'ACCEPTED'),
    closedA: ticket(customerA, 'CLOSED', agent),
    ticketB,
    publicComment: comment(ticketA, customerA, false),
    internalNote: comment(ticketA, agent, true),
    commentOnB: comment(ticketB, customerB, false),
  };
  await setup.flush();
});

afterAll(async () => {
  await orm?.close(true);
  if (sandbox) await rm(sandbox, { recursive: true, force: true });
});

function scope(user: User): Scope {
  return {
    actorId: user.id,
    role: user.role,
    organizationId: user.organization?.id ?? null,
    ip: '203.0.113.7',
    userAgent: 'vitest',
  };
}

function em(): EntityManager {
  return orm.em.fork();
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1×1 greyscale PNG header and image data; file-type recognises it from the first chunk. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  pngChunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
  pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])),
  pngChunk('IEND', Buffer.alloc(0)),
]);

async function* chunksOf(bytes: Uint8Array, size = 16): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

function upload(who: User, ticket: Ticket, overrides: Partial<UploadAttachmentInput> = {}) {
  return uploadAttachment(em(), scope(who), {
    ticketId: ticket.id,
    internal: false,
    fileName: 'screenshot.png',
    source: chunksOf(PNG),
    uploadsDir,
    maxBytes: MAX_BYTES,
    ...overrides,
  });
}

/** Every file under the uploads directory, temporary ones included, relative to it. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(uploadsDir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(uploadsDir, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function attachmentCount(): Promise<number> {
  const rows = await em().execute<{ count: string }[]>('select count(*) as count from attachments');
  return Number(rows[0]?.count);
}

async function auditRows(action: string, entityId: string) {
  return em().execute<
    { actor_id: string | null; organization_id: string; new_value: Record<string, unknown> }[]
  >(
    'select actor_id, organization_id, new_value from audit_log where action = ? and entity_id = ? order by chain_seq',
    [action, entityId],
  );
}

/** Runs `attempt`, expects a DomainError with `code`, and checks that no file and no row were left. */
async function expectRefusedLeavingNothing(attempt: () => Promise<unknown>, code: DomainErrorCode) {
  const filesBefore = await storedFiles();
  const rowsBefore = await attachmentCount();
  const error = await attempt().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  expect(await storedFiles()).toEqual(filesBefore);
  expect(await attachmentCount()).toBe(rowsBefore);
}

describe('uploadAttachment', () => {
  it("stores a customer's file on their own ticket with its row and an attachment.uploaded audit row", async () => {
    const attachment = await upload(f.customerA, f.ticketA, { fileName: '../../etc/Screenshot 1.png' });

    expect(attachment).toMatchObject({
      fileName: 'Screenshot 1.png',
      mimeType: 'image/png',
      sizeBytes: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      internal: false,
    });
    expect(attachment.organization.id).toBe(f.orgA.id);
    expect(attachment.ticket.id).toBe(f.ticketA.id);
    expect(attachment.uploadedBy.id).toBe(f.customerA.id);
    // The user's name never becomes a path: the file is named by the row's id.
    const file = path.join(uploadsDir, f.orgA.id, attachment.id);
    expect(await readFile(file)).toEqual(PNG);

    const audit = await auditRows('attachment.uploaded', attachment.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: f.customerA.id,
      organization_id: f.orgA.id,
      new_value: {
        ticketId: f.ticketA.id,
        fileName: 'Screenshot 1.png',
        mimeType: 'image/png',
        sizeBytes: PNG.length,
        internal: false,
      },
    });
  });

  it("lets the organization's customer admin and the assigned agent add files", async () => {
    await expect(upload(f.customerAdminA, f.ticketA)).resolves.toMatchObject({ internal: false });
    await expect(upload(f.agent, f.ticketA, { internal: true })).resolves.toMatchObject({ internal: true });
    await expect(upload(f.manager, f.ticketB)).resolves.toMatchObject({ internal: false });
  });

  it("answers NOT_FOUND for another organization's ticket and stores nothing", async () => {
    await expectRefusedLeavingNothing(() => upload(f.customerB, f.ticketA), 'NOT_FOUND');
  });

  it("answers NOT_FOUND for a colleague's ticket to a customer user", async () => {
    await expectRefusedLeavingNothing(() => upload(f.otherCustomerA, f.ticketA), 'NOT_FOUND');
  });

  it('refuses an internal file from a customer with FORBIDDEN and stores nothing', async () => {
    await expectRefusedLeavingNothing(() => upload(f.customerA, f.ticketA, { internal: true }), 'FORBIDDEN');
  });

  it('keeps agents to tickets assigned to them: NOT_FOUND if unseen, FORBIDDEN if only visible', async () => {
    await expectRefusedLeavingNothing(() => upload(f.otherAgent, f.ticketA), 'NOT_FOUND');
    // Agents see ACCEPTED, unassigned tickets (to take one) but work only their own.
    await expectRefusedLeavingNothing(() => upload(f.agent, f.acceptedA), 'FORBIDDEN');
  });

  it('refuses files on a CLOSED ticket for customers and managers alike', async () => {
    await expectRefusedLeavingNothing(() => upload(f.customerA, f.closedA), 'INVALID_TRANSITION');
    await expectRefusedLeavingNothing(() => upload(f.manager, f.closedA), 'INVALID_TRANSITION');
  });

  it('makes a file on an internal note internal, whatever was asked', async () => {
    const attachment = await upload(f.agent, f.ticketA, { commentId: f.internalNote.id, internal: false });
    expect(attachment.internal).toBe(true);
    expect(attachment.comment?.id).toBe(f.internalNote.id);
  });

  it('refuses a commentId of another ticket, or an internal note a customer cannot see, before storing', async () => {
    await expectRefusedLeavingNothing(
      () => upload(f.manager, f.ticketA, { commentId: f.commentOnB.id }),
      'VALIDATION',
    );
    await expectRefusedLeavingNothing(
      () => upload(f.customerA, f.ticketA, { commentId: f.internalNote.id }),
      'VALIDATION',
    );
    const onPublic = await upload(f.customerA, f.ticketA, { commentId: f.publicComment.id });
    expect(onPublic.comment?.id).toBe(f.publicComment.id);
  });

  it('passes storage refusals through and keeps nothing: empty, too large, not an allowed type', async () => {
    await expectRefusedLeavingNothing(
      () => upload(f.customerA, f.ticketA, { source: chunksOf(new Uint8Array(0)) }),
      'VALIDATION',
    );
    await expectRefusedLeavingNothing(
      () => upload(f.customerA, f.ticketA, { maxBytes: PNG.length - 1 }),
      'PAYLOAD_TOO_LARGE',
    );
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
    await expectRefusedLeavingNothing(
      () => upload(f.customerA, f.ticketA, { fileName: 'cat.png', source: chunksOf(elf) }),
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('removes the stored file again when the database refuses the row', async () => {
    // A constraint no row satisfies: the insert fails inside PostgreSQL, after the file is on disk.
    await em().execute('alter table attachments add constraint test_refuse_all check (false) not valid');
    try {
      const filesBefore = await storedFiles();
      const rowsBefore = await attachmentCount();
      await expect(upload(f.customerA, f.ticketA)).rejects.toThrow(/test_refuse_all/);
      expect(await storedFiles()).toEqual(filesBefore);
      expect(await attachmentCount()).toBe(rowsBefore);
    } finally {
      await em().execute('alter table attachments drop constraint test_refuse_all');
    }
    const audited = await em().execute<{ count: string }[]>(
      "select count(*) as count from audit_log where action = 'attachment.uploaded' and new_value->>'ticketId' = ?",
      [f.ticketA.id],
    );
    // Only the uploads that succeeded above were audited; the refused row took its audit row with it.
    expect(Number(audited[0]?.count)).toBe(await countRows(f.ticketA.id));
  });

  it('re-checks the ticket when the file has arrived: one closed meanwhile gets no file', async () => {
    const ticket = await em().transactional(async (tx) =>
      tx.create(Ticket, {
        organization: tx.getReference(Organization, f.orgA.id),
        createdBy: tx.getReference(User, f.customerA.id),
        status: 'IN_PROGRESS',
        assignedTo: tx.getReference(User, f.agent.id),
        priority: 'LOW',
        title: 'closing soon',
        description: 'fixture',
      }),
    );
    async function* closingMidway(): AsyncGenerator<Uint8Array> {
      yield PNG.subarray(0, 40);
      await em().execute("update tickets set status = 'CLOSED' where id = ?", [ticket.id]);
      yield PNG.subarray(40);
    }
    await expectRefusedLeavingNothing(
      () => upload(f.customerA, ticket, { source: closingMidway() }),
      'INVALID_TRANSITION',
    );
  });

  it('keeps nothing of an upload aborted midway', async () => {
    const controller = new AbortController();
    async function* abortedMidway(): AsyncGenerator<Uint8Array> {
      yield PNG.subarray(0, 40);
      controller.abort(new Error('client went away'));
      // A client that went away sends nothing more.
      await new Promise(() => {});
    }
    const filesBefore = await storedFiles();
    const rowsBefore = await attachmentCount();
    await expect(
      upload(f.customerA, f.ticketA, { source: abortedMidway(), signal: controller.signal }),
    ).rejects.toThrow('client went away');
    expect(await storedFiles()).toEqual(filesBefore);
    expect(await attachmentCount()).toBe(rowsBefore);
  });
});

async function countRows(ticketId: string): Promise<number> {
  const rows = await em().execute<{ count: string }[]>(
    'select count(*) as count from attachments where ticket_id = ?',
    [ticketId],
  );
  return Number(rows[0]?.count);
}

describe('openAttachmentForDownload', () => {
  it('finds a visible attachment, gives its path and records attachment.downloaded', async () => {
    const attachment = await upload(f.customerA, f.ticketA);
    for (const who of [f.customerA, f.customerAdminA, f.agent, f.manager]) {
      const download = await openAttachmentForDownload(em(), scope(who), attachment.id, uploadsDir);
      expect(download.attachment.id).toBe(attachment.id);
      expect(download.absolutePath).toBe(path.join(uploadsDir, f.orgA.id, attachment.id));
    }
    const audit = await auditRows('attachment.downloaded', attachment.id);
    expect(audit.map((row) => row.actor_id)).toEqual([
      f.customerA.id,
      f.customerAdminA.id,
      f.agent.id,
      f.manager.id,
    ]);
    expect(audit[0]?.new_value).toMatchObject({ ticketId: f.ticketA.id, fileName: 'screenshot.png' });
  });

  it('answers NOT_FOUND to another organization, a colleague, an unassigned agent, and records nothing', async () => {
    const attachment = await upload(f.customerA, f.ticketA);
    for (const who of [f.customerB, f.otherCustomerA, f.otherAgent]) {
      await expect(
        openAttachmentForDownload(em(), scope(who), attachment.id, uploadsDir),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    expect(await auditRows('attachment.downloaded', attachment.id)).toEqual([]);
  });

  it('hides internal attachments from customers (NOT_FOUND) and shows them to staff', async () => {
    const internal = await upload(f.agent, f.ticketA, { internal: true });
    for (const who of [f.customerA, f.customerAdminA]) {
      await expect(
        openAttachmentForDownload(em(), scope(who), internal.id, uploadsDir),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    await expect(
      openAttachmentForDownload(em(), scope(f.manager), internal.id, uploadsDir),
    ).resolves.toBeDefined();
  });

  it('answers NOT_FOUND and logs an error when the row has lost its file', async () => {
    const attachment = await upload(f.customerA, f.ticketA);
    await rm(path.join(uploadsDir, f.orgA.id, attachment.id));
    const logged: unknown[][] = [];
    const logger = { error: (...args: unknown[]) => void logged.push(args) };
    await expect(
      openAttachmentForDownload(em(), scope(f.customerA), attachment.id, uploadsDir, logger),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/missing/) });
    expect(logged).toEqual([
      [expect.objectContaining({ attachmentId: attachment.id }), 'attachment file missing on disk'],
    ]);
    expect(await auditRows('attachment.downloaded', attachment.id)).toEqual([]);
  });
});
