import type { ClosedLoopResult } from './closed-loop.ts';
import type { LatencySummary } from './latency.ts';
import type { CpuUsage, MachineInfo, QuietCheck } from './machine.ts';
import type { OpenLoopResult } from './open-loop.ts';
import type { ScenarioName } from './scenarios.ts';
import type { ServerName } from './servers.ts';

// The results of one run: JSON in bench/results/ and a table on stdout. Every figure of ATUM sits beside
// the baseline's figure from the same run, and the ratio between them is the figure that survives a
// change of machine or of its load.

/** Conditions of one measurement: how quiet the machine was before it and who else used the CPU during it. */
export interface Conditions {
  quiet: QuietCheck;
  cpu: CpuUsage;
  /** Largest resident memory sampled during the measurement, MiB: of the largest of the server's processes. */
  peakRssMb: number;
  /** The same per process of the server, in the order of its ports. */
  peakRssMbEach: number[];
  /** True when the figure should not be trusted: busy before, or someone else used half a core or more. */
  disturbed: boolean;
}

export interface ClosedLoopEntry extends ClosedLoopResult {
  scenario: ScenarioName;
  server: ServerName;
  conditions: Conditions;
}

export interface OpenLoopEntry extends OpenLoopResult {
  scenario: ScenarioName;
  server: ServerName;
  conditions: Conditions;
}

export interface WsProbeResult {
  ok: boolean;
  error?: string;
  samples?: number;
  /** From the change's publication (just before its commit) to the subscriber, ms. */
  latency?: LatencySummary;
  /** From the change's request to the subscriber, ms (adds the request's own work). */
  fromRequest?: LatencySummary;
}

export interface BarResult {
  bar: string;
  target: string;
  value: string;
  pass: boolean | null;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  mode: 'short' | 'full' | 'custom';
  argv: string[];
  machine: MachineInfo & { postgres: string; databaseServer: string };
  dataset: Record<string, unknown>;
  servers: Record<
    ServerName,
    {
      command: string;
      settings: Record<string, string>;
      /** Processes the server ran as, each on a port of its own. */
      instances: number;
      /** Per process: resident memory once it answered, before any load, and its peak over the run. */
      startRssMb: (number | null)[];
      vmHwmMb: (number | null)[];
    }
  >;
  closedLoop: ClosedLoopEntry[];
  openLoop: OpenLoopEntry[];
  ws: WsProbeResult | null;
  explain: unknown;
  bars: BarResult[];
  warnings: string[];
}

const f0 = (n: number) => n.toFixed(0);

/** CPU milliseconds per request of the server process and of PostgreSQL: what a request costs, whatever the load. */
function cpuPerRequest(entry: { requests?: number; completed?: number; conditions: Conditions }): string {
  const requests = entry.requests ?? entry.completed ?? 0;
  if (requests === 0) return '-';
  const ms = (seconds: number | undefined) => (((seconds ?? 0) * 1000) / requests).toFixed(2);
  return `${ms(entry.conditions.cpu.seconds.server)}+${ms(entry.conditions.cpu.seconds.postgres)}`;
}
const f1 = (n: number) => n.toFixed(1);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The closed-loop table: one row per scenario, ATUM beside the baseline and their ratio. */
export function closedLoopTable(entries: readonly ClosedLoopEntry[]): string {
  const keys = [...new Set(entries.map((entry) => `${entry.scenario}@${entry.connections}`))];
  const multiple = (scenario: string) =>
    new Set(entries.filter((e) => e.scenario === scenario).map((e) => e.connections)).size > 1;
  const rows = keys.map((key) => {
    const [scenario, connections] = key.split('@');
    const find = (server: string) =>
      entries.find(
        (entry) =>
          entry.scenario === scenario && entry.server === server && String(entry.connections) === connections,
      );
    const atum = find('atum');
    const base = find('baseline');
    const label = scenario && multiple(scenario) ? `${scenario} c=${connections}` : (scenario ?? key);
    const flag = (entry: ClosedLoopEntry | undefined) => (entry?.conditions.disturbed ? '!' : '');
    return [
      label,
      base ? `${f0(base.rps)}${flag(base)}` : '-',
      atum ? `${f0(atum.rps)}${flag(atum)}` : '-',
      atum && base ? (atum.rps / base.rps).toFixed(2) : '-',
      atum ? `${f1(atum.latency.p50)}/${f1(atum.latency.p95)}/${f1(atum.latency.p99)}` : '-',
      base ? `${f1(base.latency.p50)}/${f1(base.latency.p95)}/${f1(base.latency.p99)}` : '-',
      atum ? String(atum.non2xx + atum.errors) : '-',
      base ? String(base.non2xx + base.errors) : '-',
      atum ? cpuPerRequest(atum) : '-',
      base ? cpuPerRequest(base) : '-',
      atum ? f0(atum.conditions.peakRssMb) : '-',
      base ? f0(base.conditions.peakRssMb) : '-',
      atum ? `${f0(atum.conditions.quiet.idle * 100)}%/${f1(atum.conditions.cpu.foreignCores)}` : '-',
    ];
  });
  return table(
    [
      'scenario',
      'base rps',
      'atum rps',
      'ratio',
      'atum p50/p95/p99 ms',
      'base p50/p95/p99 ms',
      'atum err',
      'base err',
      'atum cpu ms/req',
      'base cpu ms/req',
      'atum MB',
      'base MB',
      'idle/foreign',
    ],
    rows,
  );
}

/** The second of an open-loop run with the highest p95, as `p95/max ms @ second`, or '-' for an empty run. */
export function worstSecond(entry: Pick<OpenLoopResult, 'timeline'>): string {
  let worst = -1;
  entry.timeline.forEach((second, index) => {
    const current = entry.timeline[worst];
    if (second.completed > 0 && (!current || second.p95 > current.p95)) worst = index;
  });
  const second = entry.timeline[worst];
  return second ? `${f1(second.p95)}/${f1(second.max)} @${worst}s` : '-';
}

/** The open-loop table: offered rate, achieved rate, latency from the intended send time. */
export function openLoopTable(entries: readonly OpenLoopEntry[]): string {
  const rows = entries.map((entry) => [
    `${entry.scenario}@${entry.offeredRate}`,
    entry.server,
    f0(entry.achievedRate),
    `${f1(entry.latency.p50)}/${f1(entry.latency.p95)}/${f1(entry.latency.p99)}/${f1(entry.latency.max)}`,
    String(entry.errors),
    String(entry.dropped),
    worstSecond(entry),
    f1(entry.sendLagP99),
    cpuPerRequest(entry),
    f0(entry.conditions.peakRssMb),
    `${f0(entry.conditions.quiet.idle * 100)}%/${f1(entry.conditions.cpu.foreignCores)}${entry.conditions.disturbed ? '!' : ''}`,
  ]);
  return table(
    [
      'run',
      'server',
      'rps',
      'p50/p95/p99/max ms',
      'errors',
      'dropped',
      'worst second p95/max',
      'lag p99',
      'cpu ms/req',
      'MB',
      'idle/foreign',
    ],
    rows,
  );
}

/** Per-shape latency of the open-loop mix. */
export function shapeTable(entries: readonly OpenLoopEntry[]): string {
  const rows: string[][] = [];
  for (const entry of entries) {
    for (const [shape, summary] of Object.entries(entry.byShape)) {
      if (!summary) continue;
      rows.push([
        `${entry.scenario}@${entry.offeredRate}`,
        entry.server,
        shape,
        String(summary.count),
        `${f1(summary.p50)}/${f1(summary.p95)}/${f1(summary.p99)}`,
        String(summary.errors),
      ]);
    }
  }
  return table(['run', 'server', 'shape', 'n', 'p50/p95/p99 ms', 'errors'], rows);
}

export function barsTable(bars: readonly BarResult[]): string {
  return table(
    ['bar', 'target', 'measured', 'met'],
    bars.map((bar) => [bar.bar, bar.target, bar.value, bar.pass === null ? 'n/a' : bar.pass ? 'yes' : 'NO']),
  );
}
