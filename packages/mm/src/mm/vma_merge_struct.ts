import type { File } from '../include/linux/fs.js';
import type { MmStruct, VmAreaStruct } from '../include/linux/mm_types.js';
import type { AnonVma } from '../include/linux/rmap.js';
import type { VmaIterator } from '../include/linux/vma_iterator.js';
import { vmaPolicy } from '../include/linux/mm.js';
import {
  NULL_VM_UFFD_CTX,
  anonVmaName,
  type AnonVmaName,
  type Mempolicy,
  type VmUserfaultfdCtx,
} from '../include/stubs.js';
import { PHYS_PFN, type PgoffT, type VmaFlags } from '../include/linux/types.js';

// struct vma_merge_struct (mm/vma.h). Callers fill it in to ask for a merge
// or an expansion; the merge code uses it as its scratch state too, so after
// a call its contents describe the outcome, not the request.

/** enum vma_merge_state. VMA_MERGE_START: nothing tried yet; every request starts here. */
export const VMA_MERGE_START = 0;
/** VMA_MERGE_ERROR_NOMEM: a merge was possible but an allocation failed. */
export const VMA_MERGE_ERROR_NOMEM = 1;
/** VMA_MERGE_NOMERGE: no merge was possible; the caller maps or changes the range alone. */
export const VMA_MERGE_NOMERGE = 2;
/** VMA_MERGE_SUCCESS: the merge happened; `target` covers the result. */
export const VMA_MERGE_SUCCESS = 3;
/** enum vma_merge_state: where a merge request stands (one of VMA_MERGE_*). */
export type VmaMergeState = 0 | 1 | 2 | 3;

/**
 * struct vma_merge_struct: a merge or expansion request. The merge code keeps its working state in it,
 * so after a call the members describe the outcome, not the request.
 */
export interface VmaMergeStruct {
  /** May be null when only expanding (the VMA's own mm is used then). */
  mm: MmStruct | null;
  /** vmi: the iterator, in the gap or on middle (on prev with justExpand). */
  vmi: VmaIterator;
  // prev, middle and next are consecutive in address order, any of them
  // possibly null. middle is the VMA being changed, or null for a range about
  // to be mapped. A merge of an existing range finds next itself; a new-range
  // merge takes it from the caller.
  /** prev: the VMA right below the range, or null. */
  prev: VmAreaStruct | null;
  /** middle: the existing VMA being changed, or null when a new range is mapped. */
  middle: VmAreaStruct | null;
  /** next: the VMA right above the range, or null. */
  next: VmAreaStruct | null;
  /** Chosen by the merge: the surviving VMA that will cover the result. */
  target: VmAreaStruct | null;
  /** In: the range to change or map. Out: the full extent of the merged VMA. */
  start: number;
  /** end: end of that range (exclusive); rewritten like start. */
  end: number;
  /** pgoff: page offset of start; a neighbour merges only if its offset runs on into this one. */
  pgoff: PgoffT;
  /** vma_flags: the range's flags; they must equal a neighbour's but for VMA_IGNORE_MERGE_FLAGS. */
  vmaFlags: VmaFlags;
  /** file: the mapped file (null: anonymous); must be the neighbour's. */
  file: File | null;
  /** anon_vma: the range's anon_vma; must be compatible with the neighbour's. */
  anonVma: AnonVma | null;
  /** policy: the NUMA policy (always null here); must equal the neighbour's. */
  policy: Mempolicy;
  /** uffd_ctx: the userfaultfd context (always empty here); must match the neighbour's. */
  uffdCtx: VmUserfaultfdCtx;
  /** anon_name: the anonymous VMA name (never set here); must equal the neighbour's. */
  anonName: AnonVmaName;
  /** state: progress of the request; after a failed merge vmgNomem() tells an allocation failure apart. */
  state: VmaMergeState;
  /** Source VMA when copy_vma() (an mremap() move) asks for the merge. */
  copiedFrom: VmAreaStruct | null;

  // Caller's choices.
  /** Grow prev only, never look at next; the iterator is positioned on prev, not in the gap. */
  justExpand: boolean;
  /** Treat an allocation failure as "no merge" (state left as is) rather than ERROR_NOMEM. */
  giveUpOnOom: boolean;
  /** skip_vma_uprobe: leave out uprobe_mmap() on the merged VMA (copy_vma() sets it for a file VMA). */
  skipVmaUprobe: boolean;

  // Decided during the merge.
  /** prev takes over the low part of middle, whose start rises. */
  __adjustMiddleStart: boolean;
  /** next takes over the high part of middle, its own start falling. */
  __adjustNextStart: boolean;
  /** __remove_middle: middle disappears into the merged VMA. */
  __removeMiddle: boolean;
  /** __remove_next: next disappears into the merged VMA. */
  __removeNext: boolean;
}

// Every request is built through blankVmaMergeStruct(), which writes every
// member in one fixed order: the objects then share one hidden class, so the
// merge code's reads of them stay monomorphic, and building one allocates
// nothing but the object itself (no spread of a request object).
function blankVmaMergeStruct(mm: MmStruct | null, vmi: VmaIterator, vmaFlags: VmaFlags): VmaMergeStruct {
  return {
    mm,
    vmi,
    prev: null,
    middle: null,
    next: null,
    target: null,
    start: 0,
    end: 0,
    pgoff: 0,
    vmaFlags,
    file: null,
    anonVma: null,
    policy: null,
    uffdCtx: NULL_VM_UFFD_CTX,
    anonName: null,
    state: VMA_MERGE_START,
    copiedFrom: null,
    justExpand: false,
    giveUpOnOom: false,
    skipVmaUprobe: false,
    __adjustMiddleStart: false,
    __adjustNextStart: false,
    __removeMiddle: false,
    __removeNext: false,
  };
}

/**
 * A vma_merge_struct initialised like a C designated initialiser: every
 * member not given is zero (empty flags from the mm's backend). The flags
 * bitmap given is used as is, not copied: the merge code only reads it, and
 * copying on every merge would be most of the cost of a native backend.
 */
export function vmaMergeStruct(init: Partial<VmaMergeStruct> & { vmi: VmaIterator }): VmaMergeStruct {
  const mm = init.mm ?? null;
  const vmaFlags = init.vmaFlags ?? (mm ?? init.vmi.mm).backend.mk();
  const vmg = blankVmaMergeStruct(mm, init.vmi, vmaFlags);
  for (const key of Object.keys(init) as (keyof VmaMergeStruct)[]) {
    if (key !== 'mm' && key !== 'vmaFlags') (vmg as unknown as Record<string, unknown>)[key] = init[key];
  }
  return vmg;
}

/** VMG_STATE: a request for [start, end) with the given flags and page offset. */
export function VMG_STATE(
  mm: MmStruct,
  vmi: VmaIterator,
  start: number,
  end: number,
  vmaFlags: VmaFlags,
  pgoff: PgoffT,
): VmaMergeStruct {
  const vmg = blankVmaMergeStruct(mm, vmi, vmaFlags);
  vmg.start = start;
  vmg.end = end;
  vmg.pgoff = pgoff;
  return vmg;
}

/** VMG_VMA_STATE: a request to change [start, end) of an existing VMA, seeded from it. */
export function VMG_VMA_STATE(
  vmi: VmaIterator,
  prev: VmAreaStruct | null,
  vma: VmAreaStruct,
  start: number,
  end: number,
): VmaMergeStruct {
  const vmg = blankVmaMergeStruct(vma.vmMm, vmi, vma.flags);
  vmg.prev = prev;
  vmg.middle = vma;
  vmg.start = start;
  vmg.end = end;
  vmg.pgoff = vmaPgoffOffset(vma, start);
  vmg.file = vma.vmFile;
  vmg.anonVma = vma.anonVma;
  vmg.policy = vmaPolicy(vma);
  vmg.uffdCtx = vma.vmUserfaultfdCtx;
  vmg.anonName = anonVmaName(vma);
  return vmg;
}

/** vmg_nomem */
export function vmgNomem(vmg: VmaMergeStruct): boolean {
  return vmg.state === VMA_MERGE_ERROR_NOMEM;
}

/** vma_pgoff_offset: the page offset of addr (>= vm_start) within the VMA. */
export function vmaPgoffOffset(vma: VmAreaStruct, addr: number): PgoffT {
  return vma.vmPgoff + PHYS_PFN(addr - vma.vmStart);
}
