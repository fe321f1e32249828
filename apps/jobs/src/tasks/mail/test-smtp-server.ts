import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server for the mail tests (the `smtp-server` package): it records every message it
// accepts, decoded enough to read headers and bodies, and can be stopped, restarted on the same port
// and told to answer DATA slowly or to refuse some recipients.

/** A message as the server received it. */
export interface ReceivedMail {
  messageId: string;
  /** RCPT TO addresses. */
  to: string[];
  subject: string;
  inReplyTo: string;
  references: string;
  autoSubmitted: string;
  text: string;
  html: string;
  raw: string;
}

export interface TestSmtpServerOptions {
  /** Port to listen on; default: a free one. */
  port?: number;
  /** Milliseconds to wait before answering each DATA, as a slow server does. */
  dataDelayMs?: number;
}

export interface TestSmtpServer {
  port: number;
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  received: ReceivedMail[];
  /** Messages whose DATA started, answered or not. */
  dataStarted: number;
  /** Changes how long DATA answers take from now on. */
  setDataDelay(ms: number): void;
  /** Refuses RCPT TO of these addresses (550) from now on, as a full or unknown mailbox does. */
  setRefusedRecipients(addresses: readonly string[]): void;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (to start a server on it later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts an SMTP server on 127.0.0.1 that accepts every message without authentication. */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const state = {
    dataStarted: 0,
    dataDelayMs: options.dataDelayMs ?? 0,
    refused: new Set<string>(),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      if (!state.refused.has(address.address)) return callback();
      const refusal = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
      callback(refusal);
    },
    onData(stream, session, callback) {
      state.dataStarted++;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const answer = () => {
          received.push(
            parseMail(
              raw,
              session.envelope.rcptTo.map((rcpt) => rcpt.address),
            ),
          );
          callback(null);
        };
        if (state.dataDelayMs > 0) setTimeout(answer, state.dataDelayMs);
        else answer();
      });
    },
  });
  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {});
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    received,
    get dataStarted() {
      return state.dataStarted;
    },
    setDataDelay(ms) {
      state.dataDelayMs = ms;
    },
    setRefusedRecipients(addresses) {
      state.refused = new Set(addresses);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Splits a MIME entity into its (unfolded, lower-cased) headers and its body. */
function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

function decodeQuotedPrintable(value: string, headerStyle = false): Buffer {
  const text = (headerStyle ? value.replace(/_/g, ' ') : value).replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(text[index] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g, (_match, encoding: string, text: string) =>
      (encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : decodeQuotedPrintable(text, true)
      ).toString('utf8'),
    );
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body).toString('utf8');
  return body;
}

/** The text/plain and text/html parts of an entity, however nested. */
function textParts(raw: string): { text: string; html: string } {
  const { headers, body } = splitEntity(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const result = { text: '', html: '' };
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const inner = textParts(part.replace(/^\r\n/, ''));
      result.text ||= inner.text;
      result.html ||= inner.html;
    }
    return result;
  }
  const decoded = decodeBody(headers, body);
  return type.toLowerCase().startsWith('text/html')
    ? { text: '', html: decoded }
    : { text: decoded, html: '' };
}

function parseMail(raw: string, to: string[]): ReceivedMail {
  const { headers } = splitEntity(raw);
  return {
    messageId: headers.get('message-id') ?? '',
    to,
    subject: decodeHeader(headers.get('subject') ?? ''),
    inReplyTo: headers.get('in-reply-to') ?? '',
    references: headers.get('references') ?? '',
    autoSubmitted: headers.get('auto-submitted') ?? '',
    ...textParts(raw),
    raw,
  };
}
