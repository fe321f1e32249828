// The one error type of domain code. It knows nothing of HTTP: server/trpc/error-map.ts keeps a record
// over every code giving the tRPC code and HTTP status, so a code added here fails the build until mapped.

/** Every reason domain code refuses a request. */
export const DOMAIN_ERROR_CODES = [
  /** No valid session or token (401). */
  'UNAUTHENTICATED',
  /** The object does not exist or belongs to another organization (404, never 403: no existence leak). */
  'NOT_FOUND',
  /** The caller's role or relation to the object lacks the right (403). */
  'FORBIDDEN',
  /** The ticket's status does not allow the action (409). */
  'INVALID_TRANSITION',
  /** A concurrent change won, e.g. two managers accepting one ticket (409). */
  'CONFLICT',
  /** Over a configured rate limit (429 with Retry-After). */
  'RATE_LIMITED',
  /** An upload or body over its size limit (413). */
  'PAYLOAD_TOO_LARGE',
  /** A file whose content type is not on the allow-list (415). */
  'UNSUPPORTED_MEDIA_TYPE',
  /** Input that passed the schema but breaks a domain rule, e.g. a blank root cause (400). */
  'VALIDATION',
] as const;

/** One of DOMAIN_ERROR_CODES. */
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** An expected refusal from domain code; the server maps its code to a status and shows its message. */
export class DomainError extends Error {
  /** Why the request was refused. */
  readonly code: DomainErrorCode;
  /** Safe, client-visible extras, e.g. `{ fields: ['rootCause'] }`. */
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}
