import { VMA_DONTEXPAND_BIT, VMA_IO_BIT, VMA_MIXEDMAP_BIT, VMA_PFNMAP_BIT } from '@vmaflags/core';
import { AnonVma, harness, harnessAnonVma, setFailPrealloc } from '../include/custom.js';
import {
  ENOMEM,
  IS_ERR,
  MmStruct,
  VMA_ITERATOR,
  VMA_MERGE_ERROR_NOMEM,
  VMA_MERGE_NOMERGE,
  VMA_MERGE_SUCCESS,
  VMG_STATE,
  forEachVma,
  mtreeDestroy,
  ref,
  vmaAssertAttached,
  vmaFlagMasks,
  vmaIterAddr,
  vmaIterClear,
  vmaIterLoad,
  vmaIterSet,
  vmaMergeExtend,
  vmaMergeNewRange,
  vmaMergeStruct,
  vmaModifyFlags,
  vmaNext,
  vmaShrink,
  vmaStartPgoff,
  vmaStartVirtPgoff,
  vmaTestAnyMask,
  type AnonVmaChain,
  type Backend,
  type VmAreaStruct,
  type VmOperationsStruct,
  type VmaFlags,
  type VmaMergeStruct,
} from '@vmaflags/mm';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_FLAGS_SAME_MASK,
  ASSERT_NE,
  ASSERT_TRUE,
  __vmaSetDummyAnonVma,
  allocAndLinkVma,
  allocVma,
  attachVma,
  cleanupMm,
  detachFreeVma,
  dummyAnonVma,
  dummyClose,
  expandExisting,
  mergeExisting,
  mergeNew,
  resetDummyAnonVma,
  tryMergeNewVma,
  vmaSetDummyAnonVma,
  vmaWriteStarted,
  vmgSetRange,
  vmgSetRangeAnonVma,
  type TestRegistrar,
  baseFlags,
  mergeFixture,
} from '../shared.js';

// The cases of tools/testing/vma/tests/merge.c. Addresses are bytes, as in the
// kernel cases (0x1000 is page 1); comments give ranges in pages, end
// exclusive: P [0,3) is a VMA over bytes 0x0000..0x2fff. P/V/N name the
// previous, modified and next VMA of a scenario.

const closeOps: VmOperationsStruct = Object.freeze({ close: dummyClose });

/** vma covers [start, end) and starts at file page pgoff. */
function assertSpan(vma: VmAreaStruct, start: number, end: number, pgoff: number): void {
  ASSERT_EQ(vma.vmStart, start);
  ASSERT_EQ(vma.vmEnd, end);
  ASSERT_EQ(vmaStartPgoff(vma), pgoff);
}

/**
 * assertSpan, plus the anonymous page offset at vm_start: the same value for
 * these file-less VMAs. The newer tree checks it where merges, expansions and
 * shrinks move vm_start or vm_pgoff (linux-mm/linux-mm
 * @0f7cefd828a28c71e8bf86f443caf6d0266398c7 tools/testing/vma/tests/merge.c).
 */
function assertSpanVirt(vma: VmAreaStruct, start: number, end: number, pgoff: number): void {
  assertSpan(vma, start, end, pgoff);
  ASSERT_EQ(vmaStartVirtPgoff(vma), pgoff);
}

/** The merge returned target and said so in vmg.state. */
function assertMergedInto(vmg: VmaMergeStruct, got: VmAreaStruct | null, target: VmAreaStruct): void {
  ASSERT_EQ(got, target);
  ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
}

/** The merge declined without an error. */
function assertNoMerge(vmg: VmaMergeStruct, got: VmAreaStruct | null): void {
  ASSERT_EQ(got, null);
  ASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);
}

/** Aim vmg at [start, end) of middle, prev being the VMA before it (or middle itself). */
function setModifyRange(
  vmg: VmaMergeStruct,
  start: number,
  end: number,
  pgoff: number,
  vmaFlags: VmaFlags,
  prev: VmAreaStruct | null,
  middle: VmAreaStruct,
): void {
  vmgSetRange(vmg, start, end, pgoff, vmaFlags);
  vmg.prev = prev;
  vmg.middle = middle;
}

/** vma holds the dummy anon_vma, and got it through anon_vma_clone(). */
function assertClonedDummy(vma: VmAreaStruct): void {
  ASSERT_EQ(vma.anonVma, dummyAnonVma);
  ASSERT_TRUE(harnessAnonVma(vma)!.wasCloned);
}

function testSimpleMerge(b: Backend): void {
  const vmaFlags = baseFlags(b);
  const mm = new MmStruct(b, harness);
  const vmaLeft = allocVma(mm, 0, 0x1000, 0, vmaFlags);
  const vmaRight = allocVma(mm, 0x2000, 0x3000, 2, vmaFlags);
  const vmi = VMA_ITERATOR(mm, 0x1000);
  const vmg = vmaMergeStruct({ mm, vmi, start: 0x1000, end: 0x2000, vmaFlags, pgoff: 1 });

  ASSERT_EQ(attachVma(mm, vmaLeft), 0);
  ASSERT_EQ(attachVma(mm, vmaRight), 0);

  // [1,2) between L [0,1) and R [2,3): the three become one VMA [0,3).
  const vma = mergeNew(vmg);
  ASSERT_NE(vma, null);
  assertSpanVirt(vma!, 0, 0x3000, 0);
  ASSERT_FLAGS_SAME_MASK(b, vma!.flags, vmaFlags);

  detachFreeVma(vma!);
  mtreeDestroy(mm.mmMt);
}

function testSimpleModify(b: Backend): void {
  const vmaFlags = baseFlags(b);
  const mm = new MmStruct(b, harness);
  const initVma = allocVma(mm, 0, 0x3000, 0, vmaFlags);
  const vmi = VMA_ITERATOR(mm, 0x1000);

  ASSERT_EQ(attachVma(mm, initVma), 0);

  // Cut [1,2) out of [0,3). vmaModifyFlags() only reshapes the VMAs; setting
  // the flags is the caller's job.
  const ret = vmaModifyFlags(vmi, initVma, initVma, 0x1000, 0x2000, vmaFlags);
  ASSERT_FALSE(IS_ERR(ret));
  let vma = ret as VmAreaStruct;
  // The original object becomes the middle piece; the outer two are new.
  ASSERT_EQ(vma, initVma);
  assertSpanVirt(vma, 0x1000, 0x2000, 1);

  // Walk [0,1), [1,2), [2,3) and free each.
  vmaIterSet(vmi, 0);
  vma = vmaIterLoad(vmi)!;
  assertSpanVirt(vma, 0, 0x1000, 0);
  detachFreeVma(vma);
  vmaIterClear(vmi);

  vma = vmaNext(vmi)!;
  assertSpanVirt(vma, 0x1000, 0x2000, 1);
  detachFreeVma(vma);
  vmaIterClear(vmi);

  vma = vmaNext(vmi)!;
  assertSpanVirt(vma, 0x2000, 0x3000, 2);
  detachFreeVma(vma);
  mtreeDestroy(mm.mmMt);
}

function testSimpleExpand(b: Backend): void {
  const vmaFlags = baseFlags(b);
  const mm = new MmStruct(b, harness);
  const vma = allocVma(mm, 0, 0x1000, 0, vmaFlags);
  const vmi = VMA_ITERATOR(mm, 0);
  const vmg = vmaMergeStruct({ vmi, target: vma, start: 0, end: 0x3000, pgoff: 0 });

  // [0,1) grows to [0,3).
  ASSERT_EQ(attachVma(mm, vma), 0);
  ASSERT_EQ(expandExisting(vmg), 0);
  assertSpanVirt(vma, 0, 0x3000, 0);

  detachFreeVma(vma);
  mtreeDestroy(mm.mmMt);
}

function testSimpleShrink(b: Backend): void {
  const vmaFlags = baseFlags(b);
  const mm = new MmStruct(b, harness);
  const vma = allocVma(mm, 0, 0x3000, 0, vmaFlags);
  const vmi = VMA_ITERATOR(mm, 0);

  // [0,3) shrinks to [0,1).
  ASSERT_EQ(attachVma(mm, vma), 0);
  ASSERT_EQ(vmaShrink(vmi, vma, 0x1000), 0);
  assertSpanVirt(vma, 0, 0x1000, 0);

  detachFreeVma(vma);
  mtreeDestroy(mm.mmMt);
}

function __testMergeNew(
  b: Backend,
  isSticky: boolean,
  aIsSticky: boolean,
  bIsSticky: boolean,
  cIsSticky: boolean,
): void {
  const { VMA_STICKY_FLAGS } = vmaFlagMasks(b);
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const merged = ref(false);

  if (isSticky) b.setMask(vmaFlags, VMA_STICKY_FLAGS);

  /** A VMA with a single anon_vma_chain link, which keeps its anon_vma shareable by a merge. */
  const linkWithChain = (start: number, end: number, pgoff: number, sticky: boolean): VmAreaStruct => {
    const vma = allocAndLinkVma(mm, start, end, pgoff, vmaFlags)!;
    ASSERT_NE(vma, null);
    if (sticky) b.setMask(vma.flags, VMA_STICKY_FLAGS);
    vma.anonVmaChain = [{ anonVma: dummyAnonVma }];
    return vma;
  };
  /** The new range [start, end) must merge into `into`, which then holds the dummy anon_vma. */
  const mergeNewInto = (start: number, end: number, pgoff: number, into: VmAreaStruct): VmAreaStruct => {
    const vma = tryMergeNewVma(mm, vmg, start, end, pgoff, vmaFlags, merged)!;
    ASSERT_EQ(vma, into);
    ASSERT_TRUE(merged.value);
    ASSERT_EQ(vma.anonVma, dummyAnonVma);
    ASSERT_TRUE(vmaWriteStarted(vma));
    return vma;
  };
  /** A merged VMA keeps the sticky bits of every part that had them. */
  const assertStickyIf = (expected: boolean, vma: VmAreaStruct): void => {
    if (expected) ASSERT_TRUE(vmaTestAnyMask(vma, VMA_STICKY_FLAGS));
  };

  // A [0,2), B [3,4), C [0xb,0xc).
  const vmaA = linkWithChain(0, 0x2000, 0, aIsSticky);
  const vmaB = linkWithChain(0x3000, 0x4000, 3, bIsSticky);
  const vmaC = linkWithChain(0xb000, 0xc000, 0xb, cIsSticky);

  // New [7,9) touches nobody: it becomes a fourth VMA, D.
  const vmaD = tryMergeNewVma(mm, vmg, 0x7000, 0x9000, 7, vmaFlags, merged)!;
  ASSERT_NE(vmaD, null);
  vmaD.anonVmaChain = [{ anonVma: dummyAnonVma }];
  ASSERT_FALSE(merged.value);
  ASSERT_EQ(mm.mapCount, 4);

  // New [2,3) closes the gap between A and B: A grows to [0,4), B is removed.
  // A survives, so a close hook on it changes nothing.
  vmaA.vmOps = closeOps;
  vmaB.anonVma = dummyAnonVma;
  let vma = mergeNewInto(0x2000, 0x3000, 2, vmaA);
  assertSpan(vma, 0, 0x4000, 0);
  ASSERT_EQ(mm.mapCount, 3);
  assertStickyIf(isSticky || aIsSticky || bIsSticky, vma);

  // New [4,5) touches only A, which grows to [0,5).
  vma = mergeNewInto(0x4000, 0x5000, 4, vmaA);
  assertSpanVirt(vma, 0, 0x5000, 0);
  ASSERT_EQ(mm.mapCount, 3);
  assertStickyIf(isSticky || aIsSticky, vma);

  // New [6,7) touches only D, which grows down to [6,9); D survives, so its
  // close hook changes nothing. D was created from the request's flags.
  vmaD.anonVma = dummyAnonVma;
  vmaD.vmOps = closeOps;
  vma = mergeNewInto(0x6000, 0x7000, 6, vmaD);
  assertSpanVirt(vma, 0x6000, 0x9000, 6);
  ASSERT_EQ(mm.mapCount, 3);
  assertStickyIf(isSticky, vma);

  // New [5,6) joins A and D: A grows to [0,9), D is removed, which its close
  // hook would forbid, so the hook goes first.
  vmaD.vmOps = null;
  vma = mergeNewInto(0x5000, 0x6000, 5, vmaA);
  assertSpanVirt(vma, 0, 0x9000, 0);
  ASSERT_EQ(mm.mapCount, 2);
  assertStickyIf(isSticky || aIsSticky, vma);

  // New [0xa,0xb) touches only C, which grows down to [0xa,0xc).
  vmaC.anonVma = dummyAnonVma;
  vma = mergeNewInto(0xa000, 0xb000, 0xa, vmaC);
  assertSpanVirt(vma, 0xa000, 0xc000, 0xa);
  ASSERT_EQ(mm.mapCount, 2);
  assertStickyIf(isSticky || cIsSticky, vma);

  // New [9,0xa) joins A and C: A grows to [0,0xc), C is removed.
  vma = mergeNewInto(0x9000, 0xa000, 0x9, vmaA);
  assertSpanVirt(vma, 0, 0xc000, 0);
  ASSERT_EQ(mm.mapCount, 1);
  assertStickyIf(isSticky || aIsSticky || cIsSticky, vma);

  // Exactly one VMA is left, [0,0xc); free it on the way.
  let count = 0;
  vmaIterSet(vmi, 0);
  for (const v of forEachVma(vmi)) {
    ASSERT_NE(v, null);
    assertSpanVirt(v, 0, 0xc000, 0);
    ASSERT_EQ(v.anonVma, dummyAnonVma);
    detachFreeVma(v);
    count++;
  }
  ASSERT_EQ(count, 1);
  mtreeDestroy(mm.mmMt);
}

function testMergeNew(b: Backend): void {
  // All 16 ways of giving sticky bits to the request, A, B and C.
  for (const i of [false, true])
    for (const j of [false, true])
      for (const k of [false, true]) for (const l of [false, true]) __testMergeNew(b, i, j, k, l);
}

function testVmaMergeSpecialFlags(b: Backend): void {
  const { VMA_SPECIAL_FLAGS } = vmaFlagMasks(b);
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const specialFlags = [VMA_IO_BIT, VMA_DONTEXPAND_BIT, VMA_PFNMAP_BIT, VMA_MIXEDMAP_BIT];
  const allSpecialFlags = b.mk();

  // The list must be exactly VMA_SPECIAL_FLAGS, or a new bit would go untested.
  for (const bit of specialFlags) b.set(allSpecialFlags, bit);
  ASSERT_FLAGS_SAME_MASK(b, allSpecialFlags, VMA_SPECIAL_FLAGS);

  const vmaLeft = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  ASSERT_NE(vmaLeft, null);

  /** Give L and the request one special bit at a time; the merge must decline each time. */
  const refuseEachSpecialBit = (merge: (vmg: VmaMergeStruct) => VmAreaStruct | null): void => {
    for (const bit of specialFlags) {
      const flags = b.copy(vmaFlags);
      b.set(flags, bit);
      vmaLeft.flags = b.copy(flags);
      vmg.vmaFlags = b.copy(flags);
      assertNoMerge(vmg, merge(vmg));
    }
  };

  // L [0,3) and a new [3,4) with identical flags would merge, but for the special bit.
  vmgSetRange(vmg, 0x3000, 0x4000, 3, vmaFlags);
  refuseEachSpecialBit(mergeNew);

  // The same with an existing V [3,4) being modified next to L.
  const vma = allocAndLinkVma(mm, 0x3000, 0x4000, 3, vmaFlags)!;
  ASSERT_NE(vma, null);
  vmg.middle = vma;
  refuseEachSpecialBit(mergeExisting);

  cleanupMm(mm, vmi);
}

function testVmaMergeWithClose(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  // Each scenario uses P [0,3), V [3,5) and N [5,9), or some of them.
  const linkP = (): VmAreaStruct => allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  const linkV = (): VmAreaStruct => allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
  const linkN = (): VmAreaStruct => allocAndLinkVma(mm, 0x5000, 0x9000, 5, vmaFlags)!;

  // No merge may remove a VMA that has a close hook; these scenarios show
  // when that blocks a merge and when it only narrows it.

  // P, N with a hook, new range [3,5). Taking in N would remove it, so P
  // alone grows, to [0,5).
  let vmaPrev = linkP();
  let vmaNext = linkN();
  vmaNext.vmOps = closeOps;
  vmgSetRange(vmg, 0x3000, 0x5000, 3, vmaFlags);
  assertMergedInto(vmg, mergeNew(vmg), vmaPrev);
  assertSpan(vmaPrev, 0, 0x5000, 0);
  ASSERT_EQ(cleanupMm(mm, vmi), 2);

  // P, V with a hook; all of V modified. Joining P would remove V: no merge.
  vmaPrev = linkP();
  let vma = linkV();
  vma.vmOps = closeOps;
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, vmaPrev, vma);
  assertNoMerge(vmg, mergeExisting(vmg));
  ASSERT_EQ(cleanupMm(mm, vmi), 2);

  // Mirror image: V with a hook, N. Joining N would remove V: no merge.
  vma = linkV();
  vmaNext = linkN();
  vma.vmOps = closeOps;
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, null, vma);
  assertNoMerge(vmg, mergeExisting(vmg));
  ASSERT_EQ(cleanupMm(mm, vmi), 2);

  // P, V with a hook, N: whichever side V joins, it is removed: no merge.
  vmaPrev = linkP();
  vma = linkV();
  vmaNext = linkN();
  vma.vmOps = closeOps;
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, vmaPrev, vma);
  assertNoMerge(vmg, mergeExisting(vmg));
  ASSERT_EQ(cleanupMm(mm, vmi), 3);

  // P, V, N with a hook: N has to stay, but V can still join P, which
  // becomes [0,5).
  vmaPrev = linkP();
  vma = linkV();
  vmaNext = linkN();
  vmaNext.vmOps = closeOps;
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, vmaPrev, vma);
  assertMergedInto(vmg, mergeExisting(vmg), vmaPrev);
  assertSpan(vmaPrev, 0, 0x5000, 0);
  ASSERT_EQ(cleanupMm(mm, vmi), 2);
}

function testVmaMergeNewWithClose(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const vmaPrev = allocAndLinkVma(mm, 0, 0x2000, 0, vmaFlags)!;
  const vmaNext = allocAndLinkVma(mm, 0x5000, 0x7000, 5, vmaFlags)!;

  // P [0,2) and N [5,7) both have close hooks; new [2,5). N may not be
  // removed, yet P may still grow over the new range: the result is P [0,5)
  // (hook kept) next to an untouched N.
  vmaPrev.vmOps = closeOps;
  vmaNext.vmOps = closeOps;

  vmgSetRange(vmg, 0x2000, 0x5000, 2, vmaFlags);
  const vma = mergeNew(vmg);
  ASSERT_NE(vma, null);
  ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
  assertSpanVirt(vma!, 0, 0x5000, 0);
  ASSERT_EQ(vma!.vmOps, closeOps);
  ASSERT_TRUE(vmaWriteStarted(vma!));
  ASSERT_EQ(mm.mapCount, 2);

  cleanupMm(mm, vmi);
}

function __testMergeExisting(b: Backend, prevIsSticky: boolean, middleIsSticky: boolean, nextIsSticky: boolean): void {
  const { VMA_STICKY_FLAGS } = vmaFlagMasks(b);
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const prevFlags = b.copy(vmaFlags);
  const nextFlags = b.copy(vmaFlags);
  const avc: AnonVmaChain = { anonVma: null };

  if (prevIsSticky) b.setMask(prevFlags, VMA_STICKY_FLAGS);
  if (middleIsSticky) b.setMask(vmaFlags, VMA_STICKY_FLAGS);
  if (nextIsSticky) b.setMask(nextFlags, VMA_STICKY_FLAGS);

  /**
   * Modify [start, end) of middle (prev before it), middle holding the dummy
   * anon_vma; the merge must land in target, which ends up with that anon_vma.
   */
  const mergeInto = (
    start: number,
    end: number,
    pgoff: number,
    prev: VmAreaStruct | null,
    middle: VmAreaStruct,
    target: VmAreaStruct,
  ): void => {
    vmgSetRangeAnonVma(vmg, start, end, pgoff, vmaFlags, dummyAnonVma);
    vmg.prev = prev;
    vmg.middle = middle;
    vmaSetDummyAnonVma(middle, avc);
    assertMergedInto(vmg, mergeExisting(vmg), target);
    ASSERT_EQ(target.anonVma, dummyAnonVma);
  };
  const assertStickyIf = (expected: boolean, vma: VmAreaStruct): void => {
    if (expected) ASSERT_TRUE(vmaTestAnyMask(vma, VMA_STICKY_FLAGS));
  };

  // V [2,6), N [6,9); modify [3,6), V's tail: N grows down to [3,9) and V
  // shrinks to [2,3). Both survive, so their close hooks change nothing.
  let vma = allocAndLinkVma(mm, 0x2000, 0x6000, 2, vmaFlags)!;
  vma.vmOps = closeOps;
  let vmaNext = allocAndLinkVma(mm, 0x6000, 0x9000, 6, nextFlags)!;
  vmaNext.vmOps = closeOps;
  mergeInto(0x3000, 0x6000, 3, vma, vma, vmaNext);
  assertSpan(vmaNext, 0x3000, 0x9000, 3);
  assertSpanVirt(vma, 0x2000, 0x3000, 2);
  ASSERT_TRUE(vmaWriteStarted(vma));
  ASSERT_TRUE(vmaWriteStarted(vmaNext));
  ASSERT_EQ(mm.mapCount, 2);
  assertStickyIf(middleIsSticky || nextIsSticky, vmaNext);
  ASSERT_EQ(cleanupMm(mm, vmi), 2);

  // V [2,6), N [6,9); modify all of V: N grows to [2,9) and V is removed.
  vma = allocAndLinkVma(mm, 0x2000, 0x6000, 2, vmaFlags)!;
  vmaNext = allocAndLinkVma(mm, 0x6000, 0x9000, 6, nextFlags)!;
  vmaNext.vmOps = closeOps;
  mergeInto(0x2000, 0x6000, 2, null, vma, vmaNext);
  assertSpan(vmaNext, 0x2000, 0x9000, 2);
  ASSERT_TRUE(vmaWriteStarted(vmaNext));
  ASSERT_EQ(mm.mapCount, 1);
  assertStickyIf(middleIsSticky || nextIsSticky, vmaNext);
  ASSERT_EQ(cleanupMm(mm, vmi), 1);

  // P [0,3), V [3,7); modify [3,6), V's head: P grows to [0,6) and V shrinks
  // to [6,7). Both survive, so their close hooks change nothing.
  let vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, prevFlags)!;
  vmaPrev.vmOps = closeOps;
  vma = allocAndLinkVma(mm, 0x3000, 0x7000, 3, vmaFlags)!;
  vma.vmOps = closeOps;
  mergeInto(0x3000, 0x6000, 3, vmaPrev, vma, vmaPrev);
  assertSpan(vmaPrev, 0, 0x6000, 0);
  assertSpanVirt(vma, 0x6000, 0x7000, 6);
  ASSERT_TRUE(vmaWriteStarted(vmaPrev));
  ASSERT_TRUE(vmaWriteStarted(vma));
  ASSERT_EQ(mm.mapCount, 2);
  assertStickyIf(prevIsSticky || middleIsSticky, vmaPrev);
  ASSERT_EQ(cleanupMm(mm, vmi), 2);

  // P [0,3), V [3,7); modify all of V: P grows to [0,7) and V is removed.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, prevFlags)!;
  vmaPrev.vmOps = closeOps;
  vma = allocAndLinkVma(mm, 0x3000, 0x7000, 3, vmaFlags)!;
  mergeInto(0x3000, 0x7000, 3, vmaPrev, vma, vmaPrev);
  assertSpan(vmaPrev, 0, 0x7000, 0);
  ASSERT_TRUE(vmaWriteStarted(vmaPrev));
  ASSERT_EQ(mm.mapCount, 1);
  assertStickyIf(prevIsSticky || middleIsSticky, vmaPrev);
  ASSERT_EQ(cleanupMm(mm, vmi), 1);

  // P [0,3), V [3,7), N [7,9); modify all of V: P grows to [0,9), V and N
  // are removed.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, prevFlags)!;
  vmaPrev.vmOps = closeOps;
  vma = allocAndLinkVma(mm, 0x3000, 0x7000, 3, vmaFlags)!;
  vmaNext = allocAndLinkVma(mm, 0x7000, 0x9000, 7, nextFlags)!;
  mergeInto(0x3000, 0x7000, 3, vmaPrev, vma, vmaPrev);
  assertSpan(vmaPrev, 0, 0x9000, 0);
  ASSERT_TRUE(vmaWriteStarted(vmaPrev));
  ASSERT_EQ(mm.mapCount, 1);
  assertStickyIf(prevIsSticky || middleIsSticky || nextIsSticky, vmaPrev);
  ASSERT_EQ(cleanupMm(mm, vmi), 1);

  // P [0,3), V [3,8), N [8,0xa). A range strictly inside V reaches neither
  // neighbour, so it cannot merge. Callers only ever pass ranges within V,
  // so these cover the remaining shapes.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, prevFlags)!;
  vma = allocAndLinkVma(mm, 0x3000, 0x8000, 3, vmaFlags)!;
  vmaNext = allocAndLinkVma(mm, 0x8000, 0xa000, 8, nextFlags)!;
  for (const [start, end, pgoff] of [
    [0x4000, 0x5000, 4],
    [0x5000, 0x6000, 5],
    [0x6000, 0x7000, 6],
    [0x4000, 0x7000, 4],
    [0x4000, 0x6000, 4],
    [0x5000, 0x6000, 5],
  ] as const) {
    setModifyRange(vmg, start, end, pgoff, vmaFlags, vma, vma);
    assertNoMerge(vmg, mergeExisting(vmg));
  }
  ASSERT_EQ(cleanupMm(mm, vmi), 3);
}

function testMergeExisting(b: Backend): void {
  // All 8 ways of giving sticky bits to P, V and N.
  for (const i of [false, true])
    for (const j of [false, true]) for (const k of [false, true]) __testMergeExisting(b, i, j, k);
}

function testAnonVmaNonMergeable(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const avc1: AnonVmaChain = { anonVma: null };
  const avc2: AnonVmaChain = { anonVma: null };
  const dummyAnonVma2 = new AnonVma();

  /** P absorbed the range alone, up to 0x7000; N was never touched. */
  const assertOnlyPrevGrew = (vmaPrev: VmAreaStruct, vmaNext: VmAreaStruct): void => {
    assertSpan(vmaPrev, 0, 0x7000, 0);
    ASSERT_TRUE(vmaWriteStarted(vmaPrev));
    ASSERT_FALSE(vmaWriteStarted(vmaNext));
    ASSERT_EQ(cleanupMm(mm, vmi), 2);
  };

  // P [0,3), V [3,7), N [7,9); all of V modified. P and N each carry their
  // own anon_vma (one chain link each): either one alone suits the request,
  // which has none, but they cannot be joined to each other. So V merges
  // into P only, giving [0,7).
  let vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  const vma = allocAndLinkVma(mm, 0x3000, 0x7000, 3, vmaFlags)!;
  let vmaNext = allocAndLinkVma(mm, 0x7000, 0x9000, 7, vmaFlags)!;
  vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, vmaFlags, null);
  vmg.prev = vmaPrev;
  vmg.middle = vma;
  vmaSetDummyAnonVma(vmaPrev, avc1);
  __vmaSetDummyAnonVma(vmaNext, avc2, dummyAnonVma2);
  assertMergedInto(vmg, mergeExisting(vmg), vmaPrev);
  assertOnlyPrevGrew(vmaPrev, vmaNext);

  // Same P and N, and a new range [3,7) filling the gap: again P alone grows.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  vmaNext = allocAndLinkVma(mm, 0x7000, 0x9000, 7, vmaFlags)!;
  vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, vmaFlags, null);
  vmg.prev = vmaPrev;
  vmaSetDummyAnonVma(vmaPrev, avc1);
  __vmaSetDummyAnonVma(vmaNext, avc2, dummyAnonVma2);
  vmg.anonVma = null;
  assertMergedInto(vmg, mergeNew(vmg), vmaPrev);
  assertOnlyPrevGrew(vmaPrev, vmaNext);
}

function testDupAnonVma(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const avc: AnonVmaChain = { anonVma: dummyAnonVma };

  /** The modification must merge into target, now [start, end) with a clone of the dummy anon_vma. */
  const assertDupInto = (target: VmAreaStruct, start: number, end: number): void => {
    assertMergedInto(vmg, mergeExisting(vmg), target);
    ASSERT_EQ(target.vmStart, start);
    ASSERT_EQ(target.vmEnd, end);
    assertClonedDummy(target);
    cleanupMm(mm, vmi);
  };

  resetDummyAnonVma();

  // P [0,3) expands over N [3,5), which has an anon_vma and is removed: P
  // must end up with a clone of it. New-range merges come down to this
  // same expansion.
  let vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  let vmaNext = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
  vmaNext.anonVma = dummyAnonVma;
  vmgSetRange(vmg, 0, 0x5000, 0, vmaFlags);
  vmg.target = vmaPrev;
  vmg.next = vmaNext;
  ASSERT_EQ(expandExisting(vmg), 0);
  assertClonedDummy(vmaPrev);
  cleanupMm(mm, vmi);

  // P [0,3), V [3,5), N [5,8), only N with an anon_vma (through one chain
  // link, as the merge check wants); all of V modified. P grows to [0,8), V
  // and N go, and P takes N's anon_vma.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  let vma = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
  vmaNext = allocAndLinkVma(mm, 0x5000, 0x8000, 5, vmaFlags)!;
  vmaNext.anonVmaChain = [avc];
  vmaNext.anonVma = dummyAnonVma;
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, vmaPrev, vma);
  assertDupInto(vmaPrev, 0, 0x8000);

  // The same layout with the anon_vma on V instead: P takes V's.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  vma = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
  vmaNext = allocAndLinkVma(mm, 0x5000, 0x8000, 5, vmaFlags)!;
  vmg.anonVma = dummyAnonVma;
  vmaSetDummyAnonVma(vma, avc);
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, vmaPrev, vma);
  assertDupInto(vmaPrev, 0, 0x8000);

  // P [0,3), V [3,8) with an anon_vma; [3,5) modified. P grows to [0,5), V
  // keeps [5,8), and P takes V's anon_vma.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  vma = allocAndLinkVma(mm, 0x3000, 0x8000, 3, vmaFlags)!;
  vmaSetDummyAnonVma(vma, avc);
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, vmaPrev, vma);
  assertDupInto(vmaPrev, 0, 0x5000);

  // V [0,5) with an anon_vma, N [5,8); [3,5) modified. N grows down to
  // [3,8), V keeps [0,3), and N takes V's anon_vma.
  vma = allocAndLinkVma(mm, 0, 0x5000, 0, vmaFlags)!;
  vmaNext = allocAndLinkVma(mm, 0x5000, 0x8000, 5, vmaFlags)!;
  vmaSetDummyAnonVma(vma, avc);
  setModifyRange(vmg, 0x3000, 0x5000, 3, vmaFlags, vma, vma);
  assertDupInto(vmaNext, 0x3000, 0x8000);
}

function testVmiPreallocFail(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const avc: AnonVmaChain = { anonVma: null };

  /** P was handed the anon_vma before the failure, and the clone was then undone. */
  const assertCloneUndone = (vmaPrev: VmAreaStruct): void => {
    ASSERT_EQ(vmaPrev.anonVma, dummyAnonVma);
    ASSERT_TRUE(dummyAnonVma.wasCloned);
    ASSERT_TRUE(dummyAnonVma.wasUnlinked);
    cleanupMm(mm, vmi); // also switches fail_prealloc off
  };

  // P [0,3), V [3,5) with an anon_vma; all of V modified while the tree
  // cannot allocate. P already took a clone of V's anon_vma when the
  // failure hits, so the error path must unlink it.
  let vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  let vma = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
  vma.anonVma = dummyAnonVma;
  vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, vmaFlags, dummyAnonVma);
  vmg.prev = vmaPrev;
  vmg.middle = vma;
  vmaSetDummyAnonVma(vma, avc);

  setFailPrealloc(true);
  ASSERT_EQ(mergeExisting(vmg), null);
  ASSERT_EQ(vmg.state, VMA_MERGE_ERROR_NOMEM);
  assertCloneUndone(vmaPrev);

  // The same failure in a plain expansion of P over V, the step a new-range
  // merge is built on.
  vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
  vma = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
  vma.anonVma = dummyAnonVma;
  vmgSetRange(vmg, 0, 0x5000, 3, vmaFlags);
  vmg.target = vmaPrev;
  vmg.next = vma;

  setFailPrealloc(true);
  ASSERT_EQ(expandExisting(vmg), -ENOMEM);
  ASSERT_EQ(vmg.state, VMA_MERGE_ERROR_NOMEM);
  assertCloneUndone(vmaPrev);
}

function testMergeExtend(b: Backend): void {
  const vmaFlags = baseFlags(b);
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0x1000);

  const vma = allocAndLinkVma(mm, 0, 0x1000, 0, vmaFlags)!;
  allocAndLinkVma(mm, 0x3000, 0x4000, 3, vmaFlags);

  // A [0,1), B [3,4): extending A by two pages closes the gap, and A and B
  // become one VMA [0,4).
  ASSERT_EQ(vmaMergeExtend(vmi, vma, 0x2000), vma);
  assertSpan(vma, 0, 0x4000, 0);
  ASSERT_TRUE(vmaWriteStarted(vma));
  ASSERT_EQ(mm.mapCount, 1);

  cleanupMm(mm, vmi);
}

function testExpandOnlyMode(b: Backend): void {
  const vmaFlags = baseFlags(b);
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const vmg = VMG_STATE(mm, vmi, 0x5000, 0x9000, vmaFlags, 5);

  // X [0,2) lies before P: with just_expand the merge must leave it alone
  // rather than step back from P.
  allocAndLinkVma(mm, 0, 0x2000, 0, vmaFlags);

  // P [3,5) grows to [3,9); the iterator already sits on P, as that mode expects.
  vmaIterSet(vmi, 0x3000);
  const vmaPrev = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
  vmg.prev = vmaPrev;
  vmg.justExpand = true;

  const vma = vmaMergeNewRange(vmg);
  ASSERT_NE(vma, null);
  ASSERT_EQ(vma, vmaPrev);
  ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
  assertSpan(vma!, 0x3000, 0x9000, 3);
  ASSERT_TRUE(vmaWriteStarted(vma!));
  ASSERT_EQ(vmaIterAddr(vmi), 0x3000);
  vmaAssertAttached(vma!);

  cleanupMm(mm, vmi);
}

/** run_merge_tests */
export function runMergeTests(b: Backend, TEST: TestRegistrar): void {
  // Smoke tests first.
  TEST('simple_merge', () => testSimpleMerge(b));
  TEST('simple_modify', () => testSimpleModify(b));
  TEST('simple_expand', () => testSimpleExpand(b));
  TEST('simple_shrink', () => testSimpleShrink(b));

  TEST('merge_new', () => testMergeNew(b));
  TEST('vma_merge_special_flags', () => testVmaMergeSpecialFlags(b));
  TEST('vma_merge_with_close', () => testVmaMergeWithClose(b));
  TEST('vma_merge_new_with_close', () => testVmaMergeNewWithClose(b));
  TEST('merge_existing', () => testMergeExisting(b));
  TEST('anon_vma_non_mergeable', () => testAnonVmaNonMergeable(b));
  TEST('dup_anon_vma', () => testDupAnonVma(b));
  TEST('vmi_prealloc_fail', () => testVmiPreallocFail(b));
  TEST('merge_extend', () => testMergeExtend(b));
  TEST('expand_only_mode', () => testExpandOnlyMode(b));
}
