import { FormError } from './form-error.ts';

// How the web apps read a failed call: the status, one sentence for the user, and a message per field.
// The portal and the desk share the reading and differ only in a few sentences (`fallback`).

/** A failed call as the pages show it: the status, one sentence for the user, and per-field messages. */
export interface Problem {
  /** HTTP status; undefined when the server could not be reached. */
  status: number | undefined;
  message: string;
  /** Field name → message, from the server's validation (`fieldErrors`, `issues`, `details.fields`). */
  fields: Record<string, string>;
}

/** The error data the server attaches, over tRPC and over REST alike (docs/API.md). */
interface ErrorData {
  httpStatus?: number;
  fieldErrors?: Record<string, string[] | undefined>;
  issues?: { path?: PropertyKey[]; message?: string }[];
  details?: { fields?: unknown };
}

/** "enter a title" → "Enter a title." (server and schema messages are lower-case fragments). */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The first message per top-level field of a list of zod issues (client-side or from the server). */
export function issuesToFields(issues: readonly { path?: readonly PropertyKey[]; message?: string }[]) {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path?.[0];
    if (typeof field === 'string' && !(field in fields) && issue.message) {
      fields[field] = sentence(issue.message);
    }
  }
  return fields;
}

/** The sentence for a refused request whose error says nothing a person can read, by status. */
const FALLBACK: Readonly<Record<number, string>> = {
  401: 'Your session has ended. Sign in again.',
  403: 'You are not allowed to do this.',
  404: 'This was not found. It may have been removed, or belong to another organization.',
  409: 'This changed in the meantime. Reload it and try again.',
  413: 'This file is larger than the server accepts.',
  415: 'This type of file is not accepted.',
  429: 'Too many requests. Wait a moment and try again.',
};

export interface ProblemReaderOptions {
  /** The HTTP status of a thrown value, when it has one (the typed client's `errorStatus`). */
  statusOf(error: unknown): number | undefined;
  /** Sentences of this app for some statuses, over the shared ones. */
  fallback?: Readonly<Record<number, string>>;
}

export interface ProblemReader {
  /** Reads any thrown value (tRPC client error, upload error, network failure) into a Problem. */
  describeError(error: unknown): Problem;
  /** The same, as the FormError the design system's forms show. */
  toFormError(error: unknown): FormError;
}

export function problemReader(options: ProblemReaderOptions): ProblemReader {
  const fallback = { ...FALLBACK, ...options.fallback };
  const describeError = (error: unknown): Problem => {
    const data = (error as { data?: ErrorData } | null)?.data;
    const status = options.statusOf(error) ?? data?.httpStatus;
    const fields: Record<string, string> = {};
    for (const [field, messages] of Object.entries(data?.fieldErrors ?? {})) {
      const first = messages?.[0];
      if (first) fields[field] = sentence(first);
    }
    for (const [field, message] of Object.entries(issuesToFields(data?.issues ?? [])))
      fields[field] ??= message;
    const raw = error instanceof Error ? error.message : '';
    // A domain rule naming fields (e.g. a blank root cause): the message belongs next to each of them.
    const named = data?.details?.fields;
    if (Array.isArray(named)) {
      for (const field of named)
        if (typeof field === 'string' && !(field in fields)) fields[field] = sentence(raw);
    }
    let message: string;
    if (status === undefined) {
      message = 'The server could not be reached. Check your connection and try again.';
    } else if (status >= 500) {
      message = 'Something went wrong on the server. Try again in a moment.';
    } else if (Object.keys(fields).length > 0) {
      message = 'Check the highlighted fields.';
    } else if (raw && !raw.startsWith('[') && !raw.startsWith('{')) {
      // Domain messages are written for people; a zod dump (JSON) is not.
      message = sentence(raw);
    } else {
      message = fallback[status] ?? 'The request was refused.';
    }
    return { status, message, fields };
  };
  return {
    describeError,
    toFormError: (error) => {
      const problem = describeError(error);
      return new FormError(problem.message, problem.fields);
    },
  };
}
