// lib/random32.c's role: a small seeded generator, so that randomised checks
// of the tree and of VMA sequences replay exactly from their seed.

/** A generator of uniform numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function prandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
