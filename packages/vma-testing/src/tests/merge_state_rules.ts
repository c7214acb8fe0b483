import {
  VMA_MAYBE_GUARD_BIT,
  VMA_MAYSHARE_BIT,
  VMA_SHARED_BIT,
  VMA_SOFTDIRTY_BIT,
  VMA_WRITE_BIT,
  PRESETS,
  coreBackend,
  vmaGetPageProt,
  type PageProtName,
} from '@vmaflags/core';
import {
  MADV_GUARD_INSTALL,
  MmStruct,
  PROT_READ,
  VMA_ITERATOR,
  VMA_MERGE_ERROR_NOMEM,
  VMA_MERGE_NOMERGE,
  VMA_MERGE_SUCCESS,
  VMG_STATE,
  ENOMEM,
  IS_ERR,
  PTR_ERR,
  VM_FAULT_OK,
  __mmapRegion,
  doMadvise,
  doMprotect,
  doVmiMunmap,
  findMergeableAnonVma,
  handleMmFault,
  validateMm,
  vmaIterAddr,
  vmaIterEnd,
  vmaIterSet,
  vmaLookup,
  vmaMergeExistingRange,
  vmaModifyFlags,
  vmaModifyFlagsUffd,
  vmaSetPageProt,
  vmaWantsWritenotify,
  type Backend,
  type VmAreaStruct,
  type VmaFlags,
  type VmaIterator,
  type VmaMergeStruct,
} from '@vmaflags/mm';
import { AnonVma, current, harness, setFailPrealloc, takeWarnings } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_TRUE,
  __vmaSetDummyAnonVma,
  allocAndLinkVma,
  baseFlags,
  cleanupMm,
  dummyClose,
  mergeNew,
  mkFile,
  vmaInstallFile,
  type TestRegistrar,
  vmgSetRange,
} from '../shared.js';

// What the merge, unmap and anon_vma code leaves behind for its callers:
// where the iterator points, the state and plan fields of the merge request,
// which neighbour's anon_vma a first fault reuses, the page protection, and
// the page tables an unmap clears.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c:
// - can_vma_merge_left() needs a prev and can_vma_merge_right() a next: a
//   request at the bottom or the top of the address space merges with the
//   one neighbour it has;
// - can_vma_merge_left()/right() also need prev to end, and next to begin,
//   exactly at the range: continuing page offsets are not enough;
// - can_vma_merge_right() with a left merge possible accepts the pair when
//   either of prev and next has no anon_vma, or both share one;
// - vma_merge_existing_range() ORs VM_STICKY of the request, next and prev
//   into the target; a whole middle merged right leaves vmg start/end/pgoff
//   spanning middle and next; __adjust_middle_start is set only when middle
//   survives; vmg->next is looked up only when the range reaches middle's end;
//   after looking at next the iterator is stepped back onto middle; its
//   abort path sets the iterator to the request's start and loads it (a
//   walk, so it ends on middle's whole range); with no middle it warns and
//   gives up (left_side and right_side test middle first); a range offset
//   into middle merging right needs prev to be middle, or no prev at all;
// - vms_gather_munmap_vmas() walks the iterator back to the unmap's start;
//   vms_clear_ptes() zaps the range's page tables (guard markers included);
// - reusable_anon_vma()/anon_vma_compatible(): same file, flags equal but
//   for access and VM_IGNORE_MERGE bits; find_mergeable_anon_vma() tries
//   next, then prev;
// - vm_ops_needs_writenotify(): only page_mkwrite or pfn_mkwrite count;
// - vma_modify_flags_uffd() with give_up_on_oom: a merge that fails to
//   allocate is not an error, the VMA comes back unchanged; vma_modify()
//   warns when give_up_on_oom comes with a range that needs a split.
// linux-mm/linux-mm @1aff34ad202e61babc5bf68b12e7d2bd45237c30 mm/mmap.c:
// vma_set_page_prot() recomputes vm_page_prot from vm_flags, without
// VM_SHARED when vma_wants_writenotify(); torvalds/linux
// @5c68005083d620b1499fc81926a514d39ae8b88c include/linux/pgtable.h:
// pgprot_modify() yields the new protection (keeping only caching
// attributes of the old one). linux-mm/linux-mm
// @f1864691dcac6443ee0b80081587bceea7688312 mm/vma.h: vma_is_sealed() reads
// VM_SEALED under CONFIG_64BIT only; a 32-bit kernel has no sealing. On this machine (Linux 6.18, x86_64) a page
// guarded by MADV_GUARD_INSTALL faults with SIGSEGV, and after munmap() and
// a new mmap() at the same address (or a MAP_FIXED mmap() straight over it)
// it is an ordinary page again.

interface Scene {
  b: Backend;
  flags: VmaFlags;
  /** The base flags without VM_WRITE: a neighbour that cannot merge. */
  readOnly: VmaFlags;
  mm: MmStruct;
  vmi: VmaIterator;
}

function scene(b: Backend): Scene {
  const mm = new MmStruct(b, harness);
  const flags = baseFlags(b);
  const readOnly = b.copy(flags);
  b.clear(readOnly, VMA_WRITE_BIT);
  return { b, flags, readOnly, mm, vmi: VMA_ITERATOR(mm, 0) };
}

/** The VMA a layout has where flags were given, null where they were not. */
type Slot<F> = F extends null ? null : VmAreaStruct;

/** P [0,3), V [3,6) and N [6,9), offsets following the addresses; null flags leave P or N out. */
function layout<P extends VmaFlags | null, N extends VmaFlags | null>(
  s: Scene,
  prevFlags: P,
  vmaFlags: VmaFlags,
  nextFlags: N,
): { prev: Slot<P>; vma: VmAreaStruct; next: Slot<N> } {
  const linked = (start: number, flags: VmaFlags | null): VmAreaStruct | null =>
    flags === null ? null : allocAndLinkVma(s.mm, start, start + 0x3000, start >> 12, flags)!;
  return {
    prev: linked(0, prevFlags) as Slot<P>,
    vma: linked(0x3000, vmaFlags)!,
    next: linked(0x6000, nextFlags) as Slot<N>,
  };
}

function withBits(b: Backend, flags: VmaFlags, ...bits: number[]): VmaFlags {
  const out = b.copy(flags);
  for (const bit of bits) b.set(out, bit);
  return out;
}

/** The iterator rests on the range [start, end). */
function assertIterOn(s: Scene, start: number, end: number): void {
  ASSERT_EQ(vmaIterAddr(s.vmi), start, 'iterator start');
  ASSERT_EQ(vmaIterEnd(s.vmi), end, 'iterator end');
}

/** A merge-existing request for [start, end) of middle, with the iterator at `iter`. */
function existing(
  s: Scene,
  prev: VmAreaStruct | null,
  middle: VmAreaStruct | null,
  start: number,
  end: number,
  iter: number,
  flags = s.flags,
): VmaMergeStruct {
  const vmg = VMG_STATE(s.mm, s.vmi, start, end, flags, start >> 12);
  vmg.prev = prev;
  vmg.middle = middle;
  vmg.anonVma = middle?.anonVma ?? null;
  vmaIterSet(s.vmi, iter);
  return vmg;
}

/** A new mapping at the bottom of the address space joins the VMA right above it. */
function testMergeNewWithoutPrev(b: Backend): void {
  const s = scene(b);
  const next = allocAndLinkVma(s.mm, 0x3000, 0x5000, 3, s.flags)!;
  const vmg = VMG_STATE(s.mm, s.vmi, 0, 0, s.flags, 0);
  vmgSetRange(vmg, 0x1000, 0x3000, 1, s.flags);
  ASSERT_EQ(mergeNew(vmg), next);
  ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
  ASSERT_EQ(next.vmStart, 0x1000);
  ASSERT_EQ(next.vmEnd, 0x5000);
  ASSERT_EQ(next.vmPgoff, 1);
  ASSERT_EQ(s.mm.mapCount, 1);
  ASSERT_EQ(vmaIterAddr(s.vmi), 0x1000);
  cleanupMm(s.mm, s.vmi);
}

/** The topmost VMA, changed as a whole, folds into its prev: there is no next to ask. */
function testMergeExistingWithoutNext(b: Backend): void {
  const s = scene(b);
  const { prev, vma } = layout(s, s.flags, s.readOnly, null);
  vmaIterSet(s.vmi, 0x3000);
  const flags = b.copy(s.flags);
  ASSERT_EQ(vmaModifyFlags(s.vmi, prev, vma, 0x3000, 0x6000, flags), prev);
  ASSERT_EQ(prev.vmEnd, 0x6000);
  ASSERT_EQ(s.mm.mapCount, 1);
  assertIterOn(s, 0, 0x6000);
  cleanupMm(s.mm, s.vmi);
}

/**
 * Only one of prev and next has an anon_vma (either one): prev, middle and
 * next become one VMA, which keeps or takes that anon_vma.
 */
function testThreeWayMergeOneSideFaulted(b: Backend): void {
  for (const faulted of ['next', 'prev'] as const) {
    const s = scene(b);
    const { prev, vma, next } = layout(s, s.flags, s.flags, s.flags);
    const anonVma = new AnonVma();
    __vmaSetDummyAnonVma(faulted === 'next' ? next : prev, { anonVma }, anonVma);
    const vmg = existing(s, prev, vma, 0x3000, 0x6000, 0x3000);
    ASSERT_EQ(vmaMergeExistingRange(vmg), prev, faulted);
    ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
    ASSERT_EQ(prev.vmEnd, 0x9000);
    ASSERT_EQ(prev.anonVma, anonVma);
    ASSERT_EQ(s.mm.mapCount, 1);
    cleanupMm(s.mm, s.vmi);
  }
}

/**
 * Neighbours a page away do not absorb a new range, even with file offsets
 * that would continue into it: prev and next must touch the range.
 */
function testMergeNewNeedsTouchingNeighbours(b: Backend): void {
  const s = scene(b);
  const prev = allocAndLinkVma(s.mm, 0, 0x2000, 0, s.flags)!;
  const next = allocAndLinkVma(s.mm, 0x6000, 0x8000, 4, s.flags)!;
  const vmg = VMG_STATE(s.mm, s.vmi, 0, 0, s.flags, 0);
  // [3,5) at offset 2: prev's offsets end at 2 and next's start at 2 + 2.
  vmgSetRange(vmg, 0x3000, 0x5000, 2, s.flags);
  ASSERT_EQ(mergeNew(vmg), null);
  ASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);
  ASSERT_EQ(prev.vmEnd, 0x2000);
  ASSERT_EQ(next.vmStart, 0x6000);
  ASSERT_EQ(s.mm.mapCount, 2);
  cleanupMm(s.mm, s.vmi);
}

/** Sticky flags of the request and of both neighbours all end up on the merged VMA. */
function testStickyFlagsOfEverySide(b: Backend): void {
  const s = scene(b);
  const { prev, vma } = layout(s, s.flags, s.flags, withBits(b, s.flags, VMA_SOFTDIRTY_BIT));
  const vmg = existing(s, prev, vma, 0x3000, 0x6000, 0x3000, withBits(b, s.flags, VMA_MAYBE_GUARD_BIT));
  ASSERT_EQ(vmaMergeExistingRange(vmg), prev);
  ASSERT_EQ(prev.vmEnd, 0x9000);
  ASSERT_TRUE(b.test(prev.flags, VMA_MAYBE_GUARD_BIT));
  ASSERT_TRUE(b.test(prev.flags, VMA_SOFTDIRTY_BIT));
  cleanupMm(s.mm, s.vmi);
}

/**
 * The plan a merge records is the one it carried out: a left merge of the
 * start of middle adjusts middle and neither looks at nor removes next; a
 * left merge of all of middle adjusts nothing; a right merge of all of
 * middle leaves start/end/pgoff spanning the merged VMA.
 */
function testMergePlanFields(b: Backend): void {
  let s = scene(b);
  let { prev, vma, next } = layout(s, s.flags, s.flags, s.flags);
  let vmg = existing(s, prev, vma, 0x3000, 0x4000, 0x3000);
  ASSERT_EQ(vmaMergeExistingRange(vmg), prev);
  ASSERT_TRUE(vmg.__adjustMiddleStart);
  ASSERT_EQ(vmg.__removeNext, false);
  ASSERT_EQ(vmg.__removeMiddle, false);
  ASSERT_EQ(vmg.next, null);
  ASSERT_EQ(vma.vmStart, 0x4000);
  cleanupMm(s.mm, s.vmi);

  s = scene(b);
  ({ prev, vma } = layout(s, s.flags, s.flags, s.readOnly));
  vmg = existing(s, prev, vma, 0x3000, 0x6000, 0x3000);
  ASSERT_EQ(vmaMergeExistingRange(vmg), prev);
  ASSERT_TRUE(vmg.__removeMiddle);
  ASSERT_FALSE(vmg.__adjustMiddleStart);
  ASSERT_EQ(prev.vmEnd, 0x6000);
  ASSERT_EQ(s.mm.mapCount, 2);
  cleanupMm(s.mm, s.vmi);

  s = scene(b);
  ({ prev, vma, next } = layout(s, s.readOnly, s.flags, s.flags));
  vmg = existing(s, prev, vma, 0x3000, 0x6000, 0x3000);
  ASSERT_EQ(vmaMergeExistingRange(vmg), next);
  ASSERT_EQ(vmg.start, 0x3000);
  ASSERT_EQ(vmg.end, 0x9000);
  ASSERT_EQ(vmg.pgoff, 3);
  ASSERT_EQ(vmg.target, next);
  ASSERT_EQ(next.vmStart, 0x3000);
  ASSERT_EQ(next.vmPgoff, 3);
  ASSERT_EQ(s.mm.mapCount, 2);
  cleanupMm(s.mm, s.vmi);
}

/** With no merge possible, the iterator is back on middle, where vma_modify() splits next. */
function testNoMergeLeavesIteratorOnMiddle(b: Backend): void {
  const s = scene(b);
  const { prev, vma } = layout(s, s.readOnly, s.flags, s.readOnly);
  const vmg = existing(s, prev, vma, 0x3000, 0x6000, 0x3000);
  ASSERT_EQ(vmaMergeExistingRange(vmg), null);
  ASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);
  assertIterOn(s, 0x3000, 0x6000);
  cleanupMm(s.mm, s.vmi);
}

/**
 * A merge that fails to allocate leaves the iterator loaded on middle, the
 * VMA holding the request's start, whichever way it was going to merge.
 */
function testFailedMergeReloadsIterator(b: Backend): void {
  for (const side of ['left', 'right'] as const) {
    const s = scene(b);
    const { prev, vma } = layout(s, s.flags, s.flags, s.flags);
    // Left: the head of middle into prev. Right: the tail into next, offset into middle (prev is middle).
    const vmg =
      side === 'left' ? existing(s, prev, vma, 0x3000, 0x5000, 0x3000) : existing(s, vma, vma, 0x4000, 0x6000, 0x4000);
    setFailPrealloc(true);
    ASSERT_EQ(vmaMergeExistingRange(vmg), null);
    setFailPrealloc(false);
    ASSERT_EQ(vmg.state, VMA_MERGE_ERROR_NOMEM);
    assertIterOn(s, 0x3000, 0x6000);
    ASSERT_EQ(vma.vmStart, 0x3000);
    ASSERT_EQ(vma.vmEnd, 0x6000);
    ASSERT_EQ(s.mm.mapCount, 3);
    cleanupMm(s.mm, s.vmi);
  }
}

/** The warnings `body` raises, taken off the record so the runner does not fail the case for them. */
function warningsOf(body: () => void): string[] {
  takeWarnings();
  body();
  return takeWarnings();
}

/** A merge-existing request without a middle is reported and refused, and nothing changes. */
function testMergeExistingWithoutMiddle(b: Backend): void {
  const s = scene(b);
  const { prev } = layout(s, s.flags, s.flags, null);
  const vmg = existing(s, prev, null, 0x3000, 0x6000, 0x3000);
  let merged: VmAreaStruct | null = prev;
  const warned = warningsOf(() => {
    merged = vmaMergeExistingRange(vmg);
  });
  ASSERT_EQ(JSON.stringify(warned), JSON.stringify(['merge existing: no middle']));
  ASSERT_EQ(merged, null);
  ASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);
  ASSERT_EQ(prev.vmEnd, 0x3000);
  ASSERT_EQ(s.mm.mapCount, 2);
  cleanupMm(s.mm, s.vmi);
}

/**
 * A range starting inside middle may merge right only with prev === middle:
 * another prev is reported (on top of the range check), no prev at all is
 * only the range check, and prev === middle is the correct form: middle
 * keeps its head and next grows down.
 */
function testOffsetRightMergeNeedsPrevMiddle(b: Backend): void {
  const offsetWarning = 'merge existing: offset into middle but prev is not middle';
  const rangeWarning = 'merge existing: range not within middle';
  for (const form of ['other prev', 'no prev', 'prev is middle'] as const) {
    const s = scene(b);
    const { prev, vma, next } = layout(s, form === 'no prev' ? null : s.flags, s.flags, s.flags);
    const vmg = existing(s, form === 'prev is middle' ? vma : prev, vma, 0x4000, 0x6000, 0x4000);
    let merged: VmAreaStruct | null = null;
    const warned = warningsOf(() => {
      merged = vmaMergeExistingRange(vmg);
    });
    const expected = form === 'other prev' ? [rangeWarning, offsetWarning] : form === 'no prev' ? [rangeWarning] : [];
    ASSERT_EQ(JSON.stringify(warned), JSON.stringify(expected), form);
    if (form === 'prev is middle') {
      ASSERT_EQ(merged, next);
      ASSERT_EQ(vma.vmEnd, 0x4000);
      ASSERT_EQ(next.vmStart, 0x4000);
      ASSERT_EQ(next.vmPgoff, 4);
    }
    cleanupMm(s.mm, s.vmi);
  }
}

/** munmap() and a MAP_FIXED mmap() over the range both clear its guard markers. */
function testUnmapClearsGuardMarkers(b: Backend): void {
  for (const how of ['munmap', 'map over'] as const) {
    const s = scene(b);
    current.mm = s.mm;
    ASSERT_EQ(__mmapRegion(s.mm, null, 0x100000, 0x4000, s.flags, 0x100, null), 0x100000);
    ASSERT_EQ(doMadvise(s.mm, 0x100000, 0x2000, MADV_GUARD_INSTALL), 0);
    ASSERT_EQ(s.mm.guardPtes.size, 2);
    if (how === 'munmap') ASSERT_EQ(doVmiMunmap(s.vmi, s.mm, 0x100000, 0x4000, null, false), 0);
    ASSERT_EQ(__mmapRegion(s.mm, null, 0x100000, 0x4000, s.flags, 0x100, null), 0x100000);
    ASSERT_EQ(s.mm.guardPtes.size, 0);
    ASSERT_EQ(handleMmFault(vmaLookup(s.mm, 0x100000)!, 0x100000, false), VM_FAULT_OK);
    cleanupMm(s.mm, s.vmi);
  }
}

/** Unmapping the head of a VMA that starts at address 0 leaves its tail, pages and offset intact. */
function testMunmapFromAddressZero(b: Backend): void {
  const s = scene(b);
  current.mm = s.mm;
  ASSERT_EQ(__mmapRegion(s.mm, null, 0, 0x3000, s.flags, 0, null), 0);
  ASSERT_EQ(doVmiMunmap(s.vmi, s.mm, 0, 0x1000, null, false), 0);
  const vma = vmaLookup(s.mm, 0x1000)!;
  ASSERT_EQ(vma.vmStart, 0x1000);
  ASSERT_EQ(vma.vmEnd, 0x3000);
  ASSERT_EQ(vma.vmPgoff, 1);
  ASSERT_EQ(vmaLookup(s.mm, 0), null);
  ASSERT_EQ(s.mm.mapCount, 1);
  ASSERT_EQ(s.mm.totalVm, 2);
  cleanupMm(s.mm, s.vmi);
}

/** A 32-bit mm has no VM_SEALED to ask about: unmapping the middle of a VMA splits it as usual. */
function testMunmapWithoutSealingOn32Bit(_b: Backend): void {
  const b = coreBackend(PRESETS.i386) as unknown as Backend;
  const s = scene(b);
  current.mm = s.mm;
  ASSERT_EQ(__mmapRegion(s.mm, null, 0x100000, 0x4000, s.flags, 0x100, null), 0x100000);
  ASSERT_EQ(doVmiMunmap(s.vmi, s.mm, 0x101000, 0x1000, null, false), 0);
  ASSERT_EQ(s.mm.mapCount, 2);
  ASSERT_EQ(vmaLookup(s.mm, 0x100000)!.vmEnd, 0x101000);
  ASSERT_EQ(vmaLookup(s.mm, 0x102000)!.vmPgoff, 0x102);
  ASSERT_EQ(s.mm.totalVm, 3);
  cleanupMm(s.mm, s.vmi);
}

/**
 * A first fault in V [5,7) skips a next it cannot share with (another
 * file) and takes prev's anon_vma; a neighbour differing only in a
 * merge-ignored flag shares, one with another file does not.
 */
function testFindMergeableAnonVmaNeighbours(b: Backend): void {
  const s = scene(b);
  const anonPrev = new AnonVma();
  const anonNext = new AnonVma();

  let vma = allocAndLinkVma(s.mm, 0x5000, 0x7000, 5, s.flags)!;
  let prev = allocAndLinkVma(s.mm, 0x3000, 0x5000, 3, s.flags)!;
  let next = allocAndLinkVma(s.mm, 0x7000, 0x9000, 7, s.flags)!;
  vmaInstallFile(next, mkFile());
  __vmaSetDummyAnonVma(prev, { anonVma: anonPrev }, anonPrev);
  __vmaSetDummyAnonVma(next, { anonVma: anonNext }, anonNext);
  ASSERT_EQ(findMergeableAnonVma(vma), anonPrev);
  cleanupMm(s.mm, s.vmi);

  vma = allocAndLinkVma(s.mm, 0x5000, 0x7000, 5, s.flags)!;
  next = allocAndLinkVma(s.mm, 0x7000, 0x9000, 7, withBits(b, s.flags, VMA_MAYBE_GUARD_BIT))!;
  __vmaSetDummyAnonVma(next, { anonVma: anonNext }, anonNext);
  ASSERT_EQ(findMergeableAnonVma(vma), anonNext);
  cleanupMm(s.mm, s.vmi);

  vma = allocAndLinkVma(s.mm, 0x5000, 0x7000, 5, s.flags)!;
  prev = allocAndLinkVma(s.mm, 0x3000, 0x5000, 3, s.flags)!;
  vmaInstallFile(prev, mkFile());
  __vmaSetDummyAnonVma(prev, { anonVma: anonPrev }, anonPrev);
  ASSERT_EQ(findMergeableAnonVma(vma), null);
  cleanupMm(s.mm, s.vmi);
}

/**
 * userfaultfd teardown (give_up_on_oom) over a whole VMA: a merge that cannot
 * allocate leaves the VMA as it was and is no error; without give_up_on_oom
 * the same failure is -ENOMEM.
 */
function testUffdGiveUpOnOom(b: Backend): void {
  for (const giveUp of [true, false]) {
    const s = scene(b);
    const { prev, vma } = layout(s, s.flags, s.flags, null);
    vmaIterSet(s.vmi, 0x3000);
    setFailPrealloc(true);
    const ret = vmaModifyFlagsUffd(s.vmi, prev, vma, 0x3000, 0x6000, b.copy(s.flags), {}, giveUp);
    setFailPrealloc(false);
    if (giveUp) ASSERT_EQ(ret, vma);
    else ASSERT_EQ(IS_ERR(ret) ? PTR_ERR(ret) : 0, -ENOMEM);
    ASSERT_EQ(vma.vmStart, 0x3000);
    ASSERT_EQ(vma.vmEnd, 0x6000);
    ASSERT_EQ(prev.vmEnd, 0x3000);
    ASSERT_EQ(s.mm.mapCount, 2);
    cleanupMm(s.mm, s.vmi);
  }
}

/**
 * give_up_on_oom with a range that leaves a head or a tail of the VMA is
 * reported (the split it needs may fail for reasons other than memory) and
 * the split still happens; over the whole VMA it is silent.
 */
function testUffdGiveUpOnOomNeedsWholeVma(b: Backend): void {
  const warning = 'vma_modify: give_up_on_oom with a split';
  const ranges: [number, number, boolean][] = [
    [0x3000, 0x4000, true],
    [0x5000, 0x6000, true],
    [0x3000, 0x6000, false],
  ];
  for (const [start, end, warns] of ranges) {
    const s = scene(b);
    const { prev, vma } = layout(s, s.readOnly, s.flags, null);
    vmaIterSet(s.vmi, 0x3000);
    let ret: ReturnType<typeof vmaModifyFlagsUffd> = null as unknown as VmAreaStruct;
    const warned = warningsOf(() => {
      // Callers pass the VMA itself as prev for a range starting inside it.
      ret = vmaModifyFlagsUffd(s.vmi, start > 0x3000 ? vma : prev, vma, start, end, b.copy(s.flags), {}, true);
    });
    ASSERT_EQ(JSON.stringify(warned), JSON.stringify(warns ? [warning] : []), `[${start}, ${end})`);
    ASSERT_EQ(ret, vma);
    ASSERT_EQ(vma.vmStart, start);
    ASSERT_EQ(vma.vmEnd, end);
    ASSERT_EQ(s.mm.mapCount, warns ? 3 : 2);
    cleanupMm(s.mm, s.vmi);
  }
}

/** Shared, writable, and the given vm_ops and file. */
function sharedWritable(s: Scene, ops: VmAreaStruct['vmOps'], withFile: boolean): VmAreaStruct {
  const vma = allocAndLinkVma(
    s.mm,
    0x100000,
    0x102000,
    0x100,
    withBits(s.b, s.flags, VMA_SHARED_BIT, VMA_MAYSHARE_BIT),
  )!;
  vma.vmOps = ops;
  vmaInstallFile(vma, withFile ? mkFile() : null);
  return vma;
}

function protName(vma: VmAreaStruct): PageProtName {
  return vmaGetPageProt(vma.vmPageProt, vma.vmMm.backend.config).name;
}

/**
 * vm_ops without page_mkwrite/pfn_mkwrite ask for no write notification;
 * with one, vma_set_page_prot() maps shared writable pages read-only first
 * (x86_64: PAGE_COPY instead of PAGE_SHARED); and mprotect() to read-only
 * takes the write right out of vm_page_prot.
 */
function testWritenotifyPageProt(b: Backend): void {
  const s = scene(b);
  const closeOnly = { close: dummyClose };
  let vma = sharedWritable(s, closeOnly, false);
  const prot = vmaGetPageProt(b.toLegacy(vma.flags), b.config);
  ASSERT_FALSE(vmaWantsWritenotify(vma, b.toLegacy(vma.flags)));
  vmaSetPageProt(vma);
  ASSERT_EQ(protName(vma), 'PAGE_SHARED');
  ASSERT_EQ(prot.name, 'PAGE_SHARED');
  cleanupMm(s.mm, s.vmi);

  vma = sharedWritable(s, { ...closeOnly, pageMkwrite: () => 0 }, false);
  vmaSetPageProt(vma);
  ASSERT_EQ(protName(vma), 'PAGE_COPY');
  ASSERT_TRUE(b.test(vma.flags, VMA_SHARED_BIT));
  cleanupMm(s.mm, s.vmi);

  // A file that writes back wants the notification too, even without hooks.
  vma = sharedWritable(s, closeOnly, true);
  vmaSetPageProt(vma);
  ASSERT_EQ(protName(vma), 'PAGE_COPY');
  ASSERT_EQ(doMprotect(s.mm, 0x100000, 0x2000, PROT_READ), 0);
  ASSERT_EQ(protName(vmaLookup(s.mm, 0x100000)!), 'PAGE_READONLY');
  cleanupMm(s.mm, s.vmi);
}

/** validate_mm() stops on a VMA whose tree slot no longer matches its range, naming both ranges. */
function testValidateMmNamesTheRanges(b: Backend): void {
  const s = scene(b);
  const vma = allocAndLinkVma(s.mm, 0x3000, 0x6000, 3, s.flags)!;
  validateMm(s.mm);
  vma.vmEnd = 0x5000;
  let message = '';
  try {
    validateMm(s.mm);
  } catch (err) {
    message = (err as Error).message;
  }
  ASSERT_TRUE(message.includes('[0x3000, 0x5000)'), message);
  ASSERT_TRUE(message.includes('[0x3000, 0x6000)'), message);
  vma.vmEnd = 0x6000;
  cleanupMm(s.mm, s.vmi);
}

export function runMergeStateRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('merge_new_without_prev', () => testMergeNewWithoutPrev(b));
  TEST('merge_existing_without_next', () => testMergeExistingWithoutNext(b));
  TEST('three_way_merge_one_side_faulted', () => testThreeWayMergeOneSideFaulted(b));
  TEST('merge_new_needs_touching_neighbours', () => testMergeNewNeedsTouchingNeighbours(b));
  TEST('sticky_flags_of_every_side', () => testStickyFlagsOfEverySide(b));
  TEST('merge_plan_fields', () => testMergePlanFields(b));
  TEST('no_merge_leaves_iterator_on_middle', () => testNoMergeLeavesIteratorOnMiddle(b));
  TEST('failed_merge_reloads_iterator', () => testFailedMergeReloadsIterator(b));
  TEST('merge_existing_without_middle', () => testMergeExistingWithoutMiddle(b));
  TEST('offset_right_merge_needs_prev_middle', () => testOffsetRightMergeNeedsPrevMiddle(b));
  TEST('unmap_clears_guard_markers', () => testUnmapClearsGuardMarkers(b));
  TEST('munmap_from_address_zero', () => testMunmapFromAddressZero(b));
  TEST('munmap_without_sealing_on_32bit', () => testMunmapWithoutSealingOn32Bit(b));
  TEST('find_mergeable_anon_vma_neighbours', () => testFindMergeableAnonVmaNeighbours(b));
  TEST('uffd_give_up_on_oom', () => testUffdGiveUpOnOom(b));
  TEST('uffd_give_up_on_oom_needs_whole_vma', () => testUffdGiveUpOnOomNeedsWholeVma(b));
  TEST('writenotify_page_prot', () => testWritenotifyPageProt(b));
  TEST('validate_mm_names_the_ranges', () => testValidateMmNamesTheRanges(b));
}
