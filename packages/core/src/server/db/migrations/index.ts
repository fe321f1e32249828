import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122212112_initial } from './Migration20261122212112_initial.ts';
import { Migration20261122212200_audit_log_guard } from './Migration20261122212200_audit_log_guard.ts';
import { Migration20261122214657_ticket_version } from './Migration20261122214657_ticket_version.ts';
import { Migration20261122215000_default_sla_policies } from './Migration20261122215000_default_sla_policies.ts';
import { Migration20261122221048_sla_warnings } from './Migration20261122221048_sla_warnings.ts';
import { Migration20261122221549_mail_notifications_csat } from './Migration20261122221549_mail_notifications_csat.ts';
import { Migration20261123010000_notification_enqueued_at } from './Migration20261123010000_notification_enqueued_at.ts';
import { Migration20261123011250_sla_timers } from './Migration20261123011250_sla_timers.ts';
import { Migration20261123013542_list_indexes } from './Migration20261123013542_list_indexes.ts';
import { Migration20261123031223_notification_outbox } from './Migration20261123031223_notification_outbox.ts';
import { Migration20261123040734_active_managers_index } from './Migration20261123040734_active_managers_index.ts';
import { Migration20261123042845_manager_mail } from './Migration20261123042845_manager_mail.ts';
import { Migration20261123124500_audit_hash_plpgsql } from './Migration20261123124500_audit_hash_plpgsql.ts';
import { Migration20261123170000_outbox_mail_event } from './Migration20261123170000_outbox_mail_event.ts';
import { Migration20261123213000_session_gate } from './Migration20261123213000_session_gate.ts';
import { Migration20261123224500_search_window_index } from './Migration20261123224500_search_window_index.ts';

/** Every migration, oldest first. A test fails when a file in this folder is missing here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122212112_initial', class: Migration20261122212112_initial },
  { name: 'Migration20261122212200_audit_log_guard', class: Migration20261122212200_audit_log_guard },
  { name: 'Migration20261122214657_ticket_version', class: Migration20261122214657_ticket_version },
  {
    name: 'Migration20261122215000_default_sla_policies',
    class: Migration20261122215000_default_sla_policies,
  },
  { name: 'Migration20261122221048_sla_warnings', class: Migration20261122221048_sla_warnings },
  {
    name: 'Migration20261122221549_mail_notifications_csat',
    class: Migration20261122221549_mail_notifications_csat,
  },
  {
    name: 'Migration20261123010000_notification_enqueued_at',
    class: Migration20261123010000_notification_enqueued_at,
  },
  { name: 'Migration20261123011250_sla_timers', class: Migration20261123011250_sla_timers },
  { name: 'Migration20261123013542_list_indexes', class: Migration20261123013542_list_indexes },
  {
    name: 'Migration20261123031223_notification_outbox',
    class: Migration20261123031223_notification_outbox,
  },
  {
    name: 'Migration20261123040734_active_managers_index',
    class: Migration20261123040734_active_managers_index,
  },
  { name: 'Migration20261123042845_manager_mail', class: Migration20261123042845_manager_mail },
  { name: 'Migration20261123124500_audit_hash_plpgsql', class: Migration20261123124500_audit_hash_plpgsql },
  { name: 'Migration20261123170000_outbox_mail_event', class: Migration20261123170000_outbox_mail_event },
  { name: 'Migration20261123213000_session_gate', class: Migration20261123213000_session_gate },
  {
    name: 'Migration20261123224500_search_window_index',
    class: Migration20261123224500_search_window_index,
  },
];
