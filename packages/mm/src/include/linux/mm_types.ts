import { MapleTree } from '../../lib/maple_tree.js';
import type { VmaInternal } from '../../vma_internal.js';
import { NULL_VM_UFFD_CTX, type AnonVmaName, type Mempolicy, type VmUserfaultfdCtx } from '../stubs.js';
import type { File } from './fs.js';
import type { AnonVma, AnonVmaChain } from './rmap.js';
import { UINT_MAX, type Backend, type PgoffT, type PgprotT, type VmaFlags } from './types.js';

// include/linux/mm_types.h: the mm, the VMA, the descriptor an mmap_prepare
// hook sees and the operations a VMA may carry, with just the members the
// ported code reads or writes.

/** MMF_HAS_MDWE: the mm has memory-deny-write-execute set. */
export const MMF_HAS_MDWE = 28;

/**
 * struct mm_struct (partial). The backend decides how its VMAs store flags;
 * the environment (`internal`) answers everything that differs between the
 * kernel and a harness: rmap, limits, accounting, hooks, warnings.
 */
export class MmStruct {
  /** mm_mt: the VMA tree; each VMA is stored over [vm_start, vm_end - 1]. */
  readonly mmMt = new MapleTree<VmAreaStruct>();
  /** Number of VMAs. */
  mapCount = 0;
  /** total_vm: pages in all VMAs (the figure RLIMIT_AS limits). */
  totalVm = 0;
  /** locked_vm: pages in mlock()ed (VM_LOCKED) VMAs, the figure RLIMIT_MEMLOCK limits. */
  lockedVm = 0;
  /** data_vm: pages of private, writable, non-stack mappings (the figure RLIMIT_DATA limits). */
  dataVm = 0;
  /** exec_vm: pages of executable, non-writable, non-stack mappings. */
  execVm = 0;
  /** stack_vm: pages of stack mappings (VM_STACK). */
  stackVm = 0;
  /** def_flags / def_vma_flags: flags every new VMA of this mm starts with. */
  defVmaFlags: VmaFlags;
  /** mm_flags_t, bits by number (MMF_*). */
  flags = 0;

  /** hiwater_vm: the peak of total_vm. */
  hiwaterVm = 0;
  /** pinned_vm */
  pinnedVm = 0;
  /** start_stack: where the initial stack begins. */
  startStack = 0;
  /** mmap_base: where top-down searches for free space start. */
  mmapBase = 0;
  /**
   * The page-table state the VMA code can observe: pages holding a guard
   * marker (MADV_GUARD_INSTALL), by page number.
   */
  readonly guardPtes = new Set<number>();

  constructor(
    /** The flag implementation every VMA of this mm uses; a bitmap never crosses to another backend. */
    readonly backend: Backend,
    /** The environment answering whatever a kernel and a test harness answer differently (VmaInternal). */
    readonly internal: VmaInternal,
  ) {
    this.defVmaFlags = backend.mk();
  }
}

/** mm_flags_test */
export function mmFlagsTest(flag: number, mm: MmStruct): boolean {
  return (mm.flags & (1 << flag)) !== 0;
}

/** struct vm_operations_struct: the hooks the VMA code may call. */
export interface VmOperationsStruct {
  /** open: told when a VMA is duplicated (split, copy_vma) so its owner can take references for the copy. */
  open?: (vma: VmAreaStruct) => void;
  /**
   * close: told when a VMA goes away. A merge never removes a VMA that has one, as its owner may hold
   * per-VMA state.
   */
  close?: (vma: VmAreaStruct) => void;
  /** may_split: asked before the VMA is cut at addr; a non-zero errno refuses the split. */
  maySplit?: (vma: VmAreaStruct, addr: number) => number;
  /** mremap: told when mremap() moved the VMA; a non-zero errno fails the move. */
  mremap?: (vma: VmAreaStruct) => number;
  /**
   * page_mkwrite: told before a shared page becomes writable; having it makes the VMA want write
   * notification (vma_wants_writenotify).
   */
  pageMkwrite?: () => number;
  /** pfn_mkwrite: page_mkwrite for PFN mappings; also makes the VMA want write notification. */
  pfnMkwrite?: () => number;
  /** name: the name a special mapping shows in /proc/PID/maps, or null. */
  name?: (vma: VmAreaStruct) => string | null;
}

/** vma_dummy_vm_ops: what vma_init() installs (empty, so not anonymous). */
export const vmaDummyVmOps: VmOperationsStruct = Object.freeze({});

/** enum mmap_action_type. MMAP_NOTHING: the mmap_prepare hook asks for nothing more once the VMA exists. */
export const MMAP_NOTHING = 0;
/** MMAP_REMAP_PFN: map a range of page frames into the new VMA (remap_pfn_range). */
export const MMAP_REMAP_PFN = 1;
/** MMAP_IO_REMAP_PFN: the same for I/O memory (io_remap_pfn_range). */
export const MMAP_IO_REMAP_PFN = 2;

/** struct mmap_action: what an mmap_prepare hook asks for once the VMA exists. */
export interface MmapAction {
  /** type: one of the MMAP_* action types. */
  type: number;
  /**
   * success_hook: run on the VMA once the action succeeded; an errno fails the mmap and the VMA is unmapped.
   * (The port's mmap_action_complete() runs no action, so neither hook is called here.)
   */
  successHook?: (vma: VmAreaStruct) => number;
  /** error_hook: sees the errno the action failed with and may return another one, never 0. */
  errorHook?: (err: number) => number;
  /**
   * hide_from_rmap_until_complete: hold the file rmap lock until the action is done, so no rmap walk sees
   * the VMA half set up.
   */
  hideFromRmapUntilComplete: boolean;
}

/** struct vm_area_desc: a VMA about to be mapped, as shown to mmap_prepare. */
export interface VmAreaDesc {
  /** mm: the address space being mapped into. */
  readonly mm: MmStruct;
  /** file: the file mmap() was called on; fixed, while vm_file may be replaced. */
  readonly file: File | null;
  /** start: first address of the mapping. */
  start: number;
  /** end: end of the mapping (exclusive). */
  end: number;
  /** pgoff: page offset of start in the file (for anonymous memory, start's page number). */
  pgoff: PgoffT;
  /** vm_file: the file the VMA will hold; the hook may substitute another. */
  vmFile: File | null;
  /** vma_flags: the flags the VMA will get; the hook may change them. */
  vmaFlags: VmaFlags;
  /** page_prot: the page protection for those flags. */
  pageProt: PgprotT;
  /** vm_ops: the operations the hook installs on the VMA. */
  vmOps: VmOperationsStruct | null;
  /** private_data: the hook's per-VMA data, stored as vm_private_data. */
  privateData: unknown;
  /** action: what to do once the VMA exists (see MmapAction). */
  action: MmapAction;
}

/** A descriptor for [start, end) of mm with empty flags, as tests declare one. */
export function vmAreaDesc(mm: MmStruct, init: Partial<VmAreaDesc> = {}): VmAreaDesc {
  return {
    mm,
    file: null,
    start: 0,
    end: 0,
    pgoff: 0,
    vmFile: null,
    vmaFlags: mm.backend.mk(),
    pageProt: 0n,
    vmOps: null,
    privateData: null,
    action: { type: MMAP_NOTHING, hideFromRmapUntilComplete: false },
    ...init,
  };
}

/** struct vm_area_struct (partial). */
export class VmAreaStruct {
  /** [vmStart, vmEnd) */
  vmStart = 0;
  /** vm_end: first address after the VMA. */
  vmEnd = 0;
  /** vm_page_prot: page protection derived from the flags (here the legacy flag word). */
  vmPageProt: PgprotT = 0n;
  /** The VMA flags (the `flags` member of the vm_flags union). */
  flags: VmaFlags;
  /** Bumped by every vma_start_write(); UINT_MAX means "not since reset". */
  vmLockSeq = UINT_MAX;
  /** The anon_vma_chain list, one element per link. */
  anonVmaChain: AnonVmaChain[] = [];
  /**
   * anon_vma: where the VMA's private anonymous pages are tracked; null until the first one. Merging
   * needs compatible anon_vmas.
   */
  anonVma: AnonVma | null = null;
  /** vm_ops: the VMA's hooks; the empty vmaDummyVmOps by default, null for anonymous memory. */
  vmOps: VmOperationsStruct | null = vmaDummyVmOps;
  /**
   * vm_pgoff: offset of vm_start in the file, in pages (for anonymous memory, vm_start's page number).
   * Neighbours merge only if their offsets run on.
   */
  vmPgoff: PgoffT = 0;
  /** vm_file: the mapped file, or null for anonymous memory. */
  vmFile: File | null = null;
  /** vm_private_data: what the mapping's owner keeps per VMA. */
  vmPrivateData: unknown = null;
  /** 1 while attached to the tree, 0 when detached. */
  vmRefcnt = 0;
  /** vm_policy: the NUMA policy; always null here (no NUMA), equal policies being a merge condition. */
  vmPolicy: Mempolicy = null;
  /** anon_name: the name prctl(PR_SET_VMA) gave an anonymous VMA; never set here. Merging needs equal names. */
  anonName: AnonVmaName = null;
  /**
   * vm_userfaultfd_ctx: the userfaultfd the VMA is registered with; always empty here, still compared
   * for merges.
   */
  vmUserfaultfdCtx: VmUserfaultfdCtx = NULL_VM_UFFD_CTX;

  /** flags: the VMA takes this bitmap (of vmMm's backend); empty if omitted. */
  constructor(
    /** vm_mm: the address space the VMA belongs to; its backend owns `flags`. */
    public vmMm: MmStruct,
    flags?: VmaFlags,
  ) {
    this.flags = flags ?? vmMm.backend.mk();
  }

  /** The read-only legacy view: word 0 of the flags. */
  get vmFlags(): bigint {
    return this.vmMm.backend.toLegacy(this.flags);
  }
}
