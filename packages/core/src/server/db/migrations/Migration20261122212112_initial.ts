import { Migration } from '@mikro-orm/migrations';

export class Migration20261122212112_initial extends Migration {
  override name = 'Migration20261122212112_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_log" ("id" uuid not null, "organization_id" uuid null, "actor_id" uuid null, "action" varchar(100) not null, "entity_type" varchar(50) not null, "entity_id" varchar(100) null, "old_value" jsonb null, "new_value" jsonb null, "ip" varchar(64) null, "user_agent" varchar(512) null, "created_at" timestamptz not null default clock_timestamp(), "chain_seq" bigint null, "prev_hash" varchar(64) null, "hash" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(
      `create index "audit_log_entity_index" on "audit_log" ("entity_type", "entity_id", "created_at");`,
    );
    this.addSql(`create index "audit_log_actor_index" on "audit_log" ("actor_id", "created_at");`);
    this.addSql(`create index "audit_log_action_index" on "audit_log" ("action", "created_at");`);
    this.addSql(`create index "audit_log_created_index" on "audit_log" ("created_at");`);
    this.addSql(
      `create unique index "audit_log_chain_unique" on "audit_log" ("organization_id", "chain_seq") nulls not distinct;`,
    );

    this.addSql(
      `create table "organizations" ("id" uuid not null, "name" varchar(200) not null, "slug" varchar(100) not null, "is_active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`alter table "organizations" add constraint "organizations_slug_unique" unique ("slug");`);

    this.addSql(
      `create table "rate_limit_counters" ("key" varchar(255) not null, "points" int not null, "expires_at" timestamptz not null, primary key ("key"));`,
    );
    this.addSql(
      `create index "rate_limit_counters_expires_at_index" on "rate_limit_counters" ("expires_at");`,
    );

    this.addSql(
      `create table "services" ("id" uuid not null, "organization_id" uuid null, "name" varchar(200) not null, "description" text null, "is_active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`create index "services_organization_id_index" on "services" ("organization_id");`);

    this.addSql(
      `create table "sla_policies" ("id" uuid not null, "organization_id" uuid null, "name" varchar(200) not null, "priority" text not null, "first_response_minutes" int not null, "resolution_minutes" int not null, "calendar" jsonb not null, "warn_at_percent" int not null default 80, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(
      `create unique index "sla_policies_organization_priority_unique" on "sla_policies" ("organization_id", "priority") nulls not distinct;`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null, "organization_id" uuid null, "email" varchar(320) not null, "name" varchar(200) not null, "role" text not null, "password_hash" varchar(255) not null, "is_active" boolean not null default true, "last_login_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`create index "users_organization_id_index" on "users" ("organization_id");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(
      `create table "tickets" ("id" uuid not null, "number" bigserial, "organization_id" uuid not null, "service_id" uuid null, "created_by_id" uuid not null, "accepted_by_id" uuid null, "assigned_to_id" uuid null, "status" text not null default 'NEW', "priority" text not null, "title" varchar(200) not null, "description" text not null, "category" varchar(100) null, "resolution" text null, "root_cause" text null, "cancel_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "accepted_at" timestamptz null, "resolved_at" timestamptz null, "closed_at" timestamptz null, "sla_policy_id" uuid null, "sla_started_at" timestamptz null, "sla_paused_at" timestamptz null, "sla_paused_minutes" int not null default 0, "first_response_due_at" timestamptz null, "first_responded_at" timestamptz null, "resolution_due_at" timestamptz null, "first_response_breached" boolean not null default false, "resolution_breached" boolean not null default false, "search_vector" tsvector generated always as (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) stored null, primary key ("id"));`,
    );
    this.addSql(`alter table "tickets" add constraint "tickets_number_unique" unique ("number");`);
    this.addSql(
      `create index "tickets_organization_created_index" on "tickets" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "tickets_organization_status_index" on "tickets" ("organization_id", "status");`,
    );
    this.addSql(`create index "tickets_created_by_index" on "tickets" ("created_by_id", "created_at");`);
    this.addSql(`create index "tickets_status_created_index" on "tickets" ("status", "created_at");`);
    this.addSql(`create index "tickets_assigned_to_status_index" on "tickets" ("assigned_to_id", "status");`);
    this.addSql(`create index "tickets_first_response_due_index" on "tickets" ("first_response_due_at");`);
    this.addSql(`create index "tickets_resolution_due_index" on "tickets" ("resolution_due_at");`);
    this.addSql(`create index "tickets_search_index" on "public"."tickets" using gin("search_vector");`);

    this.addSql(
      `create table "sessions" ("id" varchar(64) not null, "user_id" uuid not null, "expires_at" timestamptz not null, "last_seen_at" timestamptz not null, "ip" varchar(64) null, "user_agent" varchar(512) null, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_expires_at_index" on "sessions" ("expires_at");`);

    this.addSql(
      `create table "comments" ("id" uuid not null, "organization_id" uuid not null, "ticket_id" uuid not null, "author_id" uuid not null, "body" text not null, "internal" boolean not null default false, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`create index "comments_organization_id_index" on "comments" ("organization_id");`);
    this.addSql(`create index "comments_ticket_created_index" on "comments" ("ticket_id", "created_at");`);

    this.addSql(
      `create table "attachments" ("id" uuid not null, "organization_id" uuid not null, "ticket_id" uuid not null, "comment_id" uuid null, "uploaded_by_id" uuid not null, "file_name" varchar(255) not null, "mime_type" varchar(127) not null, "size_bytes" bigint not null, "sha256" varchar(64) not null, "internal" boolean not null default false, "created_at" timestamptz not null default now(), primary key ("id"));`,
    );
    this.addSql(`create index "attachments_organization_id_index" on "attachments" ("organization_id");`);
    this.addSql(`create index "attachments_ticket_id_index" on "attachments" ("ticket_id");`);

    this.addSql(
      `create table "worker_heartbeats" ("worker_id" varchar(100) not null, "hostname" varchar(255) not null, "pid" int not null, "started_at" timestamptz not null, "beat_at" timestamptz not null, "beats" bigint not null default '0', primary key ("worker_id"));`,
    );

    this.addSql(
      `alter table "services" add constraint "services_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "sla_policies" add constraint "sla_policies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "sla_policies" add constraint "sla_policies_priority_check" check ("priority" in ('URGENT', 'HIGH', 'MEDIUM', 'LOW'));`,
    );

    this.addSql(
      `alter table "users" add constraint "users_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "users" add constraint "users_organization_matches_role_check" check ((role in ('CUSTOMER_USER', 'CUSTOMER_ADMIN')) = (organization_id is not null));`,
    );
    this.addSql(
      `alter table "users" add constraint "users_role_check" check ("role" in ('CUSTOMER_USER', 'CUSTOMER_ADMIN', 'AGENT', 'MANAGER', 'ADMIN'));`,
    );

    this.addSql(
      `alter table "tickets" add constraint "tickets_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_service_id_foreign" foreign key ("service_id") references "services" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id");`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_accepted_by_id_foreign" foreign key ("accepted_by_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_assigned_to_id_foreign" foreign key ("assigned_to_id") references "users" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_sla_policy_id_foreign" foreign key ("sla_policy_id") references "sla_policies" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_status_check" check ("status" in ('NEW', 'ACCEPTED', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER', 'RESOLVED', 'CLOSED', 'CANCELLED'));`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_priority_check" check ("priority" in ('URGENT', 'HIGH', 'MEDIUM', 'LOW'));`,
    );

    this.addSql(
      `alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "comments" add constraint "comments_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`,
    );
    this.addSql(
      `alter table "comments" add constraint "comments_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "comments" add constraint "comments_author_id_foreign" foreign key ("author_id") references "users" ("id");`,
    );

    this.addSql(
      `alter table "attachments" add constraint "attachments_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id");`,
    );
    this.addSql(
      `alter table "attachments" add constraint "attachments_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "attachments" add constraint "attachments_comment_id_foreign" foreign key ("comment_id") references "comments" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "attachments" add constraint "attachments_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "users" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "services" drop constraint "services_organization_id_foreign";`);
    this.addSql(`alter table "sla_policies" drop constraint "sla_policies_organization_id_foreign";`);
    this.addSql(`alter table "users" drop constraint "users_organization_id_foreign";`);
    this.addSql(`alter table "tickets" drop constraint "tickets_organization_id_foreign";`);
    this.addSql(`alter table "comments" drop constraint "comments_organization_id_foreign";`);
    this.addSql(`alter table "attachments" drop constraint "attachments_organization_id_foreign";`);
    this.addSql(`alter table "tickets" drop constraint "tickets_service_id_foreign";`);
    this.addSql(`alter table "tickets" drop constraint "tickets_sla_policy_id_foreign";`);
    this.addSql(`alter table "tickets" drop constraint "tickets_created_by_id_foreign";`);
    this.addSql(`alter table "tickets" drop constraint "tickets_accepted_by_id_foreign";`);
    this.addSql(`alter table "tickets" drop constraint "tickets_assigned_to_id_foreign";`);
    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);
    this.addSql(`alter table "comments" drop constraint "comments_author_id_foreign";`);
    this.addSql(`alter table "attachments" drop constraint "attachments_uploaded_by_id_foreign";`);
    this.addSql(`alter table "comments" drop constraint "comments_ticket_id_foreign";`);
    this.addSql(`alter table "attachments" drop constraint "attachments_ticket_id_foreign";`);
    this.addSql(`alter table "attachments" drop constraint "attachments_comment_id_foreign";`);

    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop table if exists "organizations" cascade;`);
    this.addSql(`drop table if exists "rate_limit_counters" cascade;`);
    this.addSql(`drop table if exists "services" cascade;`);
    this.addSql(`drop table if exists "sla_policies" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "tickets" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "comments" cascade;`);
    this.addSql(`drop table if exists "attachments" cascade;`);
    this.addSql(`drop table if exists "worker_heartbeats" cascade;`);
  }
}
