// Latency samples and their percentiles. A run records at most a few hundred thousand samples, so they
// are kept whole (a growing Float64Array) and sorted once: exact percentiles, no bucket error.

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export class LatencyRecorder {
  #values = new Float64Array(4096);
  #count = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  get count(): number {
    return this.#count;
  }

  summary(): LatencySummary {
    const sorted = this.#values.slice(0, this.#count).sort();
    const n = sorted.length;
    // Nearest-rank percentile, as HdrHistogram and wrk2 report them.
    const at = (p: number) =>
      n === 0 ? 0 : (sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] ?? 0);
    let sum = 0;
    for (const value of sorted) sum += value;
    return {
      count: n,
      mean: n === 0 ? 0 : sum / n,
      p50: at(0.5),
      p90: at(0.9),
      p95: at(0.95),
      p99: at(0.99),
      max: n === 0 ? 0 : (sorted[n - 1] ?? 0),
    };
  }
}
