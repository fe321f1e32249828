import { Migration } from '@mikro-orm/migrations';

/** When each SLA clock's warning went out, so that it goes out once. */
export class Migration20261122221048_sla_warnings extends Migration {
  override name = 'Migration20261122221048_sla_warnings';

  override up(): void {
    this.addSql(
      'alter table "tickets" add "first_response_warned_at" timestamptz null, add "resolution_warned_at" timestamptz null;',
    );
  }

  override down(): void {
    this.addSql(
      'alter table "tickets" drop column "first_response_warned_at", drop column "resolution_warned_at";',
    );
  }
}
