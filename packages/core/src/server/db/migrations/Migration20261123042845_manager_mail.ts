import { Migration } from '@mikro-orm/migrations';

/**
 * A change that mails every manager and administrator records that mail once, in its outbox row; the
 * jobs worker writes the mail per manager (notifications/manager-mail.ts).
 */
export class Migration20261123042845_manager_mail extends Migration {
  override name = 'Migration20261123042845_manager_mail';

  override up(): void {
    this.addSql('alter table "notification_outbox" add "manager_mail" jsonb null;');
  }

  override down(): void {
    // The mails still waiting in the outbox become the per-manager rows they stand for only through the
    // worker; going down drops those not written out yet.
    this.addSql('alter table "notification_outbox" drop column "manager_mail";');
  }
}
