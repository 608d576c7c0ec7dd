/**
 * A small seeded random generator (mulberry32) for deterministic sample
 * data and benchmark corpora: the same seed gives the same numbers on every
 * machine, so generated files are reproducible. Not for anything secret.
 * @example const random = seededRandom(1000); random() // 0 ≤ n < 1
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
