import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';

/** Largest JSON request the API reads; uploads have their own, larger limit. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Refuses an API request body over MAX_JSON_BODY_BYTES with 413 before it is read whole. Hono's
 * bodyLimit trusts Content-Length when present and counts the streamed bytes otherwise. GET and HEAD
 * requests have no body to limit (a fetch request cannot carry one) and skip it: asking a Node request
 * for its body builds the whole fetch `Request` behind it, a cost every read would pay for nothing.
 */
export function jsonBodyLimit() {
  const limit = bodyLimit({
    maxSize: MAX_JSON_BODY_BYTES,
    // The unread rest of the body makes the connection unusable for another request.
    onError: (c) => {
      c.header('Connection', 'close');
      return c.json(
        {
          message: `request body over ${MAX_JSON_BODY_BYTES} bytes`,
          code: 'PAYLOAD_TOO_LARGE',
          data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 },
        },
        413,
      );
    },
  });
  return createMiddleware((c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next),
  );
}
