import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

// COPY … FROM STDIN in PostgreSQL's text format, fed in chunks of about 256 KiB with backpressure: the
// generator waits when the server is behind instead of buffering the whole table in memory.

const CHUNK_CHARS = 256 * 1024;

/** A column value in COPY text format: `\N` for null; strings must already be escaped (see `copyText`). */
export type CopyValue = string | number | boolean | null;

/** Escapes a string for COPY's text format (backslash, tab, newline, carriage return). */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r')
    : value;
}

/** One row as a COPY text line. Strings are written as they are: escape untrusted text with `copyText`. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) line += '\t';
    if (value === null || value === undefined) line += '\\N';
    else if (typeof value === 'boolean') line += value ? 't' : 'f';
    else line += value;
  }
  return `${line}\n`;
}

/** A COPY in progress on one connection. */
export class CopyWriter {
  readonly #stream: ReturnType<typeof copyFrom>;
  readonly #done: Promise<void>;
  #buffer = '';
  rows = 0;

  private constructor(stream: ReturnType<typeof copyFrom>) {
    this.#stream = stream;
    this.#done = new Promise((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
    });
    // Surface a server-side error (a violated constraint) even while we are waiting for 'drain'.
    this.#done.catch(() => undefined);
  }

  /** Starts `COPY <table> (<columns>) FROM STDIN` with `options` such as `FREEZE`. */
  static start(client: pg.Client, table: string, columns: readonly string[], options = ''): CopyWriter {
    const sql = `copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin${options ? ` with (${options})` : ''}`;
    return new CopyWriter(client.query(copyFrom(sql)));
  }

  /** Queues one line; resolves at once unless the chunk is full and the server is behind. */
  async write(line: string): Promise<void> {
    this.#buffer += line;
    this.rows++;
    if (this.#buffer.length >= CHUNK_CHARS) await this.flush();
  }

  /** Sends the queued lines, waiting for the server if its socket is full. */
  async flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const chunk = this.#buffer;
    this.#buffer = '';
    if (!this.#stream.write(chunk)) {
      await Promise.race([once(this.#stream, 'drain'), this.#done]);
    }
  }

  /** Ends the COPY and waits until the server has taken every row. */
  async end(): Promise<void> {
    await this.flush();
    this.#stream.end();
    await this.#done;
  }
}
