import { VMA_MAYSHARE_BIT, VMA_SHARED_BIT } from '@vmaflags/core';
import {
  MmStruct,
  VMA_ITERATOR,
  splitVma,
  validateMm,
  vmaIterSet,
  vmaLookup,
  type Backend,
  type File,
} from '@vmaflags/mm';
import { harness, setDebugVmMapleTree } from '../include/custom.js';
import { ASSERT_EQ, ASSERT_TRUE, allocAndLinkVma, baseFlags, cleanupMm, type TestRegistrar } from '../shared.js';

// Short scenarios for VMA bookkeeping that the kernel's cases leave
// unchecked: the file mapping's writer count across a split, and
// validate_mm() noticing a corrupted mm.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: __split_vma() links the new piece into the file's rmap through
// vma_prepare() (__vma_link_file(), which counts a shared writable VMA as a
// writer: mapping_allow_writable()); validate_mm().

/** Splitting a shared writable file VMA adds one writer to the mapping; a private one adds none. */
function testSplitCountsFileWriters(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const shared = baseFlags(b);
  b.set(shared, VMA_SHARED_BIT);
  b.set(shared, VMA_MAYSHARE_BIT);

  for (const flags of [shared, baseFlags(b)]) {
    const file: File = { fMapping: { iMmapWritable: 0, flags: 0 }, fOp: {} };
    const vma = allocAndLinkVma(mm, 0x100000, 0x104000, 0, flags)!;
    vma.vmFile = file;
    vmaIterSet(vmi, 0x100000);
    ASSERT_EQ(splitVma(vmi, vma, 0x102000, true), 0);
    ASSERT_EQ(file.fMapping!.iMmapWritable, flags === shared ? 1 : 0);
    ASSERT_EQ(vmaLookup(mm, 0x100000)!.vmFile, file);
    ASSERT_EQ(mm.mapCount, 2);
    cleanupMm(mm, vmi);
  }
}

/** With tree validation on, validate_mm() stops on a wrong map_count or a VMA not stored at its own range. */
function testValidateMmCatchesCorruption(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const vma = allocAndLinkVma(mm, 0x100000, 0x102000, 0x100, baseFlags(b))!;
  allocAndLinkVma(mm, 0x200000, 0x202000, 0x200, baseFlags(b));

  const bugs = (): boolean => {
    try {
      validateMm(mm);
      return false;
    } catch {
      return true;
    }
  };
  ASSERT_EQ(bugs(), false);

  mm.mapCount++;
  ASSERT_TRUE(bugs());
  mm.mapCount -= 2;
  ASSERT_TRUE(bugs());
  mm.mapCount++;

  vma.vmEnd = 0x101000;
  ASSERT_TRUE(bugs());
  vma.vmEnd = 0x102000;
  vma.vmStart = 0x101000;
  ASSERT_TRUE(bugs());
  vma.vmStart = 0x100000;
  ASSERT_EQ(bugs(), false);

  // CONFIG_DEBUG_VM_MAPLE_TREE off: nothing is checked.
  mm.mapCount++;
  setDebugVmMapleTree(false);
  try {
    ASSERT_EQ(bugs(), false);
  } finally {
    setDebugVmMapleTree(true);
    mm.mapCount--;
  }
  cleanupMm(mm, vmi);
}

/** The scenarios above, in the kernel's TEST() style. */
export function runVmaRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('split_counts_file_writers', () => testSplitCountsFileWriters(b));
  TEST('validate_mm_catches_corruption', () => testValidateMmCatchesCorruption(b));
}
