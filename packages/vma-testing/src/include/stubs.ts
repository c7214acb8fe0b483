import type { VmaFlags } from '../vma_internal.js';
import type { AnonVma } from './custom.js';
import type { AddressSpace, File, MmStruct, VmAreaDesc, VmAreaStruct, MmapAction } from './dup.js';

// Counterpart of tools/testing/vma/include/stubs.h. Locks, page tables, TLB,
// rmap trees and feature hooks mean nothing in a single-threaded model without
// memory, so each is an empty body or a constant answer. The ported code still
// calls them at the kernel's call sites, which keeps it comparable line by
// line with mm/vma.c.

export const FIRST_USER_ADDRESS = 0;
export const USER_PGTABLES_CEILING = 0;

/** struct mempolicy: no NUMA policy in the harness. */
export type Mempolicy = null;
/** struct vm_userfaultfd_ctx: empty. */
export type VmUserfaultfdCtx = Record<string, never>;
/** struct anon_vma_name: never set. */
export type AnonVmaName = null;

export function vmaPolicy(_vma: VmAreaStruct): Mempolicy {
  return null;
}

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
export function unmapVmas(): void {}
export function freePgtables(): void {}
export function lruAddDrain(): void {}
export function vmaAdjustTransHuge(_vma: VmAreaStruct, _start: number, _end: number, _next: VmAreaStruct | null): void {}
export function hugetlbSplit(_vma: VmAreaStruct, _addr: number): void {}
export function fixupHugetlbReservations(_vma: VmAreaStruct): void {}

// rmap interval trees.
export function vmaIntervalTreeInsert(_vma: VmAreaStruct, _mapping: AddressSpace | null): void {}
export function vmaIntervalTreeRemove(_vma: VmAreaStruct, _mapping: AddressSpace | null): void {}
export function anonVmaIntervalTreePreUpdateVma(_vma: VmAreaStruct): void {}
export function anonVmaIntervalTreePostUpdateVma(_vma: VmAreaStruct): void {}
export function flushDcacheMmapLock(_mapping: AddressSpace | null): void {}
export function flushDcacheMmapUnlock(_mapping: AddressSpace | null): void {}
export function mappingUnmapWritable(_mapping: AddressSpace | null): void {}

// Features that answer "no" / "ok".
export function isVmHugetlbPage(_vma: VmAreaStruct): boolean {
  return false;
}
export function isFileHugepages(_file: File): boolean {
  return false;
}
export function shmemFile(_file: File): boolean {
  return false;
}
export function vmaSoftDirtyEnabled(_vma: VmAreaStruct): boolean {
  return false;
}
export function userfaultfdWp(_vma: VmAreaStruct): boolean {
  return false;
}
export function vmaSupportsMlock(_vma: VmAreaStruct): boolean {
  return false;
}
export function signalPending(): boolean {
  return false;
}
export function capable(_cap: number): boolean {
  return true;
}
export function mayExpandVm(_mm: MmStruct, _flags: VmaFlags, _npages: number): boolean {
  return true;
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
export function securityVmEnoughMemoryMm(_mm: MmStruct, _pages: number): number {
  return 0;
}
export function isHugepageOnlyRange(_mm: MmStruct, _addr: number, _len: number): number {
  return 0;
}

/**
 * pgtable_supports_soft_dirty: the page tables can track soft-dirty exactly
 * when the configuration has CONFIG_MEM_SOFT_DIRTY (every preset architecture
 * that offers the option supports it).
 */
export function pgtableSupportsSoftDirty(mm: MmStruct): boolean {
  return mm.backend.config.options.MEM_SOFT_DIRTY;
}

// Hooks with no effect.
export function ksmVmaFlags(_mm: MmStruct, _file: File | null, flags: VmaFlags): VmaFlags {
  return flags;
}
export function khugepagedEnterVma(_vma: VmAreaStruct, _flags: VmaFlags): void {}
export function perfEventMmap(_vma: VmAreaStruct): void {}
export function uprobeMmap(_vma: VmAreaStruct): void {}
export function uprobeMunmap(_vma: VmAreaStruct, _start: number, _end: number): void {}
export function userfaultfdUnmapPrep(_vma: VmAreaStruct, _start: number, _end: number, _uf: unknown): number {
  return 0;
}
export function userfaultfdUnmapComplete(_mm: MmStruct, _uf: unknown): void {}
export function archUnmap(_mm: MmStruct, _start: number, _end: number): void {}
/** vma_close: stubbed, so a VMA's close hook never actually runs in the harness. */
export function vmaClose(_vma: VmAreaStruct): void {}
export function mmapFile(_file: File, _vma: VmAreaStruct): number {
  return 0;
}
export function shmemZeroSetup(_vma: VmAreaStruct): number {
  return 0;
}
export function vmAcctMemory(_pages: number): void {}
export function vmUnacctMemory(pages: number): void {
  vmAcctMemory(-pages);
}
export function vmaDupPolicy(_src: VmAreaStruct, _dst: VmAreaStruct): number {
  return 0;
}
export function mpolPut(_pol: Mempolicy): void {}
export function fput(_file: File | null): void {}
export function getFile(file: File): File {
  return file;
}
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
