/**
 * The motion generator's seeded random numbers: mulberry32 (32-bit state, fast, well mixed for
 * simulation noise) with the few distributions the recipe needs. Never Math.random: the same
 * seed must give the same trace, byte for byte.
 */

/** A seeded random source. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform in [−half, half). */
  symmetric(half: number): number;
  /** Standard normal (Box–Muller). */
  gauss(): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A new independent source derived from this one's stream and a label. */
  fork(label: number): Rng;
}

/** mulberry32 as a function of its state: a small, fast 32-bit generator giving [0, 1). */
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

/** A random source from a 32-bit seed. */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    symmetric: (half) => (2 * next() - 1) * half,
    gauss: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    pick: (items) => items[Math.floor(next() * items.length)],
    fork: (label) => createRng((Math.floor(next() * 4294967296) ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0),
  };
  return rng;
}
