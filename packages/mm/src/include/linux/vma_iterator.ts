import {
  MaState,
  ULONG_MAX,
  masDestroy,
  masFind,
  masInit,
  masNextRange,
  masPrev,
  masSet,
  masWalk,
  mtFind,
  mtreeLoad,
} from '../../lib/maple_tree.js';
import type { Ref } from './types.js';
import type { MmStruct, VmAreaStruct } from './mm_types.js';
import { mmapAssertLocked } from '../stubs.js';

// struct vma_iterator and the walking helpers of include/linux/mm.h. The iterator is a maple state over mm->mm_mt.

/**
 * struct vma_iterator: a position in an mm's VMA tree, the cursor every walk and store of mm/vma.c goes
 * through.
 */
export class VmaIterator {
  /** mas: the maple state underneath; its range is the VMA or gap the iterator is on. */
  readonly mas: MaState<VmAreaStruct>;
  /** The mm whose tree this walks (the kernel reaches it through mas.tree). */
  mm: MmStruct;

  constructor(mm: MmStruct, addr: number) {
    this.mm = mm;
    this.mas = new MaState(mm.mmMt, addr);
  }
}

/** VMA_ITERATOR(name, mm, addr) */
export function VMA_ITERATOR(mm: MmStruct, addr: number): VmaIterator {
  return new VmaIterator(mm, addr);
}

/** vma_iter_init */
export function vmaIterInit(vmi: VmaIterator, mm: MmStruct, addr: number): void {
  vmi.mm = mm;
  masInit(vmi.mas, mm.mmMt, addr);
}

/** vma_iter_set: restart the walk at addr. */
export function vmaIterSet(vmi: VmaIterator, addr: number): void {
  masSet(vmi.mas, addr);
}

/** vma_next: the first VMA at or after the position (a fresh iterator includes the VMA at its address). */
export function vmaNext(vmi: VmaIterator): VmAreaStruct | null {
  return masFind(vmi.mas, ULONG_MAX);
}

/** vma_prev: the VMA before the current position. */
export function vmaPrev(vmi: VmaIterator): VmAreaStruct | null {
  return masPrev(vmi.mas, 0);
}

/** vma_find: the next VMA starting below max (exclusive). */
export function vmaFind(vmi: VmaIterator, max: number): VmAreaStruct | null {
  return masFind(vmi.mas, max - 1);
}

/** vma_iter_next_range: move to the next range, returning its VMA or null for a gap. */
export function vmaIterNextRange(vmi: VmaIterator): VmAreaStruct | null {
  return masNextRange(vmi.mas, ULONG_MAX);
}

/** vma_iter_free */
export function vmaIterFree(vmi: VmaIterator): void {
  masDestroy(vmi.mas);
}

/** for_each_vma: VMAs from the iterator's position on, fetched lazily. */
export function* forEachVma(vmi: VmaIterator): Generator<VmAreaStruct> {
  for (let vma = vmaNext(vmi); vma !== null; vma = vmaNext(vmi)) yield vma;
}

/** for_each_vma_range: VMAs below end (exclusive). */
export function* forEachVmaRange(vmi: VmaIterator, end: number): Generator<VmAreaStruct> {
  for (let vma = vmaFind(vmi, end); vma !== null; vma = vmaFind(vmi, end)) yield vma;
}

/** vma_lookup: the VMA containing addr. */
export function vmaLookup(mm: MmStruct, addr: number): VmAreaStruct | null {
  return mtreeLoad(mm.mmMt, addr);
}

/** find_vma_intersection: the first VMA intersecting [start, end). */
export function findVmaIntersection(mm: MmStruct, start: number, end: number): VmAreaStruct | null {
  mmapAssertLocked(mm);
  return mtFind(mm.mmMt, { value: start }, end - 1);
}

/** find_vma_prev: the VMA at or after addr, and (in pprev) the one before it. */
export function findVmaPrev(mm: MmStruct, addr: number, pprev: Ref<VmAreaStruct | null>): VmAreaStruct | null {
  const vmi = VMA_ITERATOR(mm, addr);
  let vma = masWalk(vmi.mas);
  pprev.value = vmaPrev(vmi);
  if (vma === null) vma = vmaNext(vmi);
  return vma;
}
