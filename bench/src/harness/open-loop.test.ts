import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { runOpenLoop } from './open-loop.ts';

// The property that makes the generator open-loop: a server stall delays every request scheduled during
// it, and each of those counts its delay from its intended send moment (no coordinated omission).
test('a stall shows in the latency of every request scheduled during it', async () => {
  let received = 0;
  let stalledUntil = 0;
  const server = createServer((_req, res) => {
    const now = Date.now();
    // One stall of 300 ms, starting at the 21st request (200 ms into the schedule): nothing is answered
    // until it ends. Counted from the requests rather than the clock, so a slow start of the generator on
    // a busy machine cannot move the stall over the whole run.
    received += 1;
    if (received === 21) stalledUntil = now + 300;
    const wait = Math.max(0, stalledUntil - now);
    setTimeout(() => res.end('{}'), wait);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // The requests are told apart by shape: the 15 scheduled well before the stall, and the 15 scheduled
  // in its first 150 ms.
  let scheduled = 0;
  const shapeOf = (index: number) =>
    index <= 15 ? 'detail' : index >= 21 && index <= 35 ? 'comment' : 'inbox';
  try {
    const result = await runOpenLoop({
      urls: [`http://127.0.0.1:${port}`],
      rate: 100,
      durationSeconds: 1,
      maxInFlight: 100,
      next: () => ({ shape: shapeOf(++scheduled), method: 'GET', path: '/', token: null }),
    });
    assert.equal(result.sent, 100);
    assert.equal(result.errors, 0);
    // About 30 requests were scheduled inside the 300 ms stall; the first of them waited ~300 ms.
    assert.ok(result.latency.p90 >= 100, `p90 ${result.latency.p90} ms should show the stall`);
    assert.ok(result.latency.max >= 250, `max ${result.latency.max} ms should be the stall`);
    // Each request scheduled in the stall waits out the rest of it (the first 15: 300 down to 160 ms);
    // the ones before it do not. A busy machine delays both alike, so the difference is the stall's.
    const before = result.byShape.detail?.p50 ?? Number.NaN;
    const during = result.byShape.comment?.p50 ?? Number.NaN;
    assert.ok(
      during - before >= 100,
      `requests scheduled in the stall (p50 ${during} ms) should wait it out, unlike those before it (p50 ${before} ms)`,
    );
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
