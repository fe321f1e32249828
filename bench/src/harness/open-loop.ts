import http from 'node:http';
import { LatencyRecorder, type LatencySummary } from './latency.ts';
import type { BenchRequest, ShapeName } from './scenarios.ts';

// Open-loop load: requests leave on a fixed schedule (one every 1/rate seconds) whether or not earlier
// ones have been answered, and each latency is counted from the moment the request was *meant* to
// leave. A closed-loop client (or autocannon's --rate, which sends each second's quota in a burst and
// then waits) stops sending while the server stalls, so the stall never shows in its percentiles:
// coordinated omission, as Gil Tene named it and wrk2 corrects for. Here a stall delays every request
// scheduled behind it, and each of them counts the delay.
//
// In-flight requests are bounded: a request whose send moment comes while the bound is reached is
// dropped and counted, not queued without end; a run with drops did not sustain its rate.

export interface OpenLoopOptions {
  /** `http://host:port` of each process of the server; requests go to them in turn. */
  urls: string[];
  /** Requests per second offered. */
  rate: number;
  durationSeconds: number;
  /** Most requests in flight at once; beyond it a scheduled request is dropped. */
  maxInFlight: number;
  /** A request that takes longer counts as an error. */
  timeoutMs?: number;
  next(): BenchRequest;
}

export interface OpenLoopResult {
  /** When the schedule began (ISO time), to find the timeline's seconds in server and database logs. */
  startedAt: string;
  offeredRate: number;
  durationSeconds: number;
  /** Requests answered per second over the run. */
  achievedRate: number;
  sent: number;
  completed: number;
  /** Answers other than 2xx, and transport errors or timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  /** Scheduled requests not sent because maxInFlight were outstanding. */
  dropped: number;
  /** Latency from the intended send moment to the end of the answer. */
  latency: LatencySummary;
  /** How late the generator itself sent requests (its event loop's lag), p99, ms. */
  sendLagP99: number;
  byShape: Partial<Record<ShapeName, LatencySummary & { errors: number }>>;
  /**
   * The run second by second of its schedule (each request in the second it was meant to leave): tells
   * a stall of a second or two, which a run's percentiles cannot, from latency spread over the run.
   */
  timeline: OpenLoopSecond[];
  firstErrors: string[];
}

export interface OpenLoopSecond {
  /** Requests meant to leave in this second that were answered (or failed). */
  completed: number;
  dropped: number;
  errors: number;
  /** Milliseconds, from the intended send moment. */
  p50: number;
  p95: number;
  max: number;
}

/** Runs the schedule and resolves when every sent request has been answered or timed out. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const targets = options.urls.map((url) => new URL(url));
  if (targets.length === 0) throw new Error('runOpenLoop: no server to send to');
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.maxInFlight,
    maxFreeSockets: options.maxInFlight,
    // An idle socket is closed here after 4 s, before the server's keep-alive timeout (Node's 5 s) can
    // close it under a request just sent on it, which the run would count as an ECONNRESET error.
    timeout: 4_000,
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.durationSeconds);
  const latency = new LatencyRecorder();
  const lag = new LatencyRecorder();
  const shapes = new Map<ShapeName, { latency: LatencyRecorder; errors: number }>();
  const seconds = Array.from({ length: Math.ceil(options.durationSeconds) }, () => ({
    latency: new LatencyRecorder(),
    dropped: 0,
    errors: 0,
  }));
  // The second of the schedule of the i-th request, from its index: its intended time, a float, can
  // fall a hair short of a second's boundary it is meant to start.
  const secondOf = (index: number) => seconds[Math.min(seconds.length - 1, Math.floor(index / options.rate))];
  type Second = (typeof seconds)[number];
  const statusCounts: Record<string, number> = {};
  const firstErrors: string[] = [];
  let inFlight = 0;
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let dropped = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const finish = (
    request: BenchRequest,
    intended: number,
    second: Second | undefined,
    status: string,
    ok: boolean,
    detail?: string,
  ) => {
    const ms = performance.now() - intended;
    latency.record(ms);
    let shape = shapes.get(request.shape);
    if (!shape) {
      shape = { latency: new LatencyRecorder(), errors: 0 };
      shapes.set(request.shape, shape);
    }
    shape.latency.record(ms);
    second?.latency.record(ms);
    if (!ok && second) second.errors++;
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    if (!ok) {
      errors++;
      shape.errors++;
      if (firstErrors.length < 5)
        firstErrors.push(`${request.method} ${request.path}: ${status}${detail ? ` ${detail}` : ''}`);
    }
    completed++;
    inFlight--;
    if (sent + dropped === total && inFlight === 0) resolveDone();
  };

  const send = (request: BenchRequest, intended: number, second: Second | undefined) => {
    const url = targets[sent % targets.length] as URL;
    inFlight++;
    sent++;
    lag.record(performance.now() - intended);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    let settled = false;
    const settle = (status: string, ok: boolean, detail?: string) => {
      if (settled) return;
      settled = true;
      finish(request, intended, second, status, ok, detail);
    };
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers,
        timeout: timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (status >= 300 && body.length < 300) body += chunk;
        });
        res.on('end', () => settle(String(status), status >= 200 && status < 300, body.slice(0, 200)));
        res.on('error', (error) => settle('error', false, error.message));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error('timeout'));
    });
    req.on('error', (error) =>
      settle(error.message === 'timeout' ? 'timeout' : 'error', false, error.message),
    );
    if (request.body !== undefined) req.end(request.body);
    else req.end();
  };

  const startedAt = new Date().toISOString();
  const start = performance.now();
  let index = 0;
  await new Promise<void>((resolveSchedule) => {
    const tick = () => {
      const now = performance.now();
      // Everything whose moment has come leaves now; its latency still counts from its moment.
      while (index < total && start + index * interval <= now) {
        const intended = start + index * interval;
        const second = secondOf(index);
        index++;
        const request = options.next();
        if (inFlight >= options.maxInFlight) {
          dropped++;
          if (second) second.dropped++;
          statusCounts.dropped = (statusCounts.dropped ?? 0) + 1;
          continue;
        }
        send(request, intended, second);
      }
      if (index >= total) return resolveSchedule();
      const wait = start + index * interval - performance.now();
      setTimeout(tick, Math.max(0, wait));
    };
    tick();
  });
  if (inFlight === 0) resolveDone();
  await done;
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    startedAt,
    offeredRate: options.rate,
    durationSeconds: options.durationSeconds,
    achievedRate: completed / elapsed,
    sent,
    completed,
    errors,
    statusCounts,
    dropped,
    latency: latency.summary(),
    sendLagP99: lag.summary().p99,
    byShape: Object.fromEntries(
      [...shapes.entries()].map(([name, shape]) => [
        name,
        { ...shape.latency.summary(), errors: shape.errors },
      ]),
    ),
    timeline: seconds.map((second) => {
      const summary = second.latency.summary();
      return {
        completed: summary.count,
        dropped: second.dropped,
        errors: second.errors,
        p50: summary.p50,
        p95: summary.p95,
        max: summary.max,
      };
    }),
    firstErrors,
  };
}
