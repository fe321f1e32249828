import { Attachment } from '../attachments/attachment.entity.ts';
import { AuditLog } from '../audit/audit-log.entity.ts';
import { Session } from '../auth/session.entity.ts';
import { CsatResponse } from '../csat/csat-response.entity.ts';
import { WorkerHeartbeat } from '../jobs/worker-heartbeat.entity.ts';
import { Notification } from '../notifications/notification.entity.ts';
import { NotificationOutbox } from '../notifications/notification-outbox.entity.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { RateLimitCounter } from '../rate-limits/rate-limit-counter.entity.ts';
import { Service } from '../services/service.entity.ts';
import { Setting } from '../settings/setting.entity.ts';
import { SlaPolicy } from '../sla/sla-policy.entity.ts';
import { SlaTimer } from '../sla/sla-timer.entity.ts';
import { Comment } from '../tickets/comment.entity.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { User } from '../users/user.entity.ts';

/** Every entity of the schema; a new entity is added here and ships with its migration. */
export const entities = [
  Organization,
  User,
  Session,
  Service,
  SlaPolicy,
  Ticket,
  Comment,
  Attachment,
  AuditLog,
  RateLimitCounter,
  WorkerHeartbeat,
  Notification,
  NotificationOutbox,
  CsatResponse,
  Setting,
  SlaTimer,
];
