import {
  VMA_ACCOUNT_BIT,
  VMA_DONTCOPY_BIT,
  VMA_LOCKED_BIT,
  VMA_LOCKONFAULT_BIT,
  VMA_MAYBE_GUARD_BIT,
  VMA_WIPEONFORK_BIT,
} from '@vmaflags/core';
import { mappingAllowWritable } from '../include/linux/fs.js';
import {
  getFile,
  securityVmEnoughMemoryMm,
  vmAreaDup,
  vmStatAccount,
  vmaDupPolicy,
  vmaIsSharedMaywrite,
  vmaMarkAttached,
  vmaPages,
} from '../include/linux/mm.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import { ENOMEM, PAGE_SIZE } from '../include/linux/types.js';
import { VMA_ITERATOR, forEachVma } from '../include/linux/vma_iterator.js';
import { anonVmaFork } from '../mm/rmap.js';

// dup_mmap (kernel/fork.c, mm/mmap.c in newer trees): the child's address
// space is a VMA-for-VMA copy of the parent's, without merging, minus
// MADV_DONTFORK VMAs; MADV_WIPEONFORK VMAs start empty; locks are not
// inherited; each copied VMA with anonymous pages gets its own anon_vma
// below the parent's (or adopts an unused one).

/** dup_mmap: fill child (fresh, of the same backend) from parent. 0 or -ENOMEM. */
export function dupMmap(child: MmStruct, parent: MmStruct): number {
  const b = parent.backend;
  child.totalVm = parent.totalVm;
  child.dataVm = parent.dataVm;
  child.execVm = parent.execVm;
  child.stackVm = parent.stackVm;
  child.hiwaterVm = parent.hiwaterVm;
  child.lockedVm = 0;
  child.pinnedVm = 0;
  child.mmapBase = parent.mmapBase;
  child.startStack = parent.startStack;
  child.flags = parent.flags;
  b.clearAll(child.defVmaFlags);

  for (const mpnt of forEachVma(VMA_ITERATOR(parent, 0))) {
    if (b.test(mpnt.flags, VMA_DONTCOPY_BIT)) {
      vmStatAccount(child, mpnt.flags, -vmaPages(mpnt));
      continue;
    }
    if (b.test(mpnt.flags, VMA_ACCOUNT_BIT) && securityVmEnoughMemoryMm(parent, vmaPages(mpnt)) !== 0) return -ENOMEM;
    const tmp: VmAreaStruct = vmAreaDup(mpnt);
    tmp.vmMm = child;
    if (vmaDupPolicy(mpnt, tmp) !== 0) return -ENOMEM;
    if (b.test(tmp.flags, VMA_WIPEONFORK_BIT)) tmp.anonVma = null;
    else if (anonVmaFork(tmp, mpnt) !== 0) return -ENOMEM;
    b.clear(tmp.flags, VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT);
    // The child's VMA holds its own reference on the file and, if shared and
    // writable, counts as one more writable mapping of it.
    if (tmp.vmFile !== null) {
      getFile(child, tmp.vmFile);
      if (vmaIsSharedMaywrite(tmp) && tmp.vmFile.fMapping !== null) mappingAllowWritable(tmp.vmFile.fMapping);
    }
    child.mmMt.store(tmp.vmStart, tmp.vmEnd - 1, tmp);
    vmaMarkAttached(tmp);
    child.mapCount++;
    if (tmp.vmOps?.open !== undefined) tmp.vmOps.open(tmp);
    // Page tables (here: guard markers) are copied only where there can be
    // anonymous pages or guard markers (vma_needs_copy).
    if (!b.test(tmp.flags, VMA_WIPEONFORK_BIT) && (mpnt.anonVma !== null || b.test(mpnt.flags, VMA_MAYBE_GUARD_BIT))) {
      for (let addr = mpnt.vmStart; addr < mpnt.vmEnd; addr += PAGE_SIZE) {
        if (parent.guardPtes.has(addr / PAGE_SIZE)) child.guardPtes.add(addr / PAGE_SIZE);
      }
    }
  }
  return 0;
}
