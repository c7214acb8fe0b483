import {
  VMA_EXEC_BIT,
  VMA_GROWSDOWN_BIT,
  VMA_IO_BIT,
  VMA_LOCKONFAULT_BIT,
  VMA_PFNMAP_BIT,
  VMA_READ_BIT,
  VMA_SHARED_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import { anonVmaPrepare } from '../include/linux/rmap.js';
import { EFAULT, PAGE_SIZE } from '../include/linux/types.js';
import { VMA_ITERATOR, findVmaIntersection, vmaNext } from '../include/linux/vma_iterator.js';
import { expandDownwards } from './mmap.js';

// mm/memory.c's fault handling and mm/gup.c's population, reduced to what
// decides the outcome and what the VMA code can see: whether the access is
// allowed (arch/x86/mm/fault.c), whether the page lies inside the file, guard
// markers, stack growth, and the anon_vma a private write needs.

/** The outcome of a fault: handled, or the signal the task gets. */
export const VM_FAULT_OK = 0;
/** VM_FAULT_SIGBUS: the page cannot be provided (one past the end of the file, or no anon_vma for a private copy); the task gets SIGBUS. */
export const VM_FAULT_SIGBUS = 0x2;
/** VM_FAULT_SIGSEGV: no mapping allows the access, or the page is guarded; the task gets SIGSEGV. */
export const VM_FAULT_SIGSEGV = 0x40;
/** vm_fault_t, narrowed to the three outcomes the model produces. */
export type VmFaultReason = typeof VM_FAULT_OK | typeof VM_FAULT_SIGBUS | typeof VM_FAULT_SIGSEGV;

/**
 * unmap_vmas: the page tables of [start, end) go, guard markers with them
 * (what zapping can observably remove here).
 */
export function unmapVmas(mm: MmStruct, start: number, end: number): void {
  const first = start / PAGE_SIZE;
  const last = end / PAGE_SIZE;
  if (mm.guardPtes.size === 0) return;
  if (mm.guardPtes.size < last - first) {
    for (const page of mm.guardPtes) if (page >= first && page < last) mm.guardPtes.delete(page);
  } else {
    for (let page = first; page < last; page++) mm.guardPtes.delete(page);
  }
}

/** vma_is_accessible: any of read, write, exec. */
export function vmaIsAccessible(vma: VmAreaStruct): boolean {
  return vma.vmMm.backend.testAny(vma.flags, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
}

/** find_vma: the first VMA ending above addr. */
export function findVma(mm: MmStruct, addr: number): VmAreaStruct | null {
  return vmaNext(VMA_ITERATOR(mm, addr));
}

/**
 * handle_mm_fault for one page of vma: a guard marker is SIGSEGV, a page
 * past the end of the backing file SIGBUS; a write to a private mapping
 * needs an anon_vma for its copy (prepared before the file is read, so even
 * a write that ends in SIGBUS leaves one behind).
 */
export function handleMmFault(vma: VmAreaStruct, addr: number, write: boolean): VmFaultReason {
  const mm = vma.vmMm;
  const page = Math.floor(addr / PAGE_SIZE);
  if (mm.guardPtes.has(page)) return VM_FAULT_SIGSEGV;
  const b = mm.backend;
  const shared = b.test(vma.flags, VMA_SHARED_BIT);
  if (write && !shared && anonVmaPrepare(vma) !== 0) return VM_FAULT_SIGBUS;
  const file = vma.vmFile;
  if (file !== null) {
    const pgoff = vma.vmPgoff + (page * PAGE_SIZE - vma.vmStart) / PAGE_SIZE;
    if (pgoff >= Math.ceil(file.fInode.iSize / PAGE_SIZE)) return VM_FAULT_SIGBUS;
  }
  return VM_FAULT_OK;
}

/**
 * A user access to addr (do_user_addr_fault on x86): find the VMA, growing
 * a stack down to it if need be; writes need VM_WRITE, reads any access
 * right; then the fault itself.
 */
export function doUserAddrFault(mm: MmStruct, addr: number, write: boolean): VmFaultReason {
  let vma = findVma(mm, addr);
  if (vma === null) return VM_FAULT_SIGSEGV;
  const b = mm.backend;
  if (vma.vmStart > addr) {
    if (!b.test(vma.flags, VMA_GROWSDOWN_BIT)) return VM_FAULT_SIGSEGV;
    if (expandDownwards(vma, addr) !== 0) return VM_FAULT_SIGSEGV;
    vma = findVma(mm, addr)!;
  }
  if (write ? !b.test(vma.flags, VMA_WRITE_BIT) : !vmaIsAccessible(vma)) return VM_FAULT_SIGSEGV;
  return handleMmFault(vma, addr, write);
}

/**
 * populate_vma_page_range: fault in [start, end) of vma as get_user_pages
 * does for mlock/MAP_POPULATE: private writable mappings with write faults
 * (to break COW), others with reads; lock-on-fault VMAs are left alone and
 * inaccessible ones fail. Returns the pages done, or -EFAULT at a page that
 * cannot be faulted in (after the earlier pages).
 */
export function populateVmaPageRange(vma: VmAreaStruct, start: number, end: number): number {
  const b = vma.vmMm.backend;
  if (b.test(vma.flags, VMA_LOCKONFAULT_BIT)) return (end - start) / PAGE_SIZE;
  if (!vmaIsAccessible(vma)) return -EFAULT;
  const write = b.test(vma.flags, VMA_WRITE_BIT) && !b.test(vma.flags, VMA_SHARED_BIT);
  for (let addr = start; addr < end; addr += PAGE_SIZE) {
    if (handleMmFault(vma, addr, write) !== VM_FAULT_OK) return -EFAULT;
  }
  return (end - start) / PAGE_SIZE;
}

/**
 * __mm_populate: populate every VMA in [start, start + len) except I/O and
 * PFN maps. With ignoreErrors (mmap, mlockall) a failing VMA is skipped;
 * otherwise its error ends the walk and is returned.
 */
export function __mmPopulate(mm: MmStruct, start: number, len: number, ignoreErrors: boolean): number {
  const end = start + len;
  const b = mm.backend;
  for (let nstart = start; nstart < end; ) {
    const vma = findVmaIntersection(mm, nstart, end);
    if (vma === null) break;
    const nend = Math.min(end, vma.vmEnd);
    if (b.testAny(vma.flags, VMA_IO_BIT, VMA_PFNMAP_BIT)) {
      nstart = nend;
      continue;
    }
    if (nstart < vma.vmStart) nstart = vma.vmStart;
    const ret = populateVmaPageRange(vma, nstart, nend);
    if (ret < 0) {
      if (!ignoreErrors) return ret;
      nstart = nend;
      continue;
    }
    nstart = nend;
  }
  return 0;
}

/** mm_populate: populate, ignoring errors. */
export function mmPopulate(mm: MmStruct, start: number, len: number): void {
  __mmPopulate(mm, start, len, true);
}
