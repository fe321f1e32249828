import { Logger as WorkerLogger, type LogLevel as WorkerLogLevel } from 'graphile-worker';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Name of the process (`server`, `jobs`, …), added to every line. */
  name: string;
  /** Where the lines go instead of stdout (tests read them back). */
  destination?: { write(line: string): void };
}

/** One JSON line per event on stdout; systemd's journal or any collector takes it from there. */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'req.headers.cookie',
        'req.headers.authorization',
      ],
    },
  } satisfies pino.LoggerOptions;
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

const WORKER_LEVELS: Record<WorkerLogLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  error: 'error',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
};

/** graphile-worker's logger, writing through our pino logger. */
export function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => {
    const child = logger.child(scope);
    return (level, message, meta) => child[WORKER_LEVELS[level]](compactJobMeta(meta), message);
  });
}

/** graphile-worker attaches the whole job row to its log lines; keep what identifies it. */
function compactJobMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const job = meta.job as { id?: unknown; task_identifier?: unknown; attempts?: unknown } | undefined;
  if (!job || typeof job !== 'object') return meta;
  return { ...meta, job: { id: job.id, task: job.task_identifier, attempts: job.attempts } };
}
