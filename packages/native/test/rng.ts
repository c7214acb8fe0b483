// A small seeded PRNG. The seed is fixed so runs are reproducible (and nx can
// cache them); VMA_SEED (decimal or 0x-hex) picks another, and every failure
// prints the seed it ran with.
export interface Rng {
  readonly seed: number;
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  bool(p?: number): boolean;
  bigWord(bits: number): bigint;
}

export function seedFromEnv(value = process.env.VMA_SEED, fallback = 0x5eed): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new RangeError(`VMA_SEED must be an integer in [0, 2^32); got ${JSON.stringify(value)}`);
  return n;
}

export function rng(seed = seedFromEnv()): Rng {
  let s = seed >>> 0 || 1;
  const next = () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    pick: (xs) => xs[int(xs.length)]!,
    bool: (p = 0.5) => next() < p,
    bigWord(bits) {
      // Mostly sparse words (a few flags), sometimes dense or extreme values.
      const max = (1n << BigInt(bits)) - 1n;
      switch (int(5)) {
        case 0:
          return 0n;
        case 1:
          return max;
        case 2: {
          let w = 0n;
          for (let i = 0; i < bits; i += 32) w |= BigInt((next() * 2 ** 32) >>> 0) << BigInt(i);
          return w & max;
        }
        default: {
          let w = 0n;
          for (let k = int(4); k >= 0; k--) w |= 1n << BigInt(int(bits));
          return w;
        }
      }
    },
  };
}

export { fuzzScale } from '@vmaflags/tools/test-knobs';
