import type { FlagsBackend } from '@vmaflags/core';

// Basic kernel types (include/linux/types.h, errno.h, err.h, page sizes).
// Who implements vma_flags_t varies: every bitmap is an opaque handle handed
// out by a FlagsBackend, and every flag operation goes through that backend,
// so the same mm code runs unchanged on each implementation.

declare const vmaFlagsHandle: unique symbol;

/** `vma_flags_t`: an opaque handle owned by one backend. */
export type VmaFlags = { readonly [vmaFlagsHandle]: true };

/** The flag implementation an address space (and everything in it) uses. */
export type Backend = FlagsBackend<VmaFlags>;

/** `pgoff_t`: a page offset. */
export type PgoffT = number;

/** `pgprot_t`: vm_get_page_prot() returns the legacy flag word itself. */
export type PgprotT = bigint;

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** PHYS_PFN: bytes to pages. Addresses exceed 2^32, so no shifts. */
export function PHYS_PFN(x: number): number {
  return Math.floor(x / PAGE_SIZE);
}

/** offset_in_page */
export function offsetInPage(addr: number): number {
  return addr % PAGE_SIZE;
}

/** PAGE_ALIGN */
export function PAGE_ALIGN(len: number): number {
  return Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
}

export const UINT_MAX = 0xffffffff;
export { ULONG_MAX } from '../../lib/maple_tree.js';

// errno values, returned negated as the kernel does.
export const EPERM = 1;
export const EINTR = 4;
export const ENOMEM = 12;
export const EACCES = 13;
export const EINVAL = 22;

/** A pointer that may carry an error: the object, or a negative errno. */
export type ErrPtr<T> = T | number;

export function ERR_PTR(err: number): number {
  return err;
}

export function IS_ERR<T>(p: ErrPtr<T>): p is number {
  return typeof p === 'number';
}

export function PTR_ERR(p: number): number {
  return p;
}

/** IS_ERR_VALUE on an address returned by mmap_region(). */
export function IS_ERR_VALUE(addr: number): boolean {
  return addr < 0;
}

/** An out-parameter: what the kernel passes as `T *` to be written through. */
export interface Ref<T> {
  value: T;
}

export function ref<T>(value: T): Ref<T> {
  return { value };
}
