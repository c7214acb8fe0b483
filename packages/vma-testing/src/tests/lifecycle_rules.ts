import { VMA_MAYSHARE_BIT, VMA_SHARED_BIT, VMA_WRITE_BIT } from '@vmaflags/core';
import {
  EINVAL,
  ENOMEM,
  MADV_GUARD_INSTALL,
  MmStruct,
  VMA_ITERATOR,
  VMG_VMA_STATE,
  copyVma,
  doMadvise,
  doVmiMunmap,
  mmapRegion,
  ref,
  splitVma,
  vmaIsAnonymous,
  vmaIterSet,
  vmaLink,
  vmaLookup,
  vmaMergeExistingRange,
  vmaModifyFlags,
  type Backend,
  type File,
  type VmAreaStruct,
  type VmaFlags,
  type VmaInternal,
} from '@vmaflags/mm';
import { HarnessMempolicy, current, harness, setFailPrealloc, takeWarnings } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_NE,
  ASSERT_TRUE,
  allocAndLinkVma,
  allocVma,
  baseFlags,
  cleanupMm,
  mkFile,
  readOnlyFlags,
  vmaFaultIn,
  vmaInstallFile,
  vmaWriteStarted,
  type TestRegistrar,
} from '../shared.js';

// What the VMA code allocates, references and releases, seen through the
// harness's ledgers: VMAs handed out and freed, references on files, the
// writable count of a file's mapping, and references on NUMA policies. The
// runners' leak check then makes sure nothing is left over.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: __split_vma() gives the new piece its own policy
// (vma_dup_policy) and a reference on the file (get_file), and vma_complete()
// links it into the file's rmap, counting a shared writable piece as one more
// writer; vma_complete() drops, for every VMA a merge removes, its writer
// count (__remove_shared_vm_struct), its file reference (fput), its policy
// (mpol_put) and frees it; remove_vma() does fput, mpol_put and vm_area_free
// for each VMA munmap takes out; copy_vma() gives the copy a policy and a file
// reference and links it like any new VMA; __mmap_new_file_vma() takes a
// reference on the file unless the mmap_prepare hook supplied a different
// file (file_doesnt_need_get), and drops it again when the mmap hook fails;
// mmap_region() holds one writer count of its own across __mmap_region()
// (mapping_map_writable/mapping_unmap_writable) for a shared writable file
// mapping; shmem_zero_setup() turns a shared anonymous mapping into a shmem
// one; __mmap_new_vma() write-locks the new VMA before storing it. mm/memory.c unmap_vmas() zaps the range's page table entries, guard
// markers included; free_pgtables() unlinks each unmapped file VMA from its
// mapping (unlink_file_vma_batch_add), which drops its writer count.

/** Read, write, may-read, may-write, shared: a writer of its file. */
function sharedFlags(b: Backend): VmaFlags {
  const f = baseFlags(b);
  b.set(f, VMA_SHARED_BIT);
  b.set(f, VMA_MAYSHARE_BIT);
  return f;
}

/** A file VMA in the tree at [start, end), with a policy of its own unless told otherwise. */
function sharedFileVma(
  mm: MmStruct,
  file: File,
  start: number,
  end: number,
  flags: VmaFlags,
  withPolicy = true,
): VmAreaStruct {
  const vma = allocAndLinkVma(mm, start, end, start >> 12, flags)!;
  vmaInstallFile(vma, file);
  if (withPolicy) vma.vmPolicy = harness.mpolNew();
  return vma;
}

const policy = (vma: VmAreaStruct): HarnessMempolicy => vma.vmPolicy as HarnessMempolicy;

/** The writers the file's mapping counts. */
const writers = (file: File): number => file.fMapping!.iMmapWritable;

/** A split hands the new piece a file reference, a policy of its own and (shared) a writer count. */
function testSplitTakesReferences(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  for (const flags of [sharedFlags(b), baseFlags(b)]) {
    const shared = b.test(flags, VMA_SHARED_BIT);
    const file = mkFile();
    const vma = sharedFileVma(mm, file, 0x100000, 0x104000, flags);
    const pol = policy(vma);
    vmaIterSet(vmi, 0x100000);
    ASSERT_EQ(splitVma(vmi, vma, 0x102000, false), 0);
    const tail = vmaLookup(mm, 0x102000)!;
    ASSERT_NE(tail, vma);
    ASSERT_EQ(harness.fileReferences(file), 2);
    ASSERT_EQ(writers(file), shared ? 2 : 0);
    ASSERT_TRUE(tail.vmPolicy instanceof HarnessMempolicy);
    ASSERT_NE(policy(tail), pol);
    ASSERT_EQ(policy(tail).refcnt, 1);
    ASSERT_EQ(pol.refcnt, 1);
    ASSERT_EQ(harness.liveVmas.size, 2);
    cleanupMm(mm, vmi);
    ASSERT_EQ(harness.fileReferences(file), 0);
    ASSERT_EQ(writers(file), 0);
    ASSERT_EQ(harness.liveVmas.size, 0);
  }
}

/**
 * mprotect() of the middle of three shared file VMAs back to its neighbours'
 * flags joins all three into prev: middle and next are freed, with their
 * file references, writer counts and policies.
 */
function testMergeReleasesRemoved(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = sharedFlags(b);
  const readOnly = sharedFlags(b);
  b.clear(readOnly, VMA_WRITE_BIT);
  const file = mkFile();
  const prev = sharedFileVma(mm, file, 0x100000, 0x101000, flags);
  const middle = sharedFileVma(mm, file, 0x101000, 0x102000, readOnly);
  const next = sharedFileVma(mm, file, 0x102000, 0x103000, flags);
  const [pp, mp, np] = [policy(prev), policy(middle), policy(next)];
  ASSERT_EQ(harness.fileReferences(file), 3);
  ASSERT_EQ(writers(file), 3);

  vmaIterSet(vmi, 0x101000);
  const merged = vmaModifyFlags(vmi, prev, middle, 0x101000, 0x102000, flags);
  ASSERT_EQ(merged, prev);
  ASSERT_EQ(prev.vmEnd, 0x103000);
  ASSERT_EQ(mm.mapCount, 1);
  ASSERT_EQ(harness.fileReferences(file), 1);
  ASSERT_EQ(writers(file), 1);
  ASSERT_EQ(pp.refcnt, 1);
  ASSERT_EQ(mp.refcnt, 0);
  ASSERT_EQ(np.refcnt, 0);
  ASSERT_FALSE(harness.liveVmas.has(middle));
  ASSERT_FALSE(harness.liveVmas.has(next));
  cleanupMm(mm, vmi);
}

/**
 * A new shared mapping of the gap between two VMAs of the same file joins
 * them: next is freed with its references; the new range never was a VMA
 * and mmap_region()'s own writer count is gone again.
 */
function testExpandReleasesNext(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = sharedFlags(b);
  const file = mkFile();
  current.mm = mm;
  const prev = sharedFileVma(mm, file, 0x100000, 0x101000, flags, false);
  const next = sharedFileVma(mm, file, 0x102000, 0x103000, flags, false);

  ASSERT_EQ(mmapRegion(mm, file, 0x101000, 0x1000, flags, 0x101, null), 0x101000);
  ASSERT_EQ(vmaLookup(mm, 0x102000), prev);
  ASSERT_EQ(prev.vmEnd, 0x103000);
  ASSERT_EQ(mm.mapCount, 1);
  ASSERT_EQ(harness.fileReferences(file), 1);
  ASSERT_EQ(writers(file), 1);
  ASSERT_FALSE(harness.liveVmas.has(next));
  ASSERT_EQ(harness.liveVmas.size, 1);
  cleanupMm(mm, vmi);
}

/**
 * munmap() of the middle of a shared file VMA: the two pieces left keep a
 * reference, writer count and policy each; the piece unmapped gives all of
 * them back. Unmapping the rest empties every ledger.
 */
function testMunmapReleases(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const file = mkFile();
  current.mm = mm;
  sharedFileVma(mm, file, 0x100000, 0x104000, sharedFlags(b));

  ASSERT_EQ(doVmiMunmap(vmi, mm, 0x101000, 0x2000, null, false), 0);
  ASSERT_EQ(mm.mapCount, 2);
  ASSERT_EQ(vmaLookup(mm, 0x101000), null);
  ASSERT_EQ(harness.fileReferences(file), 2);
  ASSERT_EQ(writers(file), 2);
  ASSERT_EQ(harness.liveVmas.size, 2);
  ASSERT_EQ(harness.livePolicies.size, 2);

  ASSERT_EQ(doVmiMunmap(VMA_ITERATOR(mm, 0), mm, 0x100000, 0x4000, null, false), 0);
  ASSERT_EQ(mm.mapCount, 0);
  ASSERT_EQ(harness.fileReferences(file), 0);
  ASSERT_EQ(writers(file), 0);
  ASSERT_EQ(harness.liveVmas.size, 0);
  ASSERT_EQ(harness.livePolicies.size, 0);
}

/**
 * copy_vma() to a free range without neighbours: the copy holds its own
 * file reference, policy and writer count. If linking it fails, all three
 * go back and the copy is freed.
 */
function testCopyVmaReferences(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const file = mkFile();
  for (const fail of [false, true]) {
    const src = sharedFileVma(mm, file, 0x100000, 0x102000, sharedFlags(b));
    setFailPrealloc(fail);
    const copy = copyVma(ref(src), 0x400000, 0x2000, 0x100, ref(false));
    setFailPrealloc(false);
    ASSERT_EQ(copy === null, fail);
    ASSERT_EQ(mm.mapCount, fail ? 1 : 2);
    ASSERT_EQ(harness.fileReferences(file), fail ? 1 : 2);
    ASSERT_EQ(writers(file), fail ? 1 : 2);
    ASSERT_EQ(harness.liveVmas.size, fail ? 1 : 2);
    ASSERT_EQ(harness.livePolicies.size, fail ? 1 : 2);
    if (copy !== null) {
      ASSERT_EQ(copy.vmFile, file);
      ASSERT_NE(copy.vmPolicy, src.vmPolicy);
    }
    cleanupMm(mm, vmi);
  }
}

/** vma_link() of a shared file VMA counts it as a writer of the file; a private one does not. */
function testLinkCountsWriters(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  for (const flags of [sharedFlags(b), baseFlags(b)]) {
    const file = mkFile();
    const vma = allocVma(mm, 0x100000, 0x102000, 0x100, flags);
    vma.vmFile = file;
    harness.getFile(file);
    ASSERT_EQ(vmaLink(mm, vma), 0);
    ASSERT_EQ(writers(file), b.test(flags, VMA_SHARED_BIT) ? 1 : 0);
    cleanupMm(mm, vmi);
  }
}

/**
 * mmap_region() of a file: the new VMA holds a reference and, shared, one
 * writer count. When the file's mmap hook fails, or the VMA cannot be
 * stored, the reference and the count go back and the VMA is freed.
 */
function testMmapRegionReferences(b: Backend): void {
  // The harness never runs a file's mmap hook; this environment does.
  const env = Object.assign(Object.create(harness) as VmaInternal, {
    mmapFile: (file: File, vma: VmAreaStruct) => file.fOp.mmap?.(file, vma) ?? 0,
  });
  const mm = new MmStruct(b, env);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = sharedFlags(b);
  current.mm = mm;

  const file = mkFile();
  ASSERT_EQ(mmapRegion(mm, file, 0x100000, 0x2000, flags, 0, null), 0x100000);
  ASSERT_EQ(harness.fileReferences(file), 1);
  ASSERT_EQ(writers(file), 1);
  ASSERT_EQ(harness.liveVmas.size, 1);
  cleanupMm(mm, vmi);

  const failing = mkFile();
  failing.fOp.mmap = () => -EINVAL;
  ASSERT_EQ(mmapRegion(mm, failing, 0x100000, 0x2000, flags, 0, null), -EINVAL);
  ASSERT_EQ(mm.mapCount, 0);
  ASSERT_EQ(harness.fileReferences(failing), 0);
  ASSERT_EQ(writers(failing), 0);
  ASSERT_EQ(harness.liveVmas.size, 0);

  setFailPrealloc(true);
  ASSERT_EQ(mmapRegion(mm, file, 0x100000, 0x2000, flags, 0, null), -ENOMEM);
  setFailPrealloc(false);
  ASSERT_EQ(mm.mapCount, 0);
  ASSERT_EQ(harness.fileReferences(file), 0);
  ASSERT_EQ(writers(file), 0);
  ASSERT_EQ(harness.liveVmas.size, 0);
}

/**
 * An mmap_prepare hook that swaps the file hands over its own reference on
 * the new file: mmap_region() takes none, on either file.
 */
function testMmapPrepareFileSwap(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  current.mm = mm;
  const opened = mkFile();
  const other = mkFile();
  opened.fOp.mmapPrepare = (desc) => {
    harness.getFile(other);
    desc.vmFile = other;
    return 0;
  };
  ASSERT_EQ(mmapRegion(mm, opened, 0x100000, 0x2000, baseFlags(b), 0, null), 0x100000);
  ASSERT_EQ(vmaLookup(mm, 0x100000)!.vmFile, other);
  ASSERT_EQ(harness.fileReferences(other), 1);
  ASSERT_EQ(harness.fileReferences(opened), 0);
  cleanupMm(mm, vmi);

  // A hook that keeps the file: the VMA's reference is mmap_region()'s to take.
  const kept = mkFile();
  kept.fOp.mmapPrepare = () => 0;
  ASSERT_EQ(mmapRegion(mm, kept, 0x100000, 0x2000, baseFlags(b), 0, null), 0x100000);
  ASSERT_EQ(vmaLookup(mm, 0x100000)!.vmFile, kept);
  ASSERT_EQ(harness.fileReferences(kept), 1);
  cleanupMm(mm, vmi);
}

/** A shared anonymous mapping is backed by shmem: not anonymous memory, whatever the merge rules think. */
function testSharedAnonymousIsShmem(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  current.mm = mm;
  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, sharedFlags(b), 0, null), 0x100000);
  ASSERT_FALSE(vmaIsAnonymous(vmaLookup(mm, 0x100000)!));
  ASSERT_EQ(mmapRegion(mm, null, 0x200000, 0x2000, baseFlags(b), 0, null), 0x200000);
  ASSERT_TRUE(vmaIsAnonymous(vmaLookup(mm, 0x200000)!));
  cleanupMm(mm, vmi);
}

/**
 * mprotect() of an unfaulted VMA, or of its start, back to a faulted prev's
 * flags: prev grows over the range and keeps its own anon_vma (only an
 * unfaulted target takes one over), what is left of the VMA stays unfaulted,
 * and nothing warns about the two having different anon_vmas.
 */
function testMergeIntoFaultedPrev(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = baseFlags(b);
  for (const end of [0x102000, 0x103000]) {
    const prev = allocAndLinkVma(mm, 0x100000, 0x101000, 0x100, flags)!;
    const vma = allocAndLinkVma(mm, 0x101000, end, 0x101, readOnlyFlags(b))!;
    const anonVma = vmaFaultIn(prev);
    vmaIterSet(vmi, 0x101000);
    ASSERT_EQ(vmaModifyFlags(vmi, prev, vma, 0x101000, 0x102000, flags), prev);
    ASSERT_EQ(prev.vmEnd, 0x102000);
    ASSERT_EQ(prev.anonVma, anonVma);
    ASSERT_EQ(mm.mapCount, end === 0x102000 ? 1 : 2);
    if (end !== 0x102000) {
      ASSERT_EQ(vma.vmStart, 0x102000);
      ASSERT_EQ(vma.vmPgoff, 0x102);
      ASSERT_EQ(vma.anonVma, null);
    }
    cleanupMm(mm, vmi);
  }
}

/**
 * munmap() frees the page tables of the range, and with them the guard
 * markers MADV_GUARD_INSTALL left there; markers outside the range stay.
 */
function testMunmapZapsGuardMarkers(b: Backend): void {
  const mm = new MmStruct(b, harness);
  current.mm = mm;
  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x4000, baseFlags(b), 0x100, null), 0x100000);
  ASSERT_EQ(doMadvise(mm, 0x100000, 0x4000, MADV_GUARD_INSTALL), 0);
  ASSERT_EQ(mm.guardPtes.size, 4);
  ASSERT_EQ(doVmiMunmap(VMA_ITERATOR(mm, 0x101000), mm, 0x101000, 0x2000, null, false), 0);
  ASSERT_FALSE(mm.guardPtes.has(0x101));
  ASSERT_FALSE(mm.guardPtes.has(0x102));
  ASSERT_TRUE(mm.guardPtes.has(0x100));
  ASSERT_TRUE(mm.guardPtes.has(0x103));
}

/**
 * A merge that hands the tail of middle to next moves next's start: next is
 * the VMA adjusted alongside middle, so an anon_vma of next that is not
 * middle's is reported (here forced past the mergeability check by a
 * request claiming next's anon_vma).
 */
function testAdjustedNextAnonVmaChecked(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = baseFlags(b);
  const middle = allocAndLinkVma(mm, 0x103000, 0x106000, 0x103, readOnlyFlags(b))!;
  const next = allocAndLinkVma(mm, 0x106000, 0x109000, 0x106, flags)!;
  vmaFaultIn(middle);
  const n = vmaFaultIn(next);
  vmaIterSet(vmi, 0x104000);
  const vmg = VMG_VMA_STATE(vmi, middle, middle, 0x104000, 0x106000);
  vmg.vmaFlags = b.copy(flags);
  vmg.anonVma = n;
  vmaMergeExistingRange(vmg);
  ASSERT_TRUE(takeWarnings().includes('init_multi_vma_prep: adjusted VMA has a different anon_vma'));
  // What the misuse left behind is not the leak check's business.
  harness.reset();
}

/**
 * A VMA mmap_region() creates is write-locked before it enters the tree (in
 * an environment without soft-dirty tracking, where nothing later would
 * lock it again).
 */
function testNewMappingWriteLocked(b: Backend): void {
  const env = Object.assign(Object.create(harness) as VmaInternal, { pgtableSupportsSoftDirty: () => false });
  const mm = new MmStruct(b, env);
  const vmi = VMA_ITERATOR(mm, 0);
  current.mm = mm;
  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, baseFlags(b), 0x100, null), 0x100000);
  ASSERT_TRUE(vmaWriteStarted(vmaLookup(mm, 0x100000)!));
  cleanupMm(mm, vmi);
}

/** The scenarios above, in the kernel's TEST() style. */
export function runLifecycleRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('split_takes_references', () => testSplitTakesReferences(b));
  TEST('merge_releases_removed', () => testMergeReleasesRemoved(b));
  TEST('expand_releases_next', () => testExpandReleasesNext(b));
  TEST('munmap_releases', () => testMunmapReleases(b));
  TEST('copy_vma_references', () => testCopyVmaReferences(b));
  TEST('link_counts_writers', () => testLinkCountsWriters(b));
  TEST('mmap_region_references', () => testMmapRegionReferences(b));
  TEST('mmap_prepare_file_swap', () => testMmapPrepareFileSwap(b));
  TEST('shared_anonymous_is_shmem', () => testSharedAnonymousIsShmem(b));
  TEST('merge_into_faulted_prev', () => testMergeIntoFaultedPrev(b));
  TEST('munmap_zaps_guard_markers', () => testMunmapZapsGuardMarkers(b));
  TEST('adjusted_next_anon_vma_checked', () => testAdjustedNextAnonVmaChecked(b));
  TEST('new_mapping_write_locked', () => testNewMappingWriteLocked(b));
}
