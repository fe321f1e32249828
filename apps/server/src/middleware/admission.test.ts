import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { admission } from './admission.ts';

/** An app whose requests each wait for the test to let them finish. */
function gatedApp(limit: number) {
  const started: string[] = [];
  const finishers = new Map<string, (fail: boolean) => void>();
  let running = 0;
  let mostAtOnce = 0;
  const app = new Hono();
  app.use(admission(limit));
  app.get('/:name', async (c) => {
    const name = c.req.param('name');
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    started.push(name);
    const fail = await new Promise<boolean>((resolve) => finishers.set(name, resolve));
    running -= 1;
    if (fail) throw new Error(`${name} failed`);
    return c.text(name);
  });
  app.onError((_error, c) => c.text('failed', 500));
  return {
    request: (name: string) => app.request(`/${name}`),
    started,
    finish: (name: string, fail = false) => finishers.get(name)?.(fail),
    mostAtOnce: () => mostAtOnce,
  };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('admission', () => {
  it('runs at most its limit of requests at once and admits the others in arrival order', async () => {
    const app = gatedApp(2);
    const answers = ['a', 'b', 'c', 'd', 'e'].map((name) => app.request(name));
    await settle();
    expect(app.started).toEqual(['a', 'b']);

    app.finish('b');
    await settle();
    expect(app.started).toEqual(['a', 'b', 'c']);
    app.finish('a');
    await settle();
    expect(app.started).toEqual(['a', 'b', 'c', 'd']);
    app.finish('c');
    app.finish('d');
    await settle();
    app.finish('e');

    const texts = await Promise.all(answers.map(async (answer) => (await answer).text()));
    expect(texts).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(app.mostAtOnce()).toBe(2);
  });

  it('gives the place of a failed request to the next one', async () => {
    const app = gatedApp(1);
    const failing = app.request('a');
    const waiting = app.request('b');
    await settle();
    expect(app.started).toEqual(['a']);
    app.finish('a', true);
    expect((await failing).status).toBe(500);
    await settle();
    expect(app.started).toEqual(['a', 'b']);
    app.finish('b');
    expect(await (await waiting).text()).toBe('b');
  });

  it('frees its places once the queue is empty, so later requests start at once', async () => {
    const app = gatedApp(2);
    const first = [app.request('a'), app.request('b'), app.request('c')];
    await settle();
    for (const name of ['a', 'b']) app.finish(name);
    await settle();
    app.finish('c');
    await Promise.all(first);

    const later = [app.request('d'), app.request('e')];
    await settle();
    expect(app.started.slice(3)).toEqual(['d', 'e']);
    for (const name of ['d', 'e']) app.finish(name);
    await Promise.all(later);
    expect(app.mostAtOnce()).toBe(2);
  });

  it('refuses a limit that would admit nothing', () => {
    expect(() => admission(0)).toThrow(/positive integer/);
    expect(() => admission(1.5)).toThrow(/positive integer/);
  });
});
