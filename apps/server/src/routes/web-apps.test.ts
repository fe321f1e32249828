import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppRoutes } from './web-apps.ts';

let distDir: string;
let app: Hono;

beforeAll(async () => {
  distDir = await mkdtemp(join(tmpdir(), 'atum-dist-'));
  await mkdir(join(distDir, 'assets'));
  await writeFile(join(distDir, 'index.html'), '<!doctype html><title>portal</title>');
  await writeFile(join(distDir, 'assets', 'index-3f2a.js'), 'console.log(1)');
  await writeFile(join(distDir, 'favicon.svg'), '<svg/>');
  app = new Hono().route('/', webAppRoutes({ prefix: '/portal', distDir }));
});
afterAll(async () => {
  await rm(distDir, { recursive: true, force: true });
});

describe('a built web app', () => {
  it('serves hashed assets with a year-long immutable cache', async () => {
    const response = await app.request('/portal/assets/index-3f2a.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves other files with revalidation', async () => {
    const response = await app.request('/portal/favicon.svg');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers client-side routes with index.html', async () => {
    const response = await app.request('/portal/tickets/42');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>portal</title>');
  });

  it('answers a client-side route with a dot in its last segment (a CSAT token) with index.html', async () => {
    const response = await app.request('/portal/csat/AaIFcjK6dMqjnC9L-uJbiw.OflUts1QWzplTUNstaLpKg');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>portal</title>');
  });

  it('answers a missing asset with 404, not with the page', async () => {
    expect((await app.request('/portal/assets/missing-1.js')).status).toBe(404);
    expect((await app.request('/portal/missing-icon.PNG')).status).toBe(404);
  });

  it('redirects the bare prefix to its trailing slash', async () => {
    const response = await app.request('/portal');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/portal/');
  });

  it('never serves a file outside its folder', async () => {
    const response = await app.request('/portal/..%2f..%2fetc%2fpasswd');
    expect(response.status).not.toBe(200);
  });

  it('says how to build it when it is not built', async () => {
    const unbuilt = new Hono().route('/', webAppRoutes({ prefix: '/desk', distDir: join(distDir, 'nope') }));
    const response = await unbuilt.request('/desk/');
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/not built/);
  });
});
