import { Migration } from '@mikro-orm/migrations';

/**
 * The active managers and administrators, whom a new ticket and a customer's reply on an unassigned
 * ticket mail: read with the ticket by every such change, they were a scan of all users (1 ms with a
 * thousand of them); with this index, 30 entries.
 */
export class Migration20261123040734_active_managers_index extends Migration {
  override name = 'Migration20261123040734_active_managers_index';

  override up(): void {
    this.addSql(
      `create index "users_active_managers_index" on "users" ("email") where role in ('MANAGER', 'ADMIN') and is_active;`,
    );
  }

  override down(): void {
    this.addSql('drop index "users_active_managers_index";');
  }
}
