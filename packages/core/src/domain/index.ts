// @atum-desk/core/domain: browser-safe zod schemas and pure rules. Nothing here may import Node
// modules or anything under ../server (a test enforces it).
export * from './auth/roles.ts';
export * from './sla/business-calendar.schema.ts';
export * from './sla/business-calendar.ts';
export * from './tickets/ticket-enums.ts';
