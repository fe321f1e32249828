import type pg from 'pg';

/** Who is calling, from the session. */
export interface Caller {
  id: string;
  role: 'CUSTOMER_USER' | 'CUSTOMER_ADMIN' | 'AGENT' | 'MANAGER' | 'ADMIN';
  organizationId: string | null;
}

/** The pool (or a client of it): whatever runs a query. */
export type Db = Pick<pg.Pool, 'query'>;

/** An answer other than 2xx, with its status. */
export class HttpError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409;

  constructor(status: 400 | 401 | 403 | 404 | 409, message: string) {
    super(message);
    this.status = status;
  }
}

/** What a route reads from its request. */
export interface RequestInput {
  param(name: string): string | undefined;
  query(name: string): string | undefined;
  /** The parsed JSON body of a POST (null when absent or not JSON). */
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  /** A Hono path pattern. */
  path: string;
  handle(db: Db, caller: Caller, input: RequestInput): Promise<unknown>;
}
