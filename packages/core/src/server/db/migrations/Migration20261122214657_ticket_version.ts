import { Migration } from '@mikro-orm/migrations';

/** Optimistic concurrency for tickets: every change is conditioned on the version it read. */
export class Migration20261122214657_ticket_version extends Migration {
  override name = 'Migration20261122214657_ticket_version';

  override up(): void {
    this.addSql('alter table "tickets" add "version" int not null default 1;');
  }

  override down(): void {
    this.addSql('alter table "tickets" drop column "version";');
  }
}
