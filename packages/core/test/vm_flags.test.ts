import { describe, expect, test } from 'vitest';
import { PRESETS, defineKernelConfig, withNumVmaFlagBits } from '../src/config.js';
import { mmapReadLock, mmapWriteDowngrade, mmapWriteLock, mmapWriteUnlock } from '../src/mm_struct.js';
import {
  __vmFlagsMod,
  vmFlagsClear,
  vmFlagsInit,
  vmFlagsMod,
  vmFlagsReset,
  vmFlagsResetOnce,
  vmFlagsSet,
  vmaFlagsResetOnce,
} from '../src/vm_flags.js';
import { VmAreaStruct } from '../src/vm_area_struct.js';
import { __isVmaWriteLocked, vmaStartWrite } from '../src/vma_lock.js';
import { mkVmaFlagsIn, vmaFlagsFromWords, vmaFlagsToWords } from '../src/vma_flags.js';
import { MmStruct } from '../src/mm_struct.js';
import { attachedVma, detachedVma, expectLockError, snapshot } from './vma_fixtures.js';

const WIDE = withNumVmaFlagBits(PRESETS.x86_64, 128);

/** A detached 128-bit VMA with bits 0, 1 and 70 (word 1) set. */
function wideVma(): VmAreaStruct {
  return new VmAreaStruct(new MmStruct(WIDE), { start: 0, end: 0x1000, flags: mkVmaFlagsIn(WIDE, 0, 1, 70) });
}

describe('vm_flags_* semantics', () => {
  test('vmFlagsInit replaces the flags of a detached VMA, zeroing higher words', () => {
    const vma = wideVma();
    vmFlagsInit(vma, 0x100n);
    expect(vmaFlagsToWords(vma.flags)).toEqual([0x100n, 0n]);
    expect(vma.vmFlags).toBe(0x100n);
  });

  test('vmFlagsReset / vmFlagsResetOnce replace all words under the VMA write lock', () => {
    for (const reset of [vmFlagsReset, vmFlagsResetOnce]) {
      const vma = wideVma();
      mmapWriteLock(vma.vmMm);
      vmaStartWrite(vma);
      reset(vma, 0x5n);
      expect(vmaFlagsToWords(vma.flags)).toEqual([0x5n, 0n]);
    }
  });

  test('vmFlagsSet / vmFlagsClear change word 0 only and take the VMA write lock', () => {
    const vma = wideVma();
    mmapWriteLock(vma.vmMm);
    expect(__isVmaWriteLocked(vma)).toBe(false);
    vmFlagsSet(vma, 0x30n);
    expect(__isVmaWriteLocked(vma)).toBe(true);
    expect(vmaFlagsToWords(vma.flags)).toEqual([0x33n, 1n << 6n]);
    vmFlagsClear(vma, 0x11n);
    expect(vmaFlagsToWords(vma.flags)).toEqual([0x22n, 1n << 6n]);
  });

  test('mod applies set before clear (overlap ends up clear) and zeroes higher words', () => {
    const vma = wideVma();
    __vmFlagsMod(vma, 0x0cn, 0x09n);
    // (0x3 | 0xc) & ~0x9 = 0x6
    expect(vmaFlagsToWords(vma.flags)).toEqual([0x6n, 0n]);
    const w = wideVma();
    mmapWriteLock(w.vmMm);
    vmFlagsMod(w, 0x8n, 0x8n);
    expect(vmaFlagsToWords(w.flags)).toEqual([0x3n, 0n]);
    expect(__isVmaWriteLocked(w)).toBe(true);
  });

  test('accepts number words and high bits of a 64-bit word', () => {
    const vma = detachedVma();
    vmFlagsInit(vma, 0x73);
    expect(vma.vmFlags).toBe(0x73n);
    mmapWriteLock(vma.vmMm);
    vmFlagsSet(vma, 1n << 63n);
    expect(vma.vmFlags).toBe((1n << 63n) | 0x73n);
  });

  test('the legacy vmFlags view has no setter', () => {
    const vma = detachedVma();
    expect(() => {
      (vma as unknown as { vmFlags: bigint }).vmFlags = 1n;
    }).toThrow(TypeError);
    expect(vma.vmFlags).toBe(0x73n);
  });

  test('works on an attached VMA under the right locks', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    vmFlagsSet(vma, 0x100n);
    vmFlagsReset(vma, 0x3n);
    __vmFlagsMod(vma, 0x4n, 0n);
    expect(vma.vmFlags).toBe(0x7n);
  });
});

describe('vm_flags_* lock rules (each violation: VmaLockError, nothing changed)', () => {
  test('vm_flags_set without the mmap lock', () => {
    const vma = attachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmFlagsSet(vma, 0x100n), 'mmap_write_locked', 'vm_flags_set');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_set with only the mmap read lock', () => {
    const vma = attachedVma();
    mmapReadLock(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(() => vmFlagsSet(vma, 0x100n), 'mmap_write_locked', 'vm_flags_set');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_set on a detached VMA still needs the mmap write lock', () => {
    const vma = detachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmFlagsSet(vma, 0x100n), 'mmap_write_locked', 'vm_flags_set');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_clear without the mmap write lock', () => {
    const vma = attachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmFlagsClear(vma, 0x1n), 'mmap_write_locked', 'vm_flags_clear');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_mod without the mmap write lock', () => {
    const vma = attachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmFlagsMod(vma, 0x100n, 0x1n), 'mmap_write_locked', 'vm_flags_mod');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_reset without the VMA write lock (mmap write lock held)', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(() => vmFlagsReset(vma, 0x1n), 'vma_write_locked', 'vm_flags_reset');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_reset with no lock at all', () => {
    const vma = detachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmFlagsReset(vma, 0x1n), 'vma_write_locked', 'vm_flags_reset');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_reset_once without the VMA write lock', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(() => vmFlagsResetOnce(vma, 0x1n), 'vma_write_locked', 'vm_flags_reset_once');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_reset after the mmap write lock was dropped (stale VMA write lock)', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    mmapWriteUnlock(vma.vmMm);
    mmapWriteLock(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(() => vmFlagsReset(vma, 0x1n), 'vma_write_locked', 'vm_flags_reset');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_reset after a downgrade', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    mmapWriteDowngrade(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(() => vmFlagsReset(vma, 0x1n), 'vma_write_locked', 'vm_flags_reset');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vm_flags_init on an attached VMA, even write-locked', () => {
    const vma = attachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmFlagsInit(vma, 0x1n), 'vma_detached', 'vm_flags_init');
    expect(snapshot(vma)).toEqual(before);
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    const locked = snapshot(vma);
    expectLockError(() => vmFlagsInit(vma, 0x1n), 'vma_detached', 'vm_flags_init');
    expect(snapshot(vma)).toEqual(locked);
  });

  test('__vm_flags_mod on an attached VMA without its write lock', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(() => __vmFlagsMod(vma, 0x100n, 0n), 'vma_write_locked', '__vm_flags_mod');
    expect(snapshot(vma)).toEqual(before);
  });

  test('without MMU: set needs the mmap write lock, reset is satisfied by it', () => {
    const vma = detachedVma(PRESETS.nommu);
    const before = snapshot(vma);
    expectLockError(() => vmFlagsSet(vma, 0x100n), 'mmap_write_locked', 'vm_flags_set');
    expectLockError(() => vmFlagsReset(vma, 0x1n), 'vma_write_locked', 'vm_flags_reset');
    expect(snapshot(vma)).toEqual(before);
    mmapWriteLock(vma.vmMm);
    vmFlagsSet(vma, 0x100n);
    vmFlagsReset(vma, 0x1n);
    expect(vma.vmFlags).toBe(0x1n);
  });
});

describe('vm_flags_* argument checks come first and name the argument', () => {
  test('bad values are RangeErrors even when the lock is also missing', () => {
    const vma = attachedVma();
    const before = snapshot(vma);
    expect(() => vmFlagsSet(vma, -1n)).toThrow(/^flags must be/);
    expect(() => vmFlagsReset(vma, 2 ** 60)).toThrow(RangeError);
    expect(() => vmFlagsMod(vma, 1n, -1)).toThrow(/^clear must be/);
    expect(() => __vmFlagsMod(vma, 1n << 64n, 0n)).toThrow(/^set must be/);
    expect(() => vmFlagsInit(vma, 'x' as never)).toThrow(TypeError);
    expect(snapshot(vma)).toEqual(before);
  });

  test('32-bit configs reject words above 2^32', () => {
    const vma = detachedVma(PRESETS.i386);
    expect(() => vmFlagsInit(vma, 1n << 32n)).toThrow(RangeError);
    vmFlagsInit(vma, 0xffff_ffffn);
    expect(vma.vmFlags).toBe(0xffff_ffffn);
  });

  test('a bad value does not take the VMA write lock', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    expect(() => vmFlagsSet(vma, -1n)).toThrow(RangeError);
    expect(__isVmaWriteLocked(vma)).toBe(false);
  });

  test('a non-VMA is a TypeError naming vma, for every vm_flags_* helper', () => {
    const helpers: [string, (v: never) => void][] = [
      ['vmFlagsInit', (v) => vmFlagsInit(v, 1n)],
      ['vmFlagsReset', (v) => vmFlagsReset(v, 1n)],
      ['vmFlagsResetOnce', (v) => vmFlagsResetOnce(v, 1n)],
      ['vmaFlagsResetOnce', (v) => vmaFlagsResetOnce(v, mkVmaFlagsIn(PRESETS.x86_64, 0))],
      ['vmFlagsSet', (v) => vmFlagsSet(v, 1n)],
      ['vmFlagsClear', (v) => vmFlagsClear(v, 1n)],
      ['__vmFlagsMod', (v) => __vmFlagsMod(v, 1n, 0n)],
      ['vmFlagsMod', (v) => vmFlagsMod(v, 1n, 0n)],
    ];
    const vma = attachedVma();
    for (const [name, call] of helpers) {
      for (const bad of [{}, null, undefined, 1, vma.flags, vma.vmMm]) {
        let e: unknown;
        try {
          call(bad as never);
        } catch (err) {
          e = err;
        }
        expect([name, e]).toEqual([name, expect.any(TypeError)]);
        expect((e as Error).message).toMatch(/^vma must be a VmAreaStruct/);
      }
    }
  });
});

describe('vmaFlagsResetOnce (vma_flags_reset_once)', () => {
  // ljs "convert vma_modify_flags to vma_flags_t" (linux-mm list, 2026-03-20),
  // in the tree with mmap_lock.h @1632d9c3: word 0 in one untorn store, then
  // the higher words copied from the new flags rather than zeroed.
  test('copies every word, unlike vmFlagsResetOnce which zeroes the upper ones', () => {
    const a = wideVma();
    const b = wideVma();
    for (const vma of [a, b]) {
      mmapWriteLock(vma.vmMm);
      vmaStartWrite(vma);
    }
    vmaFlagsResetOnce(a, mkVmaFlagsIn(WIDE, 2, 64, 127));
    expect(vmaFlagsToWords(a.flags)).toEqual([0x4n, (1n << 63n) | 1n]);
    vmFlagsResetOnce(b, 0x4n);
    expect(vmaFlagsToWords(b.flags)).toEqual([0x4n, 0n]);
  });

  test('one-word and 32-bit configs; the source is not aliased', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    const src = mkVmaFlagsIn(PRESETS.x86_64, 0, 63);
    vmaFlagsResetOnce(vma, src);
    expect(vmaFlagsToWords(vma.flags)).toEqual([(1n << 63n) | 1n]);
    expect(vma.flags).not.toBe(src);
    const c96 = withNumVmaFlagBits(PRESETS.i386, 96);
    const v32 = new VmAreaStruct(new MmStruct(c96), { flags: mkVmaFlagsIn(c96, 1, 40) });
    mmapWriteLock(v32.vmMm);
    vmaStartWrite(v32);
    vmaFlagsResetOnce(v32, mkVmaFlagsIn(c96, 31, 32, 95));
    expect(vmaFlagsToWords(v32.flags)).toEqual([0x8000_0000n, 0x1n, 0x8000_0000n]);
  });

  test('a word 0 with the top bits set and a sparse word 1', () => {
    const vma = wideVma();
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    vmaFlagsResetOnce(vma, vmaFlagsFromWords([0xffff_ffff_ffff_fffen, 0x8n], WIDE));
    expect(vmaFlagsToWords(vma.flags)).toEqual([0xffff_ffff_ffff_fffen, 0x8n]);
  });

  test('requires the VMA write lock; bad arguments first; nothing changes on error', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(
      () => vmaFlagsResetOnce(vma, mkVmaFlagsIn(PRESETS.x86_64, 1)),
      'vma_write_locked',
      'vma_flags_reset_once',
    );
    expect(() => vmaFlagsResetOnce(vma, 0x1n as never)).toThrow(/^flags must be a VmaFlags/);
    expect(() => vmaFlagsResetOnce(vma, mkVmaFlagsIn(WIDE, 1))).toThrow(/^flags must be a VmaFlags of config x86_64/);
    expect(() => vmaFlagsResetOnce(vma, mkVmaFlagsIn(PRESETS.arm64, 1))).toThrow(TypeError);
    expect(snapshot(vma)).toEqual(before);
    vmaStartWrite(vma);
    expect(() => vmaFlagsResetOnce(vma, mkVmaFlagsIn(PRESETS.i386, 1))).toThrow(TypeError);
    // Same settings under another name: the same key, so accepted.
    const options = {
      MEM_SOFT_DIRTY: true,
      ARCH_HAS_PKEYS: true,
      X86_USER_SHADOW_STACK: true,
      HAVE_ARCH_USERFAULTFD_MINOR: true,
    };
    const same = defineKernelConfig({ arch: 'x86_64', options, name: 'same' });
    expect(same).not.toBe(PRESETS.x86_64);
    vmaFlagsResetOnce(vma, mkVmaFlagsIn(same, 4));
    expect(vma.vmFlags).toBe(0x10n);
  });
});
