import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

// argon2id with the parameters OWASP recommends for interactive logins (19 MiB, 2 passes).
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/**
 * Hashes at once per process, at most: each takes 19 MiB and a core for tens of milliseconds, so a burst
 * of logins queues here instead of filling the thread pool and the heap (a login flood then slows logins,
 * not the process's memory or its other requests).
 */
export const MAX_CONCURRENT_HASHES = Math.max(1, Math.min(2, availableParallelism()));

let running = 0;
const waiting: (() => void)[] = [];

/** Hashes running and waiting now (for tests and diagnostics). */
export function hashSlots(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, or is freed.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** Hashes a password with argon2id; the result embeds its own salt and parameters. */
export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => hash(password, ARGON2_OPTIONS));
}

/** Whether `password` matches `passwordHash`; false (not an error) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await withHashSlot(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}
