import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/config.js';
import { MmStruct } from '../src/mm_struct.js';
import {
  VmAreaDesc,
  vmaDescClearFlags,
  vmaDescClearFlagsMask,
  vmaDescSetFlags,
  vmaDescSetFlagsMask,
  vmaDescTest,
  vmaDescTestAll,
  vmaDescTestAllMask,
  vmaDescTestAny,
  vmaDescTestAnyMask,
  vmaDescTestFlags,
  vmaDescTestFlagsMask,
} from '../src/vm_area_desc.js';
import { VMA_DONTCOPY_BIT, VMA_IO_BIT, VMA_MIXEDMAP_BIT, VMA_READ_BIT } from '../src/vma_flag.js';
import { mkVmaFlags, mkVmaFlagsIn, vmaFlagsToWords } from '../src/vma_flags.js';
import { vmaFlagsSet } from '../src/bit_helpers.js';

describe('VmAreaDesc', () => {
  test('fields and defaults', () => {
    const mm = new MmStruct();
    const d = new VmAreaDesc({ mm, file: 'f', start: 0x1000, end: 0x2000, pgoff: 2, vmaFlags: 0x73n, pageProt: 7n });
    expect([d.mm, d.file, d.start, d.end, d.pgoff, d.vmFile, d.pageProt]).toEqual([
      mm,
      'f',
      0x1000,
      0x2000,
      2,
      'f',
      7n,
    ]);
    expect(vmaFlagsToWords(d.vmaFlags)).toEqual([0x73n]);
    expect(d.action).toEqual({ type: 'MMAP_NOTHING', hideFromRmapUntilComplete: false });
    expect([d.vmOps, d.privateData]).toEqual([null, null]);
    const anon = new VmAreaDesc({ mm, start: 0, end: 0x1000 });
    expect([anon.file, anon.vmFile, anon.pgoff]).toEqual([null, null, 0]);
    expect(vmaFlagsToWords(anon.vmaFlags)).toEqual([0n]);
  });

  test('flags are owned: a given bitmap is copied', () => {
    const src = mkVmaFlags(0);
    const d = new VmAreaDesc({ mm: new MmStruct(), start: 0, end: 0x1000, vmaFlags: src });
    vmaFlagsSet(src, 1);
    expect(vmaFlagsToWords(d.vmaFlags)).toEqual([1n]);
  });

  test('constructor checks name the argument', () => {
    const mm = new MmStruct();
    expect(() => new VmAreaDesc({ mm: {} as never, start: 0, end: 0 })).toThrow(/^init\.mm must be/);
    expect(() => new VmAreaDesc({ mm, start: 0x2000, end: 0x1000 })).toThrow(/^init\.end must be at least/);
    expect(() => new VmAreaDesc({ mm, start: -5, end: 0 })).toThrow(/^init\.start/);
    expect(() => new VmAreaDesc({ mm, start: 0, end: 0, pageProt: 1 as never })).toThrow(/^init\.pageProt/);
    expect(() => new VmAreaDesc({ mm, start: 0, end: 0, vmaFlags: mkVmaFlagsIn(PRESETS.arm64, 0) })).toThrow(
      /^init\.vmaFlags/,
    );
  });
});

describe('vma_desc_* wrappers (no locks: the VMA does not exist yet)', () => {
  test('queries', () => {
    const d = new VmAreaDesc({ mm: new MmStruct(), start: 0, end: 0x1000, vmaFlags: 0x73n });
    expect(vmaDescTest(d, VMA_READ_BIT)).toBe(true);
    expect(vmaDescTestAny(d, VMA_IO_BIT, VMA_READ_BIT)).toBe(true);
    expect(vmaDescTestAny(d, VMA_IO_BIT)).toBe(false);
    expect(vmaDescTestAll(d, 0, 1, 4)).toBe(true);
    expect(vmaDescTestAll(d, 0, 2)).toBe(false);
    expect(vmaDescTestAnyMask(d, mkVmaFlags(2, 3))).toBe(false);
    expect(vmaDescTestAllMask(d, mkVmaFlags(5, 6))).toBe(true);
  });

  test('mutators, with the mm entirely unlocked', () => {
    const d = new VmAreaDesc({ mm: new MmStruct(), start: 0, end: 0x1000, vmaFlags: 0x73n });
    vmaDescSetFlags(d, VMA_IO_BIT, VMA_DONTCOPY_BIT);
    vmaDescSetFlagsMask(d, mkVmaFlags(VMA_MIXEDMAP_BIT));
    vmaDescClearFlags(d, VMA_READ_BIT);
    vmaDescClearFlagsMask(d, mkVmaFlags(1));
    expect(vmaFlagsToWords(d.vmaFlags)).toEqual([0x1002_4070n]);
  });

  test('deprecated spellings are the any-of tests', () => {
    expect(vmaDescTestFlags).toBe(vmaDescTestAny);
    expect(vmaDescTestFlagsMask).toBe(vmaDescTestAnyMask);
  });

  test('bad arguments', () => {
    const d = new VmAreaDesc({ mm: new MmStruct(), start: 0, end: 0x1000 });
    expect(() => vmaDescTest({} as never, 0)).toThrow(/^desc must be a VmAreaDesc/);
    expect(() => vmaDescSetFlags(d, 0, 99)).toThrow(RangeError);
    expect(vmaFlagsToWords(d.vmaFlags)).toEqual([0n]);
  });
});
