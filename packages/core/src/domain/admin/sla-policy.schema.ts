import { z } from 'zod';
import { ALWAYS_OPEN_CALENDAR, ZBusinessCalendar } from '../sla/business-calendar.schema.ts';
import { ZTicketPriority } from '../tickets/ticket-enums.ts';

// Inputs and outputs of the SLA policy admin API (SPEC §6, §11 `CRUD /api/v1/sla/policies`). One policy
// per organization and priority; with no organization it is the global default every organization
// without its own falls back to. Every priority keeps a global default.

/** An SLA policy id in a path or body. */
export const ZSlaPolicyId = z.uuid({ error: 'not an SLA policy id' });

/** The longest target accepted: one year of minutes (an SLA beyond that is a typo). */
export const MAX_SLA_MINUTES = 366 * 24 * 60;

const ZMinutes = z
  .number()
  .int('use whole minutes')
  .positive('use at least 1 minute')
  .max(MAX_SLA_MINUTES, 'use at most one year');

const ZPolicyName = z.string().trim().min(1, 'enter a name').max(200, 'keep the name under 201 characters');

/** Share of the allowed time after which managers are warned. */
const ZWarnAtPercent = z.number().int().min(1).max(99);

/** Why a first-response target and a resolution target do not fit together, or null when they do. */
export function slaTargetsProblem(firstResponseMinutes: number, resolutionMinutes: number): string | null {
  return firstResponseMinutes <= resolutionMinutes
    ? null
    : 'the first response cannot be due after the resolution';
}

export const ZCreateSlaPolicyInput = z
  .object({
    /** The organization the policy is for; null or absent: the global default (one per priority). */
    organizationId: z.uuid({ error: 'not an organization id' }).nullish(),
    name: ZPolicyName,
    priority: ZTicketPriority,
    firstResponseMinutes: ZMinutes,
    resolutionMinutes: ZMinutes,
    /** When the clocks run; round the clock in UTC when left out. */
    calendar: ZBusinessCalendar.default(ALWAYS_OPEN_CALENDAR),
    warnAtPercent: ZWarnAtPercent.default(80),
  })
  .superRefine((input, issues) => {
    const problem = slaTargetsProblem(input.firstResponseMinutes, input.resolutionMinutes);
    if (problem) issues.addIssue({ code: 'custom', path: ['firstResponseMinutes'], message: problem });
  });
export type CreateSlaPolicyInput = z.infer<typeof ZCreateSlaPolicyInput>;

/**
 * Only the fields given change. Organization and priority identify the policy and stay; new targets
 * apply to tickets accepted from then on (accepted tickets keep the due times they were given).
 */
export const ZUpdateSlaPolicyInput = z.object({
  id: ZSlaPolicyId,
  name: ZPolicyName.optional(),
  firstResponseMinutes: ZMinutes.optional(),
  resolutionMinutes: ZMinutes.optional(),
  calendar: ZBusinessCalendar.optional(),
  warnAtPercent: ZWarnAtPercent.optional(),
});
export type UpdateSlaPolicyInput = z.infer<typeof ZUpdateSlaPolicyInput>;

export const ZSlaPolicyListInput = z.object({
  /** The policies that can apply to this organization: its own and the global defaults. */
  organizationId: z.uuid({ error: 'not an organization id' }).optional(),
});
export type SlaPolicyListInput = z.infer<typeof ZSlaPolicyListInput>;

/** An SLA policy as the API shows it (SPEC §11). */
export const ZSlaPolicy = z.object({
  id: z.uuid(),
  organizationId: z.uuid().nullable(),
  name: z.string(),
  priority: ZTicketPriority,
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  calendar: ZBusinessCalendar,
  warnAtPercent: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SlaPolicyInfo = z.infer<typeof ZSlaPolicy>;
