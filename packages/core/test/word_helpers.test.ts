import { describe, expect, it } from 'vitest';
import { VmaFlagsArena } from '../src/arena.js';
import { DEFAULT_CONFIG, PRESETS, withNumVmaFlagBits } from '../src/config.js';
import {
  EMPTY_VMA_FLAGS,
  emptyVmaFlags,
  mkVmaFlagsIn,
  vmaFlagsFromWords,
  vmaFlagsToWords,
  type VmaFlags,
} from '../src/vma_flags.js';
import {
  legacyToVmaFlags,
  vmaFlagsClearAll,
  vmaFlagsClearWord,
  vmaFlagsOverwriteWord,
  vmaFlagsOverwriteWordOnce,
  vmaFlagsSetWord,
  vmaFlagsToLegacy,
} from '../src/word_helpers.js';

const X128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
const X192 = withNumVmaFlagBits(PRESETS.x86_64, 192);
const I96 = withNumVmaFlagBits(PRESETS.i386, 96);
const ALL64 = 0xffff_ffff_ffff_ffffn;

type WordHelper = (f: VmaFlags, v: bigint | number) => void;
const WORD_HELPERS: [string, WordHelper][] = [
  ['vmaFlagsOverwriteWord', vmaFlagsOverwriteWord],
  ['vmaFlagsOverwriteWordOnce', vmaFlagsOverwriteWordOnce],
  ['vmaFlagsSetWord', vmaFlagsSetWord],
  ['vmaFlagsClearWord', vmaFlagsClearWord],
];

describe('word 0 helpers on a 64-bit word', () => {
  it('set_word ORs into word 0', () => {
    const f = vmaFlagsFromWords([0x10n]);
    vmaFlagsSetWord(f, 0x8000_0000_0000_0001n);
    expect(vmaFlagsToWords(f)).toEqual([0x8000_0000_0000_0011n]);
    vmaFlagsSetWord(f, 0);
    expect(vmaFlagsToWords(f)).toEqual([0x8000_0000_0000_0011n]);
  });

  it('clear_word AND-NOTs word 0', () => {
    const f = vmaFlagsFromWords([ALL64]);
    vmaFlagsClearWord(f, 0x8000_0000_8000_0001n);
    expect(vmaFlagsToWords(f)).toEqual([0x7fff_ffff_7fff_fffen]);
  });

  it('overwrite_word[_once] replaces word 0', () => {
    for (const over of [vmaFlagsOverwriteWord, vmaFlagsOverwriteWordOnce]) {
      const f = vmaFlagsFromWords([ALL64]);
      over(f, 0x1_0000_0002n);
      expect(vmaFlagsToWords(f)).toEqual([0x1_0000_0002n]);
      over(f, 0);
      expect(vmaFlagsToWords(f)).toEqual([0n]);
    }
  });

  it('accepts safe-integer numbers, including values above 2^32', () => {
    const f = emptyVmaFlags();
    vmaFlagsSetWord(f, 2 ** 52 + 2 ** 33 + 1);
    expect(vmaFlagsToWords(f)).toEqual([(1n << 52n) | (1n << 33n) | 1n]);
    vmaFlagsClearWord(f, 2 ** 33);
    expect(vmaFlagsToWords(f)).toEqual([(1n << 52n) | 1n]);
    vmaFlagsOverwriteWord(f, Number.MAX_SAFE_INTEGER);
    expect(vmaFlagsToWords(f)).toEqual([BigInt(Number.MAX_SAFE_INTEGER)]);
  });
});

describe('word 0 helpers never touch higher words', () => {
  for (const config of [X128, X192, I96]) {
    it(`on ${config.numVmaFlagBits} bits (${config.bitsPerLong}-bit words)`, () => {
      const max = config.bitsPerLong === 64 ? ALL64 : 0xffff_ffffn;
      const high = Array.from({ length: config.numWords - 1 }, (_, i) => (BigInt(i + 1) * 0x1234_5678_9abn) & max);
      const f = vmaFlagsFromWords([0n, ...high], config);
      vmaFlagsSetWord(f, max);
      expect(vmaFlagsToWords(f)).toEqual([max, ...high]);
      vmaFlagsClearWord(f, max);
      expect(vmaFlagsToWords(f)).toEqual([0n, ...high]);
      vmaFlagsOverwriteWord(f, 5n);
      expect(vmaFlagsToWords(f)).toEqual([5n, ...high]);
      vmaFlagsOverwriteWordOnce(f, 6n);
      expect(vmaFlagsToWords(f)).toEqual([6n, ...high]);
      expect(vmaFlagsToLegacy(f)).toBe(6n);
    });
  }

  it('clear_all zeroes every word', () => {
    for (const config of [DEFAULT_CONFIG, X128, X192, I96, PRESETS.i386]) {
      const f = vmaFlagsFromWords(
        Array.from({ length: config.numWords }, () => (config.bitsPerLong === 64 ? ALL64 : 0xffff_ffffn)),
        config,
      );
      vmaFlagsClearAll(f);
      expect(vmaFlagsToWords(f)).toEqual(Array.from({ length: config.numWords }, () => 0n));
    }
  });
});

describe('32-bit configs: word 0 is lane 0 only', () => {
  it('set/clear/overwrite act on 32 bits and leave word 1 (bits 32..63) alone', () => {
    const f = mkVmaFlagsIn(I96, 32, 63, 64);
    vmaFlagsSetWord(f, 0xffff_ffffn);
    expect(vmaFlagsToWords(f)).toEqual([0xffff_ffffn, 0x8000_0001n, 1n]);
    vmaFlagsOverwriteWord(f, 0x10);
    expect(vmaFlagsToWords(f)).toEqual([0x10n, 0x8000_0001n, 1n]);
    vmaFlagsClearWord(f, 0xffff_ffff);
    expect(vmaFlagsToWords(f)).toEqual([0n, 0x8000_0001n, 1n]);
  });

  it('to_legacy returns word 0 (32 bits)', () => {
    expect(vmaFlagsToLegacy(mkVmaFlagsIn(I96, 0, 31, 32))).toBe(0x8000_0001n);
  });

  it('values of 2^32 and more are rejected', () => {
    const f = emptyVmaFlags(PRESETS.i386);
    for (const [, helper] of WORD_HELPERS) {
      expect(() => helper(f, 1n << 32n)).toThrow(RangeError);
      expect(() => helper(f, 2 ** 32)).toThrow('value must be a bigint or integer number in [0, 2^32); got 4294967296');
    }
    expect(() => legacyToVmaFlags(1n << 32n, PRESETS.i386)).toThrow(RangeError);
  });
});

describe('value validation', () => {
  const bad64: [unknown, ErrorConstructor][] = [
    [1n << 64n, RangeError],
    [-1n, RangeError],
    [-1, RangeError],
    [0.5, RangeError],
    [Number.NaN, RangeError],
    [Number.POSITIVE_INFINITY, RangeError],
    [2 ** 53, RangeError],
    ['1', TypeError],
    [null, TypeError],
    [undefined, TypeError],
    [{}, TypeError],
  ];

  for (const [name, helper] of WORD_HELPERS) {
    it(`${name} rejects bad values naming "value" and changes nothing`, () => {
      const f = vmaFlagsFromWords([0x55n, 7n], X128);
      for (const [v, E] of bad64) {
        expect(() => helper(f, v as bigint)).toThrow(E);
        expect(() => helper(f, v as bigint)).toThrow(
          /^value must be a bigint in \[0, 2\^64\) or a safe integer number in \[0, 2\^53\); got /,
        );
      }
      expect(vmaFlagsToWords(f)).toEqual([0x55n, 7n]);
    });

    it(`${name} rejects non-bitmaps and constants`, () => {
      expect(() => helper({} as VmaFlags, 1n)).toThrow('flags must be a VmaFlags; got Object');
      expect(() => helper(null as never, 1n)).toThrow(TypeError);
      expect(() => helper(EMPTY_VMA_FLAGS, 1n)).toThrow('flags is a shared constant; copy it with vmaFlagsCopy()');
      expect(vmaFlagsToWords(EMPTY_VMA_FLAGS)).toEqual([0n]);
    });
  }

  it('the largest values are accepted', () => {
    const f = emptyVmaFlags();
    vmaFlagsOverwriteWord(f, ALL64);
    expect(vmaFlagsToLegacy(f)).toBe(ALL64);
    const g = emptyVmaFlags(PRESETS.i386);
    vmaFlagsOverwriteWord(g, 0xffff_ffff);
    expect(vmaFlagsToLegacy(g)).toBe(0xffff_ffffn);
  });
});

describe('legacy conversion', () => {
  it('legacyToVmaFlags builds an empty bitmap with word 0 set', () => {
    const f = legacyToVmaFlags(0x8000_0000_0000_0073n);
    expect(f.config).toBe(DEFAULT_CONFIG);
    expect(vmaFlagsToWords(f)).toEqual([0x8000_0000_0000_0073n]);
    const g = legacyToVmaFlags(0x73, X192);
    expect(vmaFlagsToWords(g)).toEqual([0x73n, 0n, 0n]);
    vmaFlagsSetWord(g, 4n); // mutable
    expect(vmaFlagsToLegacy(g)).toBe(0x77n);
  });

  it('vmaFlagsToLegacy ignores higher words', () => {
    expect(vmaFlagsToLegacy(mkVmaFlagsIn(X128, 1, 64, 100))).toBe(2n);
    expect(typeof vmaFlagsToLegacy(EMPTY_VMA_FLAGS)).toBe('bigint');
  });

  it('legacyToVmaFlags validates value and config', () => {
    expect(() => legacyToVmaFlags(-1n)).toThrow(/^value must be/);
    expect(() => legacyToVmaFlags(1n, {} as never)).toThrow(/^config must be a KernelConfig/);
    expect(() => vmaFlagsToLegacy({} as never)).toThrow('flags must be a VmaFlags; got Object');
  });
});

describe('overwrite_word_once on shared memory', () => {
  it('stores word 0 of an arena view in a SharedArrayBuffer (64- and 32-bit words)', () => {
    for (const config of [X128, I96]) {
      const sab = new SharedArrayBuffer(VmaFlagsArena.byteLength(config, 3));
      const arena = new VmaFlagsArena(config, 3, sab);
      const view = arena.at(1);
      arena.setBit(1, config.numVmaFlagBits - 1);
      const v = config.bitsPerLong === 64 ? 0xdead_beef_0000_cafen : 0xdead_beefn;
      vmaFlagsOverwriteWordOnce(view, v);
      expect(arena.getWord(1)).toBe(v);
      expect(arena.testBit(1, config.numVmaFlagBits - 1)).toBe(true);
      expect(arena.getWord(0)).toBe(0n);
      expect(arena.getWord(2)).toBe(0n);
    }
  });
});
