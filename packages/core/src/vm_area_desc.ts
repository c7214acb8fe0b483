import {
  vmaFlagsClear,
  vmaFlagsClearMask,
  vmaFlagsSet,
  vmaFlagsSetMask,
  vmaFlagsTest,
  vmaFlagsTestAll,
  vmaFlagsTestAllMask,
  vmaFlagsTestAny,
  vmaFlagsTestAnyMask,
} from './bit_helpers.js';
import { rangeError, readObjectArgument, typeError } from './errors.js';
import { MmStruct } from './mm_struct.js';
import type { VmAreaStruct } from './vm_area_struct.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlagsInput } from './vm_word.js';
import { initialFlags } from './initial_flags.js';
import { safeInstanceOf } from './is_instance.js';

// struct vm_area_desc: a VMA that does not exist yet, handed to a file's
// mmap_prepare hook. The hook edits the mutable fields (flags included) before
// any merge is attempted; the VMA is then created from them. Nothing else can
// see a descriptor, so none of its helpers need or check a lock.

/** `enum mmap_action_type`: what to do once the VMA exists. */
export type MmapActionType = 'MMAP_NOTHING' | 'MMAP_REMAP_PFN' | 'MMAP_IO_REMAP_PFN';

/** `struct mmap_action`. The hooks and remap parameters are carried, not acted on. */
export interface MmapAction {
  /** What to do. */
  type: MmapActionType;
  /** For the REMAP types: the range to remap. */
  remap?: {
    /** First address to remap. */
    start: number;
    /** First page frame number mapped there. */
    startPfn: number;
    /** Length in bytes. */
    size: number;
    /** Page protection bits of the new entries. */
    pgprot: bigint;
  };
  /** Called once the action succeeded, with the VMA write lock still held; returns 0 or an error code. */
  successHook?: (vma: VmAreaStruct) => number;
  /** Called when the action failed; may replace (not clear) the error code. */
  errorHook?: (err: number) => number;
  /** Keep the VMA out of rmap until the action completes. */
  hideFromRmapUntilComplete: boolean;
}

/** Fields of a new {@link VmAreaDesc}. */
export interface VmAreaDescInit {
  /** The address space the VMA will belong to. */
  mm: MmStruct;
  /** The file being mapped (opaque; may differ from vmFile for stacked files). */
  file?: unknown;
  /** First address (inclusive). */
  start: number;
  /** End address (exclusive). */
  end: number;
  /** Offset into the file, in pages (default 0). */
  pgoff?: number;
  /** Defaults to `file`. */
  vmFile?: unknown;
  /** A bitmap of the mm's config (copied), or a one-word legacy value. Default empty. */
  vmaFlags?: VmaFlags | VmFlagsInput;
  /** `page_prot`: the page protection bits (default 0n). */
  pageProt?: bigint;
}

function checkNumber(v: unknown, arg: string): number {
  if (typeof v !== 'number') throw typeError(arg, 'a non-negative safe integer', v);
  if (!Number.isSafeInteger(v) || v < 0) throw rangeError(arg, 'a non-negative safe integer', v);
  return v;
}

/**
 * `struct vm_area_desc`: a VMA about to be created, as a file's `mmap_prepare` hook
 * sees it. The hook may edit the mutable fields, flags included, before the VMA
 * exists; no lock is involved because nothing else can see a descriptor.
 */
export class VmAreaDesc {
  // Immutable state.
  /** The address space the VMA will belong to. */
  readonly mm: MmStruct;
  /** The file being mapped (opaque). */
  readonly file: unknown;
  /** First address (inclusive). */
  readonly start: number;
  /** End address (exclusive). */
  readonly end: number;

  // Mutable fields, populated with the initial state.
  /** Offset into the file, in pages. */
  pgoff: number;
  /** The file the VMA will map; a stacking file system may replace it. */
  vmFile: unknown;
  /** `vma_flags`: the flags the VMA will be created with (owned by the descriptor). */
  readonly vmaFlags: VmaFlags;
  /** `page_prot`: the page protection bits. */
  pageProt: bigint;

  // Write-only fields (for the hook to fill in).
  /** `vm_ops`: the operations the hook installs (opaque; null until set). */
  vmOps: unknown = null;
  /** `private_data`: the hook's own data (opaque; null until set). */
  privateData: unknown = null;

  /** What to do after the mapping is established. */
  action: MmapAction = { type: 'MMAP_NOTHING', hideFromRmapUntilComplete: false };

  constructor(init: VmAreaDescInit) {
    const i = readObjectArgument(init, 'init', 'an object', (o: VmAreaDescInit) => ({
      mm: o.mm,
      file: o.file,
      start: o.start,
      end: o.end,
      pgoff: o.pgoff,
      vmFile: o.vmFile,
      vmaFlags: o.vmaFlags,
      pageProt: o.pageProt,
    }));
    const { mm } = i;
    if (!safeInstanceOf(mm, MmStruct)) throw typeError('init.mm', 'an MmStruct', mm);
    const start = checkNumber(i.start, 'init.start');
    const end = checkNumber(i.end, 'init.end');
    if (end < start) throw rangeError('init.end', `at least init.start (${start})`, end);
    const pgoff = checkNumber(i.pgoff ?? 0, 'init.pgoff');
    const pageProt = i.pageProt ?? 0n;
    if (typeof pageProt !== 'bigint') throw typeError('init.pageProt', 'a bigint', pageProt);
    const config = mm.config;
    const flags = initialFlags(i.vmaFlags, config, 'init.vmaFlags', 'init.mm');
    this.mm = mm;
    this.file = i.file ?? null;
    this.start = start;
    this.end = end;
    this.pgoff = pgoff;
    this.vmFile = i.vmFile === undefined ? this.file : i.vmFile;
    this.vmaFlags = flags;
    this.pageProt = pageProt;
  }
}

function assertDesc(desc: unknown): asserts desc is VmAreaDesc {
  if (!safeInstanceOf(desc, VmAreaDesc)) throw typeError('desc', 'a VmAreaDesc', desc);
}

/** `vma_desc_test`: whether one bit is set. */
export function vmaDescTest(desc: VmAreaDesc, bit: number): boolean {
  assertDesc(desc);
  return vmaFlagsTest(desc.vmaFlags, bit);
}

/** `vma_desc_test_any`: whether any listed bit is set. */
export function vmaDescTestAny(desc: VmAreaDesc, ...bits: number[]): boolean {
  assertDesc(desc);
  return vmaFlagsTestAny(desc.vmaFlags, ...bits);
}

/** `vma_desc_test_any_mask`: whether any bit of `mask` is set. */
export function vmaDescTestAnyMask(desc: VmAreaDesc, mask: VmaFlags): boolean {
  assertDesc(desc);
  return vmaFlagsTestAnyMask(desc.vmaFlags, mask);
}

/** `vma_desc_test_all`: whether every listed bit is set. */
export function vmaDescTestAll(desc: VmAreaDesc, ...bits: number[]): boolean {
  assertDesc(desc);
  return vmaFlagsTestAll(desc.vmaFlags, ...bits);
}

/** `vma_desc_test_all_mask`: whether every bit of `mask` is set. */
export function vmaDescTestAllMask(desc: VmAreaDesc, mask: VmaFlags): boolean {
  assertDesc(desc);
  return vmaFlagsTestAllMask(desc.vmaFlags, mask);
}

/** `vma_desc_set_flags`: set the listed bits. */
export function vmaDescSetFlags(desc: VmAreaDesc, ...bits: number[]): void {
  assertDesc(desc);
  vmaFlagsSet(desc.vmaFlags, ...bits);
}

/** `vma_desc_set_flags_mask`: OR in `mask`. */
export function vmaDescSetFlagsMask(desc: VmAreaDesc, mask: VmaFlags): void {
  assertDesc(desc);
  vmaFlagsSetMask(desc.vmaFlags, mask);
}

/** `vma_desc_clear_flags`: clear the listed bits. */
export function vmaDescClearFlags(desc: VmAreaDesc, ...bits: number[]): void {
  assertDesc(desc);
  vmaFlagsClear(desc.vmaFlags, ...bits);
}

/** `vma_desc_clear_flags_mask`: AND-NOT `mask`. */
export function vmaDescClearFlagsMask(desc: VmAreaDesc, mask: VmaFlags): void {
  assertDesc(desc);
  vmaFlagsClearMask(desc.vmaFlags, mask);
}

/**
 * `vma_desc_test_flags`: whether any listed bit is set.
 * @deprecated Renamed `vma_desc_test_any`: use {@link vmaDescTestAny}.
 */
export const vmaDescTestFlags: typeof vmaDescTestAny = vmaDescTestAny;

/**
 * `vma_desc_test_flags_mask`: whether any bit of `mask` is set.
 * @deprecated Renamed `vma_desc_test_any_mask`: use {@link vmaDescTestAnyMask}.
 */
export const vmaDescTestFlagsMask: typeof vmaDescTestAnyMask = vmaDescTestAnyMask;
