import type { Logger } from '@atum-desk/core/server';
import { createMiddleware } from 'hono/factory';
import type { RequestIdVariables } from 'hono/request-id';

export type RequestLoggerVariables = RequestIdVariables & { logger: Logger };

/** Gives each request a child logger carrying its id, and logs one line when the response is sent. */
export function requestLogger(logger: Logger) {
  return createMiddleware<{ Variables: RequestLoggerVariables }>(async (c, next) => {
    const started = performance.now();
    const child = logger.child({ reqId: c.get('requestId') });
    c.set('logger', child);
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) child.error(line, 'request failed');
    else child.info(line, 'request');
  });
}
