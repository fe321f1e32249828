import { z } from 'zod';

/** One row of the audit log as the API shows it (SPEC §11). */
export const ZAuditEntry = z.object({
  id: z.uuid(),
  action: z.string(),
  actorId: z.uuid().nullable(),
  organizationId: z.uuid().nullable(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.date(),
});
export type AuditEntryInfo = z.infer<typeof ZAuditEntry>;

export const ZAuditListInput = z.object({
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
  actorId: z.uuid().optional(),
  action: z.string().trim().max(100).optional(),
  organizationId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZAuditPage = z.object({ items: z.array(ZAuditEntry), nextCursor: z.string().nullable() });

/** The first break found in one chain of the audit log. */
export const ZAuditChainBreak = z.object({
  /** The chain: an organization, or null for system-wide actions. */
  organizationId: z.uuid().nullable(),
  /** Position in the chain of the first row that does not fit. */
  chainSeq: z.number().int(),
  /** That row's id. */
  id: z.uuid().nullable(),
  /**
   * `sequence_gap`: the row is not the one after its predecessor (a row was deleted, or the chain does
   * not start at 1); `prev_hash_mismatch`: its prev_hash is not its predecessor's hash; `hash_mismatch`:
   * its hash does not match its own fields.
   */
  reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap']),
  /** What the chain needs here: the sequence number, the predecessor's hash, or the recomputed hash. */
  expected: z.string().optional(),
  /** What the row holds instead. */
  found: z.string().nullable().optional(),
});

export const ZAuditVerification = z.object({
  ok: z.boolean(),
  chains: z.number().int(),
  rows: z.number().int(),
  breaks: z.array(ZAuditChainBreak),
});
