import type { File } from './include/linux/fs.js';
import type { MmStruct, VmAreaStruct } from './include/linux/mm_types.js';
import type { VmaOperation } from './include/linux/rmap.js';
import type { Mempolicy } from './include/stubs.js';
import type { TaskStruct } from './include/linux/sched.js';
import type { VmaFlags } from './include/linux/types.js';

/** Behaviour of the system-call layer that changed between recent kernel releases. */
export interface KernelFeatures {
  /** A MREMAP_FIXED move of the same size may span several VMAs (6.17). */
  readonly multiVmaMremap: boolean;
  /** MADV_GUARD_INSTALL marks the VMA VM_MAYBE_GUARD (6.18). */
  readonly maybeGuard: boolean;
}

/** What the newest kernel this port follows (6.18) does. */
export const KERNEL_6_18_FEATURES: KernelFeatures = Object.freeze({ multiVmaMremap: true, maybeGuard: true });

/**
 * The environment the ported mm code runs in: everything a kernel and a test
 * harness answer differently (the port's counterpart of the harness's
 * vma_internal.h). Each MmStruct holds one; the code reaches it through
 * `mm.internal`, one method call on an object whose shape never changes.
 * Operations that are no-ops in every environment (locks, TLB, interval
 * trees) are not here; they stay plain functions.
 */
export interface VmaInternal {
  /** sysctl_max_map_count (vm.max_map_count). */
  readonly sysctlMaxMapCount: number;
  /** TASK_SIZE: the end of the user address space. */
  readonly TASK_SIZE: number;
  /** mmap_min_addr (vm.mmap_min_addr). */
  readonly mmapMinAddr: number;
  /** stack_guard_gap, in bytes. */
  readonly stackGuardGap: number;
  /** While true, vma_iter_prealloc() fails with -ENOMEM (allocation failure injection). */
  readonly failPrealloc: boolean;
  /**
   * CONFIG_DEBUG_VM_MAPLE_TREE: validate_mm() walks the whole tree after every
   * structural change (linear in the number of VMAs, so off in production).
   */
  readonly debugVmMapleTree: boolean;
  /** current: the task whose mm this is (personality, comm, pid). */
  readonly current: TaskStruct;
  /** Behaviour that depends on the kernel release. */
  readonly features: KernelFeatures;

  /** anon_vma_clone: link dst to every anon_vma src is linked to; 0 or -ENOMEM. */
  anonVmaClone(dst: VmAreaStruct, src: VmAreaStruct, operation: VmaOperation): number;
  /** unlink_anon_vmas: drop the VMA's links (and anon_vmas nobody uses any more). */
  unlinkAnonVmas(vma: VmAreaStruct): void;
  /** __anon_vma_prepare: reuse a neighbour's anon_vma or allocate one; 0 or -ENOMEM. */
  __anonVmaPrepare(vma: VmAreaStruct): number;
  /** vma_start_write: take the per-VMA write lock. */
  vmaStartWrite(vma: VmAreaStruct): void;

  /** vm_area_alloc / vm_area_dup: vma was just taken from the VMA allocator (detached). */
  vmAreaAlloc(vma: VmAreaStruct): void;
  /** vm_area_free: vma, detached, goes back to the allocator; using it afterwards is a bug. */
  vmAreaFree(vma: VmAreaStruct): void;
  /** get_file: a VMA takes a reference on file. */
  getFile(file: File): void;
  /** fput: a reference taken with getFile() is dropped. */
  fput(file: File): void;
  /** vma_dup_policy: give dst its own reference to src's NUMA policy; 0 or -ENOMEM. */
  vmaDupPolicy(src: VmAreaStruct, dst: VmAreaStruct): number;
  /** mpol_put: drop a reference to a NUMA policy (null: nothing to drop). */
  mpolPut(pol: Mempolicy): void;
  /**
   * userfaultfd_unmap_prep: tell the userfaultfd monitor (uf) of vma that [start, end) is being
   * unmapped; 0 or a negative errno (-ENOMEM), which makes the unmap fail.
   */
  userfaultfdUnmapPrep(vma: VmAreaStruct, start: number, end: number, uf: unknown): number;

  /** capable(cap) for the current task. */
  capable(cap: number): boolean;
  /** rlimit(resource): the current soft limit. */
  rlimit(resource: number): number;
  /** may_expand_vm: whether npages more of these flags fit the address-space limits. */
  mayExpandVm(mm: MmStruct, flags: VmaFlags, npages: number): boolean;
  /** security_vm_enough_memory_mm: charge pages against overcommit; 0 or -ENOMEM. */
  securityVmEnoughMemoryMm(mm: MmStruct, pages: number): number;
  /** vm_acct_memory (negative pages uncharge). */
  vmAcctMemory(pages: number): void;

  /** pgtable_supports_soft_dirty */
  pgtableSupportsSoftDirty(mm: MmStruct): boolean;
  /** vma_soft_dirty_enabled */
  vmaSoftDirtyEnabled(vma: VmAreaStruct): boolean;
  /** vma_supports_mlock */
  vmaSupportsMlock(vma: VmAreaStruct): boolean;
  /** userfaultfd_wp */
  userfaultfdWp(vma: VmAreaStruct): boolean;
  /** ksm_vma_flags: the flags KSM adds to a new mapping. */
  ksmVmaFlags(mm: MmStruct, file: File | null, flags: VmaFlags): VmaFlags;
  /** khugepaged_enter_vma */
  khugepagedEnterVma(vma: VmAreaStruct, flags: VmaFlags): void;
  /** vma_close: run the VMA's close hook. */
  vmaClose(vma: VmAreaStruct): void;
  /** mmap_file: call the file's mmap hook; 0 or a negative errno. */
  mmapFile(file: File, vma: VmAreaStruct): number;
  /** shmem_zero_setup: back a shared anonymous VMA with a shmem file. */
  shmemZeroSetup(vma: VmAreaStruct): number;
  /** shmem_file */
  shmemFile(file: File): boolean;
  /** is_vm_hugetlb_page */
  isVmHugetlbPage(vma: VmAreaStruct): boolean;
  /** is_file_hugepages */
  isFileHugepages(file: File): boolean;

  /** A WARN_ON fired with this description. */
  warn(what: string): void;
  /** A BUG_ON fired: must not return. */
  bug(what: string): never;
}
