import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/config.js';
import { mmapReadLock, mmapWriteLock } from '../src/mm_struct.js';
import {
  __vmaAtomicValidFlag,
  vmaFlagSetAtomic,
  vmaFlagTestAtomic,
  vmaSetAtomicFlag,
  vmaTestAtomicFlag,
} from '../src/atomic_flags.js';
import { vmaEndRead, vmaStartRead } from '../src/vma_lock.js';
import { VMA_MAYBE_GUARD_BIT, VMA_READ_BIT } from '../src/vma_flag.js';
import { attachedVma, detachedVma, expectLockError, snapshot } from './vma_fixtures.js';

describe('__vmaAtomicValidFlag', () => {
  test('only MAYBE_GUARD (bit 11) is valid', () => {
    const vma = detachedVma();
    expect(__vmaAtomicValidFlag(vma, VMA_MAYBE_GUARD_BIT)).toBe(true);
    expect(__vmaAtomicValidFlag(vma, VMA_READ_BIT)).toBe(false);
    expect(__vmaAtomicValidFlag(vma, 63)).toBe(false);
    expect(__vmaAtomicValidFlag(detachedVma(PRESETS.i386), 11)).toBe(true);
  });

  test('an out-of-range bit is a RangeError naming bit', () => {
    const vma = detachedVma();
    expect(() => __vmaAtomicValidFlag(vma, 64)).toThrow(/^bit must be an integer in \[0, 64\)/);
    expect(() => __vmaAtomicValidFlag(vma, -1)).toThrow(RangeError);
    expect(() => __vmaAtomicValidFlag(vma, '11' as never)).toThrow(TypeError);
  });
});

describe('vmaSetAtomicFlag', () => {
  test('under the mmap read lock', () => {
    const vma = attachedVma();
    mmapReadLock(vma.vmMm);
    vmaSetAtomicFlag(vma, VMA_MAYBE_GUARD_BIT);
    expect(vma.vmFlags).toBe(0x873n);
  });

  test('under the mmap write lock, without taking the VMA write lock', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    const seq = vma.vmLockSeq;
    vmaSetAtomicFlag(vma, VMA_MAYBE_GUARD_BIT);
    expect(vma.vmLockSeq).toBe(seq);
    expect(vma.vmFlags).toBe(0x873n);
  });

  test('under a VMA read lock alone', () => {
    const vma = attachedVma();
    expect(vmaStartRead(vma)).toBe(true);
    vmaSetAtomicFlag(vma, VMA_MAYBE_GUARD_BIT);
    vmaEndRead(vma);
    expect(vma.vmFlags).toBe(0x873n);
  });

  test('with no lock: VmaLockError vma_stabilised, nothing set', () => {
    const vma = attachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmaSetAtomicFlag(vma, VMA_MAYBE_GUARD_BIT), 'vma_stabilised', 'vma_set_atomic_flag');
    expect(snapshot(vma)).toEqual(before);
  });

  test('a detached VMA with no lock is not stabilised either', () => {
    const vma = detachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmaSetAtomicFlag(vma, VMA_MAYBE_GUARD_BIT), 'vma_stabilised', 'vma_set_atomic_flag');
    expect(snapshot(vma)).toEqual(before);
  });

  test('any other bit is a RangeError naming bit and the allowed set, even when locked', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    const before = snapshot(vma);
    expect(() => vmaSetAtomicFlag(vma, 3)).toThrow(RangeError);
    expect(() => vmaSetAtomicFlag(vma, 3)).toThrow(
      /^bit must be a bit in VM_ATOMIC_SET_ALLOWED \(only VMA_MAYBE_GUARD_BIT = 11\); got 3$/,
    );
    expect(() => vmaSetAtomicFlag(vma, 64)).toThrow(RangeError);
    expect(snapshot(vma)).toEqual(before);
  });

  test('the argument check comes before the lock check', () => {
    const vma = attachedVma();
    expect(() => vmaSetAtomicFlag(vma, 0)).toThrow(RangeError);
  });
});

describe('vmaTestAtomicFlag', () => {
  test('needs no lock', () => {
    const vma = attachedVma();
    expect(vmaTestAtomicFlag(vma, VMA_MAYBE_GUARD_BIT)).toBe(false);
    mmapReadLock(vma.vmMm);
    vmaSetAtomicFlag(vma, VMA_MAYBE_GUARD_BIT);
    expect(vmaTestAtomicFlag(vma, VMA_MAYBE_GUARD_BIT)).toBe(true);
  });

  test('rejects bits outside the allowed set', () => {
    expect(() => vmaTestAtomicFlag(detachedVma(), VMA_READ_BIT)).toThrow(/VM_ATOMIC_SET_ALLOWED/);
    expect(() => vmaTestAtomicFlag({} as never, 11)).toThrow(/^vma must be/);
  });

  test('v3 names are deprecated aliases', () => {
    expect(vmaFlagSetAtomic).toBe(vmaSetAtomicFlag);
    expect(vmaFlagTestAtomic).toBe(vmaTestAtomicFlag);
  });
});
