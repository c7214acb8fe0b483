import {
  type Backend,
  vmaSetAnonymous,
  copyVma,
  ref,
  IS_ERR,
  PTR_ERR,
  vmaModifyFlags,
  type File,
  type VmaFlags,
  type VmaInternal,
  vmaTest,
  type VmAreaStruct,
  ENOMEM,
  MmStruct,
  VMA_ITERATOR,
  VMA_MERGE_ERROR_NOMEM,
  VMG_STATE,
  __mmapRegion,
  doVmiMunmap,
  splitVma,
  vmaExpand,
  vmaIterSet,
  vmaLookup,
  vmaShrink,
  vmaLink,
  validateMm,
} from '@vmaflags/mm';
import { VMA_EXEC_BIT, VMA_LOCKED_BIT, VMA_MAYBE_GUARD_BIT, VMA_MERGEABLE_BIT, VMA_WRITE_BIT } from '@vmaflags/core';
import { AnonVma, current, harness, setFailPrealloc } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_NE,
  ASSERT_TRUE,
  allocAndLinkVma,
  allocVma,
  __vmaSetDummyAnonVma,
  mkFile,
  baseFlags,
  cleanupMm,
  mergeExisting,
  type TestRegistrar,
  vmaWriteStarted,
  vmaInstallFile,
} from '../shared.js';

// Scenarios that pin down steps of mm/vma.c no other case observes: which
// VMAs are write-locked (vma_start_write(), seen through the harness's
// vm_lock_seq probe) on every path, including the ones that then fail, and
// what give_up_on_oom does to the merge state.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: __split_vma() write-locks the VMA and its new piece before the
// tree changes; vma_shrink() write-locks the VMA after preallocating;
// vms_gather_munmap_vmas() write-locks each VMA it detaches;
// vma_merge_existing_range() write-locks middle, then next when merging
// right and prev when merging left, all before commit_merge(); vma_expand()
// write-locks the target first and a next it removes before commit_merge();
// a failed commit sets VMA_MERGE_ERROR_NOMEM unless give_up_on_oom is set;
// vma_merge_existing_range() falls back to merging left only when next has a
// close hook and would have to be removed; vma_modify() returns -ENOMEM
// when vmg_nomem() after a failed merge; vma_complete() calls anon_vma_merge()
// (which unlinks the chains of the VMA going away) for each removed VMA with
// an anon_vma; copy_vma() points *vmap at the merged VMA when the source's
// start lies inside it (only possible for a source without pages, whose pgoff
// it rewrote); __mmap_region() calls vm_unacct_memory(map.charged) when the
// new VMA cannot be set up and it had charged pages;
// __mmap_complete() keeps VM_LOCKED and adds the pages to locked_vm only when
// vma_supports_mlock(), and clears VM_LOCKED_MASK otherwise;
// can_set_ksm_flags_early() lets __mmap_region() apply ksm_vma_flags() before
// the merge attempt for anonymous, mmap_prepare and shmem mappings, and
// __mmap_new_vma() applies them after the .mmap hook for the rest.

/** Clears the write probe of every VMA given, so the next check sees only what follows. */
function arm(...vmas: VmAreaStruct[]): void {
  for (const vma of vmas) vmaWriteStarted(vma);
}

/** A split write-locks both the VMA and the piece split off it. */
function testSplitWriteLocks(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  for (const newBelow of [true, false]) {
    const vma = allocAndLinkVma(mm, 0x100000, 0x104000, 0x100, baseFlags(b))!;
    vmaIterSet(vmi, 0x100000);
    ASSERT_EQ(splitVma(vmi, vma, 0x102000, newBelow), 0);
    const low = vmaLookup(mm, 0x100000)!;
    const high = vmaLookup(mm, 0x102000)!;
    ASSERT_NE(low, high);
    ASSERT_TRUE(vmaWriteStarted(low));
    ASSERT_TRUE(vmaWriteStarted(high));
    cleanupMm(mm, vmi);
  }
}

/** vma_shrink() write-locks the VMA it shrinks, and not when the preallocation fails first. */
function testShrinkWriteLocks(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const vma = allocAndLinkVma(mm, 0, 0x3000, 0, baseFlags(b))!;
  setFailPrealloc(true);
  ASSERT_EQ(vmaShrink(vmi, vma, 0x1000), -ENOMEM);
  setFailPrealloc(false);
  ASSERT_FALSE(vmaWriteStarted(vma));
  ASSERT_EQ(vma.vmEnd, 0x3000);
  ASSERT_EQ(vmaShrink(vmi, vma, 0x1000), 0);
  ASSERT_TRUE(vmaWriteStarted(vma));
  ASSERT_EQ(vma.vmEnd, 0x1000);
  cleanupMm(mm, vmi);
}

/** munmap write-locks every VMA it removes, and leaves its neighbours alone. */
function testMunmapWriteLocks(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  current.mm = mm;
  // Mapped, so that the unmap has pages to take off the counters.
  for (const addr of [0x100000, 0x102000, 0x104000, 0x106000])
    ASSERT_EQ(__mmapRegion(mm, null, addr, 0x1000, baseFlags(b), addr >> 12, null), addr);
  const at = (addr: number): VmAreaStruct => vmaLookup(mm, addr)!;
  const [left, a, c, right] = [at(0x100000), at(0x102000), at(0x104000), at(0x106000)];
  arm(left, a, c, right);
  vmaIterSet(vmi, 0x102000);
  ASSERT_EQ(doVmiMunmap(vmi, mm, 0x102000, 0x3000, null, false), 0);
  ASSERT_TRUE(vmaWriteStarted(a));
  ASSERT_TRUE(vmaWriteStarted(c));
  ASSERT_FALSE(vmaWriteStarted(left));
  ASSERT_FALSE(vmaWriteStarted(right));
  ASSERT_EQ(mm.mapCount, 2);
  cleanupMm(mm, vmi);
}

/** prev [0, 2), middle [2, 4) and, if asked, next [4, 6) pages; a request to merge all of middle. */
function mergeScene(b: Backend, withNext: boolean) {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const prev = allocAndLinkVma(mm, 0, 0x2000, 0, baseFlags(b))!;
  const middle = allocAndLinkVma(mm, 0x2000, 0x4000, 2, baseFlags(b))!;
  const next = withNext ? allocAndLinkVma(mm, 0x4000, 0x6000, 4, baseFlags(b))! : null;
  const vmg = VMG_STATE(mm, vmi, 0x2000, 0x4000, baseFlags(b), 2);
  vmg.prev = prev;
  vmg.middle = middle;
  vmaIterSet(vmi, 0x2000);
  return { mm, vmi, prev, middle, next, vmg };
}

/** target [0, 2) and next [2, 4) pages; a request for target to take in all of next. */
function expandScene(b: Backend) {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const target = allocAndLinkVma(mm, 0, 0x2000, 0, baseFlags(b))!;
  const next = allocAndLinkVma(mm, 0x2000, 0x4000, 2, baseFlags(b))!;
  const vmg = VMG_STATE(mm, vmi, 0, 0x4000, baseFlags(b), 0);
  vmg.target = target;
  vmg.next = next;
  vmaIterSet(vmi, 0);
  return { mm, vmi, target, next, vmg };
}

/**
 * A merge of prev, middle and next write-locks all three before the commit,
 * so a commit that fails for want of memory leaves all three locked.
 */
function testMergeExistingWriteLocks(b: Backend): void {
  for (const fail of [false, true]) {
    const { mm, vmi, prev, middle, next, vmg } = mergeScene(b, true);
    setFailPrealloc(fail);
    const merged = mergeExisting(vmg);
    setFailPrealloc(false);
    ASSERT_EQ(merged, fail ? null : prev);
    ASSERT_EQ(mm.mapCount, fail ? 3 : 1);
    ASSERT_TRUE(vmaWriteStarted(prev));
    ASSERT_TRUE(vmaWriteStarted(middle));
    ASSERT_TRUE(vmaWriteStarted(next!));
    cleanupMm(mm, vmi);
  }
}

/** vma_expand() write-locks the target and the next it swallows, also when the commit fails. */
function testExpandWriteLocks(b: Backend): void {
  for (const fail of [false, true]) {
    const { mm, vmi, target, next, vmg } = expandScene(b);
    setFailPrealloc(fail);
    ASSERT_EQ(vmaExpand(vmg), fail ? -ENOMEM : 0);
    setFailPrealloc(false);
    ASSERT_EQ(mm.mapCount, fail ? 2 : 1);
    ASSERT_TRUE(vmaWriteStarted(target));
    ASSERT_TRUE(vmaWriteStarted(next));
    cleanupMm(mm, vmi);
  }
}

/** A failed commit reports VMA_MERGE_ERROR_NOMEM, unless the caller asked to give up silently. */
function testGiveUpOnOom(b: Backend): void {
  for (const giveUp of [false, true]) {
    // vma_expand()
    const expand = expandScene(b);
    expand.vmg.giveUpOnOom = giveUp;
    setFailPrealloc(true);
    ASSERT_EQ(vmaExpand(expand.vmg), -ENOMEM);
    setFailPrealloc(false);
    ASSERT_EQ(expand.vmg.state === VMA_MERGE_ERROR_NOMEM, !giveUp);
    cleanupMm(expand.mm, expand.vmi);

    // vma_merge_existing_range()
    const { mm, vmi, vmg } = mergeScene(b, false);
    vmg.giveUpOnOom = giveUp;
    setFailPrealloc(true);
    ASSERT_EQ(mergeExisting(vmg), null);
    setFailPrealloc(false);
    ASSERT_EQ(vmg.state === VMA_MERGE_ERROR_NOMEM, !giveUp);
    ASSERT_EQ(mm.mapCount, 2);
    cleanupMm(mm, vmi);
  }
}

/** vma_link() write-locks the VMA it links; a failed preallocation links and locks nothing. */
function testLinkWriteLocks(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const vma = allocVma(mm, 0x100000, 0x102000, 0x100, baseFlags(b));
  setFailPrealloc(true);
  ASSERT_EQ(vmaLink(mm, vma), -ENOMEM);
  setFailPrealloc(false);
  ASSERT_FALSE(vmaWriteStarted(vma));
  ASSERT_EQ(mm.mapCount, 0);
  ASSERT_EQ(vmaLink(mm, vma), 0);
  ASSERT_TRUE(vmaWriteStarted(vma));
  ASSERT_EQ(vmaLookup(mm, 0x100000), vma);
  ASSERT_EQ(mm.mapCount, 1);
  cleanupMm(mm, vmi);
}

/**
 * This port's validate_mm() gives up its walk once it has counted more than
 * map_count + 10 VMAs, so with twelve VMAs and map_count 0 it reports eleven
 * found, not all twelve.
 */
function testValidateMmWalkBound(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  for (let i = 0; i < 12; i++)
    allocAndLinkVma(mm, 0x100000 + i * 0x2000, 0x101000 + i * 0x2000, 0x100 + i * 2, baseFlags(b));
  const count = mm.mapCount;
  mm.mapCount = 0;
  let report = '';
  try {
    validateMm(mm);
  } catch (e) {
    report = String(e);
  }
  mm.mapCount = count;
  ASSERT_TRUE(report.includes('map_count 0 but the iterator found 11'), report);
  cleanupMm(mm, vmi);
}

/**
 * A VM_LOCKED mapping stays locked and is counted on locked_vm when the VMA
 * supports mlock; otherwise the lock bits are dropped and nothing is counted
 * (__mmap_complete()). The harness says no to mlock; an environment saying
 * yes covers the other side.
 */
function testMmapLocked(b: Backend): void {
  for (const supports of [false, true]) {
    const env = Object.assign(Object.create(harness) as VmaInternal, { vmaSupportsMlock: () => supports });
    const mm = new MmStruct(b, env);
    const vmi = VMA_ITERATOR(mm, 0);
    current.mm = mm;
    const locked = baseFlags(b);
    b.set(locked, VMA_LOCKED_BIT);
    ASSERT_EQ(__mmapRegion(mm, null, 0x100000, 0x3000, locked, 0x100, null), 0x100000);
    ASSERT_EQ(vmaTest(vmaLookup(mm, 0x100000)!, VMA_LOCKED_BIT), supports);
    ASSERT_EQ(mm.lockedVm, supports ? 3 : 0);
    // Unlocked, nothing is counted whatever the answer.
    ASSERT_EQ(__mmapRegion(mm, null, 0x200000, 0x2000, baseFlags(b), 0x200, null), 0x200000);
    ASSERT_FALSE(vmaTest(vmaLookup(mm, 0x200000)!, VMA_LOCKED_BIT));
    ASSERT_EQ(mm.lockedVm, supports ? 3 : 0);
    cleanupMm(mm, vmi);
  }
}

/**
 * KSM's flags are applied before the merge attempt (so a new mapping can join
 * a neighbour that already has them) for anonymous memory, files with an
 * mmap_prepare hook and shmem; for any other file only after its mmap hook
 * ran, so the hook sees the flags without them.
 */
function testKsmFlagsTiming(b: Backend): void {
  const log: string[] = [];
  const shm = mkFile();
  shm.fOp.mmap = () => {
    log.push('mmap');
    return 0;
  };
  const env = Object.assign(Object.create(harness) as VmaInternal, {
    ksmVmaFlags: (_mm: MmStruct, _file: File | null, flags: VmaFlags) => {
      log.push('ksm');
      const out = b.copy(flags);
      b.set(out, VMA_MERGEABLE_BIT);
      return out;
    },
    mmapFile: (file: File, vma: VmAreaStruct) => file.fOp.mmap!(file, vma),
    shmemFile: (file: File) => file === shm,
  });
  const mm = new MmStruct(b, env);
  const vmi = VMA_ITERATOR(mm, 0);
  current.mm = mm;
  // Read-only, so that no VM_ACCOUNT sets the new mapping apart.
  const ro = baseFlags(b);
  b.clear(ro, VMA_WRITE_BIT);
  const mergeable = b.copy(ro);
  b.set(mergeable, VMA_MERGEABLE_BIT);
  const hooked = mkFile();
  hooked.fOp.mmap = () => {
    log.push('mmap');
    return 0;
  };
  const prepared = mkFile();
  prepared.fOp.mmapPrepare = () => 0;

  // Each mapping goes right after a VMA that already has the KSM bit, but for
  // shmem: a merge would leave no mmap hook to order against.
  const cases = [
    { file: null, order: 'ksm', joins: true },
    { file: prepared, order: 'ksm', joins: true },
    { file: shm, order: 'ksm mmap', joins: false },
    { file: hooked, order: 'mmap ksm', joins: false },
  ];
  let addr = 0x100000;
  for (const c of cases) {
    const prev = c.file === shm ? null : allocAndLinkVma(mm, addr, addr + 0x1000, addr >> 12, mergeable)!;
    if (prev !== null) vmaInstallFile(prev, c.file);
    log.length = 0;
    ASSERT_EQ(__mmapRegion(mm, c.file, addr + 0x1000, 0x1000, ro, (addr >> 12) + 1, null), addr + 0x1000);
    ASSERT_EQ(log.join(' '), c.order, `order ${cases.indexOf(c)}`);
    const vma = vmaLookup(mm, addr + 0x1000)!;
    ASSERT_TRUE(vmaTest(vma, VMA_MERGEABLE_BIT));
    ASSERT_EQ(vma === prev, c.joins, `joins ${cases.indexOf(c)}`);
    addr += 0x10000;
  }
  cleanupMm(mm, vmi);
}

/**
 * A close hook on next turns a merge of prev, middle and next into prev
 * taking middle only: next is neither write-locked nor a source of sticky
 * flags for the result.
 */
function testCloseOnNextMergesLeftOnly(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const prev = allocAndLinkVma(mm, 0, 0x2000, 0, baseFlags(b))!;
  const middle = allocAndLinkVma(mm, 0x2000, 0x4000, 2, baseFlags(b))!;
  const guarded = baseFlags(b);
  b.set(guarded, VMA_MAYBE_GUARD_BIT);
  const next = allocAndLinkVma(mm, 0x4000, 0x6000, 4, guarded)!;
  next.vmOps = { close: () => {} };
  const vmg = VMG_STATE(mm, vmi, 0x2000, 0x4000, baseFlags(b), 2);
  vmg.prev = prev;
  vmg.middle = middle;
  vmaIterSet(vmi, 0x2000);
  ASSERT_EQ(mergeExisting(vmg), prev);
  ASSERT_EQ(prev.vmEnd, 0x4000);
  ASSERT_EQ(vmaLookup(mm, 0x4000), next);
  ASSERT_EQ(mm.mapCount, 2);
  ASSERT_TRUE(vmaWriteStarted(prev));
  ASSERT_FALSE(vmaWriteStarted(next));
  ASSERT_FALSE(vmaTest(prev, VMA_MAYBE_GUARD_BIT));
  cleanupMm(mm, vmi);
}

/**
 * vma_modify_flags(): a merge that fails for want of memory is reported as
 * -ENOMEM even where no split would be needed; a successful merge into the
 * very bitmap the caller passed leaves that bitmap as it is.
 */
function testModifyFlagsMergeResult(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const exec = baseFlags(b);
  b.set(exec, VMA_EXEC_BIT);
  const prev = allocAndLinkVma(mm, 0, 0x2000, 0, baseFlags(b))!;
  const vma = allocAndLinkVma(mm, 0x2000, 0x4000, 2, exec)!;

  vmaIterSet(vmi, 0x2000);
  setFailPrealloc(true);
  let ret = vmaModifyFlags(vmi, prev, vma, 0x2000, 0x4000, b.copy(prev.flags));
  setFailPrealloc(false);
  ASSERT_TRUE(IS_ERR(ret));
  ASSERT_EQ(PTR_ERR(ret as number), -ENOMEM);
  ASSERT_EQ(mm.mapCount, 2);

  vmaIterSet(vmi, 0x2000);
  const before = b.copy(prev.flags);
  ret = vmaModifyFlags(vmi, prev, vma, 0x2000, 0x4000, prev.flags);
  ASSERT_EQ(ret, prev);
  ASSERT_EQ(prev.vmEnd, 0x4000);
  ASSERT_TRUE(b.samePair(prev.flags, before));
  cleanupMm(mm, vmi);
}

/**
 * A VMA a merge removes is unlinked from its anon_vma (anon_vma_merge() from
 * vma_complete()); one the merge keeps is not.
 */
function testMergeUnlinksRemovedAnonVma(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const anonVma = new AnonVma();
  const prev = allocAndLinkVma(mm, 0, 0x2000, 0, baseFlags(b))!;
  const middle = allocAndLinkVma(mm, 0x2000, 0x4000, 2, baseFlags(b))!;
  __vmaSetDummyAnonVma(prev, { anonVma: null }, anonVma);
  __vmaSetDummyAnonVma(middle, { anonVma: null }, anonVma);

  // First the start of middle (middle shrinks and stays linked), then the
  // rest (middle goes, and is unlinked).
  for (const start of [0x2000, 0x3000]) {
    const vmg = VMG_STATE(mm, vmi, start, start + 0x1000, baseFlags(b), start >> 12);
    vmg.prev = prev;
    vmg.middle = middle;
    vmg.anonVma = anonVma;
    vmaIterSet(vmi, start);
    ASSERT_EQ(mergeExisting(vmg), prev);
    ASSERT_EQ(mm.mapCount, start === 0x2000 ? 2 : 1);
    ASSERT_EQ(anonVma.wasUnlinked, start === 0x3000);
  }
  cleanupMm(mm, vmi);
}

/**
 * copy_vma() of a VMA without pages: when the merged result takes in the
 * source itself, the caller's VMA pointer is moved to the result; when the
 * result only touches the source, it is left alone.
 */
function testCopyVmaSourceInsideResult(b: Backend): void {
  for (const joinsSource of [true, false]) {
    const mm = new MmStruct(b, harness);
    const vmi = VMA_ITERATOR(mm, 0);
    const prev = allocAndLinkVma(mm, 0x1000, 0x3000, 1, baseFlags(b))!;
    const src = allocAndLinkVma(mm, 0x5000, 0x7000, joinsSource ? 5 : 0x50, baseFlags(b))!;
    vmaSetAnonymous(src);
    const vmap = ref(src);
    const needRmapLocks = ref(false);
    ASSERT_EQ(copyVma(vmap, 0x3000, 0x2000, 0x999, needRmapLocks), prev);
    ASSERT_EQ(prev.vmEnd, joinsSource ? 0x7000 : 0x5000);
    ASSERT_EQ(vmap.value, joinsSource ? prev : src);
    ASSERT_EQ(mm.mapCount, joinsSource ? 1 : 2);
    ASSERT_TRUE(needRmapLocks.value);
    cleanupMm(mm, vmi);
  }
}

/**
 * A new mapping that cannot be linked gives back the commit charge it took
 * (a private writable one), and gives back nothing when it took none.
 */
function testMmapFailureUncharges(b: Backend): void {
  const log: number[] = [];
  const env = Object.assign(Object.create(harness) as VmaInternal, {
    vmAcctMemory: (pages: number) => void log.push(pages),
  });
  const mm = new MmStruct(b, env);
  const vmi = VMA_ITERATOR(mm, 0);
  current.mm = mm;
  const ro = baseFlags(b);
  b.clear(ro, VMA_WRITE_BIT);
  for (const [flags, charged] of [
    [baseFlags(b), 3],
    [ro, 0],
  ] as const) {
    log.length = 0;
    setFailPrealloc(true);
    const ret = __mmapRegion(mm, null, 0x100000, 0x3000, flags, 0x100, null);
    setFailPrealloc(false);
    ASSERT_EQ(ret, -ENOMEM);
    ASSERT_EQ(mm.mapCount, 0);
    ASSERT_EQ(log.join(' '), charged === 0 ? '' : `${-charged}`);
  }
  cleanupMm(mm, vmi);
}

export function runMutantRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('split_write_locks', () => testSplitWriteLocks(b));
  TEST('shrink_write_locks', () => testShrinkWriteLocks(b));
  TEST('munmap_write_locks', () => testMunmapWriteLocks(b));
  TEST('merge_existing_write_locks', () => testMergeExistingWriteLocks(b));
  TEST('expand_write_locks', () => testExpandWriteLocks(b));
  TEST('give_up_on_oom', () => testGiveUpOnOom(b));
  TEST('mmap_locked', () => testMmapLocked(b));
  TEST('ksm_flags_timing', () => testKsmFlagsTiming(b));
  TEST('close_on_next_merges_left_only', () => testCloseOnNextMergesLeftOnly(b));
  TEST('modify_flags_merge_result', () => testModifyFlagsMergeResult(b));
  TEST('merge_unlinks_removed_anon_vma', () => testMergeUnlinksRemovedAnonVma(b));
  TEST('copy_vma_source_inside_result', () => testCopyVmaSourceInsideResult(b));
  TEST('mmap_failure_uncharges', () => testMmapFailureUncharges(b));
  TEST('link_write_locks', () => testLinkWriteLocks(b));
  TEST('validate_mm_walk_bound', () => testValidateMmWalkBound(b));
}
