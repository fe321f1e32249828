/** Two hex digits per byte value: formatting ids by table lookup is what keeps the generator fast. */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

// Deterministic randomness for the data set: the same seed gives the same organizations, users,
// tickets and comments on every machine, so two runs measure the same data.

/** A seeded pseudo-random source (sfc32: small, fast, good enough for synthetic data). */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.#c = (rotated + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** 32 random bits as 8 hex digits. */
  hex8(): string {
    const bits = (this.next() * 4294967296) >>> 0;
    return (
      (BYTE_HEX[bits >>> 24] as string) +
      (BYTE_HEX[(bits >>> 16) & 255] as string) +
      (BYTE_HEX[(bits >>> 8) & 255] as string) +
      (BYTE_HEX[bits & 255] as string)
    );
  }
}

/** Picks keys by weight: built once, then each pick is a binary search over cumulative weights. */
export class WeightedPicker<T> {
  readonly #items: T[];
  readonly #cumulative: number[];
  readonly #total: number;

  constructor(weights: ReadonlyArray<readonly [T, number]>) {
    this.#items = weights.map(([item]) => item);
    let sum = 0;
    this.#cumulative = weights.map(([, weight]) => {
      sum += weight;
      return sum;
    });
    this.#total = sum;
    if (!(sum > 0)) throw new Error('weights must add up to more than zero');
  }

  pick(random: Random): T {
    const target = random.next() * this.#total;
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#cumulative[mid] ?? 0) > target) high = mid;
      else low = mid + 1;
    }
    return this.#items[low] as T;
  }
}

const HEX = '0123456789abcdef';

/**
 * A UUIDv7 for a row created at `ms` (RFC 9562: 48-bit Unix milliseconds, version 7, variant 10), like
 * the ids the product assigns: rows created later sort later in the primary key.
 */
export function uuidv7At(ms: number, random: Random): string {
  const whole = Math.floor(ms);
  const high = Math.floor(whole / 0x1000000);
  const low = whole % 0x1000000;
  const time =
    (BYTE_HEX[(high >>> 16) & 255] as string) +
    (BYTE_HEX[(high >>> 8) & 255] as string) +
    (BYTE_HEX[high & 255] as string) +
    (BYTE_HEX[(low >>> 16) & 255] as string) +
    (BYTE_HEX[(low >>> 8) & 255] as string) +
    (BYTE_HEX[low & 255] as string);
  const r1 = random.hex8();
  const r2 = random.hex8();
  const r3 = random.hex8();
  const variant = HEX[8 + (random.int(4) & 3)];
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${r1.slice(0, 3)}-${variant}${r1.slice(3, 6)}-${r2}${r3.slice(0, 4)}`;
}

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, several times faster: the date part is looked up per day and the time
 * part assembled from tables (the generator formats about ten million timestamps).
 */
export function isoTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = Math.floor(ms) - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${prefix}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[millis]}Z`;
}
