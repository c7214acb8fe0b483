import { VMA_SEALED_BIT } from '@vmaflags/core';
import { pageAlignedRangeEnd, vmFlagsReset } from '../include/linux/mm.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import { EINVAL, ENOMEM, EPERM, IS_ERR } from '../include/linux/types.js';
import { VMA_ITERATOR, vmaFind, vmaPrev } from '../include/linux/vma_iterator.js';
import { vmaModifyFlags } from './vma.js';
import { vmaIterEnd } from './vma_iter.js';

// mm/mseal.c: seal a fully mapped range against unmapping, moving,
// protection changes and discarding advice (VM_SEALED, 64-bit only).

/** do_mseal: flags must be 0; the whole range must be mapped (-ENOMEM otherwise). */
export function doMseal(mm: MmStruct, start: number, lenIn: number, flags: number): number {
  const b = mm.backend;
  if (b.config.bitsPerLong !== 64) return -EPERM;
  if (flags !== 0) return -EINVAL;
  const end = pageAlignedRangeEnd(start, lenIn);
  if (end < 0) return end;
  if (end === start) return 0;

  // Every page of the range must be mapped before anything is sealed.
  let nstart = start;
  const check = VMA_ITERATOR(mm, start);
  for (let vma = vmaFind(check, end); vma !== null; vma = vmaFind(check, end)) {
    if (vma.vmStart > nstart) return -ENOMEM;
    nstart = vma.vmEnd;
  }
  if (nstart < end) return -ENOMEM;

  const vmi = VMA_ITERATOR(mm, start);
  let prev: VmAreaStruct | null = vmaPrev(VMA_ITERATOR(mm, start));
  let curr = start;
  for (let vma = vmaFind(vmi, end); vma !== null; vma = vmaFind(vmi, end)) {
    if (vma.vmStart < start) prev = vma;
    const currEnd = Math.min(vma.vmEnd, end);
    if (!b.test(vma.flags, VMA_SEALED_BIT)) {
      const newFlags = b.copy(vma.flags);
      b.set(newFlags, VMA_SEALED_BIT);
      const ret = vmaModifyFlags(vmi, prev, vma, curr, currEnd, newFlags);
      if (IS_ERR(ret)) return ret;
      vmFlagsReset(ret, newFlags);
      vma = ret;
    }
    prev = vma;
    curr = vmaIterEnd(vmi);
  }
  return 0;
}
