import { readObjectArgument, typeError, safeInstanceOf } from '@vmaflags/core';
import {
  FMODE_READ,
  FMODE_WRITE,
  type AddressSpace,
  type File,
  VmAreaStruct,
  type VmOperationsStruct,
} from '@vmaflags/mm';

// The files a scenario maps: regular files on an ext4-like filesystem, and
// the shmem object behind each shared anonymous mapping.

/** A file of the simulation: what smaps shows for it, and what the kernel checks. */
export interface SimFile extends File {
  /** The scenario's label (`file0` …), null for shmem behind a shared anonymous mapping. */
  readonly label: string | null;
  /** Backed by shmem (shared anonymous memory). */
  readonly shmem: boolean;
}

/** The inode of a created file; every open of it shares the page cache (mapping). */
export interface SimInode {
  /** The label the create_file op gave the file. */
  readonly label: string;
  /** The file's size in bytes; faults past it get SIGBUS. */
  readonly iSize: number;
  /** The page cache that every open of the file shares. */
  readonly mapping: AddressSpace;
}

// Every file this module makes, so a file argument is recognised without
// reading any of its fields.
const simFiles = new WeakSet<object>();

/** Whether `v` is a file made by {@link openFile} or {@link shmemZeroSetup}. */
export function isSimFile(v: unknown): v is SimFile {
  return typeof v === 'object' && v !== null && simFiles.has(v);
}

/** The vm_operations a regular file's mmap installs (never anonymous). */
const fileVmOps: VmOperationsStruct = Object.freeze({ pageMkwrite: () => 0 });
/** shmem_anon_vm_ops */
const shmemAnonVmOps: VmOperationsStruct = Object.freeze({});

/** A regular file's ->mmap: the VMA gets the file's operations. */
function genericFileMmap(_file: File, vma: VmAreaStruct): number {
  vma.vmOps = fileVmOps;
  return 0;
}

/** A new open file description of inode. */
export function openFile(inode: SimInode, writable: boolean, noexec: boolean): SimFile {
  const node = readObjectArgument(inode, 'inode', 'a SimInode { label, iSize, mapping }', (o: SimInode) => ({
    label: o.label,
    iSize: o.iSize,
    mapping: o.mapping,
  }));
  if (typeof node.label !== 'string') throw typeError('inode.label', 'a string', node.label);
  if (!Number.isSafeInteger(node.iSize) || node.iSize < 0)
    throw typeError('inode.iSize', 'a non-negative integer (bytes)', node.iSize);
  if (typeof node.mapping !== 'object' || node.mapping === null)
    throw typeError('inode.mapping', 'an address_space object', node.mapping);
  if (typeof writable !== 'boolean') throw typeError('writable', 'a boolean', writable);
  if (typeof noexec !== 'boolean') throw typeError('noexec', 'a boolean', noexec);
  const file: SimFile = {
    label: node.label,
    shmem: false,
    fMapping: node.mapping,
    fOp: { mmap: genericFileMmap },
    fMode: FMODE_READ | (writable ? FMODE_WRITE : 0),
    fInode: { iSize: node.iSize },
    pathNoexec: noexec,
  };
  simFiles.add(file);
  return file;
}

/** shmem_zero_setup: a shared anonymous VMA is backed by a new shmem object of its size. */
export function shmemZeroSetup(vma: VmAreaStruct): number {
  if (!safeInstanceOf(vma, VmAreaStruct)) throw typeError('vma', 'a VmAreaStruct (from @vmaflags/mm)', vma);
  const file: SimFile = {
    label: null,
    shmem: true,
    fMapping: { iMmapWritable: 0, flags: 0 },
    fOp: { mmap: genericFileMmap },
    fMode: FMODE_READ | FMODE_WRITE,
    fInode: { iSize: vma.vmEnd - vma.vmStart },
    pathNoexec: false,
  };
  simFiles.add(file);
  vma.vmFile = file;
  vma.vmOps = shmemAnonVmOps;
  return 0;
}
