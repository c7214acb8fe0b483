import type { VmAreaStruct } from './mm_types.js';

// include/linux/rmap.h: the anon_vma a private VMA's anonymous pages hang
// off, and the chain links that tie VMAs to anon_vmas. Building and tearing
// down those links is the environment's business (VmaInternal): the kernel
// keeps the whole hierarchy, a harness only records that it was asked.

/**
 * struct anon_vma. `root` is the top of the hierarchy a fork creates;
 * `parent` the anon_vma this one was forked from. numChildren counts the
 * anon_vmas whose parent this is, numActiveVmas the VMAs whose `anon_vma`
 * points here: together they decide whether a VMA of a child may reuse this
 * anon_vma instead of allocating its own.
 */
export class AnonVma {
  /**
   * root: the anon_vma at the top of this fork hierarchy (itself for a fresh one); the kernel locks the
   * whole hierarchy through it.
   */
  root: AnonVma = this;
  /** parent: the anon_vma this one was forked from (itself for a root). */
  parent: AnonVma = this;
  /** num_children: how many anon_vmas have this one as their parent. */
  numChildren = 0;
  /**
   * num_active_vmas: how many VMAs have this as their anon_vma; with num_children it tells whether a
   * child VMA may reuse this anon_vma.
   */
  numActiveVmas = 0;
  /** How many anon_vma_chain links sit in this anon_vma's tree (rb_root). */
  rbLinks = 0;
}

/** struct anon_vma_chain: one link between a VMA and an anon_vma it may find pages in. */
export interface AnonVmaChain {
  /** anon_vma: the anon_vma end of the link. */
  anonVma: AnonVma | null;
  /** vma: the VMA end of the link. */
  vma?: VmAreaStruct;
}

/** enum vma_operation, why anon_vma_clone() runs. VMA_OP_SPLIT: __split_vma() links the new half like the old. */
export const VMA_OP_SPLIT = 0;
/** VMA_OP_MERGE_UNFAULTED: a merge hands an anon_vma to a VMA that had none yet (dup_anon_vma()). */
export const VMA_OP_MERGE_UNFAULTED = 1;
/** VMA_OP_REMAP: copy_vma() makes the destination of an mremap() move. */
export const VMA_OP_REMAP = 2;
/** VMA_OP_FORK: fork() copies a VMA into the child's address space. */
export const VMA_OP_FORK = 3;
/** enum vma_operation: one of the VMA_OP_* values, passed on to the environment's anonVmaClone(). */
export type VmaOperation = 0 | 1 | 2 | 3;

/** anon_vma_clone: give dst the links of src; 0 or -ENOMEM. */
export function anonVmaClone(dst: VmAreaStruct, src: VmAreaStruct, operation: VmaOperation): number {
  return dst.vmMm.internal.anonVmaClone(dst, src, operation);
}

/** unlink_anon_vmas: drop every link of the VMA. */
export function unlinkAnonVmas(vma: VmAreaStruct): void {
  vma.vmMm.internal.unlinkAnonVmas(vma);
}

/** __anon_vma_prepare: find or make an anon_vma for the VMA's first anonymous page. */
export function __anonVmaPrepare(vma: VmAreaStruct): number {
  return vma.vmMm.internal.__anonVmaPrepare(vma);
}

/** anon_vma_prepare */
export function anonVmaPrepare(vma: VmAreaStruct): number {
  if (vma.anonVma !== null) return 0;
  return __anonVmaPrepare(vma);
}
