import { PRESETS, withNumVmaFlagBits } from '@vmaflags/core';
import { describe, expect, test, vi } from 'vitest';
import { nativeBackend } from '../src/index.js';

const C128 = withNumVmaFlagBits(PRESETS.x86_64, 128);

describe('nativeBackend', () => {
  test('one frozen backend per config', () => {
    const b = nativeBackend(C128);
    expect(nativeBackend(C128)).toBe(b);
    expect(Object.isFrozen(b)).toBe(true);
    expect(b.name).toBe('native');
    expect(b.config).toBe(C128);
    expect(() => nativeBackend({ ...C128 })).toThrow(/config must be a KernelConfig/);
  });

  test('bit and word helpers on a two-word bitmap', () => {
    const b = nativeBackend(C128);
    const f = b.mk(0, 64, 127);
    expect(b.toWords(f)).toEqual([1n, (1n << 63n) | 1n]);
    b.setWord(f, 0xf0n);
    b.clearWord(f, 0x10n);
    expect(b.toLegacy(f)).toBe(0xe1n);
    expect(b.count(f)).toBe(6);
    expect(b.testAll(f, 0, 64)).toBe(true);
    expect(b.testAll(f)).toBe(true);
    expect(b.testAny(f)).toBe(false);
    expect(b.same(f, 0, 5, 6, 7, 64, 127)).toBe(true);
    expect(b.toWords(b.diffPair(f, b.mk(0, 1)))).toEqual([0xe2n, (1n << 63n) | 1n]);
    expect(b.toWords(b.and(f, 64, 1))).toEqual([0n, 1n]);
    b.setMask(f, f);
    b.clearMask(f, f);
    expect(b.empty(f)).toBe(true);
    expect(b.toWords(b.fromLegacy(7n))).toEqual([7n, 0n]);
    expect(() => b.fromWords([1n, 2n, 3n])).toThrow(/words must be an array of at most 2 words/);
  });

  test('testSingleMask warns once for a mask of several bits', () => {
    const b = nativeBackend(PRESETS.x86_64);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const f = b.mk(3);
      expect(b.testSingleMask(f, b.mk())).toBe(false);
      expect(b.testSingleMask(f, b.mk(3))).toBe(true);
      expect(warn).not.toHaveBeenCalled();
      expect(b.testSingleMask(f, b.mk(2, 3))).toBe(true);
      expect(b.testSingleMask(f, b.mk(2, 4))).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[1]).toMatchObject({ code: 'VMAFLAGS_SINGLE_MASK' });
    } finally {
      warn.mockRestore();
    }
  });
});

test('bitmaps are objects of their config; many bits at once', () => {
  const b = nativeBackend(C128);
  const bits = Array.from({ length: 20 }, (_, k) => k * 6);
  const f = b.mk(...bits);
  expect(f.config).toBe(C128);
  expect(b.count(f)).toBe(20);
  expect(b.testAll(f, ...bits)).toBe(true);
  expect(b.same(f, ...bits)).toBe(true);
  b.clear(f, ...bits.slice(0, 12));
  expect(b.count(f)).toBe(8);
  expect(() => b.set(f, ...bits, 128)).toThrow(/bits\[20\] must be a bit number \(integer\) in \[0, 127\]/);
  expect(b.count(f)).toBe(8);
  const Ctor = f.constructor as new (...a: unknown[]) => unknown;
  expect(() => new Ctor(Symbol('x'), 1, 0, C128)).toThrow(TypeError);
  expect(() => b.count({ ...f } as never)).toThrow(/flags must be a VmaFlags from nativeBackend\(\)/);
});

test('handles print their words', async () => {
  const { inspect } = await import('node:util');
  expect(inspect(nativeBackend(C128).mk(0, 68))).toBe('VmaFlags(native) [0x1, 0x10]');
});
