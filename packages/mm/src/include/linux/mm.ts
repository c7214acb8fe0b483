import { VMA_EXEC_BIT, VMA_MAYWRITE_BIT, VMA_SHARED_BIT, VMA_WRITE_BIT } from '@vmaflags/core';
import { dupAnonVmaName, freeAnonVmaName, vmaNumabStateFree, vmaNumabStateInit, type Mempolicy } from '../stubs.js';
import { WARN_ON_ONCE } from './bug.js';
import type { File } from './fs.js';
import { VmAreaStruct, vmaDummyVmOps, type MmStruct, type VmAreaDesc } from './mm_types.js';
import { EINVAL, PAGE_SIZE, UINT_MAX, type Backend, type PgoffT, type PgprotT, type VmaFlags } from './types.js';
import { vmaFlagMasks } from './vma_flag_masks.js';

// include/linux/mm.h: the one-line helpers on VMAs and descriptors (life
// cycle, ranges, flag wrappers, accounting), and the calls the VMA code makes
// into its environment, each forwarded to the mm's VmaInternal.

/** vma_lock_init */
export function vmaLockInit(vma: VmAreaStruct, resetRefcnt: boolean): void {
  if (resetRefcnt) vma.vmRefcnt = 0;
}

/** vma_start_write: the per-VMA write lock, as the environment keeps it. */
export function vmaStartWrite(vma: VmAreaStruct): void {
  vma.vmMm.internal.vmaStartWrite(vma);
}

/** vma_init: a zeroed VMA of mm with the dummy ops and no writes recorded. */
export function vmaInit(vma: VmAreaStruct, mm: MmStruct): void {
  if (vma.vmMm.backend === mm.backend) mm.backend.clearAll(vma.flags);
  else vma.flags = mm.backend.mk();
  vma.vmStart = vma.vmEnd = 0;
  vma.vmMm = mm;
  vma.vmPageProt = 0n;
  vma.vmOps = vmaDummyVmOps;
  vma.anonVmaChain = [];
  vma.anonVma = null;
  vma.vmPgoff = 0;
  vma.vmFile = null;
  vma.vmPrivateData = null;
  vma.vmRefcnt = 0;
  vma.vmLockSeq = UINT_MAX;
}

/** vm_area_alloc */
export function vmAreaAlloc(mm: MmStruct): VmAreaStruct {
  const vma = new VmAreaStruct(mm);
  vmaInit(vma, mm);
  mm.internal.vmAreaAlloc(vma);
  return vma;
}

/**
 * vm_area_dup: a detached copy of orig sharing its anon_vma but with an empty
 * anon_vma_chain. The whole flag bitmap is copied (not only word 0), so wide
 * configurations keep their high bits.
 */
export function vmAreaDup(orig: VmAreaStruct): VmAreaStruct {
  const vma = new VmAreaStruct(orig.vmMm, orig.vmMm.backend.copy(orig.flags));
  vma.vmOps = orig.vmOps;
  vma.vmStart = orig.vmStart;
  vma.vmEnd = orig.vmEnd;
  vma.anonVma = orig.anonVma;
  vma.vmPgoff = orig.vmPgoff;
  vma.vmFile = orig.vmFile;
  vma.vmPrivateData = orig.vmPrivateData;
  vma.vmPageProt = orig.vmPageProt;
  vma.vmUserfaultfdCtx = orig.vmUserfaultfdCtx;
  vma.anonName = orig.anonName;
  vma.vmPolicy = orig.vmPolicy;
  vmaLockInit(vma, true);
  vmaNumabStateInit(vma);
  dupAnonVmaName(orig, vma);
  orig.vmMm.internal.vmAreaAlloc(vma);
  return vma;
}

/** vm_area_free: the VMA must already be detached. */
export function vmAreaFree(vma: VmAreaStruct): void {
  vmaAssertDetached(vma);
  vmaNumabStateFree(vma);
  freeAnonVmaName(vma);
  vma.vmMm.internal.vmAreaFree(vma);
}

/** get_file: a VMA of mm takes a reference on file; returns file. */
export function getFile(mm: MmStruct, file: File): File {
  mm.internal.getFile(file);
  return file;
}

/** fput: drop a reference a VMA of mm held on file. */
export function fput(mm: MmStruct, file: File): void {
  mm.internal.fput(file);
}

/** vma_policy */
export function vmaPolicy(vma: VmAreaStruct): Mempolicy {
  return vma.vmPolicy;
}

/** vma_dup_policy: dst (a copy of src) gets its own reference to src's policy; 0 or -ENOMEM. */
export function vmaDupPolicy(src: VmAreaStruct, dst: VmAreaStruct): number {
  return src.vmMm.internal.vmaDupPolicy(src, dst);
}

/** mpol_put: drop a reference a VMA of mm held on pol. */
export function mpolPut(mm: MmStruct, pol: Mempolicy): void {
  mm.internal.mpolPut(pol);
}

/** userfaultfd_unmap_prep: 0, or a negative errno that fails the unmap. */
export function userfaultfdUnmapPrep(vma: VmAreaStruct, start: number, end: number, uf: unknown): number {
  return vma.vmMm.internal.userfaultfdUnmapPrep(vma, start, end, uf);
}

/** vma_assert_attached */
export function vmaAssertAttached(vma: VmAreaStruct): void {
  WARN_ON_ONCE(vma.vmMm, vma.vmRefcnt === 0, 'vma_assert_attached: VMA is detached');
}

/** vma_assert_detached */
export function vmaAssertDetached(vma: VmAreaStruct): void {
  WARN_ON_ONCE(vma.vmMm, vma.vmRefcnt !== 0, 'vma_assert_detached: VMA is attached');
}

/** vma_mark_attached */
export function vmaMarkAttached(vma: VmAreaStruct): void {
  vmaAssertDetached(vma);
  vma.vmRefcnt = 1;
}

/** vma_mark_detached */
export function vmaMarkDetached(vma: VmAreaStruct): void {
  vmaAssertAttached(vma);
  vma.vmRefcnt = 0;
}

/** vma_is_anonymous: no vm_ops at all (vma_init installs dummy ones). */
export function vmaIsAnonymous(vma: VmAreaStruct): boolean {
  return vma.vmOps === null;
}

/** vma_set_anonymous */
export function vmaSetAnonymous(vma: VmAreaStruct): void {
  vma.vmOps = null;
}

/** vma_pages: length in pages. */
export function vmaPages(vma: VmAreaStruct): number {
  return (vma.vmEnd - vma.vmStart) / PAGE_SIZE;
}

/** vma_set_range */
export function vmaSetRange(vma: VmAreaStruct, start: number, end: number, pgoff: PgoffT): void {
  vma.vmStart = start;
  vma.vmEnd = end;
  vma.vmPgoff = pgoff;
}

/** vma_start_pgoff: the file page offset at vm_start. */
export function vmaStartPgoff(vma: VmAreaStruct): PgoffT {
  return vma.vmPgoff;
}

/**
 * vma_start_virt_pgoff: the page offset rmap uses for anonymous pages at
 * vm_start. For a VMA without a file it is vm_pgoff itself (linux-mm/linux-mm
 * @0f7cefd828a28c71e8bf86f443caf6d0266398c7 tools/testing/vma/tests/merge.c
 * checks the two agree after every merge, expand and shrink). A private file
 * mapping keeps a separate value in newer trees; this port does not track it,
 * so asking for it is an error rather than a wrong answer.
 */
export function vmaStartVirtPgoff(vma: VmAreaStruct): PgoffT {
  if (vma.vmFile !== null) {
    throw new RangeError(
      'vma_start_virt_pgoff: vma must have no file (the virtual offset of file-backed VMAs is not tracked)',
    );
  }
  return vma.vmPgoff;
}

/** vma_set_pgoff */
export function vmaSetPgoff(vma: VmAreaStruct, pgoff: PgoffT): void {
  vma.vmPgoff = pgoff;
}

/** vma_set_file: swap the backing file, moving the VMA's reference from the old file to the new one. */
export function vmaSetFile(vma: VmAreaStruct, file: File): void {
  const old = vma.vmFile;
  vma.vmFile = getFile(vma.vmMm, file);
  if (old !== null) fput(vma.vmMm, old);
}

// ---------------------------------------------------------------------------
// Flag wrappers on a VMA and on a descriptor. The VMA forms take no lock.

const backendOf = (vma: VmAreaStruct): Backend => vma.vmMm.backend;

/** vma_test */
export function vmaTest(vma: VmAreaStruct, bit: number): boolean {
  return backendOf(vma).test(vma.flags, bit);
}
/** vma_test_any */
export function vmaTestAny(vma: VmAreaStruct, ...bits: number[]): boolean {
  return backendOf(vma).testAny(vma.flags, ...bits);
}
/** vma_test_any_mask */
export function vmaTestAnyMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  return backendOf(vma).testAnyMask(vma.flags, mask);
}
/** vma_test_all */
export function vmaTestAll(vma: VmAreaStruct, ...bits: number[]): boolean {
  return backendOf(vma).testAll(vma.flags, ...bits);
}
/** vma_test_all_mask */
export function vmaTestAllMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  return backendOf(vma).testAllMask(vma.flags, mask);
}
/** vma_test_single_mask */
export function vmaTestSingleMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  return backendOf(vma).testSingleMask(vma.flags, mask);
}
/** vma_set_flags */
export function vmaSetFlags(vma: VmAreaStruct, ...bits: number[]): void {
  backendOf(vma).set(vma.flags, ...bits);
}
/** vma_set_flags_mask */
export function vmaSetFlagsMask(vma: VmAreaStruct, mask: VmaFlags): void {
  backendOf(vma).setMask(vma.flags, mask);
}
/** vma_clear_flags */
export function vmaClearFlags(vma: VmAreaStruct, ...bits: number[]): void {
  backendOf(vma).clear(vma.flags, ...bits);
}
/** vma_clear_flags_mask */
export function vmaClearFlagsMask(vma: VmAreaStruct, mask: VmaFlags): void {
  backendOf(vma).clearMask(vma.flags, mask);
}

/** vma_desc_test */
export function vmaDescTest(desc: VmAreaDesc, bit: number): boolean {
  return desc.mm.backend.test(desc.vmaFlags, bit);
}
/** vma_desc_test_any */
export function vmaDescTestAny(desc: VmAreaDesc, ...bits: number[]): boolean {
  return desc.mm.backend.testAny(desc.vmaFlags, ...bits);
}
/** vma_desc_test_any_mask */
export function vmaDescTestAnyMask(desc: VmAreaDesc, mask: VmaFlags): boolean {
  return desc.mm.backend.testAnyMask(desc.vmaFlags, mask);
}
/** vma_desc_test_all */
export function vmaDescTestAll(desc: VmAreaDesc, ...bits: number[]): boolean {
  return desc.mm.backend.testAll(desc.vmaFlags, ...bits);
}
/** vma_desc_test_all_mask */
export function vmaDescTestAllMask(desc: VmAreaDesc, mask: VmaFlags): boolean {
  return desc.mm.backend.testAllMask(desc.vmaFlags, mask);
}
/** vma_desc_set_flags */
export function vmaDescSetFlags(desc: VmAreaDesc, ...bits: number[]): void {
  desc.mm.backend.set(desc.vmaFlags, ...bits);
}
/** vma_desc_set_flags_mask */
export function vmaDescSetFlagsMask(desc: VmAreaDesc, mask: VmaFlags): void {
  desc.mm.backend.setMask(desc.vmaFlags, mask);
}
/** vma_desc_clear_flags */
export function vmaDescClearFlags(desc: VmAreaDesc, ...bits: number[]): void {
  desc.mm.backend.clear(desc.vmaFlags, ...bits);
}
/** vma_desc_clear_flags_mask */
export function vmaDescClearFlagsMask(desc: VmAreaDesc, mask: VmaFlags): void {
  desc.mm.backend.clearMask(desc.vmaFlags, mask);
}

/** vm_flags_init: overwrite the whole bitmap (all words); no lock, so only for a VMA nobody else can see. */
export function vmFlagsInit(vma: VmAreaStruct, flags: VmaFlags): void {
  if (flags === vma.flags) return;
  const b = backendOf(vma);
  b.clearAll(vma.flags);
  b.setMask(vma.flags, flags);
}

/** vm_flags_reset: the same overwrite on a linked VMA; the caller already holds its write lock. */
export function vmFlagsReset(vma: VmAreaStruct, flags: VmaFlags): void {
  vmFlagsInit(vma, flags);
}

/** vm_flags_set: take the VMA write lock, then OR the bits in. */
export function vmFlagsSet(vma: VmAreaStruct, flags: VmaFlags): void {
  vmaStartWrite(vma);
  backendOf(vma).setMask(vma.flags, flags);
}

/** vm_flags_clear: take the VMA write lock, then clear the bits. */
export function vmFlagsClear(vma: VmAreaStruct, flags: VmaFlags): void {
  vmaStartWrite(vma);
  backendOf(vma).clearMask(vma.flags, flags);
}

/** is_shared_maywrite */
export function isSharedMaywrite(b: Backend, flags: VmaFlags): boolean {
  return b.test(flags, VMA_SHARED_BIT) && b.test(flags, VMA_MAYWRITE_BIT);
}

/** vma_is_shared_maywrite */
export function vmaIsSharedMaywrite(vma: VmAreaStruct): boolean {
  return isSharedMaywrite(backendOf(vma), vma.flags);
}

/** vm_get_page_prot: the legacy flag word stands for the protection (no page tables here). */
export function vmGetPageProt(b: Backend, flags: VmaFlags): PgprotT {
  return b.toLegacy(flags);
}

/**
 * pgprot_modify: the protection of newprot, keeping only what of oldprot is
 * not protection (on x86 the PAT, cache and encryption bits, per
 * arch/x86/include/asm/pgtable.h of torvalds/linux at a3b837130b58).
 * The flag word standing for a protection here has no such bits, so newprot
 * is the whole answer: bits the new flags drop (VM_SHARED for write
 * notification, VM_WRITE after mprotect) must not survive from oldprot.
 */
export function pgprotModify(_oldprot: PgprotT, newprot: PgprotT): PgprotT {
  return newprot;
}

// Which of mm's counters (exec_vm, stack_vm, data_vm) a VMA's pages go to;
// the same tests as is_exec_mapping() and friends in mm/vma.h.

/** exec_vm: EXEC set, WRITE and the stack bit clear. */
export function isExecMapping(b: Backend, flags: VmaFlags): boolean {
  return (
    b.test(flags, VMA_EXEC_BIT) && !b.test(flags, VMA_WRITE_BIT) && !b.testAnyMask(flags, vmaFlagMasks(b).VM_STACK)
  );
}

/** stack_vm: the configuration's stack bit, or a shadow stack. */
export function isStackMapping(b: Backend, flags: VmaFlags): boolean {
  const m = vmaFlagMasks(b);
  return (!b.empty(m.VM_STACK) && b.testAllMask(flags, m.VM_STACK)) || b.testAnyMask(flags, m.VM_SHADOW_STACK);
}

/** data_vm: WRITE set, SHARED and the stack bit clear. */
export function isDataMapping(b: Backend, flags: VmaFlags): boolean {
  return (
    b.test(flags, VMA_WRITE_BIT) && !b.test(flags, VMA_SHARED_BIT) && !b.testAnyMask(flags, vmaFlagMasks(b).VM_STACK)
  );
}

/** vm_stat_account */
export function vmStatAccount(mm: MmStruct, flags: VmaFlags, npages: number): void {
  const b = mm.backend;
  mm.totalVm += npages;
  if (isExecMapping(b, flags)) mm.execVm += npages;
  else if (isStackMapping(b, flags)) mm.stackVm += npages;
  else if (isDataMapping(b, flags)) mm.dataVm += npages;
}

/**
 * The range check madvise() and mseal() share: start page aligned, length
 * rounded up to pages without wrapping. Returns the end, or -EINVAL.
 */
export function pageAlignedRangeEnd(start: number, lenIn: number): number {
  if (start % PAGE_SIZE !== 0) return -EINVAL;
  const len = Math.ceil(lenIn / PAGE_SIZE) * PAGE_SIZE;
  if (lenIn !== 0 && len === 0) return -EINVAL;
  const end = start + len;
  return end < start ? -EINVAL : end;
}

// Calls into the environment.

/** capable */
export function capable(mm: MmStruct, cap: number): boolean {
  return mm.internal.capable(cap);
}
/** rlimit */
export function rlimit(mm: MmStruct, resource: number): number {
  return mm.internal.rlimit(resource);
}
/** may_expand_vm */
export function mayExpandVm(mm: MmStruct, flags: VmaFlags, npages: number): boolean {
  return mm.internal.mayExpandVm(mm, flags, npages);
}
/** security_vm_enough_memory_mm */
export function securityVmEnoughMemoryMm(mm: MmStruct, pages: number): number {
  return mm.internal.securityVmEnoughMemoryMm(mm, pages);
}
/** vm_acct_memory */
export function vmAcctMemory(mm: MmStruct, pages: number): void {
  mm.internal.vmAcctMemory(pages);
}
/** vm_unacct_memory */
export function vmUnacctMemory(mm: MmStruct, pages: number): void {
  mm.internal.vmAcctMemory(-pages);
}
/** pgtable_supports_soft_dirty */
export function pgtableSupportsSoftDirty(mm: MmStruct): boolean {
  return mm.internal.pgtableSupportsSoftDirty(mm);
}
/** vma_soft_dirty_enabled */
export function vmaSoftDirtyEnabled(vma: VmAreaStruct): boolean {
  return vma.vmMm.internal.vmaSoftDirtyEnabled(vma);
}
/** vma_supports_mlock */
export function vmaSupportsMlock(vma: VmAreaStruct): boolean {
  return vma.vmMm.internal.vmaSupportsMlock(vma);
}
/** userfaultfd_wp */
export function userfaultfdWp(vma: VmAreaStruct): boolean {
  return vma.vmMm.internal.userfaultfdWp(vma);
}
/** ksm_vma_flags */
export function ksmVmaFlags(mm: MmStruct, file: File | null, flags: VmaFlags): VmaFlags {
  return mm.internal.ksmVmaFlags(mm, file, flags);
}
/** khugepaged_enter_vma */
export function khugepagedEnterVma(vma: VmAreaStruct, flags: VmaFlags): void {
  vma.vmMm.internal.khugepagedEnterVma(vma, flags);
}
/** vma_close */
export function vmaClose(vma: VmAreaStruct): void {
  vma.vmMm.internal.vmaClose(vma);
}
/** mmap_file */
export function mmapFile(file: File, vma: VmAreaStruct): number {
  return vma.vmMm.internal.mmapFile(file, vma);
}
/** shmem_zero_setup */
export function shmemZeroSetup(vma: VmAreaStruct): number {
  return vma.vmMm.internal.shmemZeroSetup(vma);
}
/** shmem_file */
export function shmemFile(mm: MmStruct, file: File): boolean {
  return mm.internal.shmemFile(file);
}
/** is_vm_hugetlb_page */
export function isVmHugetlbPage(vma: VmAreaStruct): boolean {
  return vma.vmMm.internal.isVmHugetlbPage(vma);
}
/** is_file_hugepages */
export function isFileHugepages(mm: MmStruct, file: File): boolean {
  return mm.internal.isFileHugepages(file);
}
