import { MapleTree } from '../../lib/maple_tree.js';
import type { VmaInternal } from '../../vma_internal.js';
import type { AnonVmaName, Mempolicy, VmUserfaultfdCtx } from '../stubs.js';
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
  readonly mmMt = new MapleTree<VmAreaStruct>();
  /** Number of VMAs. */
  mapCount = 0;
  totalVm = 0;
  lockedVm = 0;
  dataVm = 0;
  execVm = 0;
  stackVm = 0;
  /** def_flags / def_vma_flags: flags every new VMA of this mm starts with. */
  defVmaFlags: VmaFlags;
  /** mm_flags_t, bits by number (MMF_*). */
  flags = 0;

  /** hiwater_vm: the peak of total_vm. */
  hiwaterVm = 0;
  /** pinned_vm */
  pinnedVm = 0;
  /** start_stack: where the initial stack begins (stack guard checks read it). */
  startStack = 0;

  constructor(
    readonly backend: Backend,
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
  open?: (vma: VmAreaStruct) => void;
  close?: (vma: VmAreaStruct) => void;
  maySplit?: (vma: VmAreaStruct, addr: number) => number;
  mremap?: (vma: VmAreaStruct) => number;
  pageMkwrite?: () => number;
  pfnMkwrite?: () => number;
  name?: (vma: VmAreaStruct) => string | null;
}

/** vma_dummy_vm_ops: what vma_init() installs (empty, so not anonymous). */
export const vmaDummyVmOps: VmOperationsStruct = Object.freeze({});

/** enum mmap_action_type */
export const MMAP_NOTHING = 0;
export const MMAP_REMAP_PFN = 1;
export const MMAP_IO_REMAP_PFN = 2;

/** struct mmap_action: what an mmap_prepare hook asks for once the VMA exists. */
export interface MmapAction {
  type: number;
  successHook?: (vma: VmAreaStruct) => number;
  errorHook?: (err: number) => number;
  hideFromRmapUntilComplete: boolean;
}

/** struct vm_area_desc: a VMA about to be mapped, as shown to mmap_prepare. */
export interface VmAreaDesc {
  readonly mm: MmStruct;
  readonly file: File | null;
  start: number;
  end: number;
  pgoff: PgoffT;
  vmFile: File | null;
  vmaFlags: VmaFlags;
  pageProt: PgprotT;
  vmOps: VmOperationsStruct | null;
  privateData: unknown;
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
  vmEnd = 0;
  vmPageProt: PgprotT = 0n;
  /** The VMA flags (the `flags` member of the vm_flags union). */
  flags: VmaFlags;
  /** Bumped by every vma_start_write(); UINT_MAX means "not since reset". */
  vmLockSeq = UINT_MAX;
  /** The anon_vma_chain list, one element per link. */
  anonVmaChain: AnonVmaChain[] = [];
  anonVma: AnonVma | null = null;
  vmOps: VmOperationsStruct | null = vmaDummyVmOps;
  vmPgoff: PgoffT = 0;
  vmFile: File | null = null;
  vmPrivateData: unknown = null;
  /** 1 while attached to the tree, 0 when detached. */
  vmRefcnt = 0;
  vmPolicy: Mempolicy = null;
  anonName: AnonVmaName = null;
  vmUserfaultfdCtx: VmUserfaultfdCtx = {};

  /** flags: the VMA takes this bitmap (of vmMm's backend); empty if omitted. */
  constructor(
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
