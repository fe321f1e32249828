// `pnpm bench [--full]`: the ATUM DESK benchmark (issue #9). Generates (or reuses) the data set, starts
// the bare baseline and ATUM DESK each in processes of its own (one each unless `--instances`) on that
// database, runs every scenario against
// both (closed-loop to saturation, then the SPEC §14 mix open-loop at a fixed rate), probes the
// WebSocket path, explains the product's queries, and writes a table to stdout and JSON to
// bench/results/. See docs/PERFORMANCE.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@atum-desk/core/server';
import pg from 'pg';
import { BENCH_DATA_DIR, openDatabaseServer, serverVersion } from './database.ts';
import { ensureDataset } from './dataset/generate.ts';
import { Random } from './dataset/random.ts';
import { DATASETS } from './dataset/spec.ts';
import { runClosedLoop } from './harness/closed-loop.ts';
import { explainProductQueries, explainSummary } from './harness/explain.ts';
import { type Fixtures, loadFixtures, refreshSessions, resetWrites } from './harness/fixtures.ts';
import {
  childPids,
  describeMachine,
  measureCpu,
  pidsByCommandLine,
  type QuietCheck,
  waitForQuiet,
} from './harness/machine.ts';
import { runOpenLoop } from './harness/open-loop.ts';
import {
  type BarResult,
  barsTable,
  type ClosedLoopEntry,
  type Conditions,
  closedLoopTable,
  type OpenLoopEntry,
  openLoopTable,
  type RunReport,
  shapeTable,
  worstSecond,
} from './harness/report.ts';
import { pagedCustomers, type ScenarioContext, scenarioByName } from './harness/scenarios.ts';
import {
  type ServerGroup,
  type ServerName,
  type ServerUnderTest,
  sampleRss,
  startServerGroup,
  startServerProcess,
} from './harness/servers.ts';
import { runWsProbe } from './harness/ws-probe.ts';
import { type BenchOptions, parseOptions, USAGE } from './options.ts';

const RESULTS_DIR = new URL('../results/', import.meta.url).pathname;

/** Someone else using this much CPU during a measurement (in cores) disqualifies the figure. */
const FOREIGN_CORES_LIMIT = 0.5;

function say(line: string) {
  process.stderr.write(`${line}\n`);
}

/** Fetches, for each paged customer, the cursor of their second page as this server hands it out. */
async function fetchCursors(server: ServerGroup, fixtures: Fixtures): Promise<Map<string, string>> {
  const cursors = new Map<string, string>();
  for (const user of pagedCustomers(fixtures)) {
    const response = await fetch(`${server.urls[0]}/api/v1/tickets?limit=25`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    if (!response.ok) throw new Error(`${server.name}: GET /api/v1/tickets answered ${response.status}`);
    const page = (await response.json()) as { nextCursor: string | null };
    if (page.nextCursor) cursors.set(user.id, page.nextCursor);
  }
  return cursors;
}

async function main(options: BenchOptions) {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logger = createLogger({ name: 'bench', level: 'warn' });
  const spec = DATASETS[options.dataset];
  const warnings: string[] = [];
  const machine = describeMachine();
  say(
    `atum-desk bench (${options.mode}): ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
  );

  // biome-ignore lint/style/noProcessEnv: like the product, the bench reads DATABASE_URL (unset: embedded)
  const database = await openDatabaseServer(process.env.DATABASE_URL, logger);
  const servers: Partial<Record<ServerName, ServerGroup>> = {};
  let extraReader: ServerUnderTest | undefined;
  let client: pg.Client | undefined;
  let cleaning: Promise<void> | undefined;
  // Once, from the end of the run or from Ctrl-C/kill: no server or database outlives the bench.
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await Promise.all(
        [...Object.values(servers), ...(extraReader ? [extraReader] : [])].map((server) => server.stop()),
      );
      await client?.end().catch(() => undefined);
      await database.stop();
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`bench interrupted (${signal}); stopping its servers\n`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const dataset = await ensureDataset(database, spec, { logger, force: options.regenerate, log: say });
    if (options.generateOnly) return;
    const postgres = await serverVersion(dataset.url);
    client = new pg.Client({ connectionString: dataset.url });
    await client.connect();
    const reset = await resetWrites(client, dataset.generatedAt);
    if (reset.tickets + reset.comments + reset.jobs > 0)
      say(
        `removed ${reset.tickets} tickets, ${reset.comments} comments and ${reset.jobs} unrun jobs written by earlier runs`,
      );
    const fixtures = await loadFixtures(client);
    say(
      `fixtures: ${fixtures.users.length} sessions, ${fixtures.detailTargets.length} detail targets, ${fixtures.commentTargets.length} open tickets`,
    );

    const logFile = (name: string) => join(RESULTS_DIR, `${stamp}-${name}.log`);
    const serverOptions = {
      databaseUrl: dataset.url,
      poolSize: options.poolSize,
      atumLogLevel: options.atumLogLevel,
      atumNodeEnv: options.atumNodeEnv,
      atumNodeOptions: options.atumNodeOptions,
      atumDataDir: join(BENCH_DATA_DIR, 'atum-server'),
    };
    // The same number of processes for both, so the ratio compares like with like.
    const instanceLog = (name: ServerName) => (index: number) =>
      logFile(options.instances > 1 ? `${name}-${index + 1}` : name);
    servers.baseline = await startServerGroup('baseline', options.instances, {
      ...serverOptions,
      logFile: instanceLog('baseline'),
    });
    servers.atum = await startServerGroup('atum', options.instances, {
      ...serverOptions,
      logFile: instanceLog('atum'),
    });
    // Resident memory of each process once it answers, before any load.
    const rssOf = (group: ServerGroup) => group.processes.map((process) => process.rss()?.rssMb ?? null);
    const startRss = { atum: rssOf(servers.atum), baseline: rssOf(servers.baseline) };
    const describe = (group: ServerGroup) =>
      group.processes.map((process) => `pid ${process.pid} at ${process.url}`).join(', ');
    say(`servers: baseline ${describe(servers.baseline)}; atum ${describe(servers.atum)}`);

    const contexts: Record<ServerName, ScenarioContext> = {
      baseline: { fixtures, cursors: await fetchCursors(servers.baseline, fixtures) },
      atum: { fixtures, cursors: await fetchCursors(servers.atum, fixtures) },
    };

    // Our own processes: the server under test, the idle one, the harness, and (embedded) the bench's
    // PostgreSQL with its backends. Anything else busy during a measurement is someone else's load.
    const postmaster = database.kind === 'embedded' ? pidsByCommandLine(BENCH_DATA_DIR)[0] : undefined;
    const postgresPids = () => (postmaster ? [postmaster, ...childPids(postmaster)] : []);
    if (!postmaster)
      warnings.push(
        'PostgreSQL is not the embedded one: its CPU use counts as foreign load in the "foreign" figures',
      );
    const measure = async <T>(
      server: ServerGroup,
      work: () => Promise<T>,
    ): Promise<{ result: T; conditions: Conditions }> => {
      const quiet: QuietCheck = await waitForQuiet(options.quietWaitSeconds);
      const cpu = measureCpu({
        server: () => server.pids(),
        postgres: postgresPids,
        harness: () => [process.pid],
        idle: () => [
          ...Object.values(servers)
            .filter((other) => other !== server)
            .flatMap((other) => other.pids()),
          ...(extraReader ? [extraReader.pid] : []),
        ],
      });
      const rss = sampleRss(server.processes);
      const result = await work();
      const usage = cpu.stop();
      const peakRssMbEach = rss.stop();
      if (!server.alive())
        throw new Error(`${server.name} died during the measurement; see its logs in bench/results/`);
      const disturbed = quiet.busy || usage.foreignCores >= FOREIGN_CORES_LIMIT;
      return {
        result,
        conditions: { quiet, cpu: usage, peakRssMb: Math.max(...peakRssMbEach), peakRssMbEach, disturbed },
      };
    };

    const closedLoop: ClosedLoopEntry[] = [];
    for (const name of options.scenarios) {
      const scenario = scenarioByName(name);
      for (const connections of scenario.name === 'mix' ? options.mixConnections : options.connections) {
        for (const serverName of ['baseline', 'atum'] as const) {
          if (serverName === 'baseline' && !scenario.baseline) continue;
          const server = servers[serverName];
          if (!server) continue;
          await refreshSessions(client, fixtures.users);
          const random = new Random(7);
          const next = () => scenario.build(random, contexts[serverName]);
          if (options.warmupSeconds > 0)
            await runClosedLoop({
              urls: server.urls,
              connections,
              durationSeconds: options.warmupSeconds,
              next,
            });
          const { result, conditions } = await measure(server, () =>
            runClosedLoop({
              urls: server.urls,
              connections,
              durationSeconds: options.durationSeconds,
              next,
            }),
          );
          closedLoop.push({ ...result, scenario: scenario.name, server: serverName, conditions });
          say(
            `  closed ${scenario.name.padEnd(13)} ${serverName.padEnd(8)} c=${connections}: ${result.rps.toFixed(0).padStart(5)} rps, p95 ${result.latency.p95.toFixed(1)} ms, ${result.non2xx + result.errors} errors, ${conditions.peakRssMb.toFixed(0)} MB, idle ${(conditions.quiet.idle * 100).toFixed(0)} %, foreign ${conditions.cpu.foreignCores.toFixed(2)} cores${conditions.disturbed ? ' (DISTURBED)' : ''}`,
          );
          if (result.non2xx > 0) {
            const codes = Object.entries(result.statusCounts)
              .filter(([code]) => !code.startsWith('2'))
              .map(([code, n]) => `${code}×${n}`)
              .join(' ');
            const shapes = Object.entries(result.byShape)
              .filter(([, summary]) => (summary?.errors ?? 0) > 0)
              .map(([shape, summary]) => `${shape}×${summary?.errors}`)
              .join(' ');
            warnings.push(`${scenario.name} on ${serverName}: non-2xx answers ${codes} (${shapes})`);
            say(`    non-2xx: ${codes} (${shapes})`);
          }
        }
      }
    }

    const openLoop: OpenLoopEntry[] = [];
    const mix = scenarioByName('mix');
    for (const rate of options.openRates) {
      for (const serverName of ['baseline', 'atum'] as const) {
        const server = servers[serverName];
        if (!server) continue;
        await refreshSessions(client, fixtures.users);
        const random = new Random(11);
        const next = () => mix.build(random, contexts[serverName]);
        await runOpenLoop({
          urls: server.urls,
          rate,
          durationSeconds: Math.min(3, options.openSeconds),
          maxInFlight: options.maxInFlight,
          next,
        });
        const { result, conditions } = await measure(server, () =>
          runOpenLoop({
            urls: server.urls,
            rate,
            durationSeconds: options.openSeconds,
            maxInFlight: options.maxInFlight,
            next,
          }),
        );
        openLoop.push({ ...result, scenario: 'mix', server: serverName, conditions });
        say(
          `  open   mix@${rate} ${serverName.padEnd(8)}: ${result.achievedRate.toFixed(0)} rps, p50 ${result.latency.p50.toFixed(1)} p95 ${result.latency.p95.toFixed(1)} p99 ${result.latency.p99.toFixed(1)} ms, ${result.errors} errors, ${result.dropped} dropped, worst second ${worstSecond(result)}${conditions.disturbed ? ' (DISTURBED)' : ''}`,
        );
        for (const error of result.firstErrors) warnings.push(`open-loop ${serverName}: ${error}`);
      }
    }

    let ws: RunReport['ws'] = null;
    if (options.ws && servers.atum) {
      await refreshSessions(client, fixtures.users);
      try {
        // Changes go to the first process, the subscriber listens on the second (started for the probe
        // when the bench runs one process per server).
        const [writer, second] = servers.atum.processes;
        if (!writer) throw new Error('no ATUM process');
        if (!second)
          extraReader = await startServerProcess('atum', {
            ...serverOptions,
            logFile: logFile('atum-reader'),
          });
        const reader = second ?? extraReader;
        if (!reader) throw new Error('no second ATUM process');
        ws = await runWsProbe({
          writer,
          reader,
          fixtures,
          samples: options.mode === 'full' ? 500 : 100,
          rate: 20,
        });
      } catch (error) {
        ws = { ok: false, error: (error as Error).message };
      }
      say(
        ws.latency
          ? `  websocket: p50 ${ws.latency.p50.toFixed(1)} p95 ${ws.latency.p95.toFixed(1)} p99 ${ws.latency.p99.toFixed(1)} ms over ${ws.samples} changes${ws.error ? ` (${ws.error})` : ''}`
          : `  websocket: ${ws.error}`,
      );
    }

    let explain: RunReport['explain'] = null;
    if (options.explain) {
      await refreshSessions(client, fixtures.users);
      try {
        const shapes = await explainProductQueries(dataset.url, fixtures);
        explain = shapes;
        say(`\nEXPLAIN (ANALYZE, BUFFERS) of the product's queries:\n${explainSummary(shapes)}`);
      } catch (error) {
        warnings.push(`EXPLAIN failed: ${(error as Error).message}`);
      }
    }

    const bars = evaluateBars(closedLoop, openLoop, ws);
    const report: RunReport = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      mode: options.mode,
      argv: process.argv.slice(2),
      machine: { ...machine, postgres, databaseServer: database.kind },
      dataset: { ...dataset, url: undefined },
      servers: {
        atum: serverReport(servers.atum, startRss.atum),
        baseline: serverReport(servers.baseline, startRss.baseline),
      },
      closedLoop,
      openLoop,
      ws,
      explain,
      bars,
      warnings,
    };
    const file = join(RESULTS_DIR, `${stamp}-${options.mode}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(RESULTS_DIR, `latest-${options.mode}.json`), `${JSON.stringify(report, null, 2)}\n`);

    const out = process.stdout;
    out.write(
      `\nClosed loop (saturation), ${options.connections.join('/')} connections (mix: ${options.mixConnections.join('/')}), ${options.durationSeconds} s each; "!" = disturbed\n`,
    );
    out.write(`${closedLoopTable(closedLoop)}\n`);
    if (openLoop.length > 0) {
      out.write(`\nOpen loop (latency from the intended send time), ${options.openSeconds} s each\n`);
      out.write(`${openLoopTable(openLoop)}\n\n${shapeTable(openLoop)}\n`);
    }
    out.write(`\nSPEC §14 bars\n${barsTable(bars)}\n`);
    const megabytes = (values: readonly (number | null)[]) =>
      values.map((value) => (value === null ? '?' : value.toFixed(0))).join(' + ');
    out.write(
      `\nRSS per process after start: atum ${megabytes(startRss.atum)} MB, baseline ${megabytes(startRss.baseline)} MB; peak over the run (VmHWM): atum ${megabytes(report.servers.atum.vmHwmMb)} MB, baseline ${megabytes(report.servers.baseline.vmHwmMb)} MB\n`,
    );
    for (const warning of warnings) out.write(`warning: ${warning}\n`);
    out.write(`\nresults: ${file}\n`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

function serverReport(group: ServerGroup, startRssMb: (number | null)[]): RunReport['servers']['atum'] {
  const [first] = group.processes;
  return {
    command: first?.command ?? '',
    settings: { ...first?.settings, PORT: group.urls.map((url) => new URL(url).port).join(', ') },
    instances: group.processes.length,
    startRssMb,
    vmHwmMb: group.processes.map((process) => process.rss()?.hwmMb ?? null),
  };
}

function best(
  entries: readonly ClosedLoopEntry[],
  scenario: string,
  server: ServerName,
): ClosedLoopEntry | undefined {
  return entries
    .filter((entry) => entry.scenario === scenario && entry.server === server)
    .sort((a, b) => b.okRps - a.okRps)[0];
}

function evaluateBars(
  closedLoop: readonly ClosedLoopEntry[],
  openLoop: readonly OpenLoopEntry[],
  ws: RunReport['ws'],
): BarResult[] {
  const bars: BarResult[] = [];
  const mixAtum = best(closedLoop, 'mix', 'atum');
  const mixBase = best(closedLoop, 'mix', 'baseline');
  bars.push({
    bar: 'mix saturation vs baseline',
    target: '>= 0.60 × baseline',
    value:
      mixAtum && mixBase
        ? `${(mixAtum.okRps / mixBase.okRps).toFixed(2)} (${mixAtum.okRps.toFixed(0)} vs ${mixBase.okRps.toFixed(0)} rps)`
        : 'not run',
    pass: mixAtum && mixBase ? mixAtum.okRps / mixBase.okRps >= 0.6 : null,
  });
  const open500 = openLoop.find((entry) => entry.server === 'atum' && entry.offeredRate === 500);
  bars.push({
    bar: 'mix open-loop at 500 rps, p95',
    target: '< 50 ms',
    value: open500
      ? `${open500.latency.p95.toFixed(1)} ms (${open500.errors} errors, ${open500.dropped} dropped)`
      : 'not run',
    pass: open500 ? open500.latency.p95 < 50 && open500.dropped === 0 : null,
  });
  const search = open500?.byShape.search;
  const searchClosed = best(closedLoop, 'search', 'atum');
  bars.push({
    bar: 'full-text search p95',
    target: '< 100 ms',
    value: search
      ? `${search.p95.toFixed(1)} ms in the open-loop mix${searchClosed ? `; ${searchClosed.latency.p95.toFixed(1)} ms at saturation` : ''}`
      : searchClosed
        ? `${searchClosed.latency.p95.toFixed(1)} ms at saturation`
        : 'not run',
    pass: search ? search.p95 < 100 : searchClosed ? searchClosed.latency.p95 < 100 : null,
  });
  const create = best(closedLoop, 'create', 'atum');
  bars.push({
    bar: 'ticket creation throughput',
    target: '>= 500 rps',
    value: create ? `${create.okRps.toFixed(0)} rps` : 'not run',
    pass: create ? create.okRps >= 500 : null,
  });
  bars.push({
    bar: 'change to WebSocket subscriber, p95',
    target: '< 100 ms',
    value: ws?.latency ? `${ws.latency.p95.toFixed(1)} ms` : (ws?.error ?? 'not run'),
    pass: ws?.latency ? ws.latency.p95 < 100 && ws.ok : null,
  });
  const peak = (server: ServerName) =>
    Math.max(
      0,
      ...closedLoop.filter((entry) => entry.server === server).map((entry) => entry.conditions.peakRssMb),
      ...openLoop.filter((entry) => entry.server === server).map((entry) => entry.conditions.peakRssMb),
    );
  bars.push({
    bar: 'RSS per server process at saturation',
    target: '< 300 MB',
    value: `atum ${peak('atum').toFixed(0)} MB, baseline ${peak('baseline').toFixed(0)} MB`,
    pass: closedLoop.length > 0 ? peak('atum') < 300 : null,
  });
  return bars;
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(USAGE);
} else {
  main(options).catch((error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
