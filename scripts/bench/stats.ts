/** Small statistics for the bench's figures. */

/** The p-th percentile (0–100) by nearest rank; 0 for no samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

export function mean(samples: number[]): number {
  return samples.length === 0 ? 0 : samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

/** Rounds for the results file: 2 decimals (times in ms, means). */
export function round(x: number, decimals = 2): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** min / mean / max of a sample, rounded. */
export function spread(samples: number[]): { min: number; mean: number; max: number } {
  return {
    min: samples.length === 0 ? 0 : Math.min(...samples),
    mean: round(mean(samples)),
    max: samples.length === 0 ? 0 : Math.max(...samples),
  };
}

/** A seeded PRNG (mulberry32), so every run drives the same event stream. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
