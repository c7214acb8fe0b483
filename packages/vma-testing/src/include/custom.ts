import {
  AnonVma as KernelAnonVma,
  ENOMEM,
  KERNEL_6_18_FEATURES,
  PAGE_SIZE,
  vmaIsSharedMaywrite,
  type AddressSpace,
  type File,
  type Mempolicy,
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

/**
 * struct mempolicy as the harness has it: nothing but the reference count,
 * which the leak check compares with the VMAs still pointing at it.
 */
export class HarnessMempolicy {
  refcnt = 1;
}

/** The ids the harness reports VMAs by in its leak messages. */
function describeVma(vma: VmAreaStruct): string {
  return `VMA [0x${vma.vmStart.toString(16)}, 0x${vma.vmEnd.toString(16)})`;
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
  /** When set, anon_vma_clone() fails with -ENOMEM before linking anything. */
  failAnonVmaClone = false;
  /** When set, vma_dup_policy() fails with -ENOMEM (mpol_dup() could not allocate). */
  failDupPolicy = false;
  /** When set, userfaultfd_unmap_prep() fails with -ENOMEM. */
  failUffdUnmapPrep = false;
  /** VM_WARN_ON* and WARN_ON* that fired, oldest first (and misuse of the objects below). */
  readonly warnings: string[] = [];

  // The objects the VMA code allocates and releases, tracked so a case can
  // see them and the runners can check nothing leaked.

  /** VMAs handed out by vm_area_alloc()/vm_area_dup() and not freed yet. */
  readonly liveVmas = new Set<VmAreaStruct>();
  /** get_file() minus fput() per file. */
  readonly fileRefs = new Map<File, number>();
  /** The writable count of each mapping of interest when the case registered it. */
  readonly mappingBaselines = new Map<AddressSpace, number>();
  /** Policies handed out by mpol_dup() or created by a case, with a reference or more left. */
  readonly livePolicies = new Set<HarnessMempolicy>();
  /** userfaultfd_unmap_prep() calls, oldest first: the VMA and the range being unmapped. */
  readonly uffdUnmapPreps: { vma: VmAreaStruct; start: number; end: number }[] = [];

  /**
   * anon_vma_clone: share src's anon_vma with dst (if any) and record the
   * clone. dst is linked to every anon_vma src is linked to, as the kernel
   * does (torvalds/linux @8cdf3792526ab681e1f4a0c202e779400b2b8177
   * mm/rmap.c): a piece split off a VMA keeps its singular chain, and one
   * of a fork child keeps the child's longer chain, so the merge code's
   * fork-child test sees the same thing in both.
   */
  anonVmaClone(dst: VmAreaStruct, src: VmAreaStruct, _operation: VmaOperation): number {
    if (this.failAnonVmaClone) {
      // What anon_vma_clone() leaves behind when it fails: no anon_vma, no links.
      dst.anonVma = null;
      dst.anonVmaChain = [];
      return -ENOMEM;
    }
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

  vmAreaAlloc(vma: VmAreaStruct): void {
    this.liveVmas.add(vma);
  }

  /** Freeing a VMA twice, or one still in a tree, is a bug of the code under test. */
  vmAreaFree(vma: VmAreaStruct): void {
    if (!this.liveVmas.delete(vma)) this.warn(`vm_area_free: ${describeVma(vma)} freed twice`);
    else if (vma.vmRefcnt !== 0) this.warn(`vm_area_free: ${describeVma(vma)} freed while attached`);
  }

  getFile(file: File): void {
    this.fileRefs.set(file, this.fileReferences(file) + 1);
  }

  /** Dropping a reference that was never taken would free a file still in use. */
  fput(file: File): void {
    const refs = this.fileReferences(file);
    if (refs === 0) this.warn('fput: file reference count underflow');
    this.fileRefs.set(file, refs - 1);
  }

  /** References taken on file (get_file() minus fput()) since the case began. */
  fileReferences(file: File): number {
    return this.fileRefs.get(file) ?? 0;
  }

  /** A policy a case gives a VMA: one reference, owned by that VMA. */
  mpolNew(): HarnessMempolicy {
    const pol = new HarnessMempolicy();
    this.livePolicies.add(pol);
    return pol;
  }

  /** mpol_dup() of src's policy: a new copy with one reference, for dst. */
  vmaDupPolicy(src: VmAreaStruct, dst: VmAreaStruct): number {
    if (this.failDupPolicy) return -ENOMEM;
    dst.vmPolicy = src.vmPolicy === null ? null : this.mpolNew();
    return 0;
  }

  mpolPut(pol: Mempolicy): void {
    if (pol === null) return;
    const p = pol as HarnessMempolicy;
    if (p.refcnt <= 0) {
      this.warn('mpol_put: policy already freed');
      return;
    }
    if (--p.refcnt === 0) this.livePolicies.delete(p);
  }

  /** Records the call; with failUffdUnmapPrep set it fails like an allocation failure would. */
  userfaultfdUnmapPrep(vma: VmAreaStruct, start: number, end: number, _uf: unknown): number {
    if (this.failUffdUnmapPrep) return -ENOMEM;
    this.uffdUnmapPreps.push({ vma, start, end });
    return 0;
  }

  /** Start tracking mapping's writable count from its current value. */
  trackMapping(mapping: AddressSpace): void {
    this.mappingBaselines.set(mapping, mapping.iMmapWritable);
  }

  /**
   * The leak check a case gets at its end. A VMA still allocated must be in
   * its mm's tree (the mm's teardown frees it); every file reference taken
   * must be held by such a VMA, every registered mapping's writable count
   * must have grown by exactly the shared writable VMAs still mapping it, and
   * every policy must be referenced exactly by the VMAs pointing at it.
   * Returns what is wrong.
   */
  leaks(): string[] {
    const problems: string[] = [];
    const files = new Map<File, number>();
    const writable = new Map<AddressSpace, number>();
    const policies = new Map<HarnessMempolicy, number>();
    const bump = <K>(m: Map<K, number>, k: K): void => {
      m.set(k, (m.get(k) ?? 0) + 1);
    };
    for (const vma of this.liveVmas) {
      if (vma.vmRefcnt === 0 || vma.vmMm.mmMt.load(vma.vmStart) !== vma) {
        problems.push(`${describeVma(vma)} was never freed`);
        continue;
      }
      if (vma.vmFile !== null) {
        bump(files, vma.vmFile);
        if (vma.vmFile.fMapping !== null && vmaIsSharedMaywrite(vma)) bump(writable, vma.vmFile.fMapping);
      }
      if (vma.vmPolicy !== null) bump(policies, vma.vmPolicy as HarnessMempolicy);
    }
    for (const file of new Set([...this.fileRefs.keys(), ...files.keys()])) {
      const taken = this.fileReferences(file);
      const held = files.get(file) ?? 0;
      if (taken !== held) problems.push(`a file has ${taken} references taken but ${held} VMAs holding it`);
    }
    for (const [mapping, baseline] of this.mappingBaselines) {
      const grown = mapping.iMmapWritable - baseline;
      const held = writable.get(mapping) ?? 0;
      if (grown !== held) problems.push(`a mapping's writable count grew by ${grown} for ${held} shared writable VMAs`);
    }
    for (const pol of new Set([...this.livePolicies, ...policies.keys()])) {
      const held = policies.get(pol) ?? 0;
      if (pol.refcnt !== held) problems.push(`a mempolicy has ${pol.refcnt} references for ${held} VMAs`);
    }
    return problems;
  }

  /** Forget every tracked object and injected failure: the next case starts afresh. */
  reset(): void {
    this.failPrealloc = false;
    this.failAnonVmaClone = false;
    this.failDupPolicy = false;
    this.failUffdUnmapPrep = false;
    this.liveVmas.clear();
    this.fileRefs.clear();
    this.mappingBaselines.clear();
    this.livePolicies.clear();
    this.uffdUnmapPreps.length = 0;
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

/** Make anon_vma_clone() fail with -ENOMEM (or work again). */
export function setFailAnonVmaClone(fail: boolean): void {
  harness.failAnonVmaClone = fail;
}

/** Make vma_dup_policy() fail with -ENOMEM (or work again). */
export function setFailDupPolicy(fail: boolean): void {
  harness.failDupPolicy = fail;
}

/** Make userfaultfd_unmap_prep() fail with -ENOMEM (or work again). */
export function setFailUffdUnmapPrep(fail: boolean): void {
  harness.failUffdUnmapPrep = fail;
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
