import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admission } from './admission.ts';
import { jsonBody, MAX_JSON_BODY_BYTES } from './json-body.ts';

// A server over a real socket: the body is received by the Node adapter, as in production, and one
// request at a time is admitted, so a request that held its place while its body arrived would stop
// every other.
let server: ServerType;
let port: number;
/** How many requests reached the echo handler. */
let handled = 0;
/** Requests to /hold wait for this before they answer. */
let held = Promise.withResolvers<void>();

beforeAll(async () => {
  const app = new Hono();
  app.use(jsonBody());
  app.use(admission(1));
  app.post('/hold', async (c) => {
    await held.promise;
    return c.json({ held: await c.req.json() });
  });
  app.post('/echo', async (c) => {
    handled += 1;
    return c.json({ received: await c.req.json() });
  });
  server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(listening));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string, path = '/echo') =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    // A request stuck behind a held place fails the test instead of hanging it.
    signal: AbortSignal.timeout(5_000),
  });

/** A raw connection that sends a request's head and whatever part of its body the test gives. */
async function rawRequest(head: string): Promise<{ socket: Socket; answer: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  // An answer that does not come within seconds fails the test instead of hanging it.
  const timer = setTimeout(() => socket.destroy(), 5_000);
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on('error', () => undefined);
  });
  socket.write(head);
  return { socket, answer };
}

describe('the JSON body, received before the request goes on', () => {
  it('keeps a client that sends its body slowly from holding a place', async () => {
    const body = JSON.stringify({ subject: 'slow' });
    const slow = await rawRequest(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
    );
    // With one place, this answer would wait for the slow body if the slow request held the place.
    const fast = await post(JSON.stringify({ subject: 'fast' }));
    expect(await fast.json()).toEqual({ received: { subject: 'fast' } });

    slow.socket.write(body.slice(5));
    const answer = await slow.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('{"received":{"subject":"slow"}}');
  });

  it('hands the handler every byte, whatever chunks they came in', async () => {
    const text = 'äöü — ✓ '.repeat(5_000);
    const body = Buffer.from(JSON.stringify({ text }));
    const pieces = await rawRequest(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
    );
    // Cut inside multi-byte characters, in several writes.
    for (let at = 0; at < body.length; at += 7_777) {
      const piece = body.subarray(at, at + 7_777);
      pieces.socket.write(`${piece.length.toString(16)}\r\n`);
      pieces.socket.write(piece);
      pieces.socket.write('\r\n');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    pieces.socket.write('0\r\n\r\n');
    const answer = await pieces.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    const json = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(json)).toEqual({ received: { text } });
  });

  it('answers 413 when Content-Length is over the limit, without reading the body', async () => {
    const over = await rawRequest(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MAX_JSON_BODY_BYTES + 1}\r\n\r\n{`,
    );
    const answer = await over.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('PAYLOAD_TOO_LARGE');
  });

  it('answers 413 once a chunked body passes the limit, and closes the connection', async () => {
    const chunked = await rawRequest(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const piece = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent <= MAX_JSON_BODY_BYTES && !chunked.socket.destroyed; sent += piece.length) {
      chunked.socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    }
    const answer = await chunked.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('PAYLOAD_TOO_LARGE');
  });

  it('never hands on a request whose client left mid-body', async () => {
    const before = handled;
    const leaving = await rawRequest(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    leaving.socket.destroy();
    await leaving.answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled).toBe(before);
    const answer = await post(JSON.stringify({ subject: 'after' }));
    expect(await answer.json()).toEqual({ received: { subject: 'after' } });
    expect(handled).toBe(before + 1);
  });
});

describe('admission, over a socket', () => {
  it('drops a request whose client left while it waited, and serves the next', async () => {
    held = Promise.withResolvers<void>();
    const holding = post('{}', '/hold');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = handled;
    const body = JSON.stringify({ subject: 'left' });
    const leaving = await rawRequest(
      `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    leaving.socket.destroy();
    await leaving.answer;
    const waiting = post(JSON.stringify({ subject: 'stayed' }));
    await new Promise((resolve) => setTimeout(resolve, 50));

    held.resolve();
    expect(await (await holding).json()).toEqual({ held: {} });
    expect(await (await waiting).json()).toEqual({ received: { subject: 'stayed' } });
    expect(handled).toBe(before + 1);
  });
});
