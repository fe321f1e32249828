// @atum-desk/core/domain: browser-safe zod schemas and pure rules. Nothing here may import Node
// modules or anything under ../server (a test enforces it).
export * from './admin/admin-list.schema.ts';
export * from './admin/organization.schema.ts';
export * from './admin/service.schema.ts';
export * from './admin/sla-policy.schema.ts';
export * from './admin/user-admin.schema.ts';
export * from './attachments/allowed-types.ts';
export * from './audit/audit.schema.ts';
export * from './auth/auth.schema.ts';
export * from './auth/roles.ts';
export * from './body-flag.schema.ts';
export * from './csat/csat.schema.ts';
export * from './errors.ts';
export * from './notifications/notification.schema.ts';
export * from './sla/business-calendar.schema.ts';
export * from './sla/business-calendar.ts';
export * from './sla/sla-clock.ts';
export * from './sla/sla-timeline.ts';
export * from './sla/sla-timers.ts';
export * from './tickets/ticket.schema.ts';
export * from './tickets/ticket-enums.ts';
export * from './tickets/ticket-workflow.ts';
