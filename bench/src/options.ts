import { parseArgs } from 'node:util';
import { DATASETS, type DatasetName } from './dataset/spec.ts';
import { SCENARIOS, type ScenarioName, scenarioByName } from './harness/scenarios.ts';

// `pnpm bench` runs the short version (small data set, short runs, under five minutes); `pnpm bench
// --full` the whole SPEC §14 set with longer runs. Every part can be chosen on its own.

export interface BenchOptions {
  mode: 'short' | 'full' | 'custom';
  dataset: DatasetName;
  /** Closed-loop scenarios, in order. */
  scenarios: ScenarioName[];
  /** Connections of each closed-loop run. */
  connections: number[];
  /** Connection counts for the mix: a sweep, whose best throughput is the saturation figure. */
  mixConnections: number[];
  warmupSeconds: number;
  durationSeconds: number;
  /** Open-loop runs: the mix at these offered rates. */
  openRates: number[];
  openSeconds: number;
  maxInFlight: number;
  /** Longest wait for a quiet machine before each measurement. */
  quietWaitSeconds: number;
  poolSize: number;
  /** Processes of each server (ATUM and the baseline alike). */
  instances: number;
  atumLogLevel: string;
  /** NODE_ENV of the ATUM process (unset: as shipped). */
  atumNodeEnv: string | undefined;
  /** NODE_OPTIONS of the ATUM process (e.g. heap limits), for experiments. */
  atumNodeOptions: string | undefined;
  regenerate: boolean;
  generateOnly: boolean;
  explain: boolean;
  ws: boolean;
  help: boolean;
}

export const USAGE = `pnpm bench [--full] [options]

  --full                 the SPEC §14 data set (1 M tickets) and longer runs
  --dataset <name>       ${Object.keys(DATASETS).join(' | ')} (default: small; --full: full)
  --scenarios <a,b,…>    closed-loop scenarios (default: all): ${SCENARIOS.map((s) => s.name).join(', ')}
  --connections <n,…>    closed-loop connections per run (default 32)
  --mix-connections <n,…> connections swept for the mix (default 32; --full: 16,32,64)
  --duration <s>         seconds per closed-loop run (default 5; --full: 15)
  --warmup <s>           seconds of warm-up before each run (default 1; --full: 3)
  --rates <r,…>          open-loop offered rates for the mix, requests/s (default 500; 0 = none)
  --open-duration <s>    seconds per open-loop run (default 10; --full: 30)
  --quiet-wait <s>       longest wait for an idle machine before each run (default 3; --full: 30)
  --pool <n>             database connections per server process (default 10, ATUM's default)
  --instances <n>        processes of each server, as the installer's --instances (default 1)
  --atum-log-level <l>   ATUM's LOG_LEVEL (default warn; info logs a line per request)
  --atum-node-env <v>    ATUM's NODE_ENV (default unset: main.ts then runs in production)
  --atum-node-options <o> NODE_OPTIONS for ATUM (e.g. --max-old-space-size=160), for experiments
  --regenerate           drop and generate the data set again
  --generate-only        generate (or check) the data set and stop
  --no-explain           skip EXPLAIN (ANALYZE, BUFFERS) of the product's queries
  --no-ws                skip the WebSocket probe
`;

function numbers(value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const parsed = value.split(',').map((part) => Number(part.trim()));
  if (parsed.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`not a list of numbers: ${value}`);
  return parsed.filter((n) => n > 0);
}

function number(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`not a number: ${value}`);
  return parsed;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: 'boolean', default: false },
      dataset: { type: 'string' },
      scenarios: { type: 'string' },
      connections: { type: 'string' },
      'mix-connections': { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rates: { type: 'string' },
      'open-duration': { type: 'string' },
      'quiet-wait': { type: 'string' },
      pool: { type: 'string' },
      instances: { type: 'string' },
      'atum-log-level': { type: 'string' },
      'atum-node-env': { type: 'string' },
      'atum-node-options': { type: 'string' },
      regenerate: { type: 'boolean', default: false },
      'generate-only': { type: 'boolean', default: false },
      'no-explain': { type: 'boolean', default: false },
      'no-ws': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  const full = values.full === true;
  const dataset = (values.dataset ?? (full ? 'full' : 'small')) as DatasetName;
  if (!(dataset in DATASETS)) throw new Error(`no data set "${dataset}"`);
  const scenarios = values.scenarios
    ? values.scenarios.split(',').map((name) => scenarioByName(name.trim()).name)
    : SCENARIOS.map((scenario) => scenario.name);
  // A run that changes what is measured is labelled custom, so it is never mistaken for the standard one.
  const shaping = [
    'dataset',
    'scenarios',
    'connections',
    'duration',
    'warmup',
    'rates',
    'open-duration',
    'pool',
    'instances',
  ];
  const custom =
    shaping.some((key) => values[key as keyof typeof values] !== undefined) ||
    values['atum-log-level'] !== undefined ||
    values['atum-node-env'] !== undefined ||
    values['atum-node-options'] !== undefined;
  return {
    mode: custom ? 'custom' : full ? 'full' : 'short',
    dataset,
    scenarios,
    connections: numbers(values.connections, [32]),
    mixConnections: numbers(
      values['mix-connections'],
      values.connections ? numbers(values.connections, [32]) : full ? [16, 32, 64] : [32],
    ),
    warmupSeconds: number(values.warmup, full ? 3 : 1),
    durationSeconds: number(values.duration, full ? 15 : 5),
    openRates: numbers(values.rates, [500]),
    openSeconds: number(values['open-duration'], full ? 30 : 10),
    maxInFlight: 256,
    quietWaitSeconds: number(values['quiet-wait'], full ? 30 : 3),
    poolSize: number(values.pool, 10),
    instances: Math.max(1, Math.round(number(values.instances, 1))),
    atumLogLevel: values['atum-log-level'] ?? 'warn',
    atumNodeEnv: values['atum-node-env'],
    atumNodeOptions: values['atum-node-options'],
    regenerate: values.regenerate === true,
    generateOnly: values['generate-only'] === true,
    explain: values['no-explain'] !== true,
    ws: values['no-ws'] !== true,
    help: values.help === true,
  };
}
