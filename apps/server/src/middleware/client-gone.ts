import type { UnofficialStatusCode } from 'hono/utils/http-status';

/**
 * The status logged for a request whose client left before it was answered (nginx's 499, "client closed
 * request"); nobody receives it.
 */
export const CLIENT_GONE = 499 as UnofficialStatusCode;
