/**
 * Small helpers the benchmarks and the chaos spec share: a seeded PRNG and the nearest-rank percentile.
 */

/** mulberry32: a small seeded PRNG; the same seed gives the same sequence (replayable schedules). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of samples sorted ascending (10 samples: p50 is the 5th, p95 the largest); undefined when empty. */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
