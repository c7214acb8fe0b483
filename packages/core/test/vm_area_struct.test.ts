import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/config.js';
import { MmStruct, mmapWriteLock } from '../src/mm_struct.js';
import {
  VmAreaStruct,
  isSharedMaywrite,
  isSharedMaywriteVmFlags,
  vmAreaAlloc,
  vmAreaDup,
  vmaClearFlags,
  vmaClearFlagsMask,
  vmaIsAccessible,
  vmaIsSharedMaywrite,
  vmaSetFlags,
  vmaSetFlagsMask,
  vmaTest,
  vmaTestAll,
  vmaTestAllFlags,
  vmaTestAllFlagsMask,
  vmaTestAllMask,
  vmaTestAny,
  vmaTestAnyMask,
  vmaTestSingleMask,
} from '../src/vm_area_struct.js';
import { UINT_MAX, vmaStartWrite } from '../src/vma_lock.js';
import {
  VMA_EXEC_BIT,
  VMA_IO_BIT,
  VMA_MAYWRITE_BIT,
  VMA_READ_BIT,
  VMA_SHARED_BIT,
  VMA_WRITE_BIT,
} from '../src/vma_flag.js';
import { mkVmaFlags, mkVmaFlagsIn, vmaFlagsToWords } from '../src/vma_flags.js';
import { vmaFlagsSet } from '../src/bit_helpers.js';
import { attachedVma, detachedVma, expectLockError, snapshot } from './vma_fixtures.js';

describe('VmAreaStruct', () => {
  test('fields of a new VMA', () => {
    const mm = new MmStruct(PRESETS.arm64);
    const vma = new VmAreaStruct(mm, { start: 0x1000, end: 0x5000, pgoff: 3, flags: 0x73n });
    expect(vma.vmMm).toBe(mm);
    expect([vma.vmStart, vma.vmEnd, vma.vmPgoff]).toEqual([0x1000, 0x5000, 3]);
    expect(vma.flags.config).toBe(PRESETS.arm64);
    expect(vma.vmFlags).toBe(0x73n);
    expect(vma.vmLockSeq).toBe(UINT_MAX);
    expect(vma.vmRefcnt).toBe(0);
    expect([vma.vmFile, vma.vmOps, vma.vmPrivateData, vma.vmPageProt]).toEqual([null, null, null, 0n]);
  });

  test('vmAreaAlloc gives an empty detached VMA; new flags start empty, not from def flags', () => {
    const mm = new MmStruct(PRESETS.x86_64, { defFlags: 0x4000_0000n });
    const vma = vmAreaAlloc(mm);
    expect(vma.vmFlags).toBe(0n);
    expect([vma.vmStart, vma.vmEnd]).toEqual([0, 0]);
  });

  test('flags given as a bitmap are copied, not shared', () => {
    const src = mkVmaFlags(0, 1);
    const vma = new VmAreaStruct(new MmStruct(), { flags: src });
    vmaFlagsSet(src, 5);
    expect(vma.vmFlags).toBe(0x3n);
  });

  test('constructor checks name the argument', () => {
    const mm = new MmStruct();
    expect(() => new VmAreaStruct({} as never)).toThrow(/^mm must be an MmStruct/);
    expect(() => new VmAreaStruct(mm, { start: -1 })).toThrow(/^init\.start must be/);
    expect(() => new VmAreaStruct(mm, { start: 0x2000, end: 0x1000 })).toThrow(/^init\.end must be at least/);
    expect(() => new VmAreaStruct(mm, { pgoff: 1.5 })).toThrow(/^init\.pgoff/);
    expect(() => new VmAreaStruct(mm, { start: '0' as never })).toThrow(TypeError);
    expect(() => new VmAreaStruct(mm, { flags: mkVmaFlagsIn(PRESETS.arm64, 0) })).toThrow(
      /^init\.flags must be a VmaFlags of config/,
    );
    expect(() => new VmAreaStruct(new MmStruct(PRESETS.i386), { flags: 1n << 32n })).toThrow(RangeError);
  });

  test('vmAreaDup copies range and flags into a fresh detached VMA', () => {
    const vma = attachedVma();
    vma.vmFile = 'file';
    const copy = vmAreaDup(vma);
    expect([copy.vmStart, copy.vmEnd, copy.vmPgoff, copy.vmFlags, copy.vmFile]).toEqual([
      0x1000,
      0x3000,
      1,
      0x73n,
      'file',
    ]);
    expect(copy.flags).not.toBe(vma.flags);
    expect(copy.vmRefcnt).toBe(0);
    expect(copy.vmLockSeq).toBe(UINT_MAX);
  });
});

describe('VMA query wrappers', () => {
  const vma = detachedVma();
  test('single, any, all, single-mask', () => {
    expect(vmaTest(vma, VMA_READ_BIT)).toBe(true);
    expect(vmaTest(vma, VMA_EXEC_BIT)).toBe(false);
    expect(vmaTestAny(vma, VMA_EXEC_BIT, VMA_WRITE_BIT)).toBe(true);
    expect(vmaTestAny(vma)).toBe(false);
    expect(vmaTestAll(vma, VMA_READ_BIT, VMA_WRITE_BIT)).toBe(true);
    expect(vmaTestAll(vma, VMA_READ_BIT, VMA_EXEC_BIT)).toBe(false);
    expect(vmaTestAll(vma)).toBe(true);
    expect(vmaTestAnyMask(vma, mkVmaFlags(2, 3))).toBe(false);
    expect(vmaTestAllMask(vma, mkVmaFlags(0, 4))).toBe(true);
    expect(vmaTestSingleMask(vma, mkVmaFlags(5))).toBe(true);
    expect(vmaTestSingleMask(vma, mkVmaFlags())).toBe(false);
  });

  test('deprecated spellings are the same functions', () => {
    expect(vmaTestAllFlags).toBe(vmaTestAll);
    expect(vmaTestAllFlagsMask).toBe(vmaTestAllMask);
  });

  test('bad arguments', () => {
    expect(() => vmaTest({} as never, 0)).toThrow(/^vma must be a VmAreaStruct/);
    expect(() => vmaTest(vma, 64)).toThrow(RangeError);
    expect(() => vmaTestAnyMask(vma, mkVmaFlagsIn(PRESETS.arm64, 0))).toThrow(TypeError);
  });
});

describe('VMA mutating wrappers', () => {
  test('a detached VMA needs no lock', () => {
    const vma = detachedVma();
    vmaSetFlags(vma, VMA_IO_BIT, VMA_EXEC_BIT);
    expect(vma.vmFlags).toBe(0x4077n);
    vmaClearFlags(vma, VMA_IO_BIT);
    vmaSetFlagsMask(vma, mkVmaFlags(3));
    vmaClearFlagsMask(vma, mkVmaFlags(0, 1));
    expect(vma.vmFlags).toBe(0x7cn);
  });

  test('they do not take the VMA write lock', () => {
    const vma = detachedVma();
    mmapWriteLock(vma.vmMm);
    vmaSetFlags(vma, VMA_IO_BIT);
    expect(vma.vmLockSeq).toBe(UINT_MAX);
  });

  test('an attached VMA needs its write lock (one test per wrapper; nothing changes)', () => {
    const cases: [string, (v: VmAreaStruct) => void][] = [
      ['vma_set_flags', (v) => vmaSetFlags(v, VMA_IO_BIT)],
      ['vma_set_flags_mask', (v) => vmaSetFlagsMask(v, mkVmaFlags(VMA_IO_BIT))],
      ['vma_clear_flags', (v) => vmaClearFlags(v, VMA_READ_BIT)],
      ['vma_clear_flags_mask', (v) => vmaClearFlagsMask(v, mkVmaFlags(VMA_READ_BIT))],
    ];
    for (const [helper, fn] of cases) {
      const vma = attachedVma();
      mmapWriteLock(vma.vmMm);
      const before = snapshot(vma);
      expectLockError(() => fn(vma), 'vma_write_locked', helper);
      expect(snapshot(vma)).toEqual(before);
      vmaStartWrite(vma);
      fn(vma);
      expect(snapshot(vma)).not.toEqual(before);
    }
  });

  test('bad bits leave the flags alone', () => {
    const vma = detachedVma();
    expect(() => vmaSetFlags(vma, 1, 64)).toThrow(RangeError);
    expect(vma.vmFlags).toBe(0x73n);
  });
});

describe('predicates', () => {
  test('is_shared_maywrite needs both SHARED and MAYWRITE', () => {
    expect(isSharedMaywrite(mkVmaFlags(VMA_SHARED_BIT, VMA_MAYWRITE_BIT))).toBe(true);
    expect(isSharedMaywrite(mkVmaFlags(VMA_SHARED_BIT))).toBe(false);
    expect(isSharedMaywriteVmFlags(0x28n)).toBe(true);
    expect(isSharedMaywriteVmFlags(0x2a)).toBe(true);
    expect(isSharedMaywriteVmFlags(0x20n)).toBe(false);
    expect(isSharedMaywriteVmFlags(0x28n, PRESETS.i386)).toBe(true);
    expect(() => isSharedMaywriteVmFlags(-1n)).toThrow(/^vmFlags must be/);
    expect(() => isSharedMaywriteVmFlags(1n << 40n, PRESETS.i386)).toThrow(RangeError);
    const vma = new VmAreaStruct(new MmStruct(), { flags: 0x28n });
    expect(vmaIsSharedMaywrite(vma)).toBe(true);
    expect(vmaIsSharedMaywrite(detachedVma())).toBe(false);
  });

  test('vma_is_accessible: any of read, write, exec', () => {
    expect(vmaIsAccessible(detachedVma())).toBe(true);
    expect(vmaIsAccessible(new VmAreaStruct(new MmStruct(), { flags: 0x4n }))).toBe(true);
    expect(vmaIsAccessible(new VmAreaStruct(new MmStruct(PRESETS.ppc32), { flags: 0x70n }))).toBe(false);
  });

  test('vmFlags reads word 0 of the bitmap', () => {
    const vma = detachedVma();
    expect(vmaFlagsToWords(vma.flags)).toEqual([vma.vmFlags]);
  });
});
