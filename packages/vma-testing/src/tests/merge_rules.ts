import {
  PRESETS,
  VMA_EXEC_BIT,
  VMA_LOCKED_BIT,
  VMA_MAYBE_GUARD_BIT,
  VMA_MAYEXEC_BIT,
  VMA_READ_BIT,
  VMA_SOFTDIRTY_BIT,
  VMA_WRITE_BIT,
  coreBackend,
  withNumVmaFlagBits,
} from '@vmaflags/core';
import { AnonVma, current, harness } from '../include/custom.js';
import {
  IS_ERR,
  MmStruct,
  VMA_ITERATOR,
  VMA_MERGE_NOMERGE,
  VMA_MERGE_SUCCESS,
  VMG_STATE,
  __mmapRegion,
  copyVma,
  doVmiMunmap,
  findMergeableAnonVma,
  ref,
  vmaFlagMasks,
  vmaIterSet,
  vmaLookup,
  vmaMergeNewRange,
  vmaModifyFlags,
  vmaStartVirtPgoff,
  vmaTest,
  type AnonVmaChain,
  type Backend,
  type File,
  type VmAreaStruct,
  type VmaFlags,
} from '@vmaflags/mm';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_NE,
  ASSERT_TRUE,
  allocAndLinkVma,
  cleanupMm,
  mergeExisting,
  mergeNew,
  vmgSetRange,
  vmgSetRangeAnonVma,
  type TestRegistrar,
  baseFlags,
  mergeFixture,
  mkFile,
  vmaInstallFile,
} from '../shared.js';

// Short scenarios for merge rules of mm/vma.c that the kernel's own cases
// leave unchecked. Each pairs the refused case with the same layout made
// acceptable, so a rule that is dropped and a rule that is applied too widely
// both fail. Ranges in comments are in pages ([3,5) is 0x3000..0x4fff).
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: is_mergeable_anon_vma(), can_vma_merge_before/after(),
// vma_merge_new_range() (just_expand), copy_vma() (need_rmap_locks),
// vma_modify_flags() (sticky flags handed back), __mmap_complete()
// (soft-dirty), anon_vma_compatible()/reusable_anon_vma(),
// vms_complete_munmap_vmas() (total_vm, locked_vm); and
// linux-mm/linux-mm @df378e287dbb848980cb107f73239c21dc2fa6f7
// include/linux/mm.h: VM_STICKY, VM_ACCESS_FLAGS.

/** Give vma anon_vma through `links` chain entries: one is its own, more mean it came through fork(). */
function setAnonVma(vma: VmAreaStruct, anonVma: AnonVma, links: number): void {
  vma.anonVma = anonVma;
  vma.anonVmaChain = Array.from(
    { length: links },
    (): AnonVmaChain => ({ anonVma: links === 1 ? anonVma : new AnonVma() }),
  );
  vma.anonVmaChain[0]!.anonVma = anonVma;
}

/**
 * A fork child's VMA (more than one anon_vma_chain entry) is never merged
 * into an unfaulted neighbour, whether it is the VMA being changed or the
 * source of an mremap() copy; nor is an unfaulted range merged into a
 * faulted fork child. With a singular chain the same layouts merge.
 */
function testForkChildNotMerged(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);

  for (const links of [2, 1]) {
    const merges = links === 1;

    // Source: P [0,3) unfaulted, V [3,5) faulted; all of V modified.
    const prev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
    const vma = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
    const anonVma = new AnonVma();
    setAnonVma(vma, anonVma, links);
    vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, vmaFlags, anonVma);
    vmg.prev = prev;
    vmg.middle = vma;
    ASSERT_EQ(mergeExisting(vmg), merges ? prev : null);
    ASSERT_EQ(vmg.state, merges ? VMA_MERGE_SUCCESS : VMA_MERGE_NOMERGE);
    ASSERT_EQ(mm.mapCount, merges ? 1 : 2);
    ASSERT_EQ(prev.anonVma, merges ? anonVma : null);
    cleanupMm(mm, vmi);

    // Target: P [0,3) faulted; the unfaulted range [3,5) is mapped after it.
    const target = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
    setAnonVma(target, new AnonVma(), links);
    vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, vmaFlags, null);
    ASSERT_EQ(mergeNew(vmg), merges ? target : null);
    ASSERT_EQ(vmg.state, merges ? VMA_MERGE_SUCCESS : VMA_MERGE_NOMERGE);
    cleanupMm(mm, vmi);

    // copied_from: S [0x10,0x12) faulted, copied to [0x21,0x23) just after an
    // unfaulted P [0x20,0x21) whose page offsets it continues.
    const src = allocAndLinkVma(mm, 0x10000, 0x12000, 0x10, vmaFlags)!;
    setAnonVma(src, new AnonVma(), links);
    const p = allocAndLinkVma(mm, 0x20000, 0x21000, 0xf, vmaFlags)!;
    const needRmapLocks = ref(true);
    const copy = copyVma(ref(src), 0x21000, 0x2000, 0x10, needRmapLocks);
    ASSERT_NE(copy, null);
    ASSERT_EQ(copy === p, merges);
    ASSERT_EQ(mm.mapCount, merges ? 2 : 3);
    ASSERT_EQ(copy!.anonVma, src.anonVma);
    cleanupMm(mm, vmi);
  }
}

/** Two VMAs with different anon_vmas never merge, on either side or through a modification. */
function testDistinctAnonVmasNeverMerge(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const a = new AnonVma();
  const c = new AnonVma();

  for (const other of [c, a]) {
    const merges = other === a;

    // New range [3,5) with `other` between P [0,3) and N [5,7), both on a.
    const prev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
    setAnonVma(prev, a, 1);
    const next = allocAndLinkVma(mm, 0x5000, 0x7000, 5, vmaFlags)!;
    setAnonVma(next, a, 1);
    vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, vmaFlags, other);
    ASSERT_EQ(mergeNew(vmg), merges ? prev : null);
    ASSERT_EQ(mm.mapCount, merges ? 1 : 2);
    cleanupMm(mm, vmi);

    // Only N around: the range may not join it from below either.
    const onlyNext = allocAndLinkVma(mm, 0x5000, 0x7000, 5, vmaFlags)!;
    setAnonVma(onlyNext, a, 1);
    vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, vmaFlags, other);
    ASSERT_EQ(mergeNew(vmg), merges ? onlyNext : null);
    cleanupMm(mm, vmi);

    // V [3,5) on `other` modified next to P [0,3) on a.
    const p = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
    setAnonVma(p, a, 1);
    const v = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
    setAnonVma(v, other, 1);
    vmgSetRangeAnonVma(vmg, 0x3000, 0x5000, 3, vmaFlags, other);
    vmg.prev = p;
    vmg.middle = v;
    ASSERT_EQ(mergeExisting(vmg), merges ? p : null);
    ASSERT_EQ(mm.mapCount, merges ? 1 : 2);
    cleanupMm(mm, vmi);
  }
}

/** With just_expand, a new-range merge grows prev and leaves a matching next alone. */
function testJustExpandKeepsNext(b: Backend): void {
  const { vmaFlags, mm, vmi } = mergeFixture(b);

  for (const justExpand of [true, false]) {
    // P [3,5), gap [5,9), N [9,0xb): everything matches.
    const prev = allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!;
    const next = allocAndLinkVma(mm, 0x9000, 0xb000, 9, vmaFlags)!;
    const vmg = VMG_STATE(mm, vmi, 0x5000, 0x9000, vmaFlags, 5);
    vmg.prev = prev;
    vmg.next = next;
    vmg.justExpand = justExpand;
    vmaIterSet(vmi, justExpand ? 0x3000 : 0x5000);
    ASSERT_EQ(vmaMergeNewRange(vmg), prev);
    ASSERT_EQ(prev.vmStart, 0x3000);
    ASSERT_EQ(prev.vmEnd, justExpand ? 0x9000 : 0xb000);
    ASSERT_EQ(mm.mapCount, justExpand ? 2 : 1);
    ASSERT_EQ(vmaLookup(mm, 0x9000), justExpand ? next : prev);
    cleanupMm(mm, vmi);
  }
}

/**
 * copy_vma()'s need_rmap_locks: true exactly when the VMA the copy merged
 * into starts at a page offset at or below the source's (the rmap walk could
 * then meet the new VMA before the old one); false for a fresh VMA.
 */
function testCopyVmaNeedRmapLocks(b: Backend): void {
  const { vmaFlags, mm, vmi } = mergeFixture(b);

  /** S [0x10,0x14) faulted at page offset 0x10; then copy `len` pages from page offset `pgoff` to `addr`. */
  const copyInto = (addr: number, pages: number, pgoff: number, layout: () => VmAreaStruct | null): void => {
    const src = allocAndLinkVma(mm, 0x10000, 0x14000, 0x10, vmaFlags)!;
    setAnonVma(src, new AnonVma(), 1);
    const expected = layout();
    const needRmapLocks = ref(expected === null);
    const copy = copyVma(ref(src), addr, pages * 0x1000, pgoff, needRmapLocks);
    ASSERT_NE(copy, null);
    if (expected !== null) ASSERT_EQ(copy, expected);
    else ASSERT_TRUE(copy!.vmStart === addr && copy!.vmEnd === addr + pages * 0x1000);
    ASSERT_EQ(needRmapLocks.value, expected !== null && copy!.vmPgoff <= src.vmPgoff);
    cleanupMm(mm, vmi);
  };

  // Into N [0x30,0x32) from below, the whole source: N now starts at 0x10, equal.
  copyInto(0x2c000, 4, 0x10, () => allocAndLinkVma(mm, 0x30000, 0x32000, 0x14, vmaFlags));
  // The source's last two pages into the same N: N starts at 0x12, above.
  copyInto(0x2e000, 2, 0x12, () => allocAndLinkVma(mm, 0x30000, 0x32000, 0x14, vmaFlags));
  // After P [0x20,0x22) at 0xe: P keeps 0xe, below.
  copyInto(0x22000, 4, 0x10, () => allocAndLinkVma(mm, 0x20000, 0x22000, 0xe, vmaFlags));
  // Nothing to merge with: a new VMA, no rmap locks.
  copyInto(0x40000, 4, 0x10, () => null);

  // The three merges above, spelled out.
  const src = allocAndLinkVma(mm, 0x10000, 0x14000, 0x10, vmaFlags)!;
  setAnonVma(src, new AnonVma(), 1);
  const next = allocAndLinkVma(mm, 0x30000, 0x32000, 0x14, vmaFlags)!;
  const locks = ref(false);
  ASSERT_EQ(copyVma(ref(src), 0x2c000, 0x4000, 0x10, locks), next);
  ASSERT_EQ(next.vmPgoff, 0x10);
  ASSERT_TRUE(locks.value);
  cleanupMm(mm, vmi);
}

/** vma_modify_flags() hands the merged VMA's flags, sticky ones included, back to the caller; a split leaves them alone. */
function testModifyFlagsReturnsSticky(b: Backend): void {
  const { vmaFlags, mm, vmi } = mergeFixture(b);
  const guarded = b.copy(vmaFlags);
  b.set(guarded, VMA_MAYBE_GUARD_BIT);
  const exec = b.copy(vmaFlags);
  b.set(exec, VMA_EXEC_BIT);

  // P [0,3) guarded, V [3,5) executable; V's range made plain: it joins P.
  const prev = allocAndLinkVma(mm, 0, 0x3000, 0, guarded)!;
  let vma = allocAndLinkVma(mm, 0x3000, 0x5000, 3, exec)!;
  let request = b.copy(vmaFlags);
  vmaIterSet(vmi, 0x3000);
  let ret = vmaModifyFlags(vmi, prev, vma, 0x3000, 0x5000, request);
  ASSERT_FALSE(IS_ERR(ret));
  ASSERT_EQ(ret, prev);
  ASSERT_TRUE(b.test(request, VMA_MAYBE_GUARD_BIT));
  ASSERT_TRUE(b.samePair(request, prev.flags));
  cleanupMm(mm, vmi);

  // V [3,6) guarded with no neighbour; [4,5) made executable: split only,
  // and the request keeps exactly what the caller asked for.
  vma = allocAndLinkVma(mm, 0x3000, 0x6000, 3, guarded)!;
  request = b.copy(exec);
  vmaIterSet(vmi, 0x4000);
  ret = vmaModifyFlags(vmi, vma, vma, 0x4000, 0x5000, request);
  ASSERT_FALSE(IS_ERR(ret));
  ASSERT_EQ(mm.mapCount, 3);
  ASSERT_TRUE(b.samePair(request, exec));
  cleanupMm(mm, vmi);
}

/** mmap_region() marks a new VMA soft-dirty when the configuration has CONFIG_MEM_SOFT_DIRTY, and only then. */
function testMmapRegionSoftDirty(b: Backend): void {
  const noSoftDirty = coreBackend(withNumVmaFlagBits(PRESETS.arm64, b.config.numVmaFlagBits)) as unknown as Backend;
  for (const backend of [b, noSoftDirty]) {
    const configured = backend.config.options.MEM_SOFT_DIRTY;
    const mm = new MmStruct(backend, harness);
    const vmi = VMA_ITERATOR(mm, 0);
    const request = baseFlags(backend);
    current.mm = mm;
    ASSERT_EQ(__mmapRegion(mm, null, 0x300000, 0x3000, request, 0x300, null), 0x300000);
    const vma = vmaLookup(mm, 0x300000)!;
    ASSERT_EQ(vmaTest(vma, VMA_SOFTDIRTY_BIT), configured);
    ASSERT_FALSE(backend.test(request, VMA_SOFTDIRTY_BIT));
    cleanupMm(mm, vmi);
  }
  ASSERT_TRUE(b.config.options.MEM_SOFT_DIRTY);
}

/**
 * find_mergeable_anon_vma(): a first fault may reuse a touching neighbour's
 * anon_vma only if that neighbour's chain is singular (never forked) and its
 * page offsets continue the faulting VMA's; flags may differ in access bits.
 */
function testFindMergeableAnonVma(b: Backend): void {
  const { vmaFlags, mm, vmi } = mergeFixture(b);
  const exec = b.copy(vmaFlags);
  b.set(exec, VMA_EXEC_BIT);
  const mayExec = b.copy(vmaFlags);
  b.set(mayExec, VMA_MAYEXEC_BIT);

  // V [5,7) at offset 5 faults; the neighbour is N [7,9) or P [3,5).
  const cases: { side: 'next' | 'prev'; links: number; pgoffShift: number; flags: VmaFlags; reuse: boolean }[] = [];
  for (const side of ['next', 'prev'] as const) {
    cases.push({ side, links: 1, pgoffShift: 0, flags: vmaFlags, reuse: true });
    cases.push({ side, links: 2, pgoffShift: 0, flags: vmaFlags, reuse: false });
    cases.push({ side, links: 1, pgoffShift: 1, flags: vmaFlags, reuse: false });
    cases.push({ side, links: 1, pgoffShift: 0, flags: exec, reuse: true });
    cases.push({ side, links: 1, pgoffShift: 0, flags: mayExec, reuse: false });
  }
  for (const c of cases) {
    const vma = allocAndLinkVma(mm, 0x5000, 0x7000, 5, vmaFlags)!;
    const neighbour =
      c.side === 'next'
        ? allocAndLinkVma(mm, 0x7000, 0x9000, 7 + c.pgoffShift, c.flags)!
        : allocAndLinkVma(mm, 0x3000, 0x5000, 3 + c.pgoffShift, c.flags)!;
    const anonVma = new AnonVma();
    setAnonVma(neighbour, anonVma, c.links);
    ASSERT_EQ(findMergeableAnonVma(vma), c.reuse ? anonVma : null);
    cleanupMm(mm, vmi);
  }
}

/** munmap takes the unmapped pages off total_vm, and off locked_vm for a locked VMA. */
function testUnmapAccounting(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const vmaFlags = baseFlags(b);
  current.mm = mm;

  // [0x100,0x108) mapped: eight pages on total_vm.
  ASSERT_EQ(__mmapRegion(mm, null, 0x100000, 0x8000, vmaFlags, 0x100, null), 0x100000);
  ASSERT_EQ(mm.totalVm, 8);
  ASSERT_EQ(mm.lockedVm, 0);
  // As if mlock()ed: the whole VMA locked and counted.
  const vma = vmaLookup(mm, 0x100000)!;
  b.set(vma.flags, VMA_LOCKED_BIT);
  mm.lockedVm = 8;

  // Unmap [0x102,0x105): three pages off each counter, the VMA in two.
  vmaIterSet(vmi, 0x102000);
  ASSERT_EQ(doVmiMunmap(vmi, mm, 0x102000, 0x3000, null, false), 0);
  ASSERT_EQ(mm.totalVm, 5);
  ASSERT_EQ(mm.lockedVm, 5);
  ASSERT_EQ(mm.mapCount, 2);

  // An unlocked VMA leaves locked_vm alone.
  ASSERT_EQ(__mmapRegion(mm, null, 0x200000, 0x2000, vmaFlags, 0x200, null), 0x200000);
  ASSERT_EQ(mm.totalVm, 7);
  vmaIterSet(vmi, 0x200000);
  ASSERT_EQ(doVmiMunmap(vmi, mm, 0x200000, 0x2000, null, false), 0);
  ASSERT_EQ(mm.totalVm, 5);
  ASSERT_EQ(mm.lockedVm, 5);
  cleanupMm(mm, vmi);
}

/** File-backed VMAs merge when the file is the same and the file offsets continue; otherwise they stay apart. */
function testFileBackedMerge(b: Backend): void {
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const file = mkFile();
  const other = mkFile();

  // P [0,3) maps file pages [0x10,0x13); N [5,7) maps [0x15,0x17).
  const cases: { file: File; pgoff: number; merges: boolean }[] = [
    { file, pgoff: 0x13, merges: true },
    { file, pgoff: 0x14, merges: false },
    { file: other, pgoff: 0x13, merges: false },
  ];
  for (const c of cases) {
    const prev = allocAndLinkVma(mm, 0, 0x3000, 0x10, vmaFlags)!;
    vmaInstallFile(prev, file);
    const next = allocAndLinkVma(mm, 0x5000, 0x7000, 0x15, vmaFlags)!;
    vmaInstallFile(next, file);
    vmgSetRange(vmg, 0x3000, 0x5000, c.pgoff, vmaFlags);
    vmg.file = c.file;
    ASSERT_EQ(mergeNew(vmg), c.merges ? prev : null);
    ASSERT_EQ(mm.mapCount, c.merges ? 1 : 2);
    if (c.merges) {
      ASSERT_EQ(prev.vmEnd, 0x7000);
      ASSERT_EQ(prev.vmPgoff, 0x10);
    }
    // The port does not track a file VMA's separate anonymous offset: asking is an error, not a guess.
    let threw: unknown = null;
    try {
      vmaStartVirtPgoff(prev);
    } catch (err) {
      threw = err;
    }
    ASSERT_TRUE(threw instanceof RangeError);
    cleanupMm(mm, vmi);

    // The same request next to N alone (offset one page further so it could only join N).
    const onlyNext = allocAndLinkVma(mm, 0x5000, 0x7000, 0x15, vmaFlags)!;
    vmaInstallFile(onlyNext, file);
    vmgSetRange(vmg, 0x3000, 0x5000, c.pgoff, vmaFlags);
    vmg.file = c.file;
    ASSERT_EQ(mergeNew(vmg), c.merges ? onlyNext : null);
    if (c.merges) ASSERT_EQ(onlyNext.vmPgoff, 0x13);
    vmg.file = null;
    cleanupMm(mm, vmi);
  }
}

/**
 * The masks the merge code relies on: VM_STICKY holds MAYBE_GUARD,
 * VM_ACCESS_FLAGS holds EXEC, and any-of tests see the top lane of a
 * 128-bit bitmap (a difference there alone blocks a merge).
 */
function testFlagMasks(b: Backend): void {
  const m = vmaFlagMasks(b);
  ASSERT_TRUE(b.test(m.VMA_STICKY_FLAGS, VMA_MAYBE_GUARD_BIT));
  ASSERT_TRUE(b.test(m.VMA_STICKY_FLAGS, VMA_SOFTDIRTY_BIT));
  ASSERT_TRUE(b.test(m.VMA_ACCESS_FLAGS, VMA_EXEC_BIT));
  ASSERT_TRUE(b.test(m.VMA_ACCESS_FLAGS, VMA_READ_BIT));
  ASSERT_TRUE(b.test(m.VMA_ACCESS_FLAGS, VMA_WRITE_BIT));
  ASSERT_FALSE(b.test(m.VMA_ACCESS_FLAGS, VMA_MAYEXEC_BIT));

  const bits = b.config.numVmaFlagBits;
  const top = bits - 1;
  ASSERT_TRUE(b.testAnyMask(b.mk(top), b.mk(top)));
  ASSERT_TRUE(b.testAnyMask(b.mk(0, top), b.mk(1, top)));
  ASSERT_FALSE(b.testAnyMask(b.mk(top), b.mk(top - 1)));
  ASSERT_FALSE(b.testAnyMask(b.mk(0, top), b.mk()));

  // A top-lane difference between the request and prev blocks the merge.
  const { vmaFlags, mm, vmi, vmg } = mergeFixture(b);
  const high = b.copy(vmaFlags);
  b.set(high, top);
  for (const flags of [high, vmaFlags]) {
    const prev = allocAndLinkVma(mm, 0, 0x3000, 0, vmaFlags)!;
    vmgSetRange(vmg, 0x3000, 0x5000, 3, flags);
    ASSERT_EQ(mergeNew(vmg), flags === high ? null : prev);
    cleanupMm(mm, vmi);
  }
}

/** The scenarios above, in the kernel's TEST() style. */
export function runMergeRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('fork_child_not_merged', () => testForkChildNotMerged(b));
  TEST('distinct_anon_vmas_never_merge', () => testDistinctAnonVmasNeverMerge(b));
  TEST('just_expand_keeps_next', () => testJustExpandKeepsNext(b));
  TEST('copy_vma_need_rmap_locks', () => testCopyVmaNeedRmapLocks(b));
  TEST('modify_flags_returns_sticky', () => testModifyFlagsReturnsSticky(b));
  TEST('mmap_region_soft_dirty', () => testMmapRegionSoftDirty(b));
  TEST('find_mergeable_anon_vma', () => testFindMergeableAnonVma(b));
  TEST('unmap_accounting', () => testUnmapAccounting(b));
  TEST('file_backed_merge', () => testFileBackedMerge(b));
  TEST('flag_masks', () => testFlagMasks(b));
}
