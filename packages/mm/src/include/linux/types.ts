import type { FlagsBackend } from '@vmaflags/core';

// Basic kernel types (include/linux/types.h, errno.h, err.h, page sizes).
// Who implements vma_flags_t varies: every bitmap is an opaque handle handed
// out by a FlagsBackend, and every flag operation goes through that backend,
// so the same mm code runs unchanged on each implementation.

declare const vmaFlagsHandle: unique symbol;

/**
 * `vma_flags_t`: an opaque handle owned by one backend. Its one member is a compile-time brand, absent at
 * run time, so no other value passes for a handle and flags reach a backend only from a backend.
 */
export type VmaFlags = { readonly [vmaFlagsHandle]: true };

/** The flag implementation an address space (and everything in it) uses. */
export type Backend = FlagsBackend<VmaFlags>;

/** `pgoff_t`: a page offset. */
export type PgoffT = number;

/** `pgprot_t`: vm_get_page_prot() returns the legacy flag word itself. */
export type PgprotT = bigint;

/** PAGE_SHIFT: log2 of the page size (4 KiB pages, as on x86_64). */
export const PAGE_SHIFT = 12;
/** PAGE_SIZE: bytes per page; VMA bounds, lengths and offsets are whole pages. */
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

/** UINT_MAX: the largest 32-bit unsigned value; a VMA's vm_lock_seq holds it until the first write lock. */
export const UINT_MAX = 0xffffffff;
export { ULONG_MAX } from '../../lib/maple_tree.js';

// errno values, returned negated as the kernel does.
/** EPERM: not permitted (a sealed VMA, a write-sealed file). */
export const EPERM = 1;
/** EINTR: interrupted by a signal. */
export const EINTR = 4;
/** ENOMEM: out of memory, or the mm would exceed max_map_count. */
export const ENOMEM = 12;
/** EACCES: access denied (e.g. memory-deny-write-execute refuses the flags). */
export const EACCES = 13;
/** EAGAIN: try again (e.g. locked memory over RLIMIT_MEMLOCK). */
export const EAGAIN = 11;
/** EBADF: not an open file descriptor, or one opened without the access asked for. */
export const EBADF = 9;
/** EFAULT: a bad address (e.g. a populate fault that signals). */
export const EFAULT = 14;
/** EBUSY: the resource is in use. */
export const EBUSY = 16;
/** EEXIST: the range is already mapped (MAP_FIXED_NOREPLACE). */
export const EEXIST = 17;
/** ENODEV: the file's filesystem does not support mapping. */
export const ENODEV = 19;
/** EINVAL: an invalid argument (unaligned or out-of-range address, empty length). */
export const EINVAL = 22;
/** ETXTBSY: the file is being executed and cannot be opened for writing. */
export const ETXTBSY = 26;
/** EOVERFLOW: the file offset plus the length does not fit. */
export const EOVERFLOW = 75;
/** EOPNOTSUPP: the operation is not supported for this mapping (e.g. MAP_SHARED_VALIDATE with an unknown flag). */
export const EOPNOTSUPP = 95;

/** A pointer that may carry an error: the object, or a negative errno. */
export type ErrPtr<T> = T | number;

/**
 * ERR_PTR: return a negative errno where an object is expected; the number itself stands in for the
 * pointer and is told apart by its type (see IS_ERR).
 */
export function ERR_PTR(err: number): number {
  return err;
}

/** IS_ERR: whether an object-or-error holds an error. */
export function IS_ERR<T>(p: ErrPtr<T>): p is number {
  return typeof p === 'number';
}

/** PTR_ERR: the negative errno an error pointer carries. */
export function PTR_ERR(p: number): number {
  return p;
}

/** IS_ERR_VALUE on an address returned by mmap_region(). */
export function IS_ERR_VALUE(addr: number): boolean {
  return addr < 0;
}

/** An out-parameter: what the kernel passes as `T *` to be written through. */
export interface Ref<T> {
  /** The pointed-to value; the callee reads it and may write it. */
  value: T;
}

/** An out-parameter starting at `value`: what taking `&local` is in C. */
export function ref<T>(value: T): Ref<T> {
  return { value };
}
