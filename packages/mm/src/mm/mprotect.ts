import {
  VMA_ACCOUNT_BIT,
  VMA_EXEC_BIT,
  VMA_GROWSDOWN_BIT,
  VMA_HUGETLB_BIT,
  VMA_LOCKED_BIT,
  VMA_MAYEXEC_BIT,
  VMA_MAYREAD_BIT,
  VMA_MAYWRITE_BIT,
  VMA_NORESERVE_BIT,
  VMA_READ_BIT,
  VMA_SEALED_BIT,
  VMA_SHARED_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import {
  securityVmEnoughMemoryMm,
  vmFlagsReset,
  vmStatAccount,
  vmUnacctMemory,
  vmaIsAnonymous,
  vmaStartWrite,
} from '../include/linux/mm.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import { READ_IMPLIES_EXEC } from '../include/linux/sched.js';
import {
  EACCES,
  EINVAL,
  ENOMEM,
  EPERM,
  IS_ERR,
  PAGE_SIZE,
  ref,
  type Ref,
  type VmaFlags,
} from '../include/linux/types.js';
import { VMA_ITERATOR, type VmaIterator, vmaFind, vmaIterSet, vmaPrev } from '../include/linux/vma_iterator.js';
import { PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_SEM, PROT_WRITE } from '../include/uapi/mman.js';
import { calcVmProtBits } from './mmap.js';
import { populateVmaPageRange } from './memory.js';
import { mapDenyWriteExec, vmaModifyFlags, vmaSetPageProt } from './vma.js';
import { vmaIterEnd } from './vma_iter.js';

// mm/mprotect.c: change the access rights of a range, VMA by VMA, splitting
// and merging as the new flags dictate, and charging commit for private
// memory that becomes writable.

/** vma_is_sealed (mm/vma.h): mseal()ed, on 64-bit only. */
export function vmaIsSealed(vma: VmAreaStruct): boolean {
  const b = vma.vmMm.backend;
  return b.config.bitsPerLong === 64 && b.test(vma.flags, VMA_SEALED_BIT);
}

/**
 * mprotect_fixup: give [start, end) of vma the flags newflags. Becoming
 * writable charges private memory that was not already accounted (it gets
 * VM_ACCOUNT); a private anonymous VMA without pages that stops being
 * writable gives its charge back. Returns the VMA now covering the range
 * through pprev, 0 or a negative errno.
 */
export function mprotectFixup(
  vmi: VmaIterator,
  vma: VmAreaStruct,
  pprev: Ref<VmAreaStruct | null>,
  start: number,
  end: number,
  newflags: VmaFlags,
): number {
  const mm = vma.vmMm;
  const b = mm.backend;
  if (vmaIsSealed(vma)) return -EPERM;
  if (b.samePair(newflags, vma.flags)) {
    pprev.value = vma;
    return 0;
  }
  const oldflags = b.copy(vma.flags);
  const nrpages = (end - start) / PAGE_SIZE;
  let charged = 0;
  if (b.test(newflags, VMA_WRITE_BIT)) {
    if (!b.testAny(oldflags, VMA_ACCOUNT_BIT, VMA_WRITE_BIT, VMA_HUGETLB_BIT, VMA_SHARED_BIT, VMA_NORESERVE_BIT)) {
      charged = nrpages;
      if (securityVmEnoughMemoryMm(mm, charged) !== 0) return -ENOMEM;
      b.set(newflags, VMA_ACCOUNT_BIT);
    }
  } else if (b.test(oldflags, VMA_ACCOUNT_BIT) && vmaIsAnonymous(vma) && vma.anonVma === null) {
    b.clear(newflags, VMA_ACCOUNT_BIT);
  }

  const ret = vmaModifyFlags(vmi, pprev.value, vma, start, end, newflags);
  if (IS_ERR(ret)) {
    if (charged !== 0) vmUnacctMemory(mm, charged);
    return ret;
  }
  vma = ret;
  pprev.value = vma;
  vmaStartWrite(vma);
  vmFlagsReset(vma, newflags);
  vmaSetPageProt(vma);

  if (b.test(oldflags, VMA_ACCOUNT_BIT) && !b.test(newflags, VMA_ACCOUNT_BIT)) vmUnacctMemory(mm, nrpages);

  // A locked private mapping that becomes writable is copied now rather than on first write.
  if (
    b.test(oldflags, VMA_LOCKED_BIT) &&
    !b.testAny(oldflags, VMA_WRITE_BIT, VMA_SHARED_BIT) &&
    b.test(newflags, VMA_WRITE_BIT)
  ) {
    populateVmaPageRange(vma, start, end);
  }
  vmStatAccount(mm, oldflags, -nrpages);
  vmStatAccount(mm, newflags, nrpages);
  return 0;
}

/**
 * do_mprotect_pkey without keys: the range must be mapped without holes
 * (-ENOMEM otherwise, after the VMAs before the hole were changed), and no
 * VMA may gain a right its VM_MAY* bits deny (-EACCES).
 */
export function doMprotect(mm: MmStruct, start: number, len: number, prot: number): number {
  const b = mm.backend;
  const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
  if (start % PAGE_SIZE !== 0) return -EINVAL;
  if (len === 0) return 0;
  len = Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  const end = start + len;
  if (end <= start) return -ENOMEM;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) return -EINVAL;

  const rier = (mm.internal.current.personality & READ_IMPLIES_EXEC) !== 0 && (prot & PROT_READ) !== 0;
  const reqprot = prot;
  const vmi = VMA_ITERATOR(mm, start);
  let vma = vmaFind(vmi, end);
  if (vma === null) return -ENOMEM;
  if (grows & PROT_GROWSDOWN) {
    if (vma.vmStart >= end) return -ENOMEM;
    start = vma.vmStart;
    if (!b.test(vma.flags, VMA_GROWSDOWN_BIT)) return -EINVAL;
  } else if (vma.vmStart > start) {
    return -ENOMEM;
  }

  const pprev = ref(vmaPrev(vmi));
  if (start > vma.vmStart) pprev.value = vma;
  let tmp = vma.vmStart;
  let nstart = start;
  let error = 0;
  // The walk starts again at start on the same iterator: a fresh position
  // there finds the VMA found above first, as the kernel's for_each_vma_range
  // after vma_prev does.
  vmaIterSet(vmi, start);
  for (vma = vmaFind(vmi, end); vma !== null; vma = vmaFind(vmi, end)) {
    if (rier && b.test(vma.flags, VMA_MAYEXEC_BIT)) prot |= PROT_EXEC;
    if (vma.vmStart !== tmp) {
      error = -ENOMEM;
      break;
    }
    const newflags = b.copy(vma.flags);
    b.clear(newflags, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
    calcVmProtBits(b, newflags, prot);
    if (
      (b.test(newflags, VMA_READ_BIT) && !b.test(newflags, VMA_MAYREAD_BIT)) ||
      (b.test(newflags, VMA_WRITE_BIT) && !b.test(newflags, VMA_MAYWRITE_BIT)) ||
      (b.test(newflags, VMA_EXEC_BIT) && !b.test(newflags, VMA_MAYEXEC_BIT))
    ) {
      error = -EACCES;
      break;
    }
    if (mapDenyWriteExec(mm, vma.flags, newflags)) {
      error = -EACCES;
      break;
    }
    tmp = Math.min(vma.vmEnd, end);
    error = mprotectFixup(vmi, vma, pprev, nstart, tmp, newflags);
    if (error !== 0) break;
    tmp = vmaIterEnd(vmi);
    nstart = tmp;
    prot = reqprot;
  }
  if (error === 0 && tmp < end) error = -ENOMEM;
  return error;
}
