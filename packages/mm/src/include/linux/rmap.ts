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
  root: AnonVma = this;
  parent: AnonVma = this;
  numChildren = 0;
  numActiveVmas = 0;
  /** refcount: chain links plus the root's reference from its children. */
  refcount = 1;
}

/** struct anon_vma_chain: one link between a VMA and an anon_vma it may find pages in. */
export interface AnonVmaChain {
  anonVma: AnonVma | null;
  vma?: VmAreaStruct;
}

/** The operation an anon_vma_clone() happens for (enum vma_operation). */
export const VMA_OP_SPLIT = 0;
export const VMA_OP_MERGE_UNFAULTED = 1;
export const VMA_OP_REMAP = 2;
export const VMA_OP_FORK = 3;
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
