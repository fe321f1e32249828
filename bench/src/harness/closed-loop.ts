import autocannon from 'autocannon';
import { LatencyRecorder, type LatencySummary } from './latency.ts';
import type { BenchRequest, ShapeName } from './scenarios.ts';

// Closed-loop load with autocannon: `connections` clients each send a request, wait for the answer and
// send the next, as fast as the server answers. The throughput it settles at is the saturation point.
// Its latencies are those of a saturated server with a queue of `connections` requests in front of it
// (they say how long a request waits at saturation, not how fast the server is at a given load: that
// is the open-loop run's question).

export interface ClosedLoopOptions {
  /** `http://host:port` of each process of the server; the connections are dealt over them in turn. */
  urls: string[];
  connections: number;
  durationSeconds: number;
  next(): BenchRequest;
}

export interface ClosedLoopResult {
  connections: number;
  durationSeconds: number;
  /** Answered requests per second (any status). */
  rps: number;
  /** 2xx answers per second. */
  okRps: number;
  requests: number;
  /** Answers other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  latency: LatencySummary;
  byShape: Partial<Record<ShapeName, LatencySummary & { errors: number }>>;
}

interface ShapeContext {
  shape?: ShapeName;
}

/** The part of autocannon's client the response listener reads: the context of the answered request. */
interface ClientWithContext {
  requestIterator?: { context?: ShapeContext };
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const latency = new LatencyRecorder();
  const shapes = new Map<ShapeName, { latency: LatencyRecorder; errors: number }>();
  const statusCounts: Record<string, number> = {};
  let requests = 0;
  let non2xx = 0;
  const started = performance.now();
  // One autocannon per process of the server, the connections dealt over them, all in this event loop.
  const share = (index: number) =>
    Math.floor(options.connections / options.urls.length) +
    (index < options.connections % options.urls.length ? 1 : 0);
  const run = (url: string, connections: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url,
          connections,
          duration: options.durationSeconds,
          timeout: 10,
          requests: [
            {
              // Called for every request. The shape goes into the connection's context: autocannon emits a
              // response before it builds the next request, so the listener below still reads this one's.
              setupRequest: (request, context) => {
                const next = options.next();
                (context as ShapeContext).shape = next.shape;
                const headers: Record<string, string> = { accept: 'application/json' };
                if (next.token) headers.authorization = `Bearer ${next.token}`;
                if (next.body !== undefined) headers['content-type'] = 'application/json';
                return { ...request, method: next.method, path: next.path, headers, body: next.body ?? '' };
              },
            },
          ],
        },
        (error: unknown, finished: autocannon.Result) => (error ? reject(error) : resolve(finished)),
      );
      instance.on('response', (client, statusCode, _bytes, responseTime) => {
        requests++;
        const ok = statusCode >= 200 && statusCode < 300;
        if (!ok) non2xx++;
        latency.record(responseTime);
        statusCounts[String(statusCode)] = (statusCounts[String(statusCode)] ?? 0) + 1;
        const shapeName = (client as unknown as ClientWithContext).requestIterator?.context?.shape;
        if (shapeName) {
          let shape = shapes.get(shapeName);
          if (!shape) {
            shape = { latency: new LatencyRecorder(), errors: 0 };
            shapes.set(shapeName, shape);
          }
          shape.latency.record(responseTime);
          if (!ok) shape.errors++;
        }
      });
    });
  const results = await Promise.all(
    options.urls.flatMap((url, index) => (share(index) > 0 ? [run(url, share(index))] : [])),
  );
  const longest = Math.max(...results.map((result) => result.duration));
  const seconds = longest > 0 ? longest : (performance.now() - started) / 1000;
  return {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    rps: requests / seconds,
    okRps: (requests - non2xx) / seconds,
    requests,
    non2xx,
    errors: results.reduce((sum, result) => sum + result.errors + result.timeouts, 0),
    statusCounts,
    latency: latency.summary(),
    byShape: Object.fromEntries(
      [...shapes.entries()].map(([name, shape]) => [
        name,
        { ...shape.latency.summary(), errors: shape.errors },
      ]),
    ),
  };
}
