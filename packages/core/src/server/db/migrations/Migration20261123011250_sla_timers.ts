import { Migration } from '@mikro-orm/migrations';

/**
 * SLA timer jobs are set after the change's commit (sla/sla-timer-outbox.ts): each change writes the
 * timers it wants here, in its transaction, and the row is turned into its job after the commit, or by
 * the sweep. Timers set before this migration keep their jobs; the next change of their ticket writes
 * its rows.
 */
export class Migration20261123011250_sla_timers extends Migration {
  override name = 'Migration20261123011250_sla_timers';

  override up(): void {
    this.addSql(
      'create table "sla_timers" ("ticket_id" uuid not null, "clock" text not null, "kind" text not null, "run_at" timestamptz null, "enqueued_at" timestamptz null, "updated_at" timestamptz not null, primary key ("ticket_id", "clock", "kind"));',
    );
    this.addSql(
      'create index "sla_timers_unenqueued_index" on "sla_timers" ("updated_at") where "enqueued_at" is null;',
    );
    this.addSql(
      'alter table "sla_timers" add constraint "sla_timers_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;',
    );
    this.addSql(
      `alter table "sla_timers" add constraint "sla_timers_clock_check" check ("clock" in ('first_response', 'resolution'));`,
    );
    this.addSql(
      `alter table "sla_timers" add constraint "sla_timers_kind_check" check ("kind" in ('warning', 'breach'));`,
    );
  }

  override down(): void {
    this.addSql('drop table if exists "sla_timers";');
  }
}
