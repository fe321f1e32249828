import { createHmac, timingSafeEqual } from 'node:crypto';

// A survey link's token: the ticket id and an HMAC-SHA256 of it under the installation secret, both
// base64url, `<22 chars>.<22 chars>`. It proves the link came from us without storing anything; being
// single-use is the unique answer per ticket, not the token.

const PURPOSE = 'atum-desk csat v1';
/** 128 of HMAC-SHA256's 256 bits: unforgeable, and the link stays short. */
const MAC_BYTES = 16;

function mac(secret: string, ticketId: string): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}:${ticketId}`).digest().subarray(0, MAC_BYTES);
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The survey token of a ticket. */
export function signCsatToken(secret: string, ticketId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ticketId)) {
    throw new Error('not a ticket id');
  }
  const id = ticketId.toLowerCase();
  return `${uuidBytes(id).toString('base64url')}.${mac(secret, id).toString('base64url')}`;
}

/** The ticket id a token was signed for, or null for anything we did not sign. */
export function verifyCsatToken(secret: string, token: string): string | null {
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return null;
  const idBytes = Buffer.from(match[1], 'base64url');
  const given = Buffer.from(match[2], 'base64url');
  if (idBytes.length !== 16 || given.length !== MAC_BYTES) return null;
  const ticketId = uuidOf(idBytes);
  // The canonical encoding only: a token with other trailing bits is not one we issued.
  if (idBytes.toString('base64url') !== match[1] || given.toString('base64url') !== match[2]) return null;
  return timingSafeEqual(given, mac(secret, ticketId)) ? ticketId : null;
}
