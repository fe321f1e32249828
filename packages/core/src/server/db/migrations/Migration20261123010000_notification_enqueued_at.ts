import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications get their send job after their transaction commits (notification-outbox.ts), so each row
 * records when that happened. Rows written before this migration got their job with the row.
 */
export class Migration20261123010000_notification_enqueued_at extends Migration {
  override name = 'Migration20261123010000_notification_enqueued_at';

  override up(): void {
    this.addSql('alter table "notifications" add "enqueued_at" timestamptz null;');
    this.addSql('update "notifications" set "enqueued_at" = "created_at";');
    this.addSql(
      'create index "notifications_unenqueued_index" on "notifications" ("created_at") where "enqueued_at" is null;',
    );
  }

  override down(): void {
    this.addSql('drop index "notifications_unenqueued_index";');
    this.addSql('alter table "notifications" drop column "enqueued_at";');
  }
}
