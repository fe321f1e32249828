import { bodyLimit } from 'hono/body-limit';

/** Largest JSON request the API reads; uploads have their own, larger limit. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Refuses an API request body over MAX_JSON_BODY_BYTES with 413 before it is read whole. Hono's
 * bodyLimit trusts Content-Length when present and counts the streamed bytes otherwise.
 */
export function jsonBodyLimit() {
  return bodyLimit({
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
}
