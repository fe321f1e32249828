import type { HttpBindings } from '@hono/node-server';
import { createMiddleware } from 'hono/factory';
import { CLIENT_GONE } from './client-gone.ts';

interface Waiter {
  admit: () => void;
  next: Waiter | undefined;
}

/**
 * Lets at most `limit` requests run at once; the rest wait, in arrival order, before anything is built
 * for them. Past its saturation a server otherwise starts every request it receives and parks it at
 * the database pool, where each one holds its context, entity manager and request objects alive for as
 * long as it waits: they outlive the young generation and are promoted, and the garbage collector's
 * extra work makes each request dearer exactly when the process has no time to spare (docs/PERFORMANCE.md,
 * "Efficiency under overload"). Waiting here costs a promise. A request's body has been read before
 * it gets here (jsonBody), so a client that sends slowly never holds a place. A request whose client
 * has gone while it waited (a browser that moved on, a proxy that timed out) is dropped when its turn
 * comes instead of being served to nobody: under overload that is most of the waiting work.
 */
export function admission<E extends { Bindings: Partial<HttpBindings> }>(limit: number) {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`admission limit must be a positive integer, got ${limit}`);
  let running = 0;
  let first: Waiter | undefined;
  let last: Waiter | undefined;
  const release = () => {
    const waiter = first;
    if (waiter === undefined) {
      running -= 1;
      return;
    }
    // The place passes straight to the next in line; `running` stays as it is.
    first = waiter.next;
    if (first === undefined) last = undefined;
    waiter.admit();
  };
  const wait = () =>
    new Promise<void>((admit) => {
      const waiter: Waiter = { admit, next: undefined };
      if (last === undefined) first = waiter;
      else last.next = waiter;
      last = waiter;
    });
  return createMiddleware<E>(async (c, next) => {
    if (running < limit) running += 1;
    else {
      await wait();
      if (c.env?.incoming?.socket.destroyed === true) {
        release();
        return c.body(null, CLIENT_GONE);
      }
    }
    try {
      await next();
    } finally {
      release();
    }
  });
}
