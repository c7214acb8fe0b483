import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  vmaFlagsAnd,
  vmaFlagsAndMask,
  vmaFlagsClear,
  vmaFlagsClearMask,
  vmaFlagsCount,
  vmaFlagsDiffPair,
  vmaFlagsEmpty,
  vmaFlagsSame,
  vmaFlagsSameMask,
  vmaFlagsSamePair,
  vmaFlagsSet,
  vmaFlagsSetFlag,
  vmaFlagsSetMask,
  vmaFlagsTest,
  vmaFlagsTestAll,
  vmaFlagsTestAllMask,
  vmaFlagsTestAny,
  vmaFlagsTestAnyMask,
  vmaFlagsTestSingleMask,
} from '../src/bit_helpers.js';
import { PRESETS, defineKernelConfig, withNumVmaFlagBits } from '../src/config.js';
import {
  EMPTY_VMA_FLAGS,
  constVmaFlags,
  emptyVmaFlags,
  mkVmaFlags,
  mkVmaFlagsIn,
  vmaFlagsFromWords,
  vmaFlagsToWords,
  type VmaFlags,
} from '../src/vma_flags.js';

const X128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
const X192 = withNumVmaFlagBits(PRESETS.x86_64, 192);
const I96 = withNumVmaFlagBits(PRESETS.i386, 96);
const words = vmaFlagsToWords;

describe('vmaFlagsTest (single bit)', () => {
  it('answers for every bit position, including lane boundaries', () => {
    for (const config of [PRESETS.i386, PRESETS.x86_64, X128, X192, I96]) {
      const n = config.numVmaFlagBits;
      for (const b of [0, 31, 32, n - 1]) {
        if (b >= n) continue;
        const f = mkVmaFlagsIn(config, b);
        expect(vmaFlagsTest(f, b)).toBe(true);
        for (const other of [0, 1, 31, 32, 33, n - 1]) {
          if (other !== b && other < n) expect(vmaFlagsTest(f, other)).toBe(false);
        }
      }
    }
  });

  it('rejects bits outside [0, NUM_VMA_FLAG_BITS) naming "bit"', () => {
    const f = mkVmaFlags(1);
    expect(() => vmaFlagsTest(f, 64)).toThrow('bit must be an integer in [0, 64); got 64');
    expect(() => vmaFlagsTest(f, -1)).toThrow(RangeError);
    expect(() => vmaFlagsTest(f, 2 ** 32)).toThrow(RangeError);
    expect(() => vmaFlagsTest(f, 0.5)).toThrow(RangeError);
    expect(() => vmaFlagsTest(f, '1' as never)).toThrow(TypeError);
    expect(() => vmaFlagsTest(mkVmaFlagsIn(X128), 128)).toThrow('bit must be an integer in [0, 128); got 128');
    expect(() => vmaFlagsTest(mkVmaFlagsIn(PRESETS.i386), 32)).toThrow('bit must be an integer in [0, 32); got 32');
  });

  it('works on constants', () => {
    expect(vmaFlagsTest(constVmaFlags(X128, [100]), 100)).toBe(true);
    expect(vmaFlagsTest(EMPTY_VMA_FLAGS, 0)).toBe(false);
  });
});

describe('any / all', () => {
  const f = mkVmaFlagsIn(X128, 0, 40, 100);

  it('test_any: any listed bit set; none listed → false', () => {
    expect(vmaFlagsTestAny(f, 1, 2, 100)).toBe(true);
    expect(vmaFlagsTestAny(f, 1, 2, 101)).toBe(false);
    expect(vmaFlagsTestAny(f)).toBe(false);
    expect(vmaFlagsTestAny(emptyVmaFlags())).toBe(false);
  });

  it('test_any_mask: intersection; empty mask → false', () => {
    expect(vmaFlagsTestAnyMask(f, mkVmaFlagsIn(X128, 40, 127))).toBe(true);
    expect(vmaFlagsTestAnyMask(f, mkVmaFlagsIn(X128, 41, 127))).toBe(false);
    expect(vmaFlagsTestAnyMask(f, mkVmaFlagsIn(X128))).toBe(false);
    expect(vmaFlagsTestAnyMask(mkVmaFlagsIn(X128), mkVmaFlagsIn(X128))).toBe(false);
  });

  it('test_all: every listed bit set; none listed → true', () => {
    expect(vmaFlagsTestAll(f, 0, 100)).toBe(true);
    expect(vmaFlagsTestAll(f, 0, 100, 101)).toBe(false);
    expect(vmaFlagsTestAll(f)).toBe(true);
    expect(vmaFlagsTestAll(emptyVmaFlags())).toBe(true);
  });

  it('test_all_mask: subset; empty mask → true (even on an empty bitmap)', () => {
    expect(vmaFlagsTestAllMask(f, mkVmaFlagsIn(X128, 0, 40, 100))).toBe(true);
    expect(vmaFlagsTestAllMask(f, mkVmaFlagsIn(X128, 0, 40, 99))).toBe(false);
    expect(vmaFlagsTestAllMask(f, mkVmaFlagsIn(X128))).toBe(true);
    expect(vmaFlagsTestAllMask(mkVmaFlagsIn(X128), mkVmaFlagsIn(X128))).toBe(true);
  });

  it('bit 31 and 63 (sign bits of the lanes) compare correctly', () => {
    const g = mkVmaFlags(31, 63);
    expect(vmaFlagsTestAllMask(g, mkVmaFlags(31))).toBe(true);
    expect(vmaFlagsTestAllMask(g, mkVmaFlags(31, 63))).toBe(true);
    expect(vmaFlagsTestAllMask(mkVmaFlags(63), mkVmaFlags(31, 63))).toBe(false);
    expect(vmaFlagsTestAnyMask(g, mkVmaFlags(63))).toBe(true);
    expect(vmaFlagsSameMask(g, mkVmaFlags(31, 63))).toBe(true);
  });

  it('variadic forms validate every bit first, naming bits[i]', () => {
    expect(() => vmaFlagsTestAny(f, 1, 128)).toThrow('bits[1] must be an integer in [0, 128); got 128');
    // a true answer from an early bit does not hide a bad later bit
    expect(() => vmaFlagsTestAny(f, 0, -3)).toThrow('bits[1] must be an integer in [0, 128); got -3');
    expect(() => vmaFlagsTestAll(f, 1, 2.5)).toThrow(RangeError);
    expect(() => vmaFlagsTestAll(f, 1, null as never)).toThrow(TypeError);
  });
});

describe('vmaFlagsTestSingleMask', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('empty mask → false, even on an empty bitmap', () => {
    expect(vmaFlagsTestSingleMask(emptyVmaFlags(), emptyVmaFlags())).toBe(false);
    expect(vmaFlagsTestSingleMask(mkVmaFlags(1, 2), emptyVmaFlags())).toBe(false);
  });

  it('one-bit mask tests that bit (any lane)', () => {
    const f = mkVmaFlagsIn(X192, 3, 150);
    expect(vmaFlagsTestSingleMask(f, mkVmaFlagsIn(X192, 150))).toBe(true);
    expect(vmaFlagsTestSingleMask(f, mkVmaFlagsIn(X192, 151))).toBe(false);
  });

  it('a multi-bit mask warns exactly once per process, then behaves as test_any', async () => {
    // The once-per-process latch lives in the module: a fresh copy of the
    // helpers starts unlatched even when another test file in this worker
    // (vitest --no-isolate) has already tripped it.
    vi.resetModules();
    const { vmaFlagsTestSingleMask: testSingle } = await import('../src/bit_helpers.js');
    const { mkVmaFlagsIn: mk } = await import('../src/vma_flags.js');
    const { PRESETS: presets, withNumVmaFlagBits: withBits } = await import('../src/config.js');
    const x128 = withBits(presets.x86_64, 128);
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const f = mk(x128, 5);
    // One bit anywhere in the mask, in either lane, is a correct call.
    expect(testSingle(f, mk(x128, 5))).toBe(true);
    expect(testSingle(f, mk(x128, 70))).toBe(false);
    expect(testSingle(f, mk(x128, 31))).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    expect(testSingle(f, mk(x128, 5, 70))).toBe(true);
    expect(testSingle(f, mk(x128, 6, 70))).toBe(false);
    expect(testSingle(f, mk(x128, 0, 1))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    const [message, options] = spy.mock.calls[0]!;
    expect(String(message)).toMatch(/more than one bit/);
    expect(options).toMatchObject({ code: 'VMAFLAGS_SINGLE_MASK' });
  });
});

describe('count / empty / same', () => {
  it('count is the population count over all words', () => {
    expect(vmaFlagsCount(emptyVmaFlags())).toBe(0);
    expect(vmaFlagsCount(mkVmaFlagsIn(X192, 0, 31, 32, 63, 64, 191))).toBe(6);
    expect(vmaFlagsCount(vmaFlagsFromWords([0xffff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn], X128))).toBe(128);
    expect(vmaFlagsCount(vmaFlagsFromWords([0xffff_ffff, 0xffff_ffff, 0xffff_ffff], I96))).toBe(96);
  });

  it('empty looks at every word', () => {
    expect(vmaFlagsEmpty(emptyVmaFlags(X192))).toBe(true);
    expect(vmaFlagsEmpty(mkVmaFlagsIn(X192, 191))).toBe(false);
    expect(vmaFlagsEmpty(EMPTY_VMA_FLAGS)).toBe(true);
  });

  it('same_pair / same_mask compare whole bitmaps', () => {
    const a = mkVmaFlagsIn(X128, 1, 100);
    expect(vmaFlagsSamePair(a, mkVmaFlagsIn(X128, 100, 1))).toBe(true);
    expect(vmaFlagsSamePair(a, mkVmaFlagsIn(X128, 1))).toBe(false);
    expect(vmaFlagsSamePair(a, a)).toBe(true);
    expect(vmaFlagsSameMask(a, mkVmaFlagsIn(X128, 1, 100))).toBe(true);
    expect(vmaFlagsSameMask(a, mkVmaFlagsIn(X128, 1, 101))).toBe(false);
  });

  it('same: exactly the listed bits (none listed → empty)', () => {
    const a = mkVmaFlagsIn(X128, 1, 100);
    expect(vmaFlagsSame(a, 100, 1)).toBe(true);
    expect(vmaFlagsSame(a, 100, 1, 1)).toBe(true);
    expect(vmaFlagsSame(a, 1)).toBe(false);
    expect(vmaFlagsSame(a, 1, 100, 2)).toBe(false);
    expect(vmaFlagsSame(emptyVmaFlags())).toBe(true);
    expect(vmaFlagsSame(a)).toBe(false);
    expect(() => vmaFlagsSame(a, 1, 128)).toThrow('bits[1] must be an integer in [0, 128); got 128');
  });

  it('same works after a wider bitmap was compared (scratch is sized per call)', () => {
    expect(vmaFlagsSame(mkVmaFlagsIn(withNumVmaFlagBits(PRESETS.x86_64, 640), 600), 600)).toBe(true);
    expect(vmaFlagsSame(mkVmaFlags(3), 3)).toBe(true);
    expect(vmaFlagsSame(mkVmaFlags(3))).toBe(false);
  });
});

describe('new bitmaps: diff_pair / and_mask / and', () => {
  it('diff_pair is the symmetric difference, a new mutable bitmap', () => {
    const a = mkVmaFlagsIn(X128, 1, 2, 100);
    const b = mkVmaFlagsIn(X128, 2, 3, 127);
    const d = vmaFlagsDiffPair(a, b);
    expect(words(d)).toEqual(words(mkVmaFlagsIn(X128, 1, 3, 100, 127)));
    expect(d.config).toBe(X128);
    expect(d).not.toBe(a);
    vmaFlagsSetFlag(d, 0);
    expect(words(a)).toEqual(words(mkVmaFlagsIn(X128, 1, 2, 100)));
    expect(vmaFlagsEmpty(vmaFlagsDiffPair(a, a))).toBe(true);
  });

  it('and_mask / and intersect', () => {
    const a = mkVmaFlagsIn(X128, 1, 2, 100);
    expect(words(vmaFlagsAndMask(a, mkVmaFlagsIn(X128, 2, 100, 101)))).toEqual(words(mkVmaFlagsIn(X128, 2, 100)));
    expect(words(vmaFlagsAnd(a, 2, 100, 101))).toEqual(words(mkVmaFlagsIn(X128, 2, 100)));
    expect(vmaFlagsEmpty(vmaFlagsAnd(a))).toBe(true);
    const c = constVmaFlags(X128, [1, 2]);
    const r = vmaFlagsAndMask(c, c);
    vmaFlagsSetFlag(r, 5); // results are mutable even from constants
    expect(words(r)).toEqual(words(mkVmaFlagsIn(X128, 1, 2, 5)));
  });
});

describe('mutators', () => {
  it('set_flag / set / set_mask OR bits in', () => {
    const f = emptyVmaFlags(X192);
    vmaFlagsSetFlag(f, 191);
    vmaFlagsSet(f, 0, 64, 64);
    vmaFlagsSetMask(f, mkVmaFlagsIn(X192, 128, 0));
    expect(words(f)).toEqual([1n, 1n, (1n << 63n) | 1n]);
  });

  it('clear / clear_mask AND-NOT', () => {
    const f = mkVmaFlagsIn(X192, 0, 1, 64, 128, 191);
    vmaFlagsClear(f, 1, 64, 5);
    vmaFlagsClearMask(f, mkVmaFlagsIn(X192, 191, 2));
    expect(words(f)).toEqual(words(mkVmaFlagsIn(X192, 0, 128)));
  });

  it('nothing is half-applied when a later bit is bad', () => {
    const f = mkVmaFlags(1);
    expect(() => vmaFlagsSet(f, 2, 3, 64)).toThrow('bits[2] must be an integer in [0, 64); got 64');
    expect(() => vmaFlagsClear(f, 1, -1)).toThrow('bits[1] must be an integer in [0, 64); got -1');
    expect(words(f)).toEqual([2n]);
    expect(() => vmaFlagsSetFlag(f, 64)).toThrow('bit must be an integer in [0, 64); got 64');
    expect(words(f)).toEqual([2n]);
  });

  it('all mutators refuse shared constants and leave them unchanged', () => {
    const c = constVmaFlags(X128, [3]);
    const msg = 'flags is a shared constant; copy it with vmaFlagsCopy()';
    expect(() => vmaFlagsSetFlag(c, 1)).toThrow(msg);
    expect(() => vmaFlagsSet(c, 1)).toThrow(msg);
    expect(() => vmaFlagsSet(c)).toThrow(msg);
    expect(() => vmaFlagsSetMask(c, mkVmaFlagsIn(X128, 1))).toThrow(msg);
    expect(() => vmaFlagsClear(c, 3)).toThrow(msg);
    expect(() => vmaFlagsClearMask(c, mkVmaFlagsIn(X128, 3))).toThrow(msg);
    expect(words(c)).toEqual([8n, 0n]);
  });

  it('a constant may be the mask', () => {
    const f = emptyVmaFlags(X128);
    vmaFlagsSetMask(f, constVmaFlags(X128, [9]));
    expect(words(f)).toEqual([512n, 0n]);
  });
});

describe('config checks', () => {
  const a64 = mkVmaFlags(1);
  const a128 = mkVmaFlagsIn(X128, 1);
  const i386 = mkVmaFlagsIn(PRESETS.i386, 1);

  const pairs: [string, (x: VmaFlags, y: VmaFlags) => unknown, string][] = [
    ['testAnyMask', vmaFlagsTestAnyMask, 'mask'],
    ['testAllMask', vmaFlagsTestAllMask, 'mask'],
    ['testSingleMask', vmaFlagsTestSingleMask, 'mask'],
    ['sameMask', vmaFlagsSameMask, 'mask'],
    ['andMask', vmaFlagsAndMask, 'mask'],
    ['setMask', vmaFlagsSetMask, 'mask'],
    ['clearMask', vmaFlagsClearMask, 'mask'],
    ['samePair', vmaFlagsSamePair, 'b'],
    ['diffPair', vmaFlagsDiffPair, 'b'],
  ];

  for (const [name, fn, arg] of pairs) {
    it(`${name} rejects a second bitmap of another config, naming "${arg}"`, () => {
      expect(() => fn(a64, a128)).toThrow(TypeError);
      expect(() => fn(a64, a128)).toThrow(
        new RegExp(
          `^${arg} must be a VmaFlags of config x86_64 \\[x86_64/64/64/.*got one of config x86_64 \\[x86_64/64/128/`,
        ),
      );
      expect(() => fn(a64, i386)).toThrow(/got one of config i386 \[i386\/32\/32\/\]/);
      expect(() => fn(a64, {} as VmaFlags)).toThrow(`${arg} must be a VmaFlags; got Object`);
      expect(() => fn({} as VmaFlags, a64)).toThrow(/^(flags|a) must be a VmaFlags; got Object$/);
      expect(words(a64)).toEqual([2n]);
    });
  }

  it('configs with the same key but a different name mix freely', () => {
    const other = defineKernelConfig({ arch: 'i386', name: 'my-i386' });
    expect(other).not.toBe(PRESETS.i386);
    expect(other.key).toBe(PRESETS.i386.key);
    const f = mkVmaFlagsIn(PRESETS.i386, 1, 2);
    expect(vmaFlagsTestAnyMask(f, mkVmaFlagsIn(other, 2))).toBe(true);
    expect(vmaFlagsSamePair(f, mkVmaFlagsIn(other, 1, 2))).toBe(true);
    vmaFlagsSetMask(f, mkVmaFlagsIn(other, 7));
    expect(words(f)).toEqual([0x86n]);
    // the result keeps the config of the first bitmap
    expect(vmaFlagsDiffPair(f, mkVmaFlagsIn(other, 7)).config).toBe(PRESETS.i386);
  });
});
