import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger, loadConfig, seedDemoData } from '@atum-desk/core/server';
import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../server.ts';

// docs/API.md promises that its curl walkthrough works against a fresh `ATUM_DEMO=1 npm start`. This
// runs that very block, as a reader would paste it, against a live server with the demo data.

const run = promisify(execFile);
const API_DOC = new URL('../../../../docs/API.md', import.meta.url);
const db = useTestDatabase();
let server: RunningServer;
let dataDir: string;

async function walkthrough(): Promise<string> {
  const doc = await readFile(API_DOC, 'utf8');
  const section = doc.slice(doc.indexOf('## Walkthrough with curl'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/API.md has no walkthrough block');
  return block;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'atum-doc-'));
  server = await startServer(
    loadConfig({ PORT: '0', ATUM_DATA_DIR: dataDir }),
    db.url,
    createLogger({ name: 'test', level: 'silent' }),
  );
  await seedDemoData(server.orm.em.fork());
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the curl walkthrough of docs/API.md', () => {
  it('answers every step as the document says', async () => {
    const { stdout } = await run('bash', ['-e', '-c', await walkthrough()], {
      // biome-ignore lint/style/noProcessEnv: the script needs a PATH to find curl
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BASE: server.url },
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ticket [0-9a-f-]{36}$/);
    expect(lines[1]).toMatch(/"fileName":"printer.txt","mimeType":"text\/plain","sizeBytes":33/);
    expect(lines.slice(2, 13)).toEqual([
      'ACCEPTED',
      '409',
      'ASSIGNED',
      'IN_PROGRESS',
      '0',
      'WAITING_CUSTOMER',
      'IN_PROGRESS',
      '400',
      'RESOLVED',
      'CLOSED',
      '404',
    ]);
    const actions = lines.slice(13, -1).join('\n');
    for (const action of ['ticket.created', 'ticket.accepted', 'ticket.assigned', 'ticket.status_changed']) {
      expect(actions).toContain(`"action":"${action}"`);
    }
    expect(lines.at(-1)).toBe('401');
  });
});
