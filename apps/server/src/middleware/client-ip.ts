import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Whether an address is this host's loopback, where only our own reverse proxy (nginx) connects from. */
function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * The client's address from the connection's peer and the request headers. Behind the reverse proxy
 * every connection comes from loopback, so the proxy's `X-Real-IP` (else the last, proxy-appended
 * entry of `X-Forwarded-For`) names the client; a peer that is not loopback is the client itself and
 * cannot claim another address with a header.
 */
export function clientAddress(peer: string | null | undefined, headers: Pick<Headers, 'get'>): string | null {
  if (!peer) return null;
  if (!isLoopback(peer)) return peer;
  const real = headers.get('x-real-ip')?.trim();
  if (real) return real.slice(0, 64);
  const forwarded = headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
  return forwarded ? forwarded.slice(0, 64) : peer;
}

/** The client's address of a Hono request (see clientAddress). */
export function clientIp(c: Context): string | null {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  return clientAddress(peer, c.req.raw.headers);
}
