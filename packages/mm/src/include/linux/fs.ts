import { EPERM } from './types.js';
import type { VmAreaDesc, VmAreaStruct } from './mm_types.js';
import { mappingCanWriteback } from '../stubs.js';

// include/linux/fs.h: the file, its mapping and the two mmap entry points,
// with the helpers the VMA code calls on them.

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

/** Whether writeback may happen through this file. */
export function fileCanWriteback(file: File | null): boolean {
  return file !== null && file.fMapping !== null && mappingCanWriteback(file.fMapping);
}
