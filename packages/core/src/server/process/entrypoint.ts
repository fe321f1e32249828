import type { Logger } from '../logging/logger.ts';
import { describeStartupError } from '../startup-error.ts';

/**
 * Runs a process's main function. An expected start-up failure (see describeStartupError) prints one
 * line, `<label>: <reason>`, and exits 1; anything else prints its stack trace too.
 */
export function runEntrypoint(label: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const line = describeStartupError(error);
    const detail =
      line ?? `unexpected start-up failure\n${error instanceof Error ? error.stack : String(error)}`;
    process.stderr.write(`${label}: ${detail}\n`);
    process.exit(1);
  });
}

/**
 * Stops the process cleanly on the first SIGINT or SIGTERM: runs `stop` once, then exits 0 (1 if it
 * failed). Returns the same trigger for other reasons to stop, such as a lost parent.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): (reason: string) => void {
  let stopping = false;
  const trigger = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => trigger('SIGINT'));
  process.on('SIGTERM', () => trigger('SIGTERM'));
  return trigger;
}
