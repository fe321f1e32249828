import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { CLIENT_GONE } from './client-gone.ts';

/** Largest JSON request the API reads; uploads have their own, larger limit. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const tooLarge = (c: Context) => {
  // The unread rest of the body makes the connection unusable for another request.
  c.header('Connection', 'close');
  return c.json(
    {
      message: `request body over ${MAX_JSON_BODY_BYTES} bytes`,
      code: 'PAYLOAD_TOO_LARGE',
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
    },
    413,
  );
};

/**
 * Receives an API request's body whole before the request goes on, refusing it with 413 once it passes
 * MAX_JSON_BODY_BYTES (at once when Content-Length says so). Whatever comes after (admission, the
 * procedure) then never waits on the client: a client that sends its body slowly holds a socket and
 * nothing else. The bytes are handed to the Node adapter as the request's `rawBody`, which it reads in
 * place of the socket. GET and HEAD requests have no body (a fetch request cannot carry one).
 *
 * Outside the Node adapter (`app.request` in tests) Hono's bodyLimit counts the bytes as they are read.
 */
export function jsonBody<E extends { Bindings: Partial<HttpBindings> }>() {
  const limit = bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: tooLarge });
  return createMiddleware<E>(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const incoming = c.env?.incoming;
    if (incoming === undefined) return limit(c, next);
    if (Number(c.req.header('content-length')) > MAX_JSON_BODY_BYTES) return tooLarge(c);
    const body = await receive(incoming, MAX_JSON_BODY_BYTES);
    if (body === 'too large') return tooLarge(c);
    if (body === 'gone') return c.body(null, CLIENT_GONE);
    Object.assign(incoming, { rawBody: body });
    return next();
  });
}

/** The whole body, or why there is none. */
function receive(incoming: IncomingMessage, max: number): Promise<Buffer | 'too large' | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too large' | 'gone') => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
      if (result === 'too large') incoming.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) finish('too large');
      else chunks.push(chunk);
    };
    const onEnd = () => finish(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    const onGone = () => finish('gone');
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onGone);
    incoming.on('close', onGone);
  });
}
