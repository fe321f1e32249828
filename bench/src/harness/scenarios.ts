import { type Random, WeightedPicker } from '../dataset/random.ts';
import { BENCH_PASSWORD } from '../dataset/spec.ts';
import { customerReply, searchTerm, ticketDescription, ticketTitle } from '../dataset/text.ts';
import type { BenchUser, Fixtures } from './fixtures.ts';

// The request shapes of the benchmark. Each scenario builds one request at a time from the fixtures,
// at random; both servers get requests built the same way (the baseline mirrors ATUM's REST paths and
// JSON), only the paging cursors are each server's own.

/** One HTTP request of a scenario. */
export interface BenchRequest {
  /** The shape it belongs to (in the mix: which of the five). */
  shape: ShapeName;
  method: 'GET' | 'POST';
  path: string;
  /** Bearer token; none for login. */
  token: string | null;
  /** JSON body. */
  body?: string;
}

export type ShapeName =
  | 'login'
  | 'customer-list'
  | 'detail'
  | 'inbox'
  | 'agent-list'
  | 'search'
  | 'create'
  | 'comment';

export type ScenarioName = ShapeName | 'mix';

/** What building a request needs besides randomness: fixtures, and this server's page-2 cursors. */
export interface ScenarioContext {
  fixtures: Fixtures;
  /** The cursor of each customer's second page, as this server handed it out. */
  cursors: Map<string, string>;
}

export interface Scenario {
  name: ScenarioName;
  /** What it does, for the report. */
  description: string;
  /** Whether the bare baseline answers it (login needs argon2 and is ATUM's alone). */
  baseline: boolean;
  /** Whether it writes (run after the read-only scenarios). */
  writes: boolean;
  build(random: Random, context: ScenarioContext): BenchRequest;
}

function pick<T>(random: Random, items: readonly T[], what: string): T {
  if (items.length === 0) throw new Error(`the data set has no ${what}`);
  return random.pick(items);
}

const AGENT_STATUSES = ['ASSIGNED', 'IN_PROGRESS', 'WAITING_CUSTOMER'] as const;
const PRIORITIES = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const;

const shapes: Record<ShapeName, Omit<Scenario, 'name'>> = {
  login: {
    description: 'POST /auth/login as a customer: argon2id verification, a new session, an audit row',
    baseline: false,
    writes: true,
    build(random, { fixtures }) {
      const user = pick(random, fixtures.loginUsers, 'customers to sign in as');
      return {
        shape: 'login',
        method: 'POST',
        path: '/api/v1/auth/login',
        token: null,
        body: JSON.stringify({ email: user.email, password: BENCH_PASSWORD }),
      };
    },
  },
  'customer-list': {
    description:
      'GET /tickets as a customer: their own tickets, newest first, 25 a page (half of the requests ask for page 2 by cursor)',
    baseline: true,
    writes: false,
    build(random, { fixtures, cursors }) {
      const user = pick(random, fixtures.customers, 'customers');
      const cursor = random.chance(0.5) ? cursors.get(user.id) : undefined;
      return {
        shape: 'customer-list',
        method: 'GET',
        path: cursor ? `/api/v1/tickets?limit=25&cursor=${cursor}` : '/api/v1/tickets?limit=25',
        token: user.token,
      };
    },
  },
  detail: {
    description: 'GET /tickets/{id} as its requester: the ticket with its public comments and attachments',
    baseline: true,
    writes: false,
    build(random, { fixtures }) {
      const target = pick(random, fixtures.detailTargets, 'tickets');
      return {
        shape: 'detail',
        method: 'GET',
        path: `/api/v1/tickets/${target.ticketId}`,
        token: target.user.token,
      };
    },
  },
  inbox: {
    description: 'GET /internal/tickets/new as a manager: the NEW queue, newest first, 25',
    baseline: true,
    writes: false,
    build(random, { fixtures }) {
      const user = pick(random, fixtures.managers, 'managers');
      return { shape: 'inbox', method: 'GET', path: '/api/v1/internal/tickets/new', token: user.token };
    },
  },
  'agent-list': {
    description:
      'GET /internal/tickets as an agent with filters: a status of their work (plus a priority at times), the unassigned ACCEPTED pool, or no filter',
    baseline: true,
    writes: false,
    build(random, { fixtures }) {
      const user = pick(random, fixtures.agents, 'agents');
      const roll = random.next();
      let query = '';
      if (roll < 0.6) {
        query = `status=${random.pick(AGENT_STATUSES)}`;
        if (random.chance(0.3)) query += `&priority=${random.pick(PRIORITIES)}`;
      } else if (roll < 0.8) {
        query = 'status=ACCEPTED';
      }
      return {
        shape: 'agent-list',
        method: 'GET',
        path: `/api/v1/internal/tickets${query ? `?${query}` : ''}`,
        token: user.token,
      };
    },
  },
  search: {
    description:
      "GET /tickets?q= as a customer admin: full-text search in their organization's tickets (common words, product names, error codes)",
    baseline: true,
    writes: false,
    build(random, { fixtures }) {
      const user = pick(random, fixtures.customerAdmins, 'customer admins');
      return {
        shape: 'search',
        method: 'GET',
        path: `/api/v1/tickets?q=${encodeURIComponent(searchTerm(random))}`,
        token: user.token,
      };
    },
  },
  create: {
    description: 'POST /tickets as a customer: a new ticket (ATUM also writes its audit row, event and jobs)',
    baseline: true,
    writes: true,
    build(random, { fixtures }) {
      const user = pick(random, fixtures.customers, 'customers');
      return {
        shape: 'create',
        method: 'POST',
        path: '/api/v1/tickets',
        token: user.token,
        body: JSON.stringify({
          title: ticketTitle(random),
          description: ticketDescription(random).replaceAll('\\n', '\n'),
          priority: random.pick(PRIORITIES),
        }),
      };
    },
  },
  comment: {
    description:
      'POST /tickets/{id}/comments as the requester of an open ticket: insert the reply and touch the ticket in one transaction',
    baseline: true,
    writes: true,
    build(random, { fixtures }) {
      const target = pick(random, fixtures.commentTargets, 'open tickets');
      return {
        shape: 'comment',
        method: 'POST',
        path: `/api/v1/tickets/${target.ticketId}/comments`,
        token: target.user.token,
        body: JSON.stringify({ body: customerReply(random) }),
      };
    },
  },
};

/** SPEC §14's request mix. */
export const MIX_WEIGHTS: ReadonlyArray<readonly [ShapeName, number]> = [
  ['customer-list', 30],
  ['detail', 30],
  ['inbox', 10],
  ['search', 10],
  ['comment', 20],
];

const mixPicker = new WeightedPicker(MIX_WEIGHTS);

export const SCENARIOS: Scenario[] = [
  ...(['customer-list', 'detail', 'inbox', 'agent-list', 'search'] as const).map((name) => ({
    name,
    ...shapes[name],
  })),
  { name: 'create', ...shapes.create },
  { name: 'comment', ...shapes.comment },
  { name: 'login', ...shapes.login },
  {
    name: 'mix',
    description:
      'SPEC §14 mix: customer list 30 %, detail 30 %, manager inbox 10 %, search 10 %, comment 20 %',
    baseline: true,
    writes: true,
    build(random, context) {
      return shapes[mixPicker.pick(random)].build(random, context);
    },
  },
];

export function scenarioByName(name: string): Scenario {
  const found = SCENARIOS.find((scenario) => scenario.name === name);
  if (!found) throw new Error(`no scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return found;
}

/** The customers whose second page the list scenario asks for (their cursors are fetched per server). */
export function pagedCustomers(fixtures: Fixtures, limit = 300): BenchUser[] {
  return fixtures.customers.slice(0, limit);
}
