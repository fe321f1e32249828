// @atum-desk/core/server: configuration, database, entities and services. Node only.

export type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
export * from '../domain/index.ts';
export { Attachment } from './attachments/attachment.entity.ts';
export { toAttachmentInfo } from './attachments/attachment.mapper.ts';
export {
  type AttachmentDownload,
  openAttachmentForDownload,
  type UploadAttachmentInput,
  uploadAttachment,
} from './attachments/attachment.service.ts';
export {
  isClientGone,
  type MultipartUpload,
  type MultipartUploadOptions,
  readMultipartUpload,
} from './attachments/multipart-upload.ts';
export { contentDisposition, safeFileName } from './attachments/safe-file-name.ts';
export { type AuditActor, type AuditEntry, recordAudit } from './audit/audit.service.ts';
export { AuditLog } from './audit/audit-log.entity.ts';
export {
  type AuditChainBreak,
  type AuditVerification,
  type VerifyAuditChainsOptions,
  verifyAuditChains,
} from './audit/audit-verify.ts';
export { hashPassword, verifyPassword } from './auth/password.ts';
export { type Scope, SYSTEM_SCOPE } from './auth/scope.ts';
export { Session } from './auth/session.entity.ts';
export { purgeExpiredSessions } from './auth/session.service.ts';
export { type Config, ConfigError, describeConfig, loadConfig } from './config.ts';
export { CsatResponse } from './csat/csat-response.entity.ts';
export { signCsatToken, verifyCsatToken } from './csat/csat-token.ts';
export {
  type EmbeddedPostgres,
  EmbeddedPostgresError,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './db/embedded-postgres.ts';
export { entities } from './db/entities.ts';
export { checkDatabase } from './db/health.ts';
export { type MigrationReport, migrateDatabase } from './db/migrate.ts';
export { type OrmOptions, openOrm, ormConfig } from './db/orm.ts';
export { DEMO_PASSWORD, type DemoLogin, demoLogins, seedDemoData } from './demo/demo-seed.ts';
export { cancelJob, type EnqueueOptions, enqueueJob } from './jobs/enqueue.ts';
export { WorkerHeartbeat } from './jobs/worker-heartbeat.entity.ts';
export {
  holdWorkerLiveness,
  type WorkerLiveness,
  type WorkerLivenessOptions,
} from './jobs/worker-liveness.ts';
export { createLogger, type Logger, type LoggerOptions, workerLogger } from './logging/logger.ts';
export {
  type ManagerMail,
  writeManagerMail,
  ZManagerMail,
  ZNotifyManagersPayload,
} from './notifications/manager-mail.ts';
export { Notification } from './notifications/notification.entity.ts';
export {
  type DeliverOptions,
  type DeliveryOutcome,
  deliverNotification,
  messageIdHost,
  type OutgoingMail,
  type SendMail,
  ticketThreadId,
} from './notifications/notification.service.ts';
export { enqueueSlaMail, insertNotifications } from './notifications/notification-events.ts';
export {
  MAIL_MAX_ATTEMPTS,
  MANAGER_MAIL_TASK,
  MAX_NOTIFICATIONS_PER_JOB,
  SEND_NOTIFICATION_TASK,
  SEND_NOTIFICATIONS_TASK,
} from './notifications/notification-outbox.ts';
export { relayNotificationOutbox } from './notifications/outbox-mail.ts';
export { Organization } from './organizations/organization.entity.ts';
export {
  createOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organizations/organization.service.ts';
export { runEntrypoint, stopOnSignals } from './process/entrypoint.ts';
export { RateLimitCounter } from './rate-limits/rate-limit-counter.entity.ts';
export {
  consumeRateLimit,
  peekRateLimit,
  purgeExpiredRateLimits,
  RATE_LIMIT_RULES,
  type RateLimitResult,
  type RateLimitRule,
  rateLimitKey,
  resetRateLimit,
} from './rate-limits/rate-limiter.ts';
export {
  createPresenceMap,
  PRESENCE_CHANNEL,
  PRESENCE_TTL_MS,
  type PresenceEntry,
  type PresenceMap,
  type PresenceState,
} from './realtime/presence.ts';
export {
  createRealtimeHub,
  type LiveStreamOptions,
  type RealtimeHub,
  type RealtimeHubOptions,
} from './realtime/realtime-hub.ts';
export { liveSessionIds } from './realtime/socket-sessions.ts';
export {
  type LiveEvent,
  type LiveResyncEvent,
  type LiveTicketEvent,
  TICKET_EVENTS_CHANNEL,
} from './realtime/ticket-notification.ts';
export { Service } from './services/service.entity.ts';
export { installationSecret } from './settings/installation-secret.ts';
export { Setting } from './settings/setting.entity.ts';
export {
  checkSlaAlert,
  type SlaAlertCheck,
  type SlaAlertOutcome,
  sweepSlaBreaches,
} from './sla/sla-alerts.service.ts';
export { SlaPolicy } from './sla/sla-policy.entity.ts';
export { SlaTimer } from './sla/sla-timer.entity.ts';
export {
  enqueueCommittedSlaTimers,
  enqueueStrandedSlaTimers,
  SLA_CHECK_TASK,
  STRANDED_TIMER_AFTER_MS,
  slaTimerKey,
  storeSlaTimers,
  type WantedSlaTimer,
} from './sla/sla-timer-outbox.ts';
export { scheduleSlaTimers } from './sla/sla-timers.handler.ts';
export { describeStartupError, StartupError } from './startup-error.ts';
export { autoCloseResolvedTickets } from './tickets/auto-close.service.ts';
export { Comment } from './tickets/comment.entity.ts';
export { Ticket } from './tickets/ticket.entity.ts';
export {
  addComment,
  changeTicketPriority,
  changeTicketStatus,
  createTicket,
  getTicketDetail,
  listTickets,
  performTicketAction,
} from './tickets/ticket.service.ts';
export { publishTicketEvent, type TicketEvent, type TicketEventHandler } from './tickets/ticket-events.ts';
export {
  type Context,
  createContextFactory,
  SESSION_COOKIE,
  scopeOf,
  sessionTokenFrom,
} from './trpc/context.ts';
export { DOMAIN_ERROR_MAP } from './trpc/error-map.ts';
export { type AppRouter, appRouter } from './trpc/router.ts';
export { ensureFirstAdmin } from './users/first-admin.ts';
export { User } from './users/user.entity.ts';
export { createUser, getUser, listUsers, updateUser } from './users/user-admin.service.ts';
