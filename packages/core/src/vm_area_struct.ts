import { toVmWord } from './bitmap.js';
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
  vmaFlagsTestSingleMask,
} from './bit_helpers.js';
import { DEFAULT_CONFIG, assertKernelConfig, type KernelConfig } from './config.js';
import { rangeError, readObjectArgument, typeError } from './errors.js';
import { vmaFlagTable } from './flag_table.js';
import { MmStruct } from './mm_struct.js';
import { VMA_MAYWRITE_BIT, VMA_SHARED_BIT } from './vma_flag.js';
import type { VmaFlags } from './vma_flags.js';
import { UINT_MAX, vmaAssertCanModify } from './vma_lock.js';
import type { VmFlags, VmFlagsInput } from './vm_word.js';
import { vmaFlagsToLegacy } from './word_helpers.js';
import { initialFlags } from './initial_flags.js';
import { safeInstanceOf } from './is_instance.js';

// struct vm_area_struct: a mapping of [vmStart, vmEnd) in one mm. `flags` is the
// bitmap; `vmFlags` is the read-only legacy view of its word 0 (the kernel's
// union of a const vm_flags_t with vma_flags_t). Writes go through the
// vm_flags_* helpers (vm_flags.ts), the vma_*_flags wrappers below, or the
// atomic helper.

/** Initial fields for a {@link VmAreaStruct}; all default to 0 / empty. */
export interface VmAreaStructInit {
  /** `vm_start` (default 0). */
  start?: number;
  /** `vm_end` (default 0). */
  end?: number;
  /** `vm_pgoff` (default 0). */
  pgoff?: number;
  /** A bitmap of the mm's config (copied), or a one-word legacy value. */
  flags?: VmaFlags | VmFlagsInput;
}

function checkAddress(v: unknown, arg: string): number {
  if (typeof v !== 'number') throw typeError(arg, 'a non-negative safe integer', v);
  if (!Number.isSafeInteger(v) || v < 0) throw rangeError(arg, 'a non-negative safe integer', v);
  return v;
}

/**
 * `struct vm_area_struct`: a VMA of an {@link MmStruct}. Its flags change only through
 * the `vm_flags_*` helpers, which check the lock each one requires and throw a
 * {@link VmaLockError} without changing anything when it is not held.
 */
export class VmAreaStruct {
  /** `vm_mm`: the address space this VMA belongs to. */
  readonly vmMm: MmStruct;
  /** `vm_start`: first address (inclusive). */
  vmStart: number;
  /** `vm_end`: end address (exclusive). */
  vmEnd: number;
  /** `vm_pgoff`: offset into the backing file, in pages. */
  vmPgoff: number;
  /** `flags`: the VMA's own bitmap (never shared with a caller). */
  readonly flags: VmaFlags;
  /**
   * `vm_lock_seq`: the mm_lock_seq in which this VMA was last write-locked
   * ({@link UINT_MAX} after init). Maintained by vmaStartWrite.
   */
  vmLockSeq: number = UINT_MAX;
  /** `vm_refcnt`: 0 detached, 1 attached, +1 per VMA reader. Maintained by vma_lock.ts. */
  vmRefcnt = 0;
  /** `vm_page_prot` (opaque to this library). */
  vmPageProt: bigint = 0n;
  /** `vm_file` (opaque; null for anonymous memory). */
  vmFile: unknown = null;
  /** `vm_ops` (opaque). */
  vmOps: unknown = null;
  /** `vm_private_data` (opaque). */
  vmPrivateData: unknown = null;

  /** `vm_area_alloc(mm)` + range: a detached VMA, never write-locked. */
  constructor(mm: MmStruct, init: VmAreaStructInit = {}) {
    if (!safeInstanceOf(mm, MmStruct)) throw typeError('mm', 'an MmStruct', mm);
    const i = readObjectArgument(init, 'init', 'an object', (o: VmAreaStructInit) => ({
      start: o.start,
      end: o.end,
      pgoff: o.pgoff,
      flags: o.flags,
    }));
    const start = checkAddress(i.start ?? 0, 'init.start');
    const end = checkAddress(i.end ?? start, 'init.end');
    if (end < start) throw rangeError('init.end', `at least init.start (${start})`, end);
    const pgoff = checkAddress(i.pgoff ?? 0, 'init.pgoff');
    const config = mm.config;
    const flags = initialFlags(i.flags, config, 'init.flags', 'mm');
    this.vmMm = mm;
    this.vmStart = start;
    this.vmEnd = end;
    this.vmPgoff = pgoff;
    this.flags = flags;
  }

  /** `vm_flags`: word 0 of `flags` as a legacy value. Read-only: use the vm_flags_* helpers to change it. */
  get vmFlags(): VmFlags {
    return vmaFlagsToLegacy(this.flags);
  }
}

/** `vm_area_alloc`: a new detached, empty VMA of `mm`. */
export function vmAreaAlloc(mm: MmStruct): VmAreaStruct {
  return new VmAreaStruct(mm);
}

/**
 * `vm_area_dup`: a detached copy of `vma` (same range, pgoff, flags and opaque
 * fields; a fresh lock state).
 */
export function vmAreaDup(vma: VmAreaStruct): VmAreaStruct {
  assertVma(vma);
  const copy = new VmAreaStruct(vma.vmMm, { start: vma.vmStart, end: vma.vmEnd, pgoff: vma.vmPgoff, flags: vma.flags });
  copy.vmPageProt = vma.vmPageProt;
  copy.vmFile = vma.vmFile;
  copy.vmOps = vma.vmOps;
  copy.vmPrivateData = vma.vmPrivateData;
  return copy;
}

function assertVma(vma: unknown): asserts vma is VmAreaStruct {
  if (!safeInstanceOf(vma, VmAreaStruct)) throw typeError('vma', 'a VmAreaStruct', vma);
}

// ---------------------------------------------------------------------------
// VMA wrappers of the bitmap helpers. Queries need whatever lock the caller's
// context already requires and check none. The mutators do not take the VMA
// write lock (unlike vm_flags_set); on an attached VMA they require it.

/** `vma_test`: whether one bit is set. */
export function vmaTest(vma: VmAreaStruct, bit: number): boolean {
  assertVma(vma);
  return vmaFlagsTest(vma.flags, bit);
}

/** `vma_test_any`: whether any listed bit is set. */
export function vmaTestAny(vma: VmAreaStruct, ...bits: number[]): boolean {
  assertVma(vma);
  return vmaFlagsTestAny(vma.flags, ...bits);
}

/** `vma_test_any_mask`: whether the VMA has any bit of `mask`. */
export function vmaTestAnyMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  assertVma(vma);
  return vmaFlagsTestAnyMask(vma.flags, mask);
}

/** `vma_test_all`: whether every listed bit is set. */
export function vmaTestAll(vma: VmAreaStruct, ...bits: number[]): boolean {
  assertVma(vma);
  return vmaFlagsTestAll(vma.flags, ...bits);
}

/** `vma_test_all_mask`: whether the VMA has every bit of `mask`. */
export function vmaTestAllMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  assertVma(vma);
  return vmaFlagsTestAllMask(vma.flags, mask);
}

/** `vma_test_single_mask`: test a one-bit mask (see vmaFlagsTestSingleMask). */
export function vmaTestSingleMask(vma: VmAreaStruct, mask: VmaFlags): boolean {
  assertVma(vma);
  return vmaFlagsTestSingleMask(vma.flags, mask);
}

/** `vma_set_flags`: set the listed bits. Attached VMA: requires the VMA write lock. */
export function vmaSetFlags(vma: VmAreaStruct, ...bits: number[]): void {
  assertVma(vma);
  vmaAssertCanModify(vma, 'vma_set_flags');
  vmaFlagsSet(vma.flags, ...bits);
}

/** `vma_set_flags_mask`: OR in `mask`. Attached VMA: requires the VMA write lock. */
export function vmaSetFlagsMask(vma: VmAreaStruct, mask: VmaFlags): void {
  assertVma(vma);
  vmaAssertCanModify(vma, 'vma_set_flags_mask');
  vmaFlagsSetMask(vma.flags, mask);
}

/** `vma_clear_flags`: clear the listed bits. Attached VMA: requires the VMA write lock. */
export function vmaClearFlags(vma: VmAreaStruct, ...bits: number[]): void {
  assertVma(vma);
  vmaAssertCanModify(vma, 'vma_clear_flags');
  vmaFlagsClear(vma.flags, ...bits);
}

/** `vma_clear_flags_mask`: AND-NOT `mask`. Attached VMA: requires the VMA write lock. */
export function vmaClearFlagsMask(vma: VmAreaStruct, mask: VmaFlags): void {
  assertVma(vma);
  vmaAssertCanModify(vma, 'vma_clear_flags_mask');
  vmaFlagsClearMask(vma.flags, mask);
}

/**
 * `vma_test_all_flags`: whether every listed bit is set.
 * @deprecated Renamed `vma_test_all`: use {@link vmaTestAll}.
 */
export const vmaTestAllFlags: typeof vmaTestAll = vmaTestAll;

/**
 * `vma_test_all_flags_mask`: whether the VMA has every bit of `mask`.
 * @deprecated Renamed `vma_test_all_mask`: use {@link vmaTestAllMask}.
 */
export const vmaTestAllFlagsMask: typeof vmaTestAllMask = vmaTestAllMask;

// ---------------------------------------------------------------------------
// Predicates

/** `is_shared_maywrite`: both SHARED and MAYWRITE are set. */
export function isSharedMaywrite(flags: VmaFlags): boolean {
  return vmaFlagsTestAll(flags, VMA_SHARED_BIT, VMA_MAYWRITE_BIT);
}

const SHARED_MAYWRITE = (1n << BigInt(VMA_SHARED_BIT)) | (1n << BigInt(VMA_MAYWRITE_BIT));

/** `is_shared_maywrite_vm_flags`: the legacy form, on one word (checked against the config's width). */
export function isSharedMaywriteVmFlags(vmFlags: VmFlagsInput, config: KernelConfig = DEFAULT_CONFIG): boolean {
  assertKernelConfig(config, 'config');
  const w = toVmWord(vmFlags, config.bitsPerLong, 'vmFlags');
  return (w & SHARED_MAYWRITE) === SHARED_MAYWRITE;
}

/** `vma_is_shared_maywrite`. */
export function vmaIsSharedMaywrite(vma: VmAreaStruct): boolean {
  assertVma(vma);
  return isSharedMaywrite(vma.flags);
}

/** `vma_is_accessible`: any of READ, WRITE, EXEC (VMA_ACCESS_FLAGS) is set. */
export function vmaIsAccessible(vma: VmAreaStruct): boolean {
  assertVma(vma);
  return vmaFlagsTestAnyMask(vma.flags, vmaFlagTable(vma.flags.config).VMA_ACCESS_FLAGS);
}
