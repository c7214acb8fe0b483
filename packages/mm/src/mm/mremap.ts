import {
  VMA_ACCOUNT_BIT,
  VMA_DONTEXPAND_BIT,
  VMA_LOCKED_BIT,
  VMA_LOCKONFAULT_BIT,
  VMA_MAYSHARE_BIT,
  VMA_PFNMAP_BIT,
} from '@vmaflags/core';
import {
  mayExpandVm,
  securityVmEnoughMemoryMm,
  vmAcctMemory,
  vmFlagsClear,
  vmFlagsSet,
  vmStatAccount,
  vmUnacctMemory,
} from '../include/linux/mm.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import { unlinkAnonVmas } from '../include/linux/rmap.js';
import { EAGAIN, EFAULT, EINVAL, ENOMEM, EPERM, PAGE_SIZE, ref } from '../include/linux/types.js';
import {
  VMA_ITERATOR,
  findVmaIntersection,
  vmaFind,
  vmaIterSet,
  vmaLookup,
  vmaNext,
  vmaPrev,
} from '../include/linux/vma_iterator.js';
import { MAP_FIXED, MAP_SHARED, MREMAP_DONTUNMAP, MREMAP_FIXED, MREMAP_MAYMOVE } from '../include/uapi/mman.js';
import { mmPopulate } from './memory.js';
import { getUnmappedArea, mlockFutureOk } from './mmap.js';
import { vmaIsSealed } from './mprotect.js';
import { copyVma, doVmiMunmap, vmaMergeExtend } from './vma.js';

// mm/mremap.c: resize a mapping in place, or move it (with its pages, page
// tables and guard markers) elsewhere, optionally leaving the source mapped
// (MREMAP_DONTUNMAP); a MREMAP_FIXED move of the same size may span several
// VMAs. Accounting follows the pages: a move only charges what grows.

enum RemapType {
  NoResize,
  Shrink,
  Expand,
}

/** struct vma_remap_struct: one mremap() request and its progress. */
interface VmaRemapStruct {
  mm: MmStruct;
  addr: number;
  oldLen: number;
  newLen: number;
  flags: number;
  newAddr: number;
  vma: VmAreaStruct | null;
  delta: number;
  remapType: RemapType;
  charged: number;
  populateExpand: boolean;
}

const impliesNewAddr = (vrm: VmaRemapStruct): boolean => (vrm.flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) !== 0;

/** check_mremap_params: what can be refused before looking at any VMA. */
function checkMremapParams(vrm: VmaRemapStruct): number {
  const taskSize = vrm.mm.internal.TASK_SIZE;
  if (vrm.flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP)) return -EINVAL;
  if (vrm.addr % PAGE_SIZE !== 0) return -EINVAL;
  if (vrm.newLen === 0 || vrm.newLen > taskSize) return -EINVAL;
  if (!impliesNewAddr(vrm)) return 0;
  if (vrm.newAddr > taskSize - vrm.newLen || vrm.newAddr % PAGE_SIZE !== 0) return -EINVAL;
  if (!(vrm.flags & MREMAP_MAYMOVE)) return -EINVAL;
  if (vrm.flags & MREMAP_DONTUNMAP && vrm.oldLen !== vrm.newLen) return -EINVAL;
  if (vrm.addr + vrm.oldLen > vrm.newAddr && vrm.newAddr + vrm.newLen > vrm.addr) return -EINVAL;
  if (vrm.mm.mapCount + 2 >= vrm.mm.internal.sysctlMaxMapCount - 3) return -ENOMEM;
  return 0;
}

/** check_prep_vma: the source VMA must exist, be unsealed, and (when mapping anew) hold the old range. */
function checkPrepVma(vrm: VmaRemapStruct): number {
  const vma = vrm.vma;
  if (vma === null) return -EFAULT;
  const mm = vrm.mm;
  const b = mm.backend;
  if (vmaIsSealed(vma)) return -EPERM;
  vrm.delta = Math.abs(vrm.newLen - vrm.oldLen);
  vrm.remapType = vrm.delta === 0 ? RemapType.NoResize : vrm.oldLen > vrm.newLen ? RemapType.Shrink : RemapType.Expand;
  if (!impliesNewAddr(vrm)) vrm.newAddr = vrm.addr;
  if (vrm.remapType !== RemapType.Expand && !impliesNewAddr(vrm)) return 0;
  // Only what is kept must lie in one VMA: a shrinking move unmaps the rest first
  // (observed on 6.18: a shrinking MREMAP_FIXED move may start from a range spanning VMAs).
  if (Math.min(vrm.oldLen, vrm.newLen) > vma.vmEnd - vrm.addr) return -EFAULT;
  if (vrm.newLen === vrm.oldLen) return 0;
  // A locked mapping that grows gets its new pages faulted in (a shrinking move populates nothing).
  if (vrm.remapType === RemapType.Expand && b.test(vma.flags, VMA_LOCKED_BIT)) vrm.populateExpand = true;
  if (b.testAny(vma.flags, VMA_DONTEXPAND_BIT, VMA_PFNMAP_BIT)) return -EFAULT;
  if (!mlockFutureOk(mm, vma.flags, vrm.delta)) return -EAGAIN;
  if (!mayExpandVm(mm, vma.flags, vrm.delta / PAGE_SIZE)) return -ENOMEM;
  return 0;
}

/** vrm_stat_account */
function statAccount(vrm: VmaRemapStruct, bytes: number): void {
  const vma = vrm.vma!;
  const pages = bytes / PAGE_SIZE;
  vmStatAccount(vrm.mm, vma.flags, pages);
  if (vrm.mm.backend.test(vma.flags, VMA_LOCKED_BIT)) vrm.mm.lockedVm += pages;
}

/** shrink_vma: unmap the tail [addr + new_len, addr + old_len). */
function shrinkVma(vrm: VmaRemapStruct): number {
  const vmi = VMA_ITERATOR(vrm.mm, vrm.addr + vrm.newLen);
  const res = doVmiMunmap(vmi, vrm.mm, vrm.addr + vrm.newLen, vrm.delta, null, false);
  vrm.vma = null;
  return res;
}

/** vma_expandable: nothing mapped in the delta above the VMA. */
function vmaExpandable(vma: VmAreaStruct, delta: number): boolean {
  const end = vma.vmEnd + delta;
  if (findVmaIntersection(vma.vmMm, vma.vmEnd, end) !== null) return false;
  return getUnmappedArea(vma.vmMm, vma.vmStart, end - vma.vmStart, MAP_FIXED) >= 0;
}

/** expand_vma_in_place: charge the growth and extend (merging with the next VMA if it fits). */
function expandVmaInPlace(vrm: VmaRemapStruct): number {
  const pages = vrm.delta / PAGE_SIZE;
  let vma = vrm.vma!;
  const mm = vrm.mm;
  if (mm.backend.test(vma.flags, VMA_ACCOUNT_BIT)) {
    if (securityVmEnoughMemoryMm(mm, pages) !== 0) return -ENOMEM;
    vrm.charged = pages;
  }
  const merged = vmaMergeExtend(VMA_ITERATOR(mm, vma.vmEnd), vma, vrm.delta);
  if (merged === null) {
    if (vrm.charged !== 0) vmUnacctMemory(mm, vrm.charged);
    return -ENOMEM;
  }
  vma = merged;
  vrm.vma = vma;
  statAccount(vrm, vrm.delta);
  return 0;
}

/** vrm_set_new_addr: where the moved mapping goes (a hint of 0 searches top-down). */
function setNewAddr(vrm: VmaRemapStruct): number {
  const vma = vrm.vma!;
  let mapFlags = 0;
  if (vrm.flags & MREMAP_FIXED) mapFlags |= MAP_FIXED;
  if (vrm.mm.backend.test(vma.flags, VMA_MAYSHARE_BIT)) mapFlags |= MAP_SHARED;
  const res = getUnmappedArea(vrm.mm, impliesNewAddr(vrm) ? vrm.newAddr : 0, vrm.newLen, mapFlags);
  if (res < 0) return res;
  vrm.newAddr = res;
  return 0;
}

/** move_page_tables, for what is observable: guard markers follow their pages. */
function movePageTables(mm: MmStruct, oldAddr: number, newAddr: number, len: number): void {
  const moved: number[] = [];
  for (let off = 0; off < len; off += PAGE_SIZE) {
    const page = (oldAddr + off) / PAGE_SIZE;
    if (mm.guardPtes.delete(page)) moved.push((newAddr + off) / PAGE_SIZE);
  }
  for (const page of moved) mm.guardPtes.add(page);
}

/** unmap_source_vma: unmap the old range without giving back the commit that moved with it. */
function unmapSourceVma(vrm: VmaRemapStruct): void {
  const mm = vrm.mm;
  const b = mm.backend;
  const vma = vrm.vma!;
  const addr = vrm.addr;
  const len = vrm.oldLen;
  const accountableMove = b.test(vma.flags, VMA_ACCOUNT_BIT) && !(vrm.flags & MREMAP_DONTUNMAP);
  const vmStart = vma.vmStart;
  const vmEnd = vma.vmEnd;
  const accountBit = b.mk(VMA_ACCOUNT_BIT);
  if (accountableMove) vmFlagsClear(vma, accountBit);
  const vmi = VMA_ITERATOR(mm, addr);
  const err = doVmiMunmap(vmi, mm, addr, len, null, false);
  vrm.vma = null;
  if (err !== 0) {
    vmAcctMemory(mm, len / PAGE_SIZE);
    return;
  }
  if (accountableMove) {
    if (vmStart < addr) vmFlagsSet(vmaPrev(VMA_ITERATOR(mm, addr))!, accountBit);
    if (vmEnd > addr + len) vmFlagsSet(vmaNext(VMA_ITERATOR(mm, addr + len))!, accountBit);
  }
}

/**
 * dontunmap_complete: the source stays mapped, empty and unlocked; it keeps
 * VM_ACCOUNT (observed on 6.18: the charge for the new copy is taken on top).
 */
function dontunmapComplete(vrm: VmaRemapStruct, newVma: VmAreaStruct): void {
  const vma = vrm.vma!;
  const b = vrm.mm.backend;
  const start = vrm.addr;
  const end = vrm.addr + vrm.oldLen;
  const oldStart = vma.vmStart;
  const oldEnd = vma.vmEnd;
  vmFlagsClear(vma, b.mk(VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT));
  if (newVma !== vma && start === oldStart && end === oldEnd) unlinkAnonVmas(vma);
}

/** move_vma: copy the VMA to new_addr (merging there if it can), move its page tables, then drop the source. */
function moveVma(vrm: VmaRemapStruct): number {
  const mm = vrm.mm;
  const b = mm.backend;
  let vma = vrm.vma!;
  if (mm.mapCount >= mm.internal.sysctlMaxMapCount - 3) return -ENOMEM;
  if (b.test(vma.flags, VMA_ACCOUNT_BIT)) {
    let charged = 0;
    if (vrm.flags & MREMAP_DONTUNMAP) charged = vrm.newLen / PAGE_SIZE;
    else if (vrm.remapType === RemapType.Expand) charged = vrm.delta / PAGE_SIZE;
    if (charged !== 0) {
      if (securityVmEnoughMemoryMm(mm, charged) !== 0) return -ENOMEM;
      vrm.charged = charged;
    }
  }

  const newPgoff = vma.vmPgoff + (vrm.addr - vma.vmStart) / PAGE_SIZE;
  const vmap = ref(vma);
  const newVma = copyVma(vmap, vrm.newAddr, vrm.newLen, newPgoff, ref(false));
  if (newVma === null) {
    if (vrm.charged !== 0) vmUnacctMemory(mm, vrm.charged);
    return -ENOMEM;
  }
  vma = vmap.value;
  vrm.vma = vma;
  movePageTables(mm, vrm.addr, vrm.newAddr, vrm.oldLen);

  const hiwater = mm.hiwaterVm;
  statAccount(vrm, vrm.newLen);
  if (vrm.flags & MREMAP_DONTUNMAP) dontunmapComplete(vrm, newVma);
  else unmapSourceVma(vrm);
  mm.hiwaterVm = hiwater;
  return vrm.newAddr;
}

/** mremap_to: a move to a given (MREMAP_FIXED) or searched address, shrinking first if asked. */
function mremapTo(vrm: VmaRemapStruct): number {
  const mm = vrm.mm;
  if (vrm.flags & MREMAP_FIXED) {
    const err = doVmiMunmap(VMA_ITERATOR(mm, vrm.newAddr), mm, vrm.newAddr, vrm.newLen, null, false);
    vrm.vma = null;
    if (err !== 0) return err;
    vrm.vma = vmaLookup(mm, vrm.addr);
    if (vrm.vma === null) return -EFAULT;
  }
  if (vrm.remapType === RemapType.Shrink) {
    const err = shrinkVma(vrm);
    if (err !== 0) return err;
    vrm.oldLen = vrm.newLen;
    vrm.vma = vmaLookup(mm, vrm.addr);
  }
  if (vrm.flags & MREMAP_DONTUNMAP && !mayExpandVm(mm, vrm.vma!.flags, vrm.oldLen / PAGE_SIZE)) return -ENOMEM;
  const err = setNewAddr(vrm);
  if (err !== 0) return err;
  return moveVma(vrm);
}

/** mremap_at: resize where it is, or move when growing in place is impossible and MREMAP_MAYMOVE allows it. */
function mremapAt(vrm: VmaRemapStruct): number {
  switch (vrm.remapType) {
    case RemapType.NoResize:
      return vrm.addr;
    case RemapType.Shrink: {
      const err = shrinkVma(vrm);
      return err !== 0 ? err : vrm.addr;
    }
    case RemapType.Expand: {
      const vma = vrm.vma!;
      if (vrm.oldLen === vma.vmEnd - vrm.addr && vmaExpandable(vma, vrm.delta)) {
        const err = expandVmaInPlace(vrm);
        return err !== 0 ? err : vrm.addr;
      }
      if (!(vrm.flags & MREMAP_MAYMOVE)) return -ENOMEM;
      const err = setNewAddr(vrm);
      if (err !== 0) return err;
      return moveVma(vrm);
    }
  }
}

/**
 * remap_move: a MREMAP_FIXED move of the same size moves every VMA of the
 * range (no hole allowed at its start), keeping the gaps between them.
 */
function remapMove(vrm: VmaRemapStruct): number {
  const start = vrm.addr;
  const end = vrm.addr + vrm.oldLen;
  let targetAddr = vrm.newAddr;
  let res = -EFAULT;
  let lastEnd = 0;
  let seen = false;
  const vmi = VMA_ITERATOR(vrm.mm, start);
  for (let vma = vmaFind(vmi, end); vma !== null; vma = vmaFind(vmi, end)) {
    const addr = Math.max(vma.vmStart, start);
    const len = Math.min(end, vma.vmEnd) - addr;
    if (!seen && start < vma.vmStart) return -EFAULT;
    const offset = seen ? vma.vmStart - lastEnd : 0;
    lastEnd = vma.vmEnd;
    if (seen && vrm.mm.backend.testAny(vma.flags, VMA_DONTEXPAND_BIT, VMA_PFNMAP_BIT)) return -EFAULT;
    vrm.vma = vma;
    vrm.addr = addr;
    vrm.newAddr = targetAddr + offset;
    vrm.oldLen = vrm.newLen = len;
    let resVma = checkPrepVma(vrm);
    if (resVma === 0) resVma = mremapTo(vrm);
    if (resVma < 0) return resVma;
    if (!seen) res = resVma;
    seen = true;
    targetAddr = resVma + vrm.newLen;
    // The move rewrote the tree under the iterator: continue after the moved range.
    vmaIterSet(vmi, addr + len);
  }
  return res;
}

/**
 * The mremap system call. Returns the new address or a negative errno;
 * lengths are rounded up to pages.
 */
export function doMremap(
  mm: MmStruct,
  addr: number,
  oldLen: number,
  newLen: number,
  flags: number,
  newAddr: number,
): number {
  const vrm: VmaRemapStruct = {
    mm,
    addr,
    oldLen: Math.ceil(oldLen / PAGE_SIZE) * PAGE_SIZE,
    newLen: Math.ceil(newLen / PAGE_SIZE) * PAGE_SIZE,
    flags,
    newAddr,
    vma: null,
    delta: 0,
    remapType: RemapType.NoResize,
    charged: 0,
    populateExpand: false,
  };
  let res = checkMremapParams(vrm);
  if (res !== 0) return res;
  if (mm.internal.features.multiVmaMremap && flags & MREMAP_FIXED && vrm.oldLen === vrm.newLen) {
    res = remapMove(vrm);
  } else {
    vrm.vma = vmaLookup(mm, vrm.addr);
    res = checkPrepVma(vrm);
    if (res === 0) res = impliesNewAddr(vrm) ? mremapTo(vrm) : mremapAt(vrm);
  }
  if (res >= 0 && vrm.populateExpand) mmPopulate(mm, vrm.newAddr + vrm.oldLen, vrm.delta);
  return res;
}
