import {
  VMA_EXEC_BIT,
  VMA_MAYEXEC_BIT,
  VMA_MAYREAD_BIT,
  VMA_MAYWRITE_BIT,
  VMA_READ_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import {
  MmStruct,
  PAGE_SHIFT,
  PAGE_SIZE,
  VMA_ITERATOR,
  __mmapRegion,
  forEachVma,
  vmaIterLoad,
  vmaIterSet,
  vmaStartPgoff,
  vmaStartVirtPgoff,
  vmaTest,
  vmaTestAll,
  type Backend,
} from '@vmaflags/mm';
import { current, harness } from '../include/custom.js';
import { ASSERT_EQ, ASSERT_FALSE, ASSERT_TRUE, cleanupMm, type TestRegistrar } from '../shared.js';

// The cases of tools/testing/vma/tests/mmap.c, which drive whole
// __mmap_region() calls. Comments give ranges in pages ([0x300,0x303) is
// 0x300000..0x302fff).

function testMmapRegionBasic(b: Backend): void {
  const vmaFlags = b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT);
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);

  current.mm = mm;

  // [0x300,0x303) and [0x250,0x253) land apart; then [0x303,0x306) extends
  // the first and [0x24d,0x250) the second from below, leaving two VMAs.
  let addr = __mmapRegion(mm, null, 0x300000, 0x3000, vmaFlags, 0x300, null);
  ASSERT_EQ(addr, 0x300000);

  addr = __mmapRegion(mm, null, 0x250000, 0x3000, vmaFlags, 0x250, null);
  ASSERT_EQ(addr, 0x250000);

  addr = __mmapRegion(mm, null, 0x303000, 0x3000, vmaFlags, 0x303, null);
  ASSERT_EQ(addr, 0x303000);

  addr = __mmapRegion(mm, null, 0x24d000, 0x3000, vmaFlags, 0x24d, null);
  ASSERT_EQ(addr, 0x24d000);

  ASSERT_EQ(mm.mapCount, 2);

  for (const vma of forEachVma(vmi)) {
    if (vma.vmStart === 0x300000) {
      ASSERT_EQ(vma.vmEnd, 0x306000);
      ASSERT_EQ(vma.vmPgoff, 0x300);
    } else if (vma.vmStart === 0x24d000) {
      ASSERT_EQ(vma.vmEnd, 0x253000);
      ASSERT_EQ(vma.vmPgoff, 0x24d);
    } else {
      ASSERT_FALSE(true);
    }
  }

  cleanupMm(mm, vmi);
}

/**
 * [0x300,0x303) and [0x306,0x309), then the gap [0x303,0x306) filled: with
 * matching flags the three pieces become one VMA; with EXEC added to the
 * middle one they stay three.
 */
function mmapRegionFillHole(b: Backend, merge: boolean): void {
  const vmaFlags = b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT);
  const holeFlags = b.copy(vmaFlags);
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  let count = 0;

  current.mm = mm;
  if (!merge) b.set(holeFlags, VMA_EXEC_BIT);

  // The outer two first; the gap between them must read as unmapped.
  let addr = __mmapRegion(mm, null, 0x300000, 0x3000, vmaFlags, 0x300, null);
  ASSERT_EQ(addr, 0x300000);
  addr = __mmapRegion(mm, null, 0x306000, 0x3000, vmaFlags, 0x306, null);
  ASSERT_EQ(addr, 0x306000);
  ASSERT_EQ(mm.mapCount, 2);
  vmaIterSet(vmi, 0x303000);
  ASSERT_EQ(vmaIterLoad(vmi), null);
  vmaIterSet(vmi, 0x305fff);
  ASSERT_EQ(vmaIterLoad(vmi), null);

  // Now the middle piece: EXEC on it alone (merge === false) blocks both joins.
  addr = __mmapRegion(mm, null, 0x303000, 0x3000, holeFlags, 0x303, null);
  ASSERT_EQ(addr, 0x303000);
  ASSERT_EQ(mm.mapCount, merge ? 1 : 3);

  vmaIterSet(vmi, 0);
  for (const vma of forEachVma(vmi)) {
    const start = 0x300000 + count * 0x3000;
    const end = merge ? 0x309000 : start + 0x3000;
    const lookup = VMA_ITERATOR(mm, start);

    ASSERT_EQ(vma.vmStart, start);
    ASSERT_EQ(vma.vmEnd, end);
    ASSERT_EQ(vmaStartPgoff(vma), start / 2 ** PAGE_SHIFT);
    // linux-mm/linux-mm @00faea1f1f98b50b2fa2d737a5aac3e410756cd1 tests/mmap.c
    // also checks the anonymous page offset (vma_start_anon_pgoff there,
    // vma_start_virt_pgoff in @0f7cefd828a2).
    ASSERT_EQ(vmaStartVirtPgoff(vma), start / 2 ** PAGE_SHIFT);
    ASSERT_TRUE(vmaTestAll(vma, VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT));
    ASSERT_EQ(vmaTest(vma, VMA_EXEC_BIT), !merge && count === 1);
    for (let a = start; a < end; a += PAGE_SIZE) {
      vmaIterSet(lookup, a);
      ASSERT_EQ(vmaIterLoad(lookup), vma);
      vmaIterSet(lookup, a + PAGE_SIZE - 1);
      ASSERT_EQ(vmaIterLoad(lookup), vma);
    }
    count++;
  }
  ASSERT_EQ(count, mm.mapCount);
  vmaIterSet(vmi, 0x2fffff);
  ASSERT_EQ(vmaIterLoad(vmi), null);
  vmaIterSet(vmi, 0x309000);
  ASSERT_EQ(vmaIterLoad(vmi), null);

  ASSERT_EQ(cleanupMm(mm, vmi), count);
}

/** run_mmap_tests */
export function runMmapTests(b: Backend, TEST: TestRegistrar): void {
  TEST('mmap_region_basic', () => testMmapRegionBasic(b));
  TEST('mmap_region_fill_hole_merge', () => mmapRegionFillHole(b, true));
  TEST('mmap_region_fill_hole_flags_mismatch', () => mmapRegionFillHole(b, false));
}
