import {
  VMA_ACCOUNT_BIT,
  VMA_DONTDUMP_BIT,
  VMA_DROPPABLE_BIT,
  VMA_EXEC_BIT,
  VMA_GROWSDOWN_BIT,
  VMA_LOCKED_BIT,
  VMA_MAYEXEC_BIT,
  VMA_MAYREAD_BIT,
  VMA_MAYSHARE_BIT,
  VMA_MAYWRITE_BIT,
  VMA_NOHUGEPAGE_BIT,
  VMA_NORESERVE_BIT,
  VMA_READ_BIT,
  VMA_SHARED_BIT,
  VMA_WIPEONFORK_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import { FMODE_READ, FMODE_WRITE, type File } from '../include/linux/fs.js';
import { capable, mayExpandVm, rlimit, vmStatAccount, vmaStartWrite } from '../include/linux/mm.js';
import { anonVmaPrepare } from '../include/linux/rmap.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import { READ_IMPLIES_EXEC } from '../include/linux/sched.js';
import {
  EACCES,
  EAGAIN,
  EEXIST,
  EFAULT,
  EINVAL,
  ENODEV,
  ENOMEM,
  EOPNOTSUPP,
  EOVERFLOW,
  EPERM,
  PAGE_SIZE,
  type Backend,
  type PgoffT,
  type VmaFlags,
} from '../include/linux/types.js';
import { VMA_ITERATOR, findVmaIntersection, vmaNext, vmaPrev } from '../include/linux/vma_iterator.js';
import {
  CAP_IPC_LOCK,
  LEGACY_MAP_MASK,
  MAP_DROPPABLE,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN,
  MAP_LOCKED,
  MAP_NONBLOCK,
  MAP_NORESERVE,
  MAP_POPULATE,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_SHARED_VALIDATE,
  MAP_STACK,
  MAP_TYPE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  RLIMIT_AS,
  RLIMIT_DATA,
  RLIMIT_MEMLOCK,
  RLIMIT_STACK,
  RLIM_INFINITY,
} from '../include/uapi/mman.js';
import { doVmiMunmap, mmapRegion } from './vma.js';
import { vmaIterConfig, vmaIterPrealloc, vmaIterStoreOverwrite } from './vma_iter.js';

// mm/mmap.c at the system-call level: mmap's translation of prot and flags
// into VMA flags and its checks, the search for a free range, munmap, the
// address-space limits, and growing a stack VMA downwards. The VMA work
// itself is mm/vma.c's.

/** calc_vm_prot_bits: PROT_* to VM_READ/WRITE/EXEC (no protection keys on this model's CPUs). */
export function calcVmProtBits(b: Backend, flags: VmaFlags, prot: number): void {
  if (prot & PROT_READ) b.set(flags, VMA_READ_BIT);
  if (prot & PROT_WRITE) b.set(flags, VMA_WRITE_BIT);
  if (prot & PROT_EXEC) b.set(flags, VMA_EXEC_BIT);
}

/** calc_vm_flag_bits: the MAP_* flags that become VMA flags (MAP_STACK asks for no THP). */
export function calcVmFlagBits(b: Backend, flags: VmaFlags, mapFlags: number, thp: boolean): void {
  if (mapFlags & MAP_GROWSDOWN) b.set(flags, VMA_GROWSDOWN_BIT);
  if (mapFlags & MAP_LOCKED) b.set(flags, VMA_LOCKED_BIT);
  if (thp && mapFlags & MAP_STACK) b.set(flags, VMA_NOHUGEPAGE_BIT);
}

/** can_do_mlock: a memlock limit, or CAP_IPC_LOCK. */
export function canDoMlock(mm: MmStruct): boolean {
  return rlimit(mm, RLIMIT_MEMLOCK) !== 0 || capable(mm, CAP_IPC_LOCK);
}

/** mlock_future_ok: whether bytes more of locked memory stay within RLIMIT_MEMLOCK. */
export function mlockFutureOk(mm: MmStruct, flags: VmaFlags, bytes: number): boolean {
  if (!mm.backend.test(flags, VMA_LOCKED_BIT) || capable(mm, CAP_IPC_LOCK)) return true;
  const limit = rlimit(mm, RLIMIT_MEMLOCK);
  if (limit === RLIM_INFINITY) return true;
  return bytes / PAGE_SIZE + mm.lockedVm <= Math.floor(limit / PAGE_SIZE);
}

/**
 * may_expand_vm as the kernel has it: RLIMIT_AS over total_vm, and RLIMIT_DATA over the pages
 * counted as data (private writable, not stack).
 */
export function kernelMayExpandVm(mm: MmStruct, flags: VmaFlags, npages: number): boolean {
  const asLimit = rlimit(mm, RLIMIT_AS);
  if (asLimit !== RLIM_INFINITY && mm.totalVm + npages > Math.floor(asLimit / PAGE_SIZE)) return false;
  const b = mm.backend;
  const isData = b.test(flags, VMA_WRITE_BIT) && !b.test(flags, VMA_SHARED_BIT) && !b.test(flags, VMA_GROWSDOWN_BIT);
  if (isData) {
    const dataLimit = rlimit(mm, RLIMIT_DATA);
    if (dataLimit !== RLIM_INFINITY && mm.dataVm + npages > Math.floor(dataLimit / PAGE_SIZE)) return false;
  }
  return true;
}

/** vm_start_gap: a stack VMA keeps stack_guard_gap free below itself. */
export function vmStartGap(vma: VmAreaStruct): number {
  if (!vma.vmMm.backend.test(vma.flags, VMA_GROWSDOWN_BIT)) return vma.vmStart;
  return Math.max(0, vma.vmStart - vma.vmMm.internal.stackGuardGap);
}

/** vm_end_gap: no upward-growing stacks on x86. */
export function vmEndGap(vma: VmAreaStruct): number {
  return vma.vmEnd;
}

/**
 * unmapped_area_topdown: the highest free range of len bytes below
 * mm.mmapBase, guard gaps respected; -ENOMEM if there is none.
 */
export function unmappedAreaTopdown(mm: MmStruct, len: number): number {
  const low = Math.max(mm.internal.mmapMinAddr, PAGE_SIZE);
  const vmi = VMA_ITERATOR(mm, mm.mmapBase);
  let gapEnd = mm.mmapBase;
  for (let vma = vmaPrev(vmi); ; vma = vmaPrev(vmi)) {
    const gapStart = vma === null ? low : Math.max(low, vmEndGap(vma));
    if (gapEnd - gapStart >= len) return gapEnd - len;
    if (vma === null) return -ENOMEM;
    gapEnd = vmStartGap(vma);
  }
}

/**
 * get_unmapped_area (x86_64 top-down layout): MAP_FIXED takes addr as is; a
 * hint is taken when the range is free with the guard gaps around it;
 * anything else searches down from mmap_base.
 */
export function getUnmappedArea(mm: MmStruct, addr: number, len: number, mapFlags: number): number {
  const taskSize = mm.internal.TASK_SIZE;
  if (len > taskSize) return -ENOMEM;
  if (mapFlags & MAP_FIXED) {
    if (addr > taskSize - len) return -ENOMEM;
    return addr;
  }
  if (addr !== 0) {
    addr = Math.ceil(addr / PAGE_SIZE) * PAGE_SIZE;
    const vmi = VMA_ITERATOR(mm, addr);
    const vma = vmaNext(vmi);
    const prev = vmaPrev(VMA_ITERATOR(mm, addr));
    if (
      taskSize - len >= addr &&
      addr >= mm.internal.mmapMinAddr &&
      (vma === null || addr + len <= vmStartGap(vma)) &&
      (prev === null || addr >= vmEndGap(prev))
    ) {
      return addr;
    }
  }
  return unmappedAreaTopdown(mm, len);
}

/** What do_mmap() is asked for, and what it answers besides the address. */
export interface MmapRequest {
  /** The file to map; null for an anonymous mapping. */
  file: File | null;
  /** The address asked for, in bytes: a hint, or the exact place with MAP_FIXED or MAP_FIXED_NOREPLACE. */
  addr: number;
  /** The length in bytes; rounded up to whole pages. */
  len: number;
  /** PROT_* bits: the access asked for. */
  prot: number;
  /** MAP_* bits: the mapping type and its modifiers. */
  flags: number;
  /** The offset into the file, in pages. */
  pgoff: PgoffT;
  /** Set to the length to populate after the mapping is made (0: none). */
  populate: number;
}

/**
 * do_mmap: validate, choose the address, compute the VMA flags and map.
 * Returns the address or a negative errno.
 */
export function doMmap(mm: MmStruct, req: MmapRequest, thp: boolean, overcommitNever: boolean): number {
  const b = mm.backend;
  const { file } = req;
  let { addr, len, prot, flags, pgoff } = req;
  req.populate = 0;
  if (len === 0) return -EINVAL;

  if (prot & PROT_READ && mm.internal.current.personality & READ_IMPLIES_EXEC && !file?.pathNoexec) prot |= PROT_EXEC;
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  if (!(flags & MAP_FIXED)) addr = roundHintToMin(mm, addr);

  len = Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (len === 0 || len > mm.internal.TASK_SIZE) return -ENOMEM;
  if (pgoff + len / PAGE_SIZE > Number.MAX_SAFE_INTEGER) return -EOVERFLOW;
  if (mm.mapCount > mm.internal.sysctlMaxMapCount) return -ENOMEM;

  // MAP_SHARED_VALIDATE and MAP_DROPPABLE are new types; an unknown type fails below.
  addr = getUnmappedArea(mm, addr, len, flags);
  if (addr < 0) return addr;

  if (flags & MAP_FIXED_NOREPLACE && findVmaIntersection(mm, addr, addr + len) !== null) return -EEXIST;

  const vmFlags = b.mk(VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT);
  calcVmProtBits(b, vmFlags, prot);
  calcVmFlagBits(b, vmFlags, flags, thp);
  b.setMask(vmFlags, mm.defVmaFlags);

  if (flags & MAP_LOCKED && !canDoMlock(mm)) return -EPERM;
  if (!mlockFutureOk(mm, vmFlags, len)) return -EAGAIN;

  const type = flags & MAP_TYPE;
  if (file !== null) {
    if (!fileMmapOk(pgoff, len)) return -EOVERFLOW;
    if (type === MAP_SHARED || type === MAP_SHARED_VALIDATE) {
      // Only MAP_SHARED_VALIDATE refuses flags it does not know (MAP_SYNC is for DAX files).
      if (type === MAP_SHARED) flags &= LEGACY_MAP_MASK;
      else if (flags & ~LEGACY_MAP_MASK) return -EOPNOTSUPP;
      if (prot & PROT_WRITE && !(file.fMode & FMODE_WRITE)) return -EACCES;
      b.set(vmFlags, VMA_SHARED_BIT, VMA_MAYSHARE_BIT);
      if (!(file.fMode & FMODE_WRITE)) b.clear(vmFlags, VMA_MAYWRITE_BIT, VMA_SHARED_BIT);
    } else if (type !== MAP_PRIVATE) {
      return -EINVAL;
    }
    // The read and exec checks apply to shared and private mappings alike.
    if (!(file.fMode & FMODE_READ)) return -EACCES;
    if (file.pathNoexec) {
      if (b.test(vmFlags, VMA_EXEC_BIT)) return -EPERM;
      b.clear(vmFlags, VMA_MAYEXEC_BIT);
    }
    if (file.fOp.mmap === undefined && file.fOp.mmapPrepare === undefined) return -ENODEV;
    if (b.test(vmFlags, VMA_GROWSDOWN_BIT)) return -EINVAL;
  } else {
    // Anonymous memory knows only the legacy MAP_SHARED, not MAP_SHARED_VALIDATE.
    switch (type) {
      case MAP_SHARED:
        if (b.test(vmFlags, VMA_GROWSDOWN_BIT)) return -EINVAL;
        // A shared anonymous mapping is a fresh shmem object: offsets start at 0.
        pgoff = 0;
        b.set(vmFlags, VMA_SHARED_BIT, VMA_MAYSHARE_BIT);
        break;
      case MAP_DROPPABLE:
        if (flags & MAP_LOCKED || b.test(vmFlags, VMA_GROWSDOWN_BIT)) return -EINVAL;
        // Droppable memory is never committed: the kernel may discard it under pressure.
        b.set(vmFlags, VMA_DROPPABLE_BIT, VMA_WIPEONFORK_BIT, VMA_DONTDUMP_BIT, VMA_NORESERVE_BIT);
        pgoff = addr / PAGE_SIZE;
        break;
      case MAP_PRIVATE:
        pgoff = addr / PAGE_SIZE;
        break;
      default:
        return -EINVAL;
    }
  }

  if (flags & MAP_NORESERVE && !overcommitNever) b.set(vmFlags, VMA_NORESERVE_BIT);

  const ret = mmapRegion(mm, file, addr, len, vmFlags, pgoff, null);
  if (ret >= 0 && (b.test(vmFlags, VMA_LOCKED_BIT) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) === MAP_POPULATE))
    req.populate = len;
  return ret;
}

/** MAX_LFS_FILESIZE: the largest byte offset a regular file may have. */
const MAX_LFS_FILESIZE = 2n ** 63n - 1n;

/** file_mmap_ok: the mapping must end within the largest possible file. */
function fileMmapOk(pgoff: PgoffT, len: number): boolean {
  const off = BigInt(pgoff) * BigInt(PAGE_SIZE);
  return off < MAX_LFS_FILESIZE && MAX_LFS_FILESIZE - off >= BigInt(len);
}

/** round_hint_to_min: a hint below mmap_min_addr is moved up to it. */
function roundHintToMin(mm: MmStruct, hint: number): number {
  hint = Math.floor(hint / PAGE_SIZE) * PAGE_SIZE;
  const min = mm.internal.mmapMinAddr;
  if (hint !== 0 && hint < min) return Math.ceil(min / PAGE_SIZE) * PAGE_SIZE;
  return hint;
}

/** __vm_munmap / the munmap system call: the range must be page aligned. */
export function vmMunmap(mm: MmStruct, start: number, len: number): number {
  const vmi = VMA_ITERATOR(mm, start);
  return doVmiMunmap(vmi, mm, start, len, null, false);
}

/**
 * acct_stack_growth: a stack may grow while it stays within RLIMIT_STACK,
 * the address-space limits, the memlock limit and the commit limit.
 */
function acctStackGrowth(vma: VmAreaStruct, size: number, grow: number): number {
  const mm = vma.vmMm;
  const b = mm.backend;
  if (!mayExpandVm(mm, vma.flags, grow)) return -ENOMEM;
  const stackLimit = rlimit(mm, RLIMIT_STACK);
  if (stackLimit !== RLIM_INFINITY && size > stackLimit) return -ENOMEM;
  if (!mlockFutureOk(mm, vma.flags, grow * PAGE_SIZE)) return -ENOMEM;
  if (b.test(vma.flags, VMA_ACCOUNT_BIT) && mm.internal.securityVmEnoughMemoryMm(mm, grow) !== 0) return -ENOMEM;
  return 0;
}

/**
 * expand_downwards: grow a VM_GROWSDOWN VMA down to cover address, keeping
 * stack_guard_gap to an accessible VMA below that is not itself a stack.
 */
export function expandDownwards(vma: VmAreaStruct, address: number): number {
  const mm = vma.vmMm;
  const b = mm.backend;
  if (!b.test(vma.flags, VMA_GROWSDOWN_BIT)) return -EFAULT;
  address = Math.floor(address / PAGE_SIZE) * PAGE_SIZE;
  if (address < mm.internal.mmapMinAddr) return -EPERM;

  const prev = vmaPrev(VMA_ITERATOR(mm, vma.vmStart));
  if (prev !== null) {
    const accessible = b.testAny(prev.flags, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
    if (!b.test(prev.flags, VMA_GROWSDOWN_BIT) && accessible && address - prev.vmEnd < mm.internal.stackGuardGap)
      return -ENOMEM;
  }
  if (anonVmaPrepare(vma) !== 0) return -ENOMEM;

  if (address < vma.vmStart) {
    const size = vma.vmEnd - address;
    const grow = (vma.vmStart - address) / PAGE_SIZE;
    if (grow <= vma.vmPgoff) {
      const error = acctStackGrowth(vma, size, grow);
      if (error !== 0) return error;
      if (b.test(vma.flags, VMA_LOCKED_BIT)) mm.lockedVm += grow;
      vmStatAccount(mm, vma.flags, grow);
      const vmi = VMA_ITERATOR(mm, address);
      vmaIterConfig(vmi, address, vma.vmEnd);
      if (vmaIterPrealloc(vmi, vma) !== 0) return -ENOMEM;
      vmaStartWrite(vma);
      vma.vmStart = address;
      vma.vmPgoff -= grow;
      vmaIterStoreOverwrite(vmi, vma);
    }
  }
  return 0;
}

/** vma_pages of every VMA intersecting [start, end), clipped: count_vma_pages_range. */
export function countVmaPagesRange(mm: MmStruct, start: number, end: number): number {
  let n = 0;
  const vmi = VMA_ITERATOR(mm, start);
  for (let vma = vmaNext(vmi); vma !== null && vma.vmStart < end; vma = vmaNext(vmi)) {
    n += (Math.min(end, vma.vmEnd) - Math.max(start, vma.vmStart)) / PAGE_SIZE;
  }
  return n;
}
