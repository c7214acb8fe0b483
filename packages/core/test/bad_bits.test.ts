import { describe, expect, test } from 'vitest';
import {
  vmaFlagsAnd,
  vmaFlagsClear,
  vmaFlagsSame,
  vmaFlagsSet,
  vmaFlagsSetFlag,
  vmaFlagsTest,
  vmaFlagsTestAll,
  vmaFlagsTestAny,
} from '../src/bit_helpers.js';
import { PRESETS, withNumVmaFlagBits, type KernelConfig } from '../src/config.js';
import { mkVmaFlagsIn, vmaFlagsToWords, type VmaFlags } from '../src/vma_flags.js';

// Bit numbers are checked against NUM_VMA_FLAG_BITS before anything is
// written: a bad one is a RangeError (a number) or TypeError (anything else)
// naming the argument and the range, and the bitmap is left as it was.

const CONFIGS: KernelConfig[] = [
  PRESETS.x86_64,
  PRESETS.i386,
  withNumVmaFlagBits(PRESETS.x86_64, 128),
  withNumVmaFlagBits(PRESETS.i386, 96),
];
const BAD_NUMBERS = [-1, -0.5, 0.5, 1.5, 31.999, NaN, Infinity, -Infinity, 2 ** 32, 2 ** 32 + 1, -(2 ** 31)];
const NOT_NUMBERS = ['1', 1n, null, undefined, {}, true];

type Mutator = (f: VmaFlags, bit: number) => unknown;
const MUTATORS: [string, Mutator, string][] = [
  ['vmaFlagsSetFlag', (f, b) => vmaFlagsSetFlag(f, b), 'bit'],
  ['vmaFlagsSet (one bit)', (f, b) => vmaFlagsSet(f, b), 'bits[0]'],
  ['vmaFlagsSet (list)', (f, b) => vmaFlagsSet(f, 0, b), 'bits[1]'],
  ['vmaFlagsClear (one bit)', (f, b) => vmaFlagsClear(f, b), 'bits[0]'],
  ['vmaFlagsClear (list)', (f, b) => vmaFlagsClear(f, 3, b), 'bits[1]'],
  ['vmaFlagsAnd', (f, b) => vmaFlagsAnd(f, 0, b), 'bits[1]'],
  ['vmaFlagsTest', (f, b) => vmaFlagsTest(f, b), 'bit'],
  ['vmaFlagsTestAny', (f, b) => vmaFlagsTestAny(f, b), 'bits[0]'],
  ['vmaFlagsTestAll', (f, b) => vmaFlagsTestAll(f, 1, b), 'bits[1]'],
  ['vmaFlagsSame', (f, b) => vmaFlagsSame(f, b), 'bits[0]'],
];

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.each(MUTATORS)('%s with a bad bit', (_, call, arg) => {
  test.each(CONFIGS.map((c) => [c.key, c] as const))('config %s', (_key, config) => {
    const n = config.numVmaFlagBits;
    const allowed = `${arg} must be an integer in [0, ${n}); got `;
    const f = mkVmaFlagsIn(config, 0, 3, n - 1);
    const before = vmaFlagsToWords(f);
    for (const bad of [...BAD_NUMBERS, n, n + 1, n + 31, n + 32]) {
      const e = caught(() => call(f, bad));
      expect([bad, e]).toEqual([bad, expect.any(RangeError)]);
      expect((e as Error).message).toBe(`${allowed}${String(bad)}`);
    }
    for (const bad of NOT_NUMBERS) {
      const e = caught(() => call(f, bad as never));
      expect([bad, e]).toEqual([bad, expect.any(TypeError)]);
      expect((e as Error).message.startsWith(allowed)).toBe(true);
    }
    expect(vmaFlagsToWords(f)).toEqual(before);
  });
});

describe('the last bit and the one after it', () => {
  test.each(CONFIGS.map((c) => [c.key, c] as const))('config %s', (_key, config) => {
    const n = config.numVmaFlagBits;
    const f = mkVmaFlagsIn(config);
    vmaFlagsSet(f, n - 1);
    expect(vmaFlagsTest(f, n - 1)).toBe(true);
    // Exactly NUM_VMA_FLAG_BITS is out of range for clearing too, and clears nothing.
    expect(() => vmaFlagsClear(f, n)).toThrow(RangeError);
    expect(() => vmaFlagsClear(f, n - 1, n)).toThrow(RangeError);
    expect(vmaFlagsTest(f, n - 1)).toBe(true);
    vmaFlagsClear(f, n - 1);
    expect(vmaFlagsTest(f, n - 1)).toBe(false);
    vmaFlagsSetFlag(f, n - 1);
    expect(vmaFlagsToWords(vmaFlagsAnd(f, n - 1, 0))).toEqual(vmaFlagsToWords(f));
  });
});
