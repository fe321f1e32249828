import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  type Config,
  describeConfig,
  holdWorkerLiveness,
  type Logger,
  loadConfig,
  MANAGER_MAIL_TASK,
  type MikroORM,
  openOrm,
  SEND_NOTIFICATION_TASK,
  SEND_NOTIFICATIONS_TASK,
  type WorkerLiveness,
  workerLogger,
} from '@atum-desk/core/server';
import { type Runner, run, type TaskList, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import { smtpSender } from './tasks/mail/mail-transport.ts';
import { notifyManagersTask } from './tasks/mail/notify-managers.ts';
import { type OutboxRelay, startOutboxRelay } from './tasks/mail/outbox-relay.ts';
import { sendNotificationsTask } from './tasks/mail/send-notifications.ts';
import { checkSlaAlertTask } from './tasks/sla/check-alert.ts';
import { sweepSlaTask } from './tasks/sla/sweep.ts';
import { heartbeatTask } from './tasks/system/heartbeat.ts';
import { purgeExpiredTask } from './tasks/system/purge-expired.ts';
import { autoCloseTask } from './tasks/tickets/auto-close.ts';

export interface WorkerOptions {
  databaseUrl: string;
  logger: Logger;
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** RESOLVED tickets are closed after this many days (ATUM_AUTO_CLOSE_DAYS). */
  autoCloseDays?: number;
  /** SMTP_URL, MAIL_FROM, PUBLIC_URL and ATUM_SECRET for mail; default: no SMTP (the outbox). */
  config?: Config;
}

export interface JobsWorker {
  workerId: string;
  orm: MikroORM;
  runner: Runner;
  /** Finishes the running jobs (or releases them for another worker), then closes connections. */
  stop(): Promise<void>;
}

/** Cron lines, in graphile-worker's crontab format. */
const CRONTAB = [
  '* * * * * system/heartbeat ?fill=2m&max=1',
  '* * * * * sla/sweep ?max=1',
  '17 * * * * system/purge-expired ?max=1',
  // Nightly, and once more if the worker was down at that hour (fill): closing late is fine.
  '30 3 * * * tickets/auto-close ?fill=1d&max=1',
].join('\n');

/** Starts a graphile-worker runner with every ATUM task. */
export async function startWorker(options: WorkerOptions): Promise<JobsWorker> {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const startedAt = new Date();
  const orm = await openOrm(options.databaseUrl, { poolSize: 4 });
  const mailConfig = options.config ?? loadConfig({});
  const sendMail = sendNotificationsTask(
    orm,
    mailConfig,
    options.logger,
    mailConfig.smtpUrl ? smtpSender(mailConfig.smtpUrl, mailConfig.mailFrom) : null,
  );
  const taskList: TaskList = {
    'system/heartbeat': heartbeatTask(orm, workerId, startedAt),
    'system/purge-expired': purgeExpiredTask(orm, options.logger),
    'sla/check-alert': checkSlaAlertTask(orm),
    'sla/sweep': sweepSlaTask(orm, options.logger),
    'tickets/auto-close': autoCloseTask(orm, options.logger, options.autoCloseDays ?? 7),
    [SEND_NOTIFICATIONS_TASK]: sendMail,
    [SEND_NOTIFICATION_TASK]: sendMail,
    [MANAGER_MAIL_TASK]: notifyManagersTask(orm),
  };
  // The pool's id, which its locked jobs carry, for crash recovery (core/server/jobs/worker-liveness.ts).
  const events: WorkerEvents = new EventEmitter();
  let poolId: string | undefined;
  events.on('pool:create', ({ workerPool }) => {
    poolId = workerPool.id;
  });
  // graphile-worker's pool is ours: its own error handlers come off when the runner stops, and a
  // connection the database drops after that (a restart while shutting down) would be an uncaught
  // 'error' event. These handlers stay until the pool has ended.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: (options.concurrency ?? 4) + 2 });
  const onPoolError = (error: Error) =>
    options.logger.warn({ err: error }, 'jobs database connection lost; the worker reconnects');
  pool.on('error', onPoolError);
  pool.on('connect', (client) => client.on('error', onPoolError));
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      concurrency: options.concurrency ?? 4,
      taskList,
      crontab: CRONTAB,
      logger: workerLogger(options.logger),
      // The process decides when to stop (see main.ts); graphile-worker must not exit it on its own.
      noHandleSignals: true,
      events,
    });
  } catch (error) {
    await pool.end();
    await orm.close();
    throw error;
  }
  let liveness: WorkerLiveness;
  try {
    if (!poolId) throw new Error('graphile-worker did not report its pool');
    liveness = await holdWorkerLiveness({ databaseUrl: options.databaseUrl, poolId, logger: options.logger });
  } catch (error) {
    await runner.stop();
    await pool.end();
    await orm.close();
    throw error;
  }
  // A first beat right away, so health shows the worker without waiting for the next minute.
  await runner.addJob('system/heartbeat', { workerId }, { jobKey: `heartbeat:${workerId}` });
  // The mail of committed changes waits in the outbox for a worker to add its jobs.
  const relay: OutboxRelay = startOutboxRelay(orm, options.logger);
  options.logger.info({ workerId, mail: describeConfig(mailConfig).smtpUrl }, 'jobs worker started');

  let stopping: Promise<void> | undefined;
  return {
    workerId,
    orm,
    runner,
    stop() {
      stopping ??= (async () => {
        await relay.stop();
        await runner.stop();
        await pool.end();
        // Only once its jobs are finished or released: until then the lock says they are in hand.
        await liveness.stop();
        await orm.close();
        options.logger.info({ workerId }, 'jobs worker stopped');
      })();
      return stopping;
    },
  };
}
