import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-ip.ts';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('the client address', () => {
  it('is the peer when the peer is not this host', () => {
    expect(
      clientAddress('203.0.113.9', headers({ 'x-real-ip': '10.0.0.1', 'x-forwarded-for': '10.0.0.2' })),
    ).toBe('203.0.113.9');
  });

  it("is the proxy's X-Real-IP behind the local reverse proxy", () => {
    expect(clientAddress('127.0.0.1', headers({ 'x-real-ip': '198.51.100.7' }))).toBe('198.51.100.7');
    expect(clientAddress('::ffff:127.0.0.1', headers({ 'x-real-ip': '198.51.100.7' }))).toBe('198.51.100.7');
  });

  it('takes the entry the proxy appended to X-Forwarded-For, not one the client wrote', () => {
    expect(clientAddress('::1', headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.8' }))).toBe(
      '198.51.100.8',
    );
  });

  it('stays the loopback peer for local callers without proxy headers', () => {
    expect(clientAddress('127.0.0.1', headers({}))).toBe('127.0.0.1');
    expect(clientAddress(undefined, headers({}))).toBeNull();
  });
});
