// Environment knobs shared by the randomized tests of every package.

/**
 * VMAFLAGS_FUZZ_SCALE (a positive number, default 1) multiplies the size of
 * the random, fuzz and differential tests: `npm test` runs them at a size CI
 * can afford, a long run sets e.g. 100.
 */
export function fuzzScale(value = process.env.VMAFLAGS_FUZZ_SCALE) {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new RangeError(`VMAFLAGS_FUZZ_SCALE must be a positive number; got ${JSON.stringify(value)}`);
  return n;
}
