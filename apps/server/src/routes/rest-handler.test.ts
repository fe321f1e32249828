import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRestHandler } from './rest-handler.ts';

// The REST dispatcher on a router of its own: how a request becomes a procedure's input, and how an
// answer or an error becomes a response, in the formats of trpc-to-openapi that docs/API.md documents.

const t = initTRPC
  .meta<OpenApiMeta>()
  .context<{ caller: string }>()
  .create({
    // As the product's formatter: an internal error keeps its cause to the log.
    errorFormatter: ({ shape, error }) => ({
      ...shape,
      message: error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : shape.message,
      data: { ...shape.data, stack: undefined },
    }),
  });

const router = t.router({
  list: t.procedure
    .meta({ openapi: { method: 'GET', path: '/items' } })
    .input(
      z.object({
        limit: z.number().int().min(1).max(50).default(10),
        status: z.array(z.enum(['OPEN', 'DONE'])).optional(),
        archived: z.boolean().optional(),
      }),
    )
    .output(z.object({ limit: z.number(), status: z.array(z.string()).nullable(), archived: z.boolean() }))
    .query(({ input }) => ({
      limit: input.limit,
      status: input.status ?? null,
      archived: input.archived ?? false,
    })),
  get: t.procedure
    .meta({ openapi: { method: 'GET', path: '/items/{id}' } })
    .input(z.object({ id: z.string().regex(/^\d+$/) }))
    .output(z.object({ id: z.string(), caller: z.string() }))
    .query(({ input, ctx }) => ({ id: input.id, caller: ctx.caller })),
  create: t.procedure
    .meta({ openapi: { method: 'POST', path: '/items' } })
    .input(z.object({ title: z.string().min(1) }))
    .output(z.object({ title: z.string() }))
    .mutation(({ input }) => ({ title: input.title })),
  close: t.procedure
    .meta({ openapi: { method: 'POST', path: '/items/{id}/close' } })
    .input(z.object({ id: z.string(), reason: z.string().optional() }))
    .output(z.object({ id: z.string(), reason: z.string().nullable() }))
    .mutation(({ input }) => ({ id: input.id, reason: input.reason ?? null })),
  fail: t.procedure
    .meta({ openapi: { method: 'GET', path: '/fail' } })
    .output(z.object({}))
    .query(() => {
      throw new Error('the database is on fire');
    }),
  refuse: t.procedure
    .meta({ openapi: { method: 'GET', path: '/refuse' } })
    .output(z.object({}))
    .query(() => {
      throw new TRPCError({ code: 'CONFLICT', message: 'changed meanwhile' });
    }),
  hidden: t.procedure.input(z.object({})).query(() => ({})),
});

const errors: string[] = [];
const handle = createRestHandler({
  router,
  endpoint: '/api/v1',
  createContext: async (request) => ({ caller: request.headers.get('x-caller') ?? 'nobody' }),
  onError: ({ error, path }) => errors.push(`${path ?? '?'}: ${error.code}`),
});

async function call(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
) {
  const response = await handle(
    new Request(`http://localhost/api/v1${path}`, { method, headers: init.headers, body: init.body }),
  );
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe('the REST dispatcher', () => {
  it('reads the query string: defaults, coercion of numbers and booleans, repeated keys as arrays', async () => {
    expect((await call('GET', '/items')).body).toEqual({ limit: 10, status: null, archived: false });
    expect((await call('GET', '/items?limit=5&archived=true')).body).toEqual({
      limit: 5,
      status: null,
      archived: true,
    });
    // An array field takes one value as a one-element array, and a repeated key as all of them.
    expect((await call('GET', '/items?status=OPEN')).body).toMatchObject({ status: ['OPEN'] });
    expect((await call('GET', '/items?status=OPEN&status=DONE')).body).toMatchObject({
      status: ['OPEN', 'DONE'],
    });
  });

  it('puts path captures into the input, over the body, and builds the context from the request', async () => {
    const answer = await call('GET', '/items/42', { headers: { 'x-caller': 'ada' } });
    expect(answer).toEqual({ status: 200, type: 'application/json', body: { id: '42', caller: 'ada' } });
    const closed = await call('POST', '/items/7/close', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '8', reason: 'done' }),
    });
    expect(closed.body).toEqual({ id: '7', reason: 'done' });
    // Paths match without regard to case or a trailing slash.
    expect((await call('GET', '/ITEMS/42/')).status).toBe(200);
  });

  it('takes an empty body without a content type as {}', async () => {
    expect((await call('POST', '/items/7/close')).body).toEqual({ id: '7', reason: null });
  });

  it('answers 415 to a body that is not JSON and 400 to JSON that does not parse', async () => {
    const plain = await call('POST', '/items', {
      headers: { 'content-type': 'text/plain' },
      body: 'title=x',
    });
    expect(plain.status).toBe(415);
    expect(plain.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const broken = await call('POST', '/items', {
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'PARSE_ERROR', message: 'Failed to parse request body' });
  });

  it('answers 400 "Input validation failed" with the zod issues', async () => {
    const answer = await call('POST', '/items', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      message: 'Input validation failed',
      code: 'BAD_REQUEST',
      issues: [expect.objectContaining({ path: ['title'] })],
    });
    expect((await call('GET', '/items?limit=0')).status).toBe(400);
    expect((await call('GET', '/items/abc')).status).toBe(400);
  });

  it('answers 404 to a path or method no procedure has, 204 to HEAD, and never routes a procedure without REST meta', async () => {
    expect(await call('GET', '/nothing')).toMatchObject({
      status: 404,
      body: { message: 'Not found', code: 'NOT_FOUND' },
    });
    expect((await call('DELETE', '/items/1')).status).toBe(404);
    expect((await call('GET', '/hidden')).status).toBe(404);
    expect(await call('HEAD', '/anything')).toEqual({
      status: 204,
      type: 'application/json',
      body: undefined,
    });
  });

  it("gives a procedure error its status, and an error body the router's formatter shaped", async () => {
    errors.length = 0;
    expect(await call('GET', '/refuse')).toMatchObject({
      status: 409,
      body: { code: 'CONFLICT', message: 'changed meanwhile' },
    });
    const failed = await call('GET', '/fail');
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error' });
    expect(JSON.stringify(failed.body)).not.toContain('on fire');
    expect(errors).toEqual(['refuse: CONFLICT', 'fail: INTERNAL_SERVER_ERROR']);
  });
});
