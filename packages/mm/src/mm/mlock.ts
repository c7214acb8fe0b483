import { VMA_DROPPABLE_BIT, VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT } from '@vmaflags/core';
import { capable, isVmHugetlbPage, rlimit, vmFlagsReset, vmaSupportsMlock } from '../include/linux/mm.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import {
  EAGAIN,
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
import { VMA_ITERATOR, forEachVma, vmaFind, vmaPrev, type VmaIterator } from '../include/linux/vma_iterator.js';
import { vmaFlagMasks } from '../include/linux/vma_flag_masks.js';
import {
  CAP_IPC_LOCK,
  MCL_CURRENT,
  MCL_FUTURE,
  MCL_ONFAULT,
  MLOCK_ONFAULT,
  RLIMIT_MEMLOCK,
  RLIM_INFINITY,
} from '../include/uapi/mman.js';
import { __mmPopulate, mmPopulate } from './memory.js';
import { canDoMlock } from './mmap.js';
import { vmaModifyFlags } from './vma.js';
import { vmaIterEnd, vmaIterLoad } from './vma_iter.js';

// mm/mlock.c: mlock, mlock2, munlock, mlockall and munlockall, as changes
// of VM_LOCKED / VM_LOCKONFAULT over ranges, with locked_vm kept and the
// memlock limit enforced.

/**
 * The kernel's vma_supports_mlock: special mappings, droppable ones and
 * hugetlb cannot be locked (mlock then leaves them unchanged and succeeds).
 */
export function kernelVmaSupportsMlock(vma: VmAreaStruct): boolean {
  const b = vma.vmMm.backend;
  if (b.testAnyMask(vma.flags, vmaFlagMasks(b).VMA_SPECIAL_FLAGS) || b.test(vma.flags, VMA_DROPPABLE_BIT)) return false;
  return !isVmHugetlbPage(vma);
}

/** mlock_fixup: give [start, end) of vma the lock bits of newflags and account locked_vm. */
export function mlockFixup(
  vmi: VmaIterator,
  vma: VmAreaStruct,
  pprev: Ref<VmAreaStruct | null>,
  start: number,
  end: number,
  newflags: VmaFlags,
): number {
  const mm = vma.vmMm;
  const b = mm.backend;
  const oldLocked = b.test(vma.flags, VMA_LOCKED_BIT);
  if (b.samePair(newflags, vma.flags) || !vmaSupportsMlock(vma)) {
    pprev.value = vma;
    return 0;
  }
  const ret = vmaModifyFlags(vmi, pprev.value, vma, start, end, newflags);
  if (IS_ERR(ret)) return ret;
  vma = ret;
  let nrPages = (end - start) / PAGE_SIZE;
  if (!b.test(newflags, VMA_LOCKED_BIT)) nrPages = -nrPages;
  else if (oldLocked) nrPages = 0;
  mm.lockedVm += nrPages;
  vmFlagsReset(vma, newflags);
  pprev.value = vma;
  return 0;
}

/** apply_vma_lock_flags: the range must be mapped without holes. */
function applyVmaLockFlags(mm: MmStruct, start: number, len: number, lockBits: readonly number[]): number {
  const b = mm.backend;
  const end = start + len;
  if (end < start) return -EINVAL;
  if (end === start) return 0;
  const vmi = VMA_ITERATOR(mm, start);
  let vma = vmaIterLoad(vmi);
  if (vma === null) return -ENOMEM;
  const pprev = ref(vmaPrev(vmi));
  if (start > vma.vmStart) pprev.value = vma;
  let nstart = start;
  let tmp = vma.vmStart;
  const walk = VMA_ITERATOR(mm, start);
  for (vma = vmaFind(walk, end); vma !== null; vma = vmaFind(walk, end)) {
    if (vma.vmStart !== tmp) return -ENOMEM;
    const newflags = b.copy(vma.flags);
    b.clear(newflags, VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT);
    if (lockBits.length > 0) b.set(newflags, ...lockBits);
    tmp = Math.min(vma.vmEnd, end);
    const error = mlockFixup(walk, vma, pprev, nstart, tmp, newflags);
    if (error !== 0) return error;
    tmp = vmaIterEnd(walk);
    nstart = tmp;
  }
  if (tmp < end) return -ENOMEM;
  return 0;
}

/** Locked pages already in [start, start + len): they do not count twice against the limit. */
function countMmMlockedPageNr(mm: MmStruct, start: number, len: number): number {
  const b = mm.backend;
  const end = start + len;
  let count = 0;
  const vmi = VMA_ITERATOR(mm, start);
  for (const vma of forEachVma(vmi)) {
    if (vma.vmStart >= end) break;
    if (b.test(vma.flags, VMA_LOCKED_BIT))
      count += (Math.min(end, vma.vmEnd) - Math.max(start, vma.vmStart)) / PAGE_SIZE;
  }
  return count;
}

/** __mlock_posix_error_return: population errors as POSIX wants them. */
function mlockPosixErrorReturn(error: number): number {
  if (error === -EFAULT) return -ENOMEM;
  if (error === -ENOMEM) return -EAGAIN;
  return error;
}

/** do_mlock: mlock (flags 0) and mlock2 (MLOCK_ONFAULT). */
export function doMlock(mm: MmStruct, start: number, len: number, flags: number): number {
  if (flags & ~MLOCK_ONFAULT) return -EINVAL;
  if (!canDoMlock(mm)) return -EPERM;
  len = Math.ceil((len + (start % PAGE_SIZE)) / PAGE_SIZE) * PAGE_SIZE;
  start = Math.floor(start / PAGE_SIZE) * PAGE_SIZE;
  const limit = rlimit(mm, RLIMIT_MEMLOCK);
  const lockLimit = limit === RLIM_INFINITY ? Infinity : Math.floor(limit / PAGE_SIZE);
  let locked = len / PAGE_SIZE + mm.lockedVm;
  const cap = capable(mm, CAP_IPC_LOCK);
  if (locked > lockLimit && !cap) locked -= countMmMlockedPageNr(mm, start, len);
  if (!(locked <= lockLimit || cap)) return -ENOMEM;
  const bits = flags & MLOCK_ONFAULT ? [VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT] : [VMA_LOCKED_BIT];
  const error = applyVmaLockFlags(mm, start, len, bits);
  if (error !== 0) return error;
  const populated = __mmPopulate(mm, start, len, false);
  return populated < 0 ? mlockPosixErrorReturn(populated) : 0;
}

/** munlock */
export function doMunlock(mm: MmStruct, start: number, len: number): number {
  len = Math.ceil((len + (start % PAGE_SIZE)) / PAGE_SIZE) * PAGE_SIZE;
  start = Math.floor(start / PAGE_SIZE) * PAGE_SIZE;
  return applyVmaLockFlags(mm, start, len, []);
}

/** apply_mlockall_flags: def_flags for MCL_FUTURE, every VMA for MCL_CURRENT (errors ignored). */
function applyMlockallFlags(mm: MmStruct, flags: number): void {
  const b = mm.backend;
  b.clear(mm.defVmaFlags, VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT);
  if (flags & MCL_FUTURE) {
    b.set(mm.defVmaFlags, VMA_LOCKED_BIT);
    if (flags & MCL_ONFAULT) b.set(mm.defVmaFlags, VMA_LOCKONFAULT_BIT);
    if (!(flags & MCL_CURRENT)) return;
  }
  const toAdd: number[] = [];
  if (flags & MCL_CURRENT) {
    toAdd.push(VMA_LOCKED_BIT);
    if (flags & MCL_ONFAULT) toAdd.push(VMA_LOCKONFAULT_BIT);
  }
  const vmi = VMA_ITERATOR(mm, 0);
  const pprev = ref<VmAreaStruct | null>(null);
  for (let vma = vmaFind(vmi, Number.MAX_SAFE_INTEGER); vma !== null; vma = vmaFind(vmi, Number.MAX_SAFE_INTEGER)) {
    const newflags = b.copy(vma.flags);
    b.clear(newflags, VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT);
    if (toAdd.length > 0) b.set(newflags, ...toAdd);
    if (mlockFixup(vmi, vma, pprev, vma.vmStart, vma.vmEnd, newflags) !== 0) pprev.value = vma;
  }
}

/** mlockall */
export function doMlockall(mm: MmStruct, flags: number): number {
  if (flags === 0 || flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags === MCL_ONFAULT) return -EINVAL;
  if (!canDoMlock(mm)) return -EPERM;
  const limit = rlimit(mm, RLIMIT_MEMLOCK);
  const lockLimit = limit === RLIM_INFINITY ? Infinity : Math.floor(limit / PAGE_SIZE);
  if (flags & MCL_CURRENT && !(mm.totalVm <= lockLimit) && !capable(mm, CAP_IPC_LOCK)) return -ENOMEM;
  applyMlockallFlags(mm, flags);
  if (flags & MCL_CURRENT) mmPopulate(mm, 0, mm.internal.TASK_SIZE);
  return 0;
}

/** munlockall */
export function doMunlockall(mm: MmStruct): number {
  applyMlockallFlags(mm, 0);
  return 0;
}
