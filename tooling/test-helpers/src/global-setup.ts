import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { databaseUrl, dropDatabase, withAdminClient } from './index.ts';

export interface DatabaseServerHooks {
  /** Brings an empty database to the current schema. */
  migrate(url: string): Promise<unknown>;
  /** Starts a throwaway server in `dataDir`; used when DATABASE_URL is unset. */
  startServer(dataDir: string): Promise<{ url: string; stop(): Promise<void> }>;
}

/**
 * A vitest global setup: one PostgreSQL server for the run (DATABASE_URL's, else an embedded one in a
 * temporary folder) and one migrated template database that every test file clones.
 */
export function databaseGlobalSetup(hooks: DatabaseServerHooks) {
  return async function setup(project: TestProject) {
    // biome-ignore lint/style/noProcessEnv: the test run chooses its server like the product does
    const external = process.env.DATABASE_URL;
    let serverUrl: string;
    let stopServer = async () => {};
    if (external) {
      serverUrl = external;
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'atum-test-pg-'));
      const server = await hooks.startServer(dataDir);
      serverUrl = server.url;
      stopServer = async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      };
    }
    const template = `atum_template_${randomBytes(6).toString('hex')}`;
    await withAdminClient(serverUrl, (client) => client.query(`create database ${template}`));
    await hooks.migrate(databaseUrl(serverUrl, template));
    project.provide('databaseServerUrl', serverUrl);
    project.provide('templateDatabase', template);
    return async () => {
      await dropDatabase(serverUrl, template);
      await stopServer();
    };
  };
}
