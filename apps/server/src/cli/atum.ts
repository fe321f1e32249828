#!/usr/bin/env node
// `atum-desk <command>` (in a checkout: `pnpm atum <command>`): the operator's commands. Each one reads
// the configuration like the server does (DATABASE_URL, else the embedded database under ATUM_DATA_DIR)
// and goes through the same core services as the API, so what it changes is audited like an API call.
// On an installed host, /usr/local/bin/atum-desk runs this file as the service user with
// /etc/atum-desk/atum-desk.env loaded (infra/bin/atum-desk).
import { parseArgs } from 'node:util';
import {
  createLogger,
  loadConfig,
  runEntrypoint,
  StartupError,
  startEmbeddedPostgres,
} from '@atum-desk/core/server';
import { COMMANDS, type CommandContext, USAGE } from './atum-commands.ts';

runEntrypoint('atum-desk', async () => {
  const argv = process.argv.slice(2);
  const words = argv.filter((word) => !word.startsWith('-'));
  const command = COMMANDS.find((candidate) => candidate.words.every((word, index) => words[index] === word));
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  if (!command) {
    process.stderr.write(USAGE);
    throw new StartupError(`unknown command: ${argv.join(' ')} (see the list above)`);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new StartupError(`${command.words.join(' ')}: ${(error as Error).message}`);
  }
  if (parsed.positionals.length !== command.words.length) {
    throw new StartupError(
      `${command.words.join(' ')}: unexpected argument ${JSON.stringify(parsed.positionals[command.words.length])}`,
    );
  }

  // biome-ignore lint/style/noProcessEnv: the one place this command reads its environment
  const config = loadConfig(process.env);
  const logger = createLogger({
    name: 'atum-desk',
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
  });
  const context: CommandContext = {
    config,
    logger,
    values: parsed.values,
    out: (text) => process.stdout.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    // The audit log's user agent names the CLI and the operator's login: ATUM_OPERATOR from the host's
    // wrapper (infra/bin/atum-desk runs this as the service user), else sudo's SUDO_USER, else USER.
    operator:
      // biome-ignore lint/style/noProcessEnv: who runs the command, for the audit log
      process.env.ATUM_OPERATOR || process.env.SUDO_USER || process.env.USER || 'unknown',
    databaseUrl: async () => {
      if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
      const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
      return { url: embedded.url, stop: () => embedded.stop() };
    },
  };
  const code = await command.run(context);
  // Not process.exit: open handles close by themselves and the exit code still holds.
  if (code !== 0) process.exitCode = code;
});
