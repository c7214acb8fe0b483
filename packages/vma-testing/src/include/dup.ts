import { VMA_EXEC_BIT, VMA_MAYWRITE_BIT, VMA_SHARED_BIT, VMA_WRITE_BIT } from '@vmaflags/core';
import { MapleTree } from '../lib/maple_tree.js';
import { EPERM, PAGE_SIZE, UINT_MAX, type Backend, type PgoffT, type PgprotT, type VmaFlags } from '../vma_internal.js';
import { type AnonVma, WARN_ON_ONCE, vmaLockInit, vmaStartWrite } from './custom.js';
import {
  dupAnonVmaName,
  fput,
  freeAnonVmaName,
  getFile,
  mappingCanWriteback,
  vmaNumabStateFree,
  vmaNumabStateInit,
  type AnonVmaName,
  type Mempolicy,
  type VmUserfaultfdCtx,
} from './stubs.js';
import { vmaFlagMasks } from './vma_flag_masks.js';

// Counterpart of tools/testing/vma/include/dup.h: the mm, VMA, file and
// descriptor types with just the members the ported code reads or writes, and
// the one-line helpers on them. Iterator helpers live in vma_iterator.ts,
// flag masks in vma_flag_masks.ts; both are re-exported from here.

export * from './vma_iterator.js';
export * from './vma_flag_masks.js';

/** MMF_HAS_MDWE: the mm has memory-deny-write-execute set. */
export const MMF_HAS_MDWE = 28;
/** READ_IMPLIES_EXEC personality bit. */
export const READ_IMPLIES_EXEC = 0x0400000;

/** struct mm_struct (partial). The backend decides how its VMAs store flags. */
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

  constructor(readonly backend: Backend) {
    this.defVmaFlags = backend.mk();
  }
}

/** mm_flags_test */
export function mmFlagsTest(flag: number, mm: MmStruct): boolean {
  return (mm.flags & (1 << flag)) !== 0;
}

/** struct address_space (partial). */
export interface AddressSpace {
  iMmapWritable: number;
  flags: number;
}

/** struct file_operations: the two mmap entry points. */
export interface FileOperations {
  mmap?: (file: File, vma: VmAreaStruct) => number;
  mmapPrepare?: (desc: VmAreaDesc) => number;
}

/** struct file (partial). */
export interface File {
  fMapping: AddressSpace | null;
  fOp: FileOperations;
}

/** struct anon_vma_chain: one link of a VMA's anon_vma_chain list. */
export interface AnonVmaChain {
  anonVma: AnonVma | null;
}

/** struct task_struct (partial). */
export interface TaskStruct {
  comm: string;
  pid: number;
  mm: MmStruct | null;
  personality: number;
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

/** vma_init: a zeroed VMA of mm with the dummy ops and no writes recorded. */
export function vmaInit(vma: VmAreaStruct, mm: MmStruct): void {
  if (vma.vmMm.backend === mm.backend) mm.backend.clearAll(vma.flags);
  else vma.flags = mm.backend.mk();
  vma.vmStart = vma.vmEnd = 0;
  vma.vmMm = mm;
  vma.vmPageProt = 0n;
  vma.vmOps = vmaDummyVmOps;
  vma.anonVmaChain = [];
  vma.anonVma = null;
  vma.vmPgoff = 0;
  vma.vmFile = null;
  vma.vmPrivateData = null;
  vma.vmRefcnt = 0;
  vma.vmLockSeq = UINT_MAX;
}

/** vm_area_alloc */
export function vmAreaAlloc(mm: MmStruct): VmAreaStruct {
  const vma = new VmAreaStruct(mm);
  vmaInit(vma, mm);
  return vma;
}

/**
 * vm_area_dup: a detached copy of orig sharing its anon_vma but with an empty
 * anon_vma_chain. The whole flag bitmap is copied (not only word 0), so wide
 * configurations keep their high bits.
 */
export function vmAreaDup(orig: VmAreaStruct): VmAreaStruct {
  const vma = new VmAreaStruct(orig.vmMm, orig.vmMm.backend.copy(orig.flags));
  vma.vmOps = orig.vmOps;
  vma.vmStart = orig.vmStart;
  vma.vmEnd = orig.vmEnd;
  vma.anonVma = orig.anonVma;
  vma.vmPgoff = orig.vmPgoff;
  vma.vmFile = orig.vmFile;
  vma.vmPrivateData = orig.vmPrivateData;
  vma.vmPageProt = orig.vmPageProt;
  vma.vmUserfaultfdCtx = orig.vmUserfaultfdCtx;
  vma.anonName = orig.anonName;
  vma.vmPolicy = orig.vmPolicy;
  vmaLockInit(vma, true);
  vma.anonVmaChain = [];
  vmaNumabStateInit(vma);
  dupAnonVmaName(orig, vma);
  return vma;
}

/** vm_area_free: the VMA must already be detached. */
export function vmAreaFree(vma: VmAreaStruct): void {
  vmaAssertDetached(vma);
  vmaNumabStateFree(vma);
  freeAnonVmaName(vma);
}

/** vma_assert_attached */
export function vmaAssertAttached(vma: VmAreaStruct): void {
  WARN_ON_ONCE(vma.vmRefcnt === 0, 'vma_assert_attached: VMA is detached');
}

/** vma_assert_detached */
export function vmaAssertDetached(vma: VmAreaStruct): void {
  WARN_ON_ONCE(vma.vmRefcnt !== 0, 'vma_assert_detached: VMA is attached');
}

/** vma_mark_attached */
export function vmaMarkAttached(vma: VmAreaStruct): void {
  vmaAssertDetached(vma);
  vma.vmRefcnt = 1;
}

/** vma_mark_detached */
export function vmaMarkDetached(vma: VmAreaStruct): void {
  vmaAssertAttached(vma);
  vma.vmRefcnt = 0;
}

/** vma_is_anonymous: no vm_ops at all (vma_init installs dummy ones). */
export function vmaIsAnonymous(vma: VmAreaStruct): boolean {
  return vma.vmOps === null;
}

/** vma_set_anonymous */
export function vmaSetAnonymous(vma: VmAreaStruct): void {
  vma.vmOps = null;
}

/** vma_pages: length in pages. */
export function vmaPages(vma: VmAreaStruct): number {
  return (vma.vmEnd - vma.vmStart) / PAGE_SIZE;
}

/** vma_set_range */
export function vmaSetRange(vma: VmAreaStruct, start: number, end: number, pgoff: PgoffT): void {
  vma.vmStart = start;
  vma.vmEnd = end;
  vma.vmPgoff = pgoff;
}

/** vma_start_pgoff: the file page offset at vm_start. */
export function vmaStartPgoff(vma: VmAreaStruct): PgoffT {
  return vma.vmPgoff;
}

/** vma_set_pgoff */
export function vmaSetPgoff(vma: VmAreaStruct, pgoff: PgoffT): void {
  vma.vmPgoff = pgoff;
}

/** vma_set_file: swap the backing file (references are not counted here). */
export function vmaSetFile(vma: VmAreaStruct, file: File): void {
  const old = vma.vmFile;
  vma.vmFile = getFile(file);
  fput(old);
}

// ---------------------------------------------------------------------------
// Flag wrappers on a VMA and on a descriptor. The VMA forms take no lock.

const backendOf = (vma: VmAreaStruct): Backend => vma.vmMm.backend;

/** vma_test */
export function vmaTest(vma: VmAreaStruct, bit: number): boolean {
  return backendOf(vma).test(vma.flags, bit);
}
/** vma_test_any */
export function vmaTestAny(vma: VmAreaStruct, ...bits: number[]): boolean {
  return backendOf(vma).testAny(vma.flags, ...bits);
}
/** vma_test_any_mask */
export function vmaTestAnyMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  return backendOf(vma).testAnyMask(vma.flags, mask);
}
/** vma_test_all */
export function vmaTestAll(vma: VmAreaStruct, ...bits: number[]): boolean {
  return backendOf(vma).testAll(vma.flags, ...bits);
}
/** vma_test_all_mask */
export function vmaTestAllMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  return backendOf(vma).testAllMask(vma.flags, mask);
}
/** vma_test_single_mask */
export function vmaTestSingleMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  return backendOf(vma).testSingleMask(vma.flags, mask);
}
/** vma_set_flags */
export function vmaSetFlags(vma: VmAreaStruct, ...bits: number[]): void {
  backendOf(vma).set(vma.flags, ...bits);
}
/** vma_set_flags_mask */
export function vmaSetFlagsMask(vma: VmAreaStruct, mask: VmaFlags): void {
  backendOf(vma).setMask(vma.flags, mask);
}
/** vma_clear_flags */
export function vmaClearFlags(vma: VmAreaStruct, ...bits: number[]): void {
  backendOf(vma).clear(vma.flags, ...bits);
}
/** vma_clear_flags_mask */
export function vmaClearFlagsMask(vma: VmAreaStruct, mask: VmaFlags): void {
  backendOf(vma).clearMask(vma.flags, mask);
}

/** vma_desc_test */
export function vmaDescTest(desc: VmAreaDesc, bit: number): boolean {
  return desc.mm.backend.test(desc.vmaFlags, bit);
}
/** vma_desc_test_any */
export function vmaDescTestAny(desc: VmAreaDesc, ...bits: number[]): boolean {
  return desc.mm.backend.testAny(desc.vmaFlags, ...bits);
}
/** vma_desc_test_any_mask */
export function vmaDescTestAnyMask(desc: VmAreaDesc, mask: VmaFlags): boolean {
  return desc.mm.backend.testAnyMask(desc.vmaFlags, mask);
}
/** vma_desc_test_all */
export function vmaDescTestAll(desc: VmAreaDesc, ...bits: number[]): boolean {
  return desc.mm.backend.testAll(desc.vmaFlags, ...bits);
}
/** vma_desc_test_all_mask */
export function vmaDescTestAllMask(desc: VmAreaDesc, mask: VmaFlags): boolean {
  return desc.mm.backend.testAllMask(desc.vmaFlags, mask);
}
/** vma_desc_set_flags */
export function vmaDescSetFlags(desc: VmAreaDesc, ...bits: number[]): void {
  desc.mm.backend.set(desc.vmaFlags, ...bits);
}
/** vma_desc_set_flags_mask */
export function vmaDescSetFlagsMask(desc: VmAreaDesc, mask: VmaFlags): void {
  desc.mm.backend.setMask(desc.vmaFlags, mask);
}
/** vma_desc_clear_flags */
export function vmaDescClearFlags(desc: VmAreaDesc, ...bits: number[]): void {
  desc.mm.backend.clear(desc.vmaFlags, ...bits);
}
/** vma_desc_clear_flags_mask */
export function vmaDescClearFlagsMask(desc: VmAreaDesc, mask: VmaFlags): void {
  desc.mm.backend.clearMask(desc.vmaFlags, mask);
}

/** vm_flags_init: overwrite the whole bitmap (all words); no lock, so only for a VMA nobody else can see. */
export function vmFlagsInit(vma: VmAreaStruct, flags: VmaFlags): void {
  if (flags === vma.flags) return;
  const b = backendOf(vma);
  b.clearAll(vma.flags);
  b.setMask(vma.flags, flags);
}

/** vm_flags_reset: the same overwrite on a linked VMA; the caller already holds its write lock. */
export function vmFlagsReset(vma: VmAreaStruct, flags: VmaFlags): void {
  vmFlagsInit(vma, flags);
}

/** vm_flags_set: take the VMA write lock, then OR the bits in. */
export function vmFlagsSet(vma: VmAreaStruct, flags: VmaFlags): void {
  vmaStartWrite(vma);
  backendOf(vma).setMask(vma.flags, flags);
}

/** vm_flags_clear: take the VMA write lock, then clear the bits. */
export function vmFlagsClear(vma: VmAreaStruct, flags: VmaFlags): void {
  vmaStartWrite(vma);
  backendOf(vma).clearMask(vma.flags, flags);
}

/** is_shared_maywrite */
export function isSharedMaywrite(b: Backend, flags: VmaFlags): boolean {
  return b.test(flags, VMA_SHARED_BIT) && b.test(flags, VMA_MAYWRITE_BIT);
}

/** vma_is_shared_maywrite */
export function vmaIsSharedMaywrite(vma: VmAreaStruct): boolean {
  return isSharedMaywrite(backendOf(vma), vma.flags);
}

/** vm_get_page_prot: the harness uses the legacy flag word as the protection. */
export function vmGetPageProt(b: Backend, flags: VmaFlags): PgprotT {
  return b.toLegacy(flags);
}

/** pgprot_modify */
export function pgprotModify(oldprot: PgprotT, newprot: PgprotT): PgprotT {
  return oldprot | newprot;
}

// Which of mm's counters (exec_vm, stack_vm, data_vm) a VMA's pages go to;
// the same tests as is_exec_mapping() and friends in mm/vma.h.

/** exec_vm: EXEC set, WRITE and the stack bit clear. */
export function isExecMapping(b: Backend, flags: VmaFlags): boolean {
  return b.test(flags, VMA_EXEC_BIT) && !b.test(flags, VMA_WRITE_BIT) && !b.testAnyMask(flags, vmaFlagMasks(b).VM_STACK);
}

/** stack_vm: the configuration's stack bit, or a shadow stack. */
export function isStackMapping(b: Backend, flags: VmaFlags): boolean {
  const m = vmaFlagMasks(b);
  return (!b.empty(m.VM_STACK) && b.testAllMask(flags, m.VM_STACK)) || b.testAnyMask(flags, m.VM_SHADOW_STACK);
}

/** data_vm: WRITE set, SHARED and the stack bit clear. */
export function isDataMapping(b: Backend, flags: VmaFlags): boolean {
  return b.test(flags, VMA_WRITE_BIT) && !b.test(flags, VMA_SHARED_BIT) && !b.testAnyMask(flags, vmaFlagMasks(b).VM_STACK);
}

/** vm_stat_account */
export function vmStatAccount(mm: MmStruct, flags: VmaFlags, npages: number): void {
  const b = mm.backend;
  mm.totalVm += npages;
  if (isExecMapping(b, flags)) mm.execVm += npages;
  else if (isStackMapping(b, flags)) mm.stackVm += npages;
  else if (isDataMapping(b, flags)) mm.dataVm += npages;
}

/** mapping_allow_writable */
export function mappingAllowWritable(mapping: AddressSpace): void {
  mapping.iMmapWritable++;
}

/** mapping_map_writable: fails once the mapping was sealed against writes (negative count). */
export function mappingMapWritable(mapping: AddressSpace): number {
  if (mapping.iMmapWritable < 0) return -EPERM;
  mapping.iMmapWritable++;
  return 0;
}

/** vfs_mmap_prepare */
export function vfsMmapPrepare(file: File, desc: VmAreaDesc): number {
  return file.fOp.mmapPrepare!(desc);
}

/** can_mmap_file: exactly one of the two hooks. */
export function canMmapFile(file: File): boolean {
  const hasMmap = file.fOp.mmap !== undefined;
  const hasPrepare = file.fOp.mmapPrepare !== undefined;
  if (WARN_ON_ONCE(hasMmap && hasPrepare, 'can_mmap_file: both mmap hooks')) return false;
  return hasMmap || hasPrepare;
}

/** Whether writeback may happen through this file. */
export function fileCanWriteback(file: File | null): boolean {
  return file !== null && file.fMapping !== null && mappingCanWriteback(file.fMapping);
}

/** The static task get_current() returns. */
export const current: TaskStruct = { comm: 'vma', pid: 1, mm: null, personality: 0 };

/** get_current */
export function getCurrent(): TaskStruct {
  return current;
}

/** rlimit: unlimited. */
export function rlimit(_limit: number): number {
  return Number.MAX_SAFE_INTEGER;
}
