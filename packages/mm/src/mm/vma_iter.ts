import { vmaAssertAttached, vmaMarkAttached } from '../include/linux/mm.js';
import type { VmAreaStruct } from '../include/linux/mm_types.js';
import { vmaIterNextRange, vmaNext, vmaPrev, type VmaIterator } from '../include/linux/vma_iterator.js';
import {
  __masSetRange,
  masNextRange,
  masPause,
  masPreallocate,
  masPrev,
  masPrevRange,
  masReset,
  masStore,
  masWalk,
} from '../lib/maple_tree.js';
import { ENOMEM, type Ref } from '../include/linux/types.js';

// The vma_iter_* helpers of mm/vma.h: the VMA code's only way to read and
// write the tree. Ranges are given VMA-style (exclusive end) and converted
// to the tree's inclusive form here.

/** vma_iter_config: set the range the next store will cover. */
export function vmaIterConfig(vmi: VmaIterator, index: number, end: number): void {
  __masSetRange(vmi.mas, index, end - 1);
}

/** vma_iter_reset */
export function vmaIterReset(vmi: VmaIterator): void {
  masReset(vmi.mas);
}

/** vma_iter_invalidate: the position no longer means anything. */
export function vmaIterInvalidate(vmi: VmaIterator): void {
  masPause(vmi.mas);
}

/**
 * vma_iter_prealloc: reserves what a store needs; fails with -ENOMEM while
 * the environment injects allocation failure (the harness's fail_prealloc).
 */
export function vmaIterPrealloc(vmi: VmaIterator, vma: VmAreaStruct | null): number {
  return vmi.mm.internal.failPrealloc ? -ENOMEM : masPreallocate(vmi.mas, vma);
}

/** vma_iter_clear: make the configured range a gap. */
export function vmaIterClear(vmi: VmaIterator): void {
  masStore(vmi.mas, null);
}

/** vma_iter_clear_gfp: make [start, end) a gap. */
export function vmaIterClearGfp(vmi: VmaIterator, start: number, end: number): number {
  __masSetRange(vmi.mas, start, end - 1);
  masStore(vmi.mas, null);
  return 0;
}

/** vma_iter_load: the VMA at the iterator's address, or null in a gap. */
export function vmaIterLoad(vmi: VmaIterator): VmAreaStruct | null {
  return masWalk(vmi.mas);
}

/** Store vma over its own range; a position not covering vm_start is dropped first, as it would mislead the store. */
function storeOwnRange(vmi: VmaIterator, vma: VmAreaStruct): void {
  const mas = vmi.mas;
  if (mas.status !== 'start' && (mas.index > vma.vmStart || mas.last < vma.vmStart)) vmaIterInvalidate(vmi);
  __masSetRange(mas, vma.vmStart, vma.vmEnd - 1);
  masStore(mas, vma);
}

/** vma_iter_store_overwrite: write an attached VMA over its own range. */
export function vmaIterStoreOverwrite(vmi: VmaIterator, vma: VmAreaStruct): void {
  vmaAssertAttached(vma);
  storeOwnRange(vmi, vma);
}

/** vma_iter_store_new: attach a VMA and write it over its range. */
export function vmaIterStoreNew(vmi: VmaIterator, vma: VmAreaStruct): void {
  vmaMarkAttached(vma);
  vmaIterStoreOverwrite(vmi, vma);
}

/** vma_iter_store_gfp */
export function vmaIterStoreGfp(vmi: VmaIterator, vma: VmAreaStruct): number {
  storeOwnRange(vmi, vma);
  vmaMarkAttached(vma);
  return 0;
}

/** vma_iter_addr: start of the current range. */
export function vmaIterAddr(vmi: VmaIterator): number {
  return vmi.mas.index;
}

/** vma_iter_end: end (exclusive) of the current range. */
export function vmaIterEnd(vmi: VmaIterator): number {
  return vmi.mas.last + 1;
}

/** vma_iter_prev_range: step back one range, gap or VMA. */
export function vmaIterPrevRange(vmi: VmaIterator): VmAreaStruct | null {
  return masPrevRange(vmi.mas, 0);
}

/** vma_iter_prev_range_limit */
export function vmaIterPrevRangeLimit(vmi: VmaIterator, min: number): VmAreaStruct | null {
  return masPrevRange(vmi.mas, min);
}

/** vma_iter_next_range_limit */
export function vmaIterNextRangeLimit(vmi: VmaIterator, max: number): VmAreaStruct | null {
  return masNextRange(vmi.mas, max);
}

/** vma_prev_limit */
export function vmaPrevLimit(vmi: VmaIterator, min: number): VmAreaStruct | null {
  return masPrev(vmi.mas, min);
}

/**
 * vma_iter_next_rewind: the first VMA at or after the position, with the
 * iterator left in the gap below it, ready for a new-range merge; pprev gets
 * the VMA below that gap, if any.
 */
export function vmaIterNextRewind(vmi: VmaIterator, pprev: Ref<VmAreaStruct | null> | null): VmAreaStruct | null {
  const next = vmaNext(vmi);
  const prev = vmaPrev(vmi);
  // With no VMA below, vmaPrev() has left the iterator in the lowest gap
  // already; one more forward step would overshoot onto next.
  if (prev !== null) vmaIterNextRange(vmi);
  if (pprev !== null) pprev.value = prev;
  return next;
}
