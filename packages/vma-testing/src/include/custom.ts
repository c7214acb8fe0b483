import { PAGE_SIZE } from '../vma_internal.js';
import type { VmAreaStruct } from './dup.js';

// Counterpart of tools/testing/vma/include/custom.h: kernel functions whose
// harness versions behave differently on purpose (mostly to leave traces the
// cases can check), with the globals that go with them.

/** sysctl_max_map_count, fixed by the harness. */
export const sysctlMaxMapCount = 0x1000000;

/** TASK_SIZE as the harness hardcodes it: 2^47 minus one page. */
export const TASK_SIZE = 2 ** 47 - PAGE_SIZE;

/** CONFIG_DEFAULT_MMAP_MIN_ADDR */
export const CONFIG_DEFAULT_MMAP_MIN_ADDR = 65536;

/** mmap_min_addr / dac_mmap_min_addr (MMU builds). */
export const mmapMinAddr = CONFIG_DEFAULT_MMAP_MIN_ADDR;
export const dacMmapMinAddr = CONFIG_DEFAULT_MMAP_MIN_ADDR;

/** stack_guard_gap: 256 pages. */
export const stackGuardGap = 256 * PAGE_SIZE;

/**
 * fail_prealloc: when set, vma_iter_prealloc() reports -ENOMEM, which is how
 * the tests drive the merge code down its allocation-failure paths.
 */
export let failPrealloc = false;

export function setFailPrealloc(fail: boolean): void {
  failPrealloc = fail;
}

/**
 * struct anon_vma, reduced to what the merge code looks at, plus two probes
 * the tests read: whether it was cloned into a VMA and whether a VMA using it
 * was unlinked.
 */
export class AnonVma {
  root: AnonVma = this;
  wasCloned = false;
  wasUnlinked = false;
}

/** The operation an anon_vma_clone() happens for. */
export const VMA_OP_SPLIT = 0;
export const VMA_OP_MERGE_UNFAULTED = 1;
export const VMA_OP_REMAP = 2;
export const VMA_OP_FORK = 3;
export type VmaOperation = 0 | 1 | 2 | 3;

/**
 * unlink_anon_vmas: only records that it happened. A VMA without an anon_vma
 * has nothing to unlink (copy_vma()'s error path calls this regardless).
 */
export function unlinkAnonVmas(vma: VmAreaStruct): void {
  if (vma.anonVma !== null) vma.anonVma.wasUnlinked = true;
}

/** vma_start_write: no lock here; it just counts up vm_lock_seq, which vmaWriteStarted() reads. */
export function vmaStartWrite(vma: VmAreaStruct): void {
  vma.vmLockSeq = (vma.vmLockSeq + 1) >>> 0;
}

/** vma_start_write_killable: the same counter; there are no signals to interrupt it. */
export function vmaStartWriteKillable(vma: VmAreaStruct): number {
  vma.vmLockSeq = (vma.vmLockSeq + 1) >>> 0;
  return 0;
}

/**
 * anon_vma_clone: share src's anon_vma with dst (if any) and record the
 * clone. dst is linked to every anon_vma src is linked to, as the kernel
 * does (torvalds/linux @8cdf3792526ab681e1f4a0c202e779400b2b8177
 * mm/rmap.c): a piece split off a VMA keeps its singular chain, and one of
 * a fork child keeps the child's longer chain, so the merge code's
 * fork-child test sees the same thing in both.
 */
export function anonVmaClone(dst: VmAreaStruct, src: VmAreaStruct, _operation: VmaOperation): number {
  if (src.anonVma !== null) {
    dst.anonVma = src.anonVma;
    dst.anonVma.wasCloned = true;
  }
  dst.anonVmaChain = src.anonVmaChain.map((link) => ({ anonVma: link.anonVma }));
  return 0;
}

/** __anon_vma_prepare: give the VMA a fresh anon_vma of its own. */
export function __anonVmaPrepare(vma: VmAreaStruct): number {
  vma.anonVma = new AnonVma();
  return 0;
}

/** anon_vma_prepare */
export function anonVmaPrepare(vma: VmAreaStruct): number {
  if (vma.anonVma !== null) return 0;
  return __anonVmaPrepare(vma);
}

/** vma_lock_init */
export function vmaLockInit(vma: VmAreaStruct, resetRefcnt: boolean): void {
  if (resetRefcnt) vma.vmRefcnt = 0;
}

// VM_WARN_ON* and VM_BUG_ON* map onto the userland WARN_ON/BUG_ON. A warning
// does not stop the kernel code, so it is recorded rather than thrown; the
// runners fail a test that leaves warnings behind. A BUG aborts.

const warnings: string[] = [];

export function WARN_ON(condition: boolean, what = 'WARN_ON'): boolean {
  if (condition) warnings.push(what);
  return condition;
}

export const WARN_ON_ONCE = WARN_ON;
export const VM_WARN_ON = WARN_ON;
export const VM_WARN_ON_ONCE = WARN_ON;

export function VM_WARN_ON_VMG(condition: boolean, _vmg: unknown, what = 'VM_WARN_ON_VMG'): boolean {
  return WARN_ON(condition, what);
}

export function BUG_ON(condition: boolean, what = 'BUG_ON'): void {
  if (condition) throw new Error(`kernel BUG: ${what}`);
}

export const VM_BUG_ON = BUG_ON;

/** Warnings recorded since the last call, oldest first; clears the record. */
export function takeWarnings(): string[] {
  return warnings.splice(0, warnings.length);
}
