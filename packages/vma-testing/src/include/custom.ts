import {
  AnonVma as KernelAnonVma,
  KERNEL_6_18_FEATURES,
  PAGE_SIZE,
  type File,
  type MmStruct,
  type TaskStruct,
  type VmAreaStruct,
  type VmaFlags,
  type VmaInternal,
  type VmaOperation,
} from '@vmaflags/mm';

// Counterpart of tools/testing/vma/include/custom.h and stubs.h: the
// harness's environment for the ported mm code. Kernel functions whose
// harness versions behave differently on purpose (mostly to leave traces the
// cases can check), feature hooks with fixed answers, and the globals that go
// with them. Like the kernel's harness, this is one environment shared by
// every mm a case creates.

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
 * struct anon_vma as the harness has it: the kernel's, plus two probes the
 * tests read: whether it was cloned into a VMA and whether a VMA using it was
 * unlinked.
 */
export class AnonVma extends KernelAnonVma {
  wasCloned = false;
  wasUnlinked = false;
}

/** The harness's probes on a VMA's anon_vma (every anon_vma here is a harness one). */
export function harnessAnonVma(vma: VmAreaStruct): AnonVma | null {
  return vma.anonVma as AnonVma | null;
}

/** The static task get_current() returns. */
export const current: TaskStruct = { comm: 'vma', pid: 1, mm: null, personality: 0 };

/** get_current */
export function getCurrent(): TaskStruct {
  return current;
}

/** The harness environment: one instance, shared by every mm (as the harness's globals are). */
class HarnessVmaInternal implements VmaInternal {
  readonly sysctlMaxMapCount = sysctlMaxMapCount;
  readonly TASK_SIZE = TASK_SIZE;
  readonly mmapMinAddr = mmapMinAddr;
  readonly stackGuardGap = stackGuardGap;
  /**
   * fail_prealloc: when set, vma_iter_prealloc() reports -ENOMEM, which is
   * how the tests drive the merge code down its allocation-failure paths.
   */
  failPrealloc = false;
  /** CONFIG_DEBUG_VM_MAPLE_TREE, switched on by the runners. */
  debugVmMapleTree = false;
  readonly current = current;
  readonly features = KERNEL_6_18_FEATURES;
  /** VM_WARN_ON* and WARN_ON* that fired, oldest first. */
  readonly warnings: string[] = [];

  /**
   * anon_vma_clone: share src's anon_vma with dst (if any) and record the
   * clone. dst is linked to every anon_vma src is linked to, as the kernel
   * does (torvalds/linux @8cdf3792526ab681e1f4a0c202e779400b2b8177
   * mm/rmap.c): a piece split off a VMA keeps its singular chain, and one
   * of a fork child keeps the child's longer chain, so the merge code's
   * fork-child test sees the same thing in both.
   */
  anonVmaClone(dst: VmAreaStruct, src: VmAreaStruct, _operation: VmaOperation): number {
    if (src.anonVma !== null) {
      dst.anonVma = src.anonVma;
      (dst.anonVma as AnonVma).wasCloned = true;
    }
    dst.anonVmaChain = src.anonVmaChain.map((link) => ({ anonVma: link.anonVma }));
    return 0;
  }

  /**
   * unlink_anon_vmas: only records that it happened. A VMA without an
   * anon_vma has nothing to unlink (copy_vma()'s error path calls this regardless).
   */
  unlinkAnonVmas(vma: VmAreaStruct): void {
    if (vma.anonVma !== null) (vma.anonVma as AnonVma).wasUnlinked = true;
  }

  /** __anon_vma_prepare: give the VMA a fresh anon_vma of its own. */
  __anonVmaPrepare(vma: VmAreaStruct): number {
    vma.anonVma = new AnonVma();
    return 0;
  }

  /** vma_start_write: no lock here; it just counts up vm_lock_seq, which vmaWriteStarted() reads. */
  vmaStartWrite(vma: VmAreaStruct): void {
    vma.vmLockSeq = (vma.vmLockSeq + 1) >>> 0;
  }

  capable(_cap: number): boolean {
    return true;
  }
  /** rlimit: unlimited. */
  rlimit(_resource: number): number {
    return Number.MAX_SAFE_INTEGER;
  }
  mayExpandVm(_mm: MmStruct, _flags: VmaFlags, _npages: number): boolean {
    return true;
  }
  securityVmEnoughMemoryMm(_mm: MmStruct, _pages: number): number {
    return 0;
  }
  vmAcctMemory(_pages: number): void {}

  /**
   * pgtable_supports_soft_dirty: the page tables can track soft-dirty exactly
   * when the configuration has CONFIG_MEM_SOFT_DIRTY (every preset
   * architecture that offers the option supports it).
   */
  pgtableSupportsSoftDirty(mm: MmStruct): boolean {
    return mm.backend.config.options.MEM_SOFT_DIRTY;
  }
  vmaSoftDirtyEnabled(_vma: VmAreaStruct): boolean {
    return false;
  }
  vmaSupportsMlock(_vma: VmAreaStruct): boolean {
    return false;
  }
  userfaultfdWp(_vma: VmAreaStruct): boolean {
    return false;
  }
  ksmVmaFlags(_mm: MmStruct, _file: File | null, flags: VmaFlags): VmaFlags {
    return flags;
  }
  khugepagedEnterVma(_vma: VmAreaStruct, _flags: VmaFlags): void {}
  /** vma_close: stubbed, so a VMA's close hook never actually runs in the harness. */
  vmaClose(_vma: VmAreaStruct): void {}
  mmapFile(_file: File, _vma: VmAreaStruct): number {
    return 0;
  }
  shmemZeroSetup(_vma: VmAreaStruct): number {
    return 0;
  }
  shmemFile(_file: File): boolean {
    return false;
  }
  isVmHugetlbPage(_vma: VmAreaStruct): boolean {
    return false;
  }
  isFileHugepages(_file: File): boolean {
    return false;
  }

  /** A warning does not stop the kernel code, so it is recorded; the runners fail a test that leaves one behind. */
  warn(what: string): void {
    this.warnings.push(what);
  }
  /** A BUG aborts. */
  bug(what: string): never {
    throw new Error(`kernel BUG: ${what}`);
  }
}

/** The harness's VmaInternal: every mm the cases build runs in it. */
export const harness = new HarnessVmaInternal();

/** fail_prealloc, as the cases read it. */
export function failPrealloc(): boolean {
  return harness.failPrealloc;
}

export function setFailPrealloc(fail: boolean): void {
  harness.failPrealloc = fail;
}

/** CONFIG_DEBUG_VM_MAPLE_TREE on or off for every mm of the harness. */
export function setDebugVmMapleTree(on: boolean): void {
  harness.debugVmMapleTree = on;
}

/** WARN_ON outside any mm (the cases' own checks): recorded like the port's. */
export function WARN_ON(condition: boolean, what = 'WARN_ON'): boolean {
  if (condition) harness.warn(what);
  return condition;
}

/** Warnings recorded since the last call, oldest first; clears the record. */
export function takeWarnings(): string[] {
  return harness.warnings.splice(0, harness.warnings.length);
}
