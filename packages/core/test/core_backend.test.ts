import { describe, expect, it } from 'vitest';
import type { FlagsBackend } from '../src/backend.js';
import { coreBackend } from '../src/core_backend.js';
import { DEFAULT_CONFIG, PRESETS, withNumVmaFlagBits } from '../src/config.js';
import { VmaFlags, mkVmaFlags, mkVmaFlagsIn } from '../src/vma_flags.js';

const X128 = withNumVmaFlagBits(PRESETS.x86_64, 128);

// Every FlagsBackend member, so a member added to the interface but missing
// here fails to compile.
const MEMBERS: Record<keyof FlagsBackend, true> = {
  name: true,
  config: true,
  mk: true,
  append: true,
  copy: true,
  toWords: true,
  fromWords: true,
  fromLegacy: true,
  toLegacy: true,
  clearAll: true,
  overwriteWord: true,
  overwriteWordOnce: true,
  setWord: true,
  clearWord: true,
  test: true,
  testAny: true,
  testAnyMask: true,
  testAll: true,
  testAllMask: true,
  testSingleMask: true,
  count: true,
  empty: true,
  samePair: true,
  sameMask: true,
  same: true,
  diffPair: true,
  andMask: true,
  and: true,
  setFlag: true,
  set: true,
  setMask: true,
  clear: true,
  clearMask: true,
};

describe('coreBackend', () => {
  it('implements every FlagsBackend member and is cached, frozen, named "core"', () => {
    const b = coreBackend(X128);
    for (const m of Object.keys(MEMBERS)) expect(b).toHaveProperty(m);
    expect(b.name).toBe('core');
    expect(b.config).toBe(X128);
    expect(coreBackend(X128)).toBe(b);
    expect(coreBackend(DEFAULT_CONFIG)).not.toBe(b);
    expect(Object.isFrozen(b)).toBe(true);
    expect(() => coreBackend({} as never)).toThrow(/^config must be a KernelConfig/);
  });

  it('builds bitmaps of its config and runs the helpers', () => {
    const b = coreBackend(X128);
    const f = b.mk(1, 100);
    expect(f).toBeInstanceOf(VmaFlags);
    expect(f.config).toBe(X128);
    expect(b.toWords(f)).toEqual([2n, 1n << 36n]);
    expect(b.toWords(b.mk())).toEqual([0n, 0n]);
    expect(b.toWords(b.append(f, 2))).toEqual([6n, 1n << 36n]);
    expect(b.toWords(b.fromWords([5n, 6n]))).toEqual([5n, 6n]);
    expect(b.toWords(b.fromLegacy(7n))).toEqual([7n, 0n]);
    expect(b.toLegacy(f)).toBe(2n);
    const g = b.copy(f);
    b.setWord(g, 0x10n);
    b.clearWord(g, 0x2n);
    expect(b.toWords(g)).toEqual([0x10n, 1n << 36n]);
    b.overwriteWord(g, 1n);
    b.overwriteWordOnce(g, 3n);
    expect(b.toLegacy(g)).toBe(3n);
    expect(b.test(f, 100)).toBe(true);
    expect(b.testAny(f, 3, 100)).toBe(true);
    expect(b.testAll(f, 1, 3)).toBe(false);
    expect(b.testAnyMask(f, b.mk(1))).toBe(true);
    expect(b.testAllMask(f, b.mk(1, 100))).toBe(true);
    expect(b.testSingleMask(f, b.mk(100))).toBe(true);
    expect(b.count(f)).toBe(2);
    expect(b.empty(b.mk())).toBe(true);
    expect(b.samePair(f, b.mk(100, 1))).toBe(true);
    expect(b.sameMask(f, b.mk(1))).toBe(false);
    expect(b.same(f, 1, 100)).toBe(true);
    expect(b.toWords(b.diffPair(f, b.mk(1, 2)))).toEqual([4n, 1n << 36n]);
    expect(b.toWords(b.andMask(f, b.mk(1, 2)))).toEqual([2n, 0n]);
    expect(b.toWords(b.and(f, 100))).toEqual([0n, 1n << 36n]);
    const h = b.mk();
    b.setFlag(h, 0);
    b.set(h, 1, 2);
    b.setMask(h, b.mk(127));
    b.clear(h, 1);
    b.clearMask(h, b.mk(2));
    expect(b.toWords(h)).toEqual([1n, 1n << 63n]);
    b.clearAll(h);
    expect(b.empty(h)).toBe(true);
  });

  it('rejects bitmaps of another config in every method, even single-bitmap ones', () => {
    const b = coreBackend(X128);
    const other = mkVmaFlags(1);
    expect(() => b.test(other, 1)).toThrow(TypeError);
    expect(() => b.test(other, 1)).toThrow(
      /^flags must be a VmaFlags of config x86_64 \[x86_64\/64\/128\/.*\(the config of the backend\)/,
    );
    expect(() => b.count(other)).toThrow(TypeError);
    expect(() => b.setWord(other, 1n)).toThrow(TypeError);
    expect(() => b.toWords(other)).toThrow(TypeError);
    expect(() => b.append(other, 1)).toThrow(/^base must be/);
    expect(() => b.samePair(b.mk(), other)).toThrow(/^b must be/);
    expect(() => b.diffPair(other, b.mk())).toThrow(/^a must be/);
    expect(() => b.count({} as never)).toThrow('flags must be a VmaFlags; got Object');
  });

  it('validates bits and words like the helpers', () => {
    const b = coreBackend(PRESETS.i386);
    expect(() => b.mk(32)).toThrow('bits[0] must be an integer in [0, 32); got 32');
    expect(() => b.fromLegacy(1n << 32n)).toThrow(RangeError);
    expect(() => b.fromWords([1n, 2n])).toThrow(RangeError);
    expect(b.toWords(mkVmaFlagsIn(PRESETS.i386, 31))).toEqual([1n << 31n]);
  });
});
