import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { vmaFlagsSet, vmaFlagsSetFlag, vmaFlagsTest } from '../src/bit_helpers.js';
import { DEFAULT_CONFIG, PRESETS, withNumVmaFlagBits } from '../src/config.js';
import { VMA_READ_BIT, VMA_SEALED_BIT, VMA_WRITE_BIT } from '../src/vma_flag.js';
import * as vmaFlagsModule from '../src/vma_flags.js';
import {
  EMPTY_VMA_FLAGS,
  VmaFlags,
  appendVmaFlags,
  constVmaFlags,
  emptyVmaFlags,
  isVmaFlags,
  mkVmaFlags,
  mkVmaFlagsIn,
  vmaFlagsCopy,
  vmaFlagsFromWords,
  vmaFlagsToWords,
} from '../src/vma_flags.js';
import { vmaFlagsClearAll, vmaFlagsSetWord } from '../src/word_helpers.js';

const X128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
const I96 = withNumVmaFlagBits(PRESETS.i386, 96);

describe('construction', () => {
  it('emptyVmaFlags is all zero, mutable and on the default config', () => {
    const f = emptyVmaFlags();
    expect(f.config).toBe(DEFAULT_CONFIG);
    expect(vmaFlagsToWords(f)).toEqual([0n]);
    vmaFlagsSetFlag(f, 3);
    expect(vmaFlagsToWords(f)).toEqual([8n]);
  });

  it('new VmaFlags(config) is an empty bitmap of that config', () => {
    const f = new VmaFlags(X128);
    expect(f.config).toBe(X128);
    expect(vmaFlagsToWords(f)).toEqual([0n, 0n]);
    expect(f).toBeInstanceOf(VmaFlags);
  });

  it('rejects something that is not a KernelConfig', () => {
    expect(() => emptyVmaFlags({ ...DEFAULT_CONFIG })).toThrow(TypeError);
    expect(() => emptyVmaFlags({ ...DEFAULT_CONFIG })).toThrow(/config must be a KernelConfig/);
    expect(() => mkVmaFlagsIn(null as never, 1)).toThrow(/config must be/);
  });

  it('mkVmaFlags sets exactly the listed bits; duplicates are harmless', () => {
    const f = mkVmaFlags(VMA_READ_BIT, VMA_WRITE_BIT, VMA_READ_BIT, VMA_SEALED_BIT);
    expect(vmaFlagsToWords(f)).toEqual([(1n << 42n) | 3n]);
    expect(vmaFlagsToWords(mkVmaFlags())).toEqual([0n]);
    expect(vmaFlagsToWords(mkVmaFlags(63))).toEqual([1n << 63n]);
  });

  it('mkVmaFlagsIn uses the given config and its width', () => {
    const f = mkVmaFlagsIn(X128, 0, 64, 127);
    expect(f.config).toBe(X128);
    expect(vmaFlagsToWords(f)).toEqual([1n, (1n << 63n) | 1n]);
    const g = mkVmaFlagsIn(I96, 31, 32, 95);
    expect(vmaFlagsToWords(g)).toEqual([1n << 31n, 1n, 1n << 31n]);
  });

  it('rejects out-of-range and non-integer bits, naming the argument', () => {
    expect(() => mkVmaFlags(1, 2, 64)).toThrow(RangeError);
    expect(() => mkVmaFlags(1, 2, 64)).toThrow('bits[2] must be an integer in [0, 64); got 64');
    expect(() => mkVmaFlagsIn(X128, 128)).toThrow('bits[0] must be an integer in [0, 128); got 128');
    expect(() => mkVmaFlags(-1)).toThrow(RangeError);
    expect(() => mkVmaFlags(1.5)).toThrow(RangeError);
    expect(() => mkVmaFlags(Number.NaN)).toThrow(RangeError);
    expect(() => mkVmaFlags('1' as never)).toThrow(TypeError);
    expect(() => mkVmaFlags('1' as never)).toThrow('bits[0] must be an integer in [0, 64); got "1"');
    expect(() => mkVmaFlags(1n as never)).toThrow(TypeError);
  });

  it('appendVmaFlags copies base and adds bits, leaving base alone', () => {
    const base = mkVmaFlags(1);
    const g = appendVmaFlags(base, 2, 40);
    expect(vmaFlagsToWords(g)).toEqual([(1n << 40n) | 6n]);
    expect(vmaFlagsToWords(base)).toEqual([2n]);
    expect(g).not.toBe(base);
    expect(g.config).toBe(base.config);
  });

  it('appendVmaFlags accepts a constant base and returns a mutable bitmap', () => {
    const g = appendVmaFlags(EMPTY_VMA_FLAGS, 5);
    vmaFlagsSetFlag(g, 6);
    expect(vmaFlagsToWords(g)).toEqual([0x60n]);
  });

  it('appendVmaFlags validates every bit against the base width before building', () => {
    const base = mkVmaFlagsIn(X128, 1);
    expect(() => appendVmaFlags(base, 3, 200)).toThrow('bits[1] must be an integer in [0, 128); got 200');
    expect(() => appendVmaFlags({} as VmaFlags, 1)).toThrow('base must be a VmaFlags; got Object');
  });
});

describe('words', () => {
  it('round-trips words, word 0 first', () => {
    const w = [0x8000_0000_0000_0001n, 0xffff_ffff_ffff_ffffn];
    expect(vmaFlagsToWords(vmaFlagsFromWords(w, X128))).toEqual(w);
  });

  it('accepts numbers and short arrays (missing words are zero)', () => {
    expect(vmaFlagsToWords(vmaFlagsFromWords([5], X128))).toEqual([5n, 0n]);
    expect(vmaFlagsToWords(vmaFlagsFromWords([], X128))).toEqual([0n, 0n]);
    expect(vmaFlagsToWords(vmaFlagsFromWords([0xffffffff, 1, 2], I96))).toEqual([0xffffffffn, 1n, 2n]);
    expect(vmaFlagsFromWords([1n]).config).toBe(DEFAULT_CONFIG);
  });

  it('rejects too many words, bad words and non-arrays', () => {
    expect(() => vmaFlagsFromWords([1n, 2n])).toThrow(RangeError);
    expect(() => vmaFlagsFromWords([1n, 2n])).toThrow(/words must be an array of at most 1 words/);
    expect(() => vmaFlagsFromWords([1n, 1n << 64n], X128)).toThrow(/words\[1\] must be a bigint in \[0, 2\^64\)/);
    expect(() => vmaFlagsFromWords([1n << 32n], PRESETS.i386)).toThrow(
      /words\[0\] must be a bigint or integer number in \[0, 2\^32\)/,
    );
    expect(() => vmaFlagsFromWords([-1n])).toThrow(RangeError);
    expect(() => vmaFlagsFromWords([0.5])).toThrow(RangeError);
    expect(() => vmaFlagsFromWords(['1' as never])).toThrow(TypeError);
    expect(() => vmaFlagsFromWords(5n as never)).toThrow(TypeError);
  });

  it('32-bit configs have one lane per word', () => {
    const f = mkVmaFlagsIn(PRESETS.i386, 0, 31);
    expect(vmaFlagsToWords(f)).toEqual([0x8000_0001n]);
  });
});

describe('vmaFlagsCopy', () => {
  it('is an independent mutable copy with the same config', () => {
    const a = mkVmaFlagsIn(X128, 1, 100);
    const b = vmaFlagsCopy(a);
    expect(b).not.toBe(a);
    expect(b.config).toBe(X128);
    vmaFlagsSetFlag(b, 2);
    expect(vmaFlagsToWords(a)).toEqual([2n, 1n << 36n]);
    expect(vmaFlagsToWords(b)).toEqual([6n, 1n << 36n]);
  });

  it('turns a constant into a mutable bitmap', () => {
    const b = vmaFlagsCopy(EMPTY_VMA_FLAGS);
    vmaFlagsSetFlag(b, 1);
    expect(vmaFlagsTest(b, 1)).toBe(true);
    expect(vmaFlagsTest(EMPTY_VMA_FLAGS, 1)).toBe(false);
  });

  it('rejects non-bitmaps', () => {
    expect(() => vmaFlagsCopy(undefined as never)).toThrow('flags must be a VmaFlags; got undefined');
    expect(() => vmaFlagsCopy(Object.create(VmaFlags.prototype))).toThrow(TypeError);
  });
});

describe('constants', () => {
  const shared = /flags is a shared constant; copy it with vmaFlagsCopy\(\)/;

  it('EMPTY_VMA_FLAGS is empty, default config and immutable', () => {
    expect(EMPTY_VMA_FLAGS.config).toBe(DEFAULT_CONFIG);
    expect(vmaFlagsToWords(EMPTY_VMA_FLAGS)).toEqual([0n]);
    expect(() => vmaFlagsSetFlag(EMPTY_VMA_FLAGS, 1)).toThrow(TypeError);
    expect(() => vmaFlagsSetFlag(EMPTY_VMA_FLAGS, 1)).toThrow(shared);
    expect(() => vmaFlagsSetWord(EMPTY_VMA_FLAGS, 1n)).toThrow(shared);
    expect(() => vmaFlagsClearAll(EMPTY_VMA_FLAGS)).toThrow(shared);
    expect(vmaFlagsToWords(EMPTY_VMA_FLAGS)).toEqual([0n]);
  });

  it('constVmaFlags builds an immutable bitmap from bits or from a bitmap', () => {
    const c = constVmaFlags(X128, [0, 127]);
    expect(vmaFlagsToWords(c)).toEqual([1n, 1n << 63n]);
    expect(() => vmaFlagsSet(c, 3)).toThrow(shared);
    const src = mkVmaFlagsIn(X128, 7);
    const d = constVmaFlags(X128, src);
    vmaFlagsSetFlag(src, 8); // the constant is a copy, not a view
    expect(vmaFlagsToWords(d)).toEqual([0x80n, 0n]);
    expect(() => vmaFlagsSetFlag(d, 9)).toThrow(shared);
  });

  it('constVmaFlags validates its arguments', () => {
    expect(() => constVmaFlags(X128, [128])).toThrow('bits[0] must be an integer in [0, 128); got 128');
    expect(() => constVmaFlags(X128, mkVmaFlags(1))).toThrow(
      /bits must be a VmaFlags of config x86_64 \[x86_64\/64\/128\//,
    );
    expect(() => constVmaFlags(X128, {} as never)).toThrow('bits must be a VmaFlags; got Object');
  });
});

describe('privacy', () => {
  const f = mkVmaFlags(0, 1, 63);

  it('exposes no own properties', () => {
    expect(Object.keys(f)).toEqual([]);
    expect(Object.getOwnPropertyNames(f)).toEqual([]);
    expect(Object.getOwnPropertySymbols(f)).toEqual([]);
    expect(Reflect.ownKeys(f)).toEqual([]);
    expect({ ...f }).toEqual({});
    expect(Object.entries(f)).toEqual([]);
  });

  it('JSON and structuredClone reveal nothing', () => {
    expect(JSON.stringify(f)).toBe('{}');
    const clone = structuredClone(f) as object;
    expect(Reflect.ownKeys(clone)).toEqual([]);
    expect(clone).not.toBeInstanceOf(VmaFlags);
    expect(() => vmaFlagsToWords(clone as VmaFlags)).toThrow(TypeError);
  });

  it('config is read-only and not an own property', () => {
    expect(() => {
      (f as { config: unknown }).config = PRESETS.i386;
    }).toThrow(TypeError);
    expect(f.config).toBe(DEFAULT_CONFIG);
    expect(Object.getOwnPropertyDescriptor(VmaFlags.prototype, 'config')?.set).toBeUndefined();
  });

  it('a look-alike object is not accepted, nor a fake prototype', () => {
    const fake = Object.create(VmaFlags.prototype) as VmaFlags;
    expect(fake instanceof VmaFlags).toBe(true);
    expect(() => vmaFlagsTest(fake, 0)).toThrow('flags must be a VmaFlags; got VmaFlags');
    expect(isVmaFlags(fake)).toBe(false);
  });

  it('the storage accessors are not exported', () => {
    const exported = Object.keys(vmaFlagsModule).sort();
    expect(exported).toEqual(
      [
        'EMPTY_VMA_FLAGS',
        'VmaFlags',
        'appendVmaFlags',
        'constVmaFlags',
        'emptyVmaFlags',
        'isVmaFlags',
        'mkVmaFlags',
        'mkVmaFlagsIn',
        'vmaFlagsCopy',
        'vmaFlagsFromWords',
        'vmaFlagsToWords',
      ].sort(),
    );
    const index = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    expect(index).not.toMatch(/access_private|\/bitmap\.js/);
  });

  it('the class cannot be given storage from outside', () => {
    const lanes = new Uint32Array([0xffffffff, 0xffffffff]);
    const g = new (VmaFlags as unknown as new (...a: unknown[]) => VmaFlags)(DEFAULT_CONFIG, lanes);
    expect(vmaFlagsToWords(g)).toEqual([0n]);
    expect(() => new (VmaFlags as unknown as new (a: unknown) => VmaFlags)(lanes)).toThrow(TypeError);
  });
});

describe('inspect', () => {
  it('shows config, bits and words, and marks constants', () => {
    expect(inspect(mkVmaFlags(0, 1, 63))).toBe(
      'VmaFlags<x86_64, 64 bits> { bits: [0, 1, 63], words: [0x8000000000000003] }',
    );
    expect(inspect(EMPTY_VMA_FLAGS)).toBe('const VmaFlags<x86_64, 64 bits> { bits: [], words: [0x0] }');
    expect(Object.prototype.toString.call(EMPTY_VMA_FLAGS)).toBe('[object VmaFlags]');
  });
});
