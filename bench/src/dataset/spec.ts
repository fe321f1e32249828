// The data sets. `full` is SPEC §14's: 100 organizations, 1,000 users, 1 M tickets, about 3 M comments.
// `small` keeps the same density per organization (9 customers and about 10,000 tickets each) with 2
// organizations, so per-organization queries (a customer's list, search within an organization) see
// realistic sizes while the whole set loads in seconds.

export interface DatasetSpec {
  /** Names the database (`atum_bench_<name>`). */
  name: string;
  organizations: number;
  /** Customers per organization; the first of each is a CUSTOMER_ADMIN. */
  customersPerOrganization: number;
  agents: number;
  managers: number;
  admins: number;
  tickets: number;
  /** Tickets are spread over this many days before now. */
  historyDays: number;
  /** Share of organizations with their own SLA policies (on a business calendar); the rest use the default. */
  ownSlaShare: number;
  seed: number;
}

/** Bump when the generator changes what it writes: an older data set is regenerated. */
export const GENERATOR_VERSION = 1;

export const DATASETS = {
  full: {
    name: 'full',
    organizations: 100,
    customersPerOrganization: 9,
    agents: 70,
    managers: 20,
    admins: 10,
    tickets: 1_000_000,
    historyDays: 3 * 365,
    ownSlaShare: 0.2,
    seed: 20261122,
  },
  small: {
    name: 'small',
    organizations: 2,
    customersPerOrganization: 9,
    agents: 8,
    managers: 3,
    admins: 1,
    tickets: 20_000,
    historyDays: 3 * 365,
    ownSlaShare: 0.5,
    seed: 20261122,
  },
  tiny: {
    name: 'tiny',
    organizations: 1,
    customersPerOrganization: 4,
    agents: 2,
    managers: 1,
    admins: 1,
    tickets: 500,
    historyDays: 90,
    ownSlaShare: 1,
    seed: 20261122,
  },
} as const satisfies Record<string, DatasetSpec>;

export type DatasetName = keyof typeof DATASETS;

/** The password of every generated user (hashed once with the product's argon2id parameters). */
export const BENCH_PASSWORD = 'AtumBench!2026';

/** Users in the data set. */
export function userCount(spec: DatasetSpec): number {
  return spec.organizations * spec.customersPerOrganization + spec.agents + spec.managers + spec.admins;
}
