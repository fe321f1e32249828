import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/atum');
    expect(config).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/atum/data',
      publicUrl: 'http://127.0.0.1:3000',
      demo: false,
      maxUploadBytes: 25 * 1024 * 1024,
      rateLimits: { loginFailures: 5, ticketsPerHour: 10, apiPerMinute: 100 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /^invalid PORT \("abc"\)/],
    [{ PORT: '70000' }, /^invalid PORT/],
    [{ DATABASE_URL: 'mysql://localhost/atum' }, /^invalid DATABASE_URL .*postgres:\/\//],
    [{ DATABASE_URL: 'not a url' }, /^invalid DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://localhost' }, /^invalid DATABASE_URL .*names no database/],
    [{ SMTP_URL: 'http://mail' }, /^invalid SMTP_URL/],
    [{ ATUM_DEMO: 'maybe' }, /^invalid ATUM_DEMO/],
    [{ RATE_LIMIT_API_PER_MINUTE: '-1' }, /^invalid RATE_LIMIT_API_PER_MINUTE/],
    [{ ATUM_ADMIN_EMAIL: 'root@example.com' }, /^invalid ATUM_ADMIN_PASSWORD: set both/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a password in its message', () => {
    expect(() => loadConfig({ ATUM_ADMIN_EMAIL: 'a@example.com', ATUM_ADMIN_PASSWORD: 'short' })).toThrow(
      /^invalid ATUM_ADMIN_PASSWORD: must be at least 12 characters$/,
    );
  });

  it('reads the flags and limits it is given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://atum:secret@db.internal:5432/atum',
      ATUM_DEMO: '1',
      RATE_LIMIT_LOGIN_FAILURES: '0',
      ATUM_DATA_DIR: '/var/lib/atum-desk',
      PUBLIC_URL: 'https://desk.example.com/',
    });
    expect(config.demo).toBe(true);
    expect(config.rateLimits.loginFailures).toBe(0);
    expect(config.dataDir).toBe('/var/lib/atum-desk');
    expect(config.publicUrl).toBe('https://desk.example.com');
  });

  it('describes itself without secrets', () => {
    const described = describeConfig(
      loadConfig({
        DATABASE_URL: 'postgres://atum:hunter2@db/atum',
        ATUM_ADMIN_EMAIL: 'root@example.com',
        ATUM_ADMIN_PASSWORD: 'correct horse battery',
      }),
    );
    expect(JSON.stringify(described)).not.toMatch(/hunter2|correct horse/);
  });
});
