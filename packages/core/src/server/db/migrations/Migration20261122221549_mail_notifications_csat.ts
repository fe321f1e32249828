import { Migration } from '@mikro-orm/migrations';

/**
 * Mail notifications (one row per recipient per event, also the outbox), CSAT answers (one per ticket)
 * and installation settings (the generated signing secret).
 */
export class Migration20261122221549_mail_notifications_csat extends Migration {
  override name = 'Migration20261122221549_mail_notifications_csat';

  override up(): void {
    this.addSql(
      `create table "settings" ("key" varchar(100) not null, "value" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("key"));`,
    );

    this.addSql(
      `create table "csat_responses" ("id" uuid not null, "organization_id" uuid not null, "ticket_id" uuid not null, "rating" smallint not null, "comment" text null, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(
      `alter table "csat_responses" add constraint "csat_responses_ticket_id_unique" unique ("ticket_id");`,
    );
    this.addSql(
      `create index "csat_responses_organization_created_index" on "csat_responses" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "notifications" ("id" uuid not null, "organization_id" uuid null, "ticket_id" uuid null, "recipient_id" uuid null, "to_address" varchar(320) not null, "to_name" varchar(200) not null, "kind" text not null, "audience" text not null, "event_key" varchar(200) not null, "facts" jsonb not null, "message_id" varchar(255) null, "subject" varchar(500) null, "text_body" text null, "html_body" text null, "status" text not null default 'pending', "attempts" int not null default 0, "last_error" text null, "created_at" timestamptz not null default now(), "rendered_at" timestamptz null, "sent_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "notifications_ticket_id_index" on "notifications" ("ticket_id");`);
    this.addSql(
      `create index "notifications_organization_created_index" on "notifications" ("organization_id", "created_at", "id");`,
    );
    this.addSql(`create index "notifications_created_index" on "notifications" ("created_at", "id");`);
    this.addSql(
      `alter table "notifications" add constraint "notifications_event_recipient_unique" unique ("event_key", "to_address");`,
    );

    this.addSql(
      `alter table "csat_responses" add constraint "csat_responses_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "csat_responses" add constraint "csat_responses_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "csat_responses" add constraint "csat_responses_rating_check" check (rating >= 1 and rating <= 5);`,
    );

    this.addSql(
      `alter table "notifications" add constraint "notifications_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_recipient_id_foreign" foreign key ("recipient_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_kind_check" check ("kind" in ('ticket_created', 'ticket_received', 'ticket_accepted', 'ticket_rejected', 'ticket_status_changed', 'ticket_resolved', 'ticket_assigned', 'public_reply', 'customer_reply', 'internal_note', 'sla_warning', 'sla_breach'));`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_audience_check" check ("audience" in ('customer', 'staff'));`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_status_check" check ("status" in ('pending', 'sent', 'outbox', 'failed'));`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "notifications";`);
    this.addSql(`drop table if exists "csat_responses";`);
    this.addSql(`drop table if exists "settings";`);
  }
}
