import { Migration } from '@mikro-orm/migrations';

/**
 * A change may record its mail as an event in its outbox row, which the jobs worker plans into
 * notifications (notifications/outbox-mail.ts).
 */
export class Migration20261123170000_outbox_mail_event extends Migration {
  override name = 'Migration20261123170000_outbox_mail_event';

  override up(): void {
    this.addSql('alter table "notification_outbox" add "mail_event" jsonb null;');
  }

  override down(): void {
    // The events still waiting become notifications only through a worker that plans them; going down
    // drops those not planned yet.
    this.addSql('alter table "notification_outbox" drop column "mail_event";');
  }
}
