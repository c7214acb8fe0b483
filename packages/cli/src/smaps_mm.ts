import { coreBackend, vmaFlagTable, vmaFlagsToLegacy, type KernelConfig } from '@vmaflags/core';
import {
  FMODE_READ,
  KERNEL_6_18_FEATURES,
  MmStruct,
  PAGE_SIZE,
  VmAreaStruct,
  type Backend,
  type File,
  type VmaInternal,
} from '@vmaflags/mm';
import type { SmapsVma } from './smaps_file.js';
import { smapsVmaFlags } from './smaps_vma_flags.js';

// A process's VMAs rebuilt from smaps as @vmaflags/mm VmAreaStructs, so the
// mm port's own merge predicates can judge them. What smaps does not show
// stays unknown in a documented way:
//   - anon_vma: none on every VMA (identity is invisible);
//   - vm_file: one File per device:inode, so two opens of one file look alike;
//   - anonymous vm_pgoff: start / PAGE_SIZE, as a fresh mapping has (smaps
//     prints 0; a VMA moved by mremap keeps its old pgoff, which is lost);
//   - protection keys: taken from the ProtectionKey line; other hidden bits
//     (arm64 MTE_ALLOWED) are lost.

export interface SmapsVmaModel {
  smaps: SmapsVma;
  vma: VmAreaStruct;
  unknown: string[];
}

function refuse(what: string): never {
  throw new Error(`an address space rebuilt from smaps is read-only (${what})`);
}

/** The environment of a read-only mm: limits of a 64-bit kernel, every change refused. */
const SMAPS_VMA_INTERNAL: VmaInternal = Object.freeze({
  sysctlMaxMapCount: 65530,
  TASK_SIZE: 2 ** 47 - PAGE_SIZE,
  mmapMinAddr: 65536,
  stackGuardGap: 256 * PAGE_SIZE,
  failPrealloc: false,
  debugVmMapleTree: false,
  current: { comm: 'smaps', pid: 0, mm: null, personality: 0 },
  features: KERNEL_6_18_FEATURES,
  anonVmaClone: () => refuse('anon_vma_clone'),
  unlinkAnonVmas: () => refuse('unlink_anon_vmas'),
  __anonVmaPrepare: () => refuse('anon_vma_prepare'),
  vmaStartWrite: () => refuse('vma_start_write'),
  vmAreaAlloc: () => refuse('vm_area_alloc'),
  vmAreaFree: () => refuse('vm_area_free'),
  getFile: () => refuse('get_file'),
  fput: () => refuse('fput'),
  vmaDupPolicy: () => refuse('vma_dup_policy'),
  mpolPut: () => refuse('mpol_put'),
  userfaultfdUnmapPrep: () => refuse('userfaultfd_unmap_prep'),
  capable: () => false,
  rlimit: () => refuse('rlimit'),
  mayExpandVm: () => refuse('may_expand_vm'),
  securityVmEnoughMemoryMm: () => refuse('security_vm_enough_memory_mm'),
  vmAcctMemory: () => refuse('vm_acct_memory'),
  pgtableSupportsSoftDirty: () => true,
  vmaSoftDirtyEnabled: () => true,
  vmaSupportsMlock: () => true,
  userfaultfdWp: () => false,
  ksmVmaFlags: () => refuse('ksm_vma_flags'),
  khugepagedEnterVma: () => refuse('khugepaged_enter_vma'),
  vmaClose: () => refuse('vma_close'),
  mmapFile: () => refuse('mmap_file'),
  shmemZeroSetup: () => refuse('shmem_zero_setup'),
  shmemFile: () => false,
  isVmHugetlbPage: () => false,
  isFileHugepages: () => false,
  warn: (what: string) => refuse(`WARN: ${what}`),
  bug: (what: string) => refuse(`BUG: ${what}`),
});

export function smapsToVmas(vmas: readonly SmapsVma[], config: KernelConfig): SmapsVmaModel[] {
  const backend = coreBackend(config) as unknown as Backend;
  const mm = new MmStruct(backend, SMAPS_VMA_INTERNAL);
  const pkeyShift = vmaFlagTable(config).VM_PKEY_SHIFT;
  const files = new Map<string, File>();
  return vmas.map((s) => {
    const { flags, unknown } = smapsVmaFlags(s.vmFlags ?? [], config);
    let word = vmaFlagsToLegacy(flags);
    const pkey = s.fields.ProtectionKey;
    if (pkeyShift !== null && pkey !== undefined) word |= BigInt(pkey) << BigInt(pkeyShift);
    const vma = new VmAreaStruct(mm, backend.fromLegacy(word));
    vma.vmStart = Number(s.start);
    vma.vmEnd = Number(s.end);
    // A device:inode of 0 is anonymous memory or a special mapping ([vdso], …): no file.
    const hasFile = s.inode !== '0';
    if (hasFile) {
      const key = `${s.dev}:${s.inode}`;
      let file = files.get(key);
      if (file === undefined) {
        // Only identity matters to the merge rules; what smaps cannot show stays empty.
        file = { fMapping: null, fOp: {}, fMode: FMODE_READ, fInode: { iSize: 0 }, pathNoexec: false };
        files.set(key, file);
      }
      vma.vmFile = file;
      vma.vmPgoff = Number(s.offset / BigInt(PAGE_SIZE));
    } else {
      vma.vmPgoff = Math.floor(vma.vmStart / PAGE_SIZE);
    }
    // Anonymous memory has no vm_ops; special mappings keep theirs.
    if (!hasFile && (s.path === '' || /^\[(heap|stack|anon)/.test(s.path))) vma.vmOps = null;
    return { smaps: s, vma, unknown };
  });
}
