import { Migration } from '@mikro-orm/migrations';

/**
 * The global default SLA policies, one per priority, so that every accepted ticket has clocks from the
 * first day. Round the clock in UTC: the one calendar that is right for nobody's business hours but
 * wrong for nobody's either; administrators replace it with their own. Organizations may have their own
 * policies, which win over these.
 */
export class Migration20261122215000_default_sla_policies extends Migration {
  override name = 'Migration20261122215000_default_sla_policies';

  override up(): void {
    this.addSql(`
      insert into sla_policies (id, organization_id, name, priority, first_response_minutes, resolution_minutes, calendar, warn_at_percent)
      values
        (gen_random_uuid(), null, 'Default P1 (urgent)', 'URGENT', 60, 240, '{"timezone":"UTC","weekly":{},"holidays":[]}', 80),
        (gen_random_uuid(), null, 'Default P2 (high)', 'HIGH', 240, 1440, '{"timezone":"UTC","weekly":{},"holidays":[]}', 80),
        (gen_random_uuid(), null, 'Default P3 (medium)', 'MEDIUM', 480, 4320, '{"timezone":"UTC","weekly":{},"holidays":[]}', 80),
        (gen_random_uuid(), null, 'Default P4 (low)', 'LOW', 1440, 10080, '{"timezone":"UTC","weekly":{},"holidays":[]}', 80)
      on conflict do nothing;`);
  }

  override down(): void {
    this.addSql("delete from sla_policies where organization_id is null and name like 'Default P_ (%)';");
  }
}
