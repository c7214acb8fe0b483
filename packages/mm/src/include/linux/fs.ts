import { EPERM } from './types.js';
import type { VmAreaDesc, VmAreaStruct } from './mm_types.js';
import { mappingCanWriteback } from '../stubs.js';

// include/linux/fs.h: the file, its mapping and the two mmap entry points,
// with the helpers the VMA code calls on them.

/** struct address_space (partial). */
export interface AddressSpace {
  /**
   * i_mmap_writable: count of shared writable mappings of the file. Negative when writes are denied
   * (a write-sealed memfd), which makes mapping_map_writable() fail with -EPERM.
   */
  iMmapWritable: number;
  /** flags: the mapping's AS_* state bits. */
  flags: number;
}

/** struct file_operations: the two mmap entry points. */
export interface FileOperations {
  /** mmap: the older hook, handed the VMA once it is set up; 0 or a negative errno. */
  mmap?: (file: File, vma: VmAreaStruct) => number;
  /**
   * mmap_prepare: the newer hook, run before the VMA exists on a vm_area_desc it may adjust; 0 or a
   * negative errno.
   */
  mmapPrepare?: (desc: VmAreaDesc) => number;
}

/** f_mode bits: the file was opened for reading / writing. */
export const FMODE_READ = 0x1;
/** FMODE_WRITE: the file was opened for writing. */
export const FMODE_WRITE = 0x2;

/** struct inode (partial): the size faults check against. */
export interface Inode {
  /** i_size, in bytes. */
  iSize: number;
}

/** struct file (partial). */
export interface File {
  /**
   * f_mapping: the page cache behind the file, whose writable count gates shared writable mappings; null
   * when there is none.
   */
  fMapping: AddressSpace | null;
  /** f_op: the file's operations; mmap_region() calls one of its two mmap hooks. */
  fOp: FileOperations;
  /** FMODE_READ | FMODE_WRITE as opened. */
  fMode: number;
  /** f_inode: the inode behind the file, whose size bounds the pages a fault may read. */
  fInode: Inode;
  /** path_noexec(&file->f_path): the file lives on a noexec mount. */
  pathNoexec: boolean;
}

/** mapping_allow_writable */
export function mappingAllowWritable(mapping: AddressSpace): void {
  mapping.iMmapWritable++;
}

/** mapping_unmap_writable: a shared writable mapping of the file went away. */
export function mappingUnmapWritable(mapping: AddressSpace): void {
  mapping.iMmapWritable--;
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

/** Whether writeback may happen through this file. */
export function fileCanWriteback(file: File | null): boolean {
  return file !== null && file.fMapping !== null && mappingCanWriteback(file.fMapping);
}
