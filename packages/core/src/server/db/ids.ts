import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// Row ids are UUID v7: time-ordered, so new rows land at the right edge of their primary key's index.
// uuid's own v7 asks the operating system for 16 random bytes per id, a system call each (about 20 µs
// on the small virtual machines this runs on, and a write makes five ids or more). Here the bytes come
// from a pool refilled 4 KiB at a time from the same source, and the ids keep uuid's order within a
// process: a counter seeded at random in each new millisecond and counted up within it (RFC 9562,
// method 1), with time, counter and bytes handed to uuid's v7 to lay them out.

const POOL = new Uint8Array(4096);
let offset = POOL.length;
let lastMsecs = Number.NEGATIVE_INFINITY;
let seq = 0;

function sixteenRandomBytes(): Uint8Array {
  if (offset + 16 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const bytes = POOL.subarray(offset, offset + 16);
  offset += 16;
  return bytes;
}

/** A new UUID v7, later than every id this process made before. */
export function newId(): string {
  const random = sixteenRandomBytes();
  const now = Date.now();
  if (now > lastMsecs) {
    seq =
      (((random[6] ?? 0) & 0x7f) << 24) |
      ((random[7] ?? 0) << 16) |
      ((random[8] ?? 0) << 8) |
      (random[9] ?? 0);
    lastMsecs = now;
  } else {
    seq = (seq + 1) | 0;
    // 2^32 ids in one millisecond: borrow the next one, as uuid does.
    if (seq === 0) lastMsecs++;
  }
  return v7({ random, msecs: lastMsecs, seq });
}
