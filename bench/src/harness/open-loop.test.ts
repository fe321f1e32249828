import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { runOpenLoop } from './open-loop.ts';
import { worstSecond } from './report.ts';

// The property that makes the generator open-loop: a stall delays every request scheduled during it, and
// each of those counts its delay from its intended send moment (no coordinated omission), even when the
// stall kept the generator itself from sending them on time.
/**
 * A server that stalls its whole process for 300 ms at its 21st request: the server and the generator
 * share this event loop, so nothing is sent or answered until it ends, as when a machine pauses. Counted
 * from the requests rather than the clock, so a slow start of the generator on a busy machine cannot
 * move the stall over the whole run.
 */
async function serveWithStall(): Promise<{ url: string; close(): void }> {
  let received = 0;
  const server = createServer((_req, res) => {
    received += 1;
    if (received === 21) {
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // the stall
      }
    }
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

test('a stall shows in the latency of every request scheduled during it', async () => {
  // At 100 requests/s the stall comes 200 ms into the schedule.
  const server = await serveWithStall();
  try {
    const result = await runOpenLoop({
      urls: [server.url],
      rate: 100,
      durationSeconds: 1,
      maxInFlight: 100,
      next: () => ({ shape: 'detail', method: 'GET', path: '/', token: null }),
    });
    assert.equal(result.sent, 100);
    assert.equal(result.errors, 0);
    // About 30 requests were scheduled inside the 300 ms stall and sent after it, each counting the wait:
    // the 20 of its first 200 ms at least 100 ms, so a tenth of all requests or more, the first ~300 ms.
    // A generator that timed requests from their actual sending would show one slow request. (Only
    // lower bounds: a busy machine, running other tests beside this one, makes every request slower and
    // the generator late, and must not fail it.)
    assert.ok(result.latency.p90 >= 100, `p90 ${result.latency.p90} ms should show the stall`);
    assert.ok(result.latency.max >= 250, `max ${result.latency.max} ms should be the stall`);
  } finally {
    server.close();
  }
});

test('the timeline puts each request in the second it was meant to leave', async () => {
  // At 50 requests/s the stall comes inside the first second of a two-second schedule.
  const server = await serveWithStall();
  try {
    const result = await runOpenLoop({
      urls: [server.url],
      rate: 50,
      durationSeconds: 2,
      maxInFlight: 100,
      next: () => ({ shape: 'detail', method: 'GET', path: '/', token: null }),
    });
    assert.equal(result.timeline.length, 2);
    const [first, second] = result.timeline;
    assert.ok(first && second);
    assert.equal(first.completed + second.completed, result.completed);
    assert.equal(first.completed, 50);
    // The stall is in the first second and makes it the worst by p95 (about 15 of its 50 requests were
    // held). Only lower bounds on the second itself: a busy machine may slow any request.
    assert.ok(first.max >= 250, `first second's max ${first.max} ms should be the stall`);
    assert.ok(first.p95 >= 100, `first second's p95 ${first.p95} ms should show the stall`);
    assert.equal(worstSecond(result).endsWith('@0s'), true, worstSecond(result));
  } finally {
    server.close();
  }
});

test('requests beyond the in-flight bound are dropped and counted', async () => {
  const server = createServer((_req, res) => {
    setTimeout(() => res.end('{}'), 400);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const result = await runOpenLoop({
      urls: [`http://127.0.0.1:${port}`],
      rate: 50,
      durationSeconds: 0.4,
      maxInFlight: 5,
      next: () => ({ shape: 'detail', method: 'GET', path: '/', token: null }),
    });
    assert.equal(result.sent, 5);
    assert.equal(result.dropped, 15);
  } finally {
    server.close();
  }
});

test('requests are dealt over the processes of a server in turn', async () => {
  const counts = [0, 0];
  const servers = counts.map((_, index) =>
    createServer((_req, res) => {
      counts[index] = (counts[index] ?? 0) + 1;
      res.end('{}');
    }),
  );
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))),
  );
  try {
    const result = await runOpenLoop({
      urls: servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      rate: 100,
      durationSeconds: 0.3,
      maxInFlight: 30,
      next: () => ({ shape: 'detail', method: 'GET', path: '/', token: null }),
    });
    assert.equal(result.errors, 0);
    assert.deepEqual(counts, [15, 15]);
  } finally {
    for (const server of servers) server.close();
  }
});
