import {
  VMA_DONTCOPY_BIT,
  VMA_DONTDUMP_BIT,
  VMA_DONTEXPAND_BIT,
  VMA_DROPPABLE_BIT,
  VMA_HUGEPAGE_BIT,
  VMA_HUGETLB_BIT,
  VMA_IO_BIT,
  VMA_LOCKED_BIT,
  VMA_MAYBE_GUARD_BIT,
  VMA_MAYSHARE_BIT,
  VMA_MERGEABLE_BIT,
  VMA_MIXEDMAP_BIT,
  VMA_NOHUGEPAGE_BIT,
  VMA_PFNMAP_BIT,
  VMA_RAND_READ_BIT,
  VMA_READ_BIT,
  VMA_SEQ_READ_BIT,
  VMA_SHARED_BIT,
  VMA_WIPEONFORK_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import {
  isVmHugetlbPage,
  khugepagedEnterVma,
  pageAlignedRangeEnd,
  vmFlagsReset,
  vmaIsAnonymous,
  vmaIsSharedMaywrite,
} from '../include/linux/mm.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import {
  EACCES,
  EFAULT,
  EINVAL,
  ENOMEM,
  EPERM,
  IS_ERR,
  PAGE_SIZE,
  ref,
  type Ref,
  type VmaFlags,
} from '../include/linux/types.js';
import { VMA_ITERATOR, findVmaPrev } from '../include/linux/vma_iterator.js';
import { anonVmaPrepare } from '../include/linux/rmap.js';
import { vmaFlagMasks } from '../include/linux/vma_flag_masks.js';
import {
  MADV_COLD,
  MADV_DODUMP,
  MADV_DOFORK,
  MADV_DONTDUMP,
  MADV_DONTFORK,
  MADV_DONTNEED,
  MADV_DONTNEED_LOCKED,
  MADV_FREE,
  MADV_GUARD_INSTALL,
  MADV_GUARD_REMOVE,
  MADV_HUGEPAGE,
  MADV_KEEPONFORK,
  MADV_MERGEABLE,
  MADV_NOHUGEPAGE,
  MADV_NORMAL,
  MADV_PAGEOUT,
  MADV_POPULATE_READ,
  MADV_POPULATE_WRITE,
  MADV_RANDOM,
  MADV_REMOVE,
  MADV_SEQUENTIAL,
  MADV_UNMERGEABLE,
  MADV_WILLNEED,
  MADV_WIPEONFORK,
} from '../include/uapi/mman.js';
import { VM_FAULT_OK, findVma, handleMmFault } from './memory.js';
import { vmaIsSealed } from './mprotect.js';
import { vmaModifyFlags } from './vma.js';

// mm/madvise.c: advice that changes VMA flags (splitting and merging like
// mprotect), advice that acts on pages (checked for the VMAs it may act on),
// population, and guard regions.

const VALID_BEHAVIOURS = new Set([
  MADV_NORMAL,
  MADV_RANDOM,
  MADV_SEQUENTIAL,
  MADV_WILLNEED,
  MADV_DONTNEED,
  MADV_FREE,
  MADV_REMOVE,
  MADV_DONTFORK,
  MADV_DOFORK,
  MADV_MERGEABLE,
  MADV_UNMERGEABLE,
  MADV_HUGEPAGE,
  MADV_NOHUGEPAGE,
  MADV_DONTDUMP,
  MADV_DODUMP,
  MADV_WIPEONFORK,
  MADV_KEEPONFORK,
  MADV_COLD,
  MADV_PAGEOUT,
  MADV_POPULATE_READ,
  MADV_POPULATE_WRITE,
  MADV_DONTNEED_LOCKED,
  MADV_GUARD_INSTALL,
  MADV_GUARD_REMOVE,
]);

/** Advice that throws page contents away: refused on sealed read-only anonymous memory. */
function isDiscard(behavior: number): boolean {
  return [
    MADV_FREE,
    MADV_DONTNEED,
    MADV_DONTNEED_LOCKED,
    MADV_REMOVE,
    MADV_DONTFORK,
    MADV_WIPEONFORK,
    MADV_GUARD_INSTALL,
  ].includes(behavior);
}

/** A private anonymous mapping the task cannot write. */
function isRoAnon(vma: VmAreaStruct): boolean {
  const b = vma.vmMm.backend;
  if (vma.vmFile !== null || b.test(vma.flags, VMA_SHARED_BIT)) return false;
  return !b.test(vma.flags, VMA_WRITE_BIT);
}

/** madvise_update_vma: apply new flags to [start, end) of vma. */
function madviseUpdateVma(
  vma: VmAreaStruct,
  pprev: Ref<VmAreaStruct | null>,
  start: number,
  end: number,
  newFlags: VmaFlags,
): number {
  const b = vma.vmMm.backend;
  if (b.samePair(newFlags, vma.flags)) {
    pprev.value = vma;
    return 0;
  }
  const vmi = VMA_ITERATOR(vma.vmMm, start);
  const ret = vmaModifyFlags(vmi, pprev.value, vma, start, end, newFlags);
  if (IS_ERR(ret)) return ret;
  pprev.value = ret;
  vmFlagsReset(ret, newFlags);
  return 0;
}

/** vma_ksm_compatible */
function vmaKsmCompatible(vma: VmAreaStruct): boolean {
  const b = vma.vmMm.backend;
  return !b.testAny(
    vma.flags,
    VMA_SHARED_BIT,
    VMA_MAYSHARE_BIT,
    VMA_PFNMAP_BIT,
    VMA_IO_BIT,
    VMA_DONTEXPAND_BIT,
    VMA_HUGETLB_BIT,
    VMA_MIXEDMAP_BIT,
    VMA_DROPPABLE_BIT,
  );
}

/** is_valid_guard_vma: no special, hugetlb or (for installing) locked mappings. */
function isValidGuardVma(vma: VmAreaStruct, allowLocked: boolean): boolean {
  const b = vma.vmMm.backend;
  if (b.testAnyMask(vma.flags, vmaFlagMasks(b).VMA_SPECIAL_FLAGS) || b.test(vma.flags, VMA_HUGETLB_BIT)) return false;
  return allowLocked || !b.test(vma.flags, VMA_LOCKED_BIT);
}

/** madvise_vma_behavior: one VMA's part [start, end) of the range. */
function madviseVmaBehavior(
  vma: VmAreaStruct,
  pprev: Ref<VmAreaStruct | null>,
  start: number,
  end: number,
  behavior: number,
): number {
  const mm = vma.vmMm;
  const b = mm.backend;
  if (vmaIsSealed(vma) && isDiscard(behavior) && isRoAnon(vma)) return -EPERM;

  switch (behavior) {
    case MADV_REMOVE:
      pprev.value = null;
      if (b.test(vma.flags, VMA_LOCKED_BIT)) return -EINVAL;
      if (vma.vmFile === null) return -EINVAL;
      if (!vmaIsSharedMaywrite(vma)) return -EACCES;
      return 0;
    case MADV_WILLNEED:
      pprev.value = vma;
      return 0;
    case MADV_COLD:
    case MADV_PAGEOUT:
      pprev.value = vma;
      if (b.testAny(vma.flags, VMA_LOCKED_BIT, VMA_PFNMAP_BIT, VMA_HUGETLB_BIT)) return -EINVAL;
      return 0;
    case MADV_FREE:
    case MADV_DONTNEED:
    case MADV_DONTNEED_LOCKED: {
      pprev.value = vma;
      if (!isVmHugetlbPage(vma)) {
        if (b.test(vma.flags, VMA_PFNMAP_BIT)) return -EINVAL;
        if (behavior !== MADV_DONTNEED_LOCKED && b.test(vma.flags, VMA_LOCKED_BIT)) return -EINVAL;
      }
      if (behavior === MADV_FREE && !vmaIsAnonymous(vma)) return -EINVAL;
      return 0;
    }
    case MADV_GUARD_INSTALL: {
      pprev.value = vma;
      if (!isValidGuardVma(vma, false)) return -EINVAL;
      // The whole VMA is marked as possibly holding guard markers, in place
      // (no split), so that fork copies its page tables and smaps shows "gu";
      // an anonymous VMA also gets an anon_vma, as page tables with markers
      // are not empty (observed on 6.18: a guarded anonymous VMA keeps
      // VM_ACCOUNT through mprotect to read-only, which only a VMA with an
      // anon_vma does; guarded file and shmem VMAs still merge as before).
      if (mm.internal.features.maybeGuard) b.set(vma.flags, VMA_MAYBE_GUARD_BIT);
      if (vmaIsAnonymous(vma) && anonVmaPrepare(vma) !== 0) return -ENOMEM;
      for (let addr = start; addr < end; addr += PAGE_SIZE) mm.guardPtes.add(addr / PAGE_SIZE);
      return 0;
    }
    case MADV_GUARD_REMOVE:
      pprev.value = vma;
      if (!isValidGuardVma(vma, true)) return -EINVAL;
      for (let addr = start; addr < end; addr += PAGE_SIZE) mm.guardPtes.delete(addr / PAGE_SIZE);
      return 0;
  }

  const newFlags = b.copy(vma.flags);
  switch (behavior) {
    case MADV_NORMAL:
      b.clear(newFlags, VMA_RAND_READ_BIT, VMA_SEQ_READ_BIT);
      break;
    case MADV_SEQUENTIAL:
      b.clear(newFlags, VMA_RAND_READ_BIT);
      b.set(newFlags, VMA_SEQ_READ_BIT);
      break;
    case MADV_RANDOM:
      b.clear(newFlags, VMA_SEQ_READ_BIT);
      b.set(newFlags, VMA_RAND_READ_BIT);
      break;
    case MADV_DONTFORK:
      b.set(newFlags, VMA_DONTCOPY_BIT);
      break;
    case MADV_DOFORK:
      if (b.test(vma.flags, VMA_IO_BIT)) return -EINVAL;
      b.clear(newFlags, VMA_DONTCOPY_BIT);
      break;
    case MADV_WIPEONFORK:
      if (vma.vmFile !== null || b.test(vma.flags, VMA_SHARED_BIT)) return -EINVAL;
      b.set(newFlags, VMA_WIPEONFORK_BIT);
      break;
    case MADV_KEEPONFORK:
      if (b.test(vma.flags, VMA_DROPPABLE_BIT)) return -EINVAL;
      b.clear(newFlags, VMA_WIPEONFORK_BIT);
      break;
    case MADV_DONTDUMP:
      b.set(newFlags, VMA_DONTDUMP_BIT);
      break;
    case MADV_DODUMP:
      if (
        (!isVmHugetlbPage(vma) && b.testAnyMask(newFlags, vmaFlagMasks(b).VMA_SPECIAL_FLAGS)) ||
        b.test(vma.flags, VMA_DROPPABLE_BIT)
      )
        return -EINVAL;
      b.clear(newFlags, VMA_DONTDUMP_BIT);
      break;
    case MADV_MERGEABLE:
      if (!b.test(vma.flags, VMA_MERGEABLE_BIT) && vmaKsmCompatible(vma)) b.set(newFlags, VMA_MERGEABLE_BIT);
      break;
    case MADV_UNMERGEABLE:
      b.clear(newFlags, VMA_MERGEABLE_BIT);
      break;
    case MADV_HUGEPAGE:
      b.clear(newFlags, VMA_NOHUGEPAGE_BIT);
      b.set(newFlags, VMA_HUGEPAGE_BIT);
      khugepagedEnterVma(vma, newFlags);
      break;
    case MADV_NOHUGEPAGE:
      b.clear(newFlags, VMA_HUGEPAGE_BIT);
      b.set(newFlags, VMA_NOHUGEPAGE_BIT);
      break;
  }
  return madviseUpdateVma(vma, pprev, start, end, newFlags);
}

/**
 * madvise_populate: fault the range in page by page, as get_user_pages
 * does, without the VMA walk: a hole ends it with -ENOMEM, a mapping that
 * does not allow the access with -EINVAL, a fault that would signal (guard
 * marker, past EOF) with -EFAULT; pages before the failure stay populated.
 */
function madvisePopulate(mm: MmStruct, start: number, end: number, write: boolean): number {
  const b = mm.backend;
  for (let addr = start; addr < end; addr += PAGE_SIZE) {
    const vma = findVma(mm, addr);
    if (vma === null || vma.vmStart > addr) return -ENOMEM;
    if (b.testAny(vma.flags, VMA_IO_BIT, VMA_PFNMAP_BIT)) return -EINVAL;
    // get_user_pages wants VM_READ for reads and VM_WRITE for writes (x86's write-implies-read does not apply).
    if (!b.test(vma.flags, write ? VMA_WRITE_BIT : VMA_READ_BIT)) return -EINVAL;
    if (handleMmFault(vma, addr, write) !== VM_FAULT_OK) return -EFAULT;
  }
  return 0;
}

/**
 * do_madvise: walk the VMAs of [start, start + len). Holes are skipped but
 * make the call answer -ENOMEM at the end; a VMA's error stops the walk.
 */
export function doMadvise(mm: MmStruct, start: number, lenIn: number, behavior: number): number {
  if (!VALID_BEHAVIOURS.has(behavior)) return -EINVAL;
  const end = pageAlignedRangeEnd(start, lenIn);
  if (end < 0) return end;
  if (end === start) return 0;

  if (behavior === MADV_POPULATE_READ || behavior === MADV_POPULATE_WRITE)
    return madvisePopulate(mm, start, end, behavior === MADV_POPULATE_WRITE);

  const pprev = ref<VmAreaStruct | null>(null);
  let vma = findVmaPrev(mm, start, pprev);
  if (vma !== null && start > vma.vmStart) pprev.value = vma;
  let unmappedError = 0;
  for (;;) {
    if (vma === null) return -ENOMEM;
    if (start < vma.vmStart) {
      unmappedError = -ENOMEM;
      start = vma.vmStart;
      if (start >= end) break;
    }
    const tmp = Math.min(vma.vmEnd, end);
    const error = madviseVmaBehavior(vma, pprev, start, tmp, behavior);
    if (error !== 0) return error;
    start = tmp;
    const prev = pprev.value;
    if (prev !== null && start < prev.vmEnd) start = prev.vmEnd;
    if (start >= end) break;
    vma = findVma(mm, prev !== null ? prev.vmEnd : start);
  }
  return unmappedError;
}
