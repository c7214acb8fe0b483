import type { AddressSpace } from './linux/fs.js';
import type { MmStruct, MmapAction, VmAreaDesc, VmAreaStruct } from './linux/mm_types.js';
import type { AnonVma } from './linux/rmap.js';
import type { VmaFlags } from './linux/types.js';

// Kernel calls that mean nothing in a single-threaded model without memory,
// whatever the environment: locks, page tables, TLB, rmap interval trees,
// NUMA policy, and hooks with a constant answer. Each is an empty body or a
// fixed value; the ported code still calls them at the kernel's call sites,
// which keeps it comparable line by line with the kernel.

export const FIRST_USER_ADDRESS = 0;
export const USER_PGTABLES_CEILING = 0;

/**
 * struct mempolicy: opaque to the VMA code, which only copies, compares and
 * releases it; an environment that models NUMA policy gives it a shape.
 */
export type Mempolicy = object | null;
/** struct vm_userfaultfd_ctx: empty. */
export type VmUserfaultfdCtx = Record<string, never>;
/**
 * NULL_VM_UFFD_CTX: the context of a VMA registered with no userfaultfd. It
 * has no members, so every VMA and merge request shares this one frozen
 * object instead of allocating its own.
 */
export const NULL_VM_UFFD_CTX: VmUserfaultfdCtx = Object.freeze({});
/** struct anon_vma_name: never set. */
export type AnonVmaName = null;

// Locks and lock assertions.
export function mmapAssertLocked(_mm: MmStruct | null): void {}
export function mmapAssertWriteLocked(_mm: MmStruct | null): void {}
export function mmapWriteDowngrade(_mm: MmStruct): void {}
export function mmapReadUnlock(_mm: MmStruct): void {}
export function mmapWriteUnlock(_mm: MmStruct): void {}
export function vmaAssertWriteLocked(_vma: VmAreaStruct): void {}
export function vmaAssertStabilised(_vma: VmAreaStruct): void {}
export function anonVmaLockWrite(_anonVma: AnonVma): void {}
export function anonVmaUnlockWrite(_anonVma: AnonVma): void {}
export function iMmapLockWrite(_mapping: AddressSpace | null): void {}
export function iMmapUnlockWrite(_mapping: AddressSpace | null): void {}
export function mightSleep(): void {}

// Page tables, TLB and THP.
export function tlbGatherMmu(_mm: MmStruct): void {}
export function tlbFinishMmu(): void {}
export function updateHiwaterRss(_mm: MmStruct): void {}
export function updateHiwaterVm(_mm: MmStruct): void {}
export function freePgtables(): void {}
export function lruAddDrain(): void {}
export function vmaAdjustTransHuge(
  _vma: VmAreaStruct,
  _start: number,
  _end: number,
  _next: VmAreaStruct | null,
): void {}
export function hugetlbSplit(_vma: VmAreaStruct, _addr: number): void {}
export function fixupHugetlbReservations(_vma: VmAreaStruct): void {}

// rmap interval trees.
export function vmaIntervalTreeInsert(_vma: VmAreaStruct, _mapping: AddressSpace | null): void {}
export function vmaIntervalTreeRemove(_vma: VmAreaStruct, _mapping: AddressSpace | null): void {}
export function anonVmaIntervalTreePreUpdateVma(_vma: VmAreaStruct): void {}
export function anonVmaIntervalTreePostUpdateVma(_vma: VmAreaStruct): void {}
export function flushDcacheMmapLock(_mapping: AddressSpace | null): void {}
export function flushDcacheMmapUnlock(_mapping: AddressSpace | null): void {}

// Features that answer "no" / "ok".
export function signalPending(): boolean {
  return false;
}
export function canModifyMm(_mm: MmStruct, _start: number, _end: number): boolean {
  return true;
}
export function mpolEqual(_a: Mempolicy, _b: Mempolicy): boolean {
  return true;
}
export function isMergeableVmUserfaultfdCtx(_vma: VmAreaStruct, _ctx: VmUserfaultfdCtx): boolean {
  return true;
}
export function anonVmaName(_vma: VmAreaStruct): AnonVmaName {
  return null;
}
export function anonVmaNameEq(_a: AnonVmaName, _b: AnonVmaName): boolean {
  return true;
}
export function mappingCanWriteback(_mapping: AddressSpace): boolean {
  return true;
}
export function archValidateFlags(_flags: VmaFlags): boolean {
  return true;
}
export function isHugepageOnlyRange(_mm: MmStruct, _addr: number, _len: number): number {
  return 0;
}

// Hooks with no effect.
export function perfEventMmap(_vma: VmAreaStruct): void {}
export function uprobeMmap(_vma: VmAreaStruct): void {}
export function uprobeMunmap(_vma: VmAreaStruct, _start: number, _end: number): void {}
export function userfaultfdUnmapComplete(_mm: MmStruct, _uf: unknown): void {}
export function archUnmap(_mm: MmStruct, _start: number, _end: number): void {}
export function mmapActionPrepare(_desc: VmAreaDesc, _action: MmapAction): number {
  return 0;
}
export function mmapActionComplete(_vma: VmAreaStruct, _action: MmapAction): number {
  return 0;
}
export function vmaNumabStateInit(_vma: VmAreaStruct): void {}
export function vmaNumabStateFree(_vma: VmAreaStruct): void {}
export function dupAnonVmaName(_orig: VmAreaStruct, _new: VmAreaStruct): void {}
export function freeAnonVmaName(_vma: VmAreaStruct): void {}
