import { useTestDatabase } from '@atum-desk/test-helpers';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { createLogger } from '../logging/logger.ts';
import { announcePresence } from './presence.router.ts';
import { createPresenceMap, type PresenceEntry, type PresenceNotification } from './presence.ts';
import { createRealtimeHub, type RealtimeHub } from './realtime-hub.ts';

// The in-memory presence map of one process (with a fake clock), and the hub hearing announcements
// through a real PostgreSQL NOTIFY.

const TICKET = '01900000-0000-7000-8000-000000000001';
const OTHER_TICKET = '01900000-0000-7000-8000-000000000002';
const MAYA = '01900000-0000-7000-8000-0000000000a1';
const ARUN = '01900000-0000-7000-8000-0000000000a2';

function say(userId: string, state: PresenceNotification['state'], ticketId = TICKET): PresenceNotification {
  return {
    ticketId,
    userId,
    name: userId === MAYA ? 'Maya Manager' : 'Arun Agent',
    state,
    at: new Date().toISOString(),
  };
}

const who = (entries: PresenceEntry[]) => entries.map((entry) => `${entry.name}: ${entry.state}`);

describe('the presence map', () => {
  it('lists the others on a ticket, longest there first, with their state', () => {
    let clock = 1_000;
    const map = createPresenceMap({ now: () => clock });
    map.apply(say(MAYA, 'viewing'));
    clock += 10;
    map.apply(say(ARUN, 'replying'));
    map.apply(say(ARUN, 'viewing', OTHER_TICKET));
    expect(who(map.list(TICKET))).toEqual(['Maya Manager: viewing', 'Arun Agent: replying']);
    expect(who(map.list(TICKET, ARUN))).toEqual(['Maya Manager: viewing']);
    expect(map.list(TICKET, ARUN)[0]?.since).toEqual(new Date(1_000));

    // Switching to replying changes the state and its start; re-announcing the same state keeps it.
    clock += 5_000;
    map.apply(say(MAYA, 'replying'));
    clock += 5_000;
    map.apply(say(MAYA, 'replying'));
    expect(map.list(TICKET, ARUN)).toEqual([
      { userId: MAYA, name: 'Maya Manager', state: 'replying', since: new Date(6_010) },
    ]);

    map.apply(say(MAYA, 'left'));
    expect(who(map.list(TICKET))).toEqual(['Arun Agent: replying']);
    expect(who(map.list(OTHER_TICKET))).toEqual(['Arun Agent: viewing']);
  });

  it('forgets whoever has not announced for 30 s, and keeps whoever did', async () => {
    let clock = 0;
    const map = createPresenceMap({ now: () => clock });
    const controller = new AbortController();
    const seen: string[][] = [];
    const reading = (async () => {
      for await (const entries of map.watch(TICKET, ARUN, controller.signal)) seen.push(who(entries));
    })();
    const tick = () => new Promise((wake) => setTimeout(wake, 0));

    map.apply(say(MAYA, 'viewing'));
    map.apply(say(ARUN, 'viewing'));
    await tick();
    for (let i = 0; i < 4; i++) {
      clock += 10_000; // the client re-announces every 10 s
      map.apply(say(MAYA, 'viewing'));
      map.expire();
    }
    await tick();
    expect(who(map.list(TICKET))).toEqual(['Maya Manager: viewing']);
    expect(map.list(TICKET, ARUN)).toHaveLength(1);

    clock += 29_999;
    map.expire();
    expect(map.list(TICKET)).toHaveLength(1);
    clock += 2;
    // Already gone from the list before the sweep runs…
    expect(map.list(TICKET)).toEqual([]);
    map.expire();
    await tick();
    controller.abort();
    await reading;
    // …and the watcher (Arun's view, without himself) heard: nobody, Maya arrived, Maya gone. Arun's own
    // entry and the refreshes were no news.
    expect(seen).toEqual([[], ['Maya Manager: viewing'], []]);
  });

  it('ends its watches when closed', async () => {
    const map = createPresenceMap();
    const stream = map.watch(TICKET, ARUN);
    expect(await stream.next()).toEqual({ done: false, value: [] });
    const next = stream.next();
    map.close();
    expect(await next).toEqual({ done: true, value: undefined });
  });
});

describe('presence across processes', () => {
  const db = useTestDatabase();
  const logger = createLogger({ name: 'test', level: 'silent' });
  let orm: MikroORM;
  let hubs: RealtimeHub[];

  beforeAll(async () => {
    orm = await openOrm(db.url);
    // Two hubs on one database, as two server processes would have.
    hubs = [
      createRealtimeHub({ databaseUrl: db.url, logger }),
      createRealtimeHub({ databaseUrl: db.url, logger }),
    ];
    await Promise.all(hubs.map((hub) => hub.start()));
  });
  afterAll(async () => {
    for (const hub of hubs ?? []) await hub.close();
    await orm?.close();
  });

  it('reaches every hub through pg_notify', async () => {
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('presence did not arrive');
        await new Promise((wake) => setTimeout(wake, 10));
      }
    };
    await announcePresence(orm.em.fork(), say(MAYA, 'replying'));
    await until(() => hubs.every((hub) => hub.presence.list(TICKET).length === 1));
    for (const hub of hubs) expect(who(hub.presence.list(TICKET))).toEqual(['Maya Manager: replying']);

    await announcePresence(orm.em.fork(), say(MAYA, 'left'));
    await until(() => hubs.every((hub) => hub.presence.list(TICKET).length === 0));
  });
});
