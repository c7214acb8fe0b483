import type { VmAreaStruct } from '../include/linux/mm_types.js';
import { AnonVma, VMA_OP_FORK, type AnonVmaChain, type VmaOperation } from '../include/linux/rmap.js';
import { findMergeableAnonVma } from './vma.js';

// mm/rmap.c as the kernel runs it: how a VMA gets its anon_vma (reusing a
// neighbour's when they could merge), how split, merged, moved and forked
// VMAs are linked to the anon_vmas their pages may live in, and how those
// links go away. A kernel environment's VmaInternal forwards its rmap calls
// here. The hierarchy matters to the VMA code because two VMAs with
// different anon_vmas never merge.

function anonVmaChainLink(vma: VmAreaStruct, anonVma: AnonVma): void {
  const avc: AnonVmaChain = { vma, anonVma };
  vma.anonVmaChain.push(avc);
  anonVma.rbLinks++;
}

/**
 * __anon_vma_prepare: the first anonymous page of a VMA needs an anon_vma;
 * a mergeable neighbour's is reused, otherwise a new root is made (which
 * counts itself as its own child, so a root is never reused by a fork).
 */
export function __anonVmaPrepare(vma: VmAreaStruct): number {
  let anonVma = findMergeableAnonVma(vma);
  if (anonVma === null) {
    anonVma = new AnonVma();
    anonVma.numChildren++;
  }
  if (vma.anonVma === null) {
    vma.anonVma = anonVma;
    anonVmaChainLink(vma, anonVma);
    anonVma.numActiveVmas++;
  }
  return 0;
}

/**
 * anon_vma_clone: link dst to every anon_vma src is linked to. On fork, dst
 * (whose anon_vma was cleared) may adopt one of them that no VMA uses any
 * more and that has at most one child, which keeps long fork chains from
 * growing the hierarchy without bound.
 */
export function anonVmaClone(dst: VmAreaStruct, src: VmAreaStruct, operation: VmaOperation): number {
  for (let i = src.anonVmaChain.length - 1; i >= 0; i--) {
    const anonVma = src.anonVmaChain[i]!.anonVma!;
    anonVmaChainLink(dst, anonVma);
    if (operation === VMA_OP_FORK && dst.anonVma === null && anonVma.numChildren < 2 && anonVma.numActiveVmas === 0) {
      dst.anonVma = anonVma;
    }
  }
  // The links were pushed in reverse; keep the source's order.
  const added = dst.anonVmaChain.splice(dst.anonVmaChain.length - src.anonVmaChain.length);
  dst.anonVmaChain.push(...added.reverse());
  if (dst.anonVma !== null) dst.anonVma.numActiveVmas++;
  return 0;
}

/**
 * unlink_anon_vmas: drop every link of the VMA. An anon_vma left with no
 * links at all stops counting as its parent's child.
 */
export function unlinkAnonVmas(vma: VmAreaStruct): void {
  for (const avc of vma.anonVmaChain) {
    const anonVma = avc.anonVma!;
    anonVma.rbLinks--;
    if (anonVma.rbLinks === 0) anonVma.parent.numChildren--;
  }
  vma.anonVmaChain.length = 0;
  if (vma.anonVma !== null) {
    vma.anonVma.numActiveVmas--;
    vma.anonVma = null;
  }
}

/**
 * anon_vma_fork: the child's copy of a VMA with an anon_vma gets the
 * parent's links, and an anon_vma of its own (a child of the parent's)
 * unless it could adopt an unused one.
 */
export function anonVmaFork(vma: VmAreaStruct, pvma: VmAreaStruct): number {
  if (pvma.anonVma === null) return 0;
  vma.anonVma = null;
  anonVmaClone(vma, pvma, VMA_OP_FORK);
  if (vma.anonVma !== null) return 0;
  const anonVma = new AnonVma();
  anonVma.numActiveVmas++;
  anonVma.root = pvma.anonVma.root;
  anonVma.parent = pvma.anonVma;
  vma.anonVma = anonVma;
  anonVmaChainLink(vma, anonVma);
  anonVma.parent.numChildren++;
  return 0;
}
