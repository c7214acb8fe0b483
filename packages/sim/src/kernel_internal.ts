import {
  CAP_IPC_LOCK,
  ENOMEM,
  PAGE_SIZE,
  RLIMIT_MEMLOCK,
  RLIMIT_STACK,
  RLIM_INFINITY,
  kernelMayExpandVm,
  kernelRmap,
  kernelVmaSupportsMlock,
  type File,
  type KernelFeatures,
  type Mempolicy,
  MmStruct,
  type TaskStruct,
  VmAreaStruct,
  type VmaFlags,
  type VmaInternal,
  type VmaOperation,
} from '@vmaflags/mm';
import { VMA_SOFTDIRTY_BIT, rangeError, typeError, safeInstanceOf } from '@vmaflags/core';
import { isSimFile, shmemZeroSetup, type SimFile } from './files.js';
import { kernelFeatures, resolveOptions, type ResolvedOptions } from './options.js';

/** A VMA code warning in the simulator: its own bug, never a user error. */
export class SimulatorBug extends Error {
  constructor(what: string) {
    if (typeof what !== 'string') throw typeError('what', 'a string', what);
    super(`simulator bug: ${what}`);
    this.name = 'SimulatorBug';
  }
}

// The hooks are called by @vmaflags/mm with its own structures; a caller of
// the exported class may pass anything, so each argument is checked first.
function checkVma(v: unknown, arg: string): asserts v is VmAreaStruct {
  if (!safeInstanceOf(v, VmAreaStruct)) throw typeError(arg, 'a VmAreaStruct (from @vmaflags/mm)', v);
}

function checkMm(v: unknown): asserts v is MmStruct {
  if (!safeInstanceOf(v, MmStruct)) throw typeError('mm', 'an MmStruct (from @vmaflags/mm)', v);
}

function checkFile(v: unknown): asserts v is SimFile {
  if (!isSimFile(v)) throw typeError('file', 'a file of the simulation (from openFile or shmemZeroSetup)', v);
}

// A page count the accounting adds up: anything else would corrupt the sum.
function checkPages(pages: unknown, min: number, arg: string): void {
  if (typeof pages === 'number' && Number.isSafeInteger(pages) && pages >= min) return;
  const allowed = `a safe integer of at least ${min}`;
  throw typeof pages === 'number' ? rangeError(arg, allowed, pages) : typeError(arg, allowed, pages);
}

/**
 * The kernel as the simulator runs it: real anon_vma hierarchies, overcommit
 * accounting, capabilities and limits from the options, files and shmem.
 * One per process (a fork makes a new one with the same settings).
 */
export class KernelVmaInternal implements VmaInternal {
  readonly sysctlMaxMapCount: number;
  readonly TASK_SIZE = 2 ** 47 - PAGE_SIZE;
  /** vm.mmap_min_addr as this kernel boots (CONFIG_DEFAULT_MMAP_MIN_ADDR). */
  readonly mmapMinAddr = 4096;
  readonly stackGuardGap: number;
  readonly failPrealloc = false;
  readonly debugVmMapleTree: boolean;
  readonly current: TaskStruct = { comm: 'sim', pid: 1, mm: null, personality: 0 };
  readonly features: KernelFeatures;
  /** Pages committed by this process (vm_committed_as, as far as it can see). */
  committed = 0;
  /** f_count as far as this process's VMAs go: references its VMAs hold on each file. */
  private readonly fileRefs = new Map<File, number>();

  private readonly o: ResolvedOptions;

  constructor(o: ResolvedOptions) {
    // Resolving again checks every field and changes none of a resolved set.
    this.o = resolveOptions(o);
    this.sysctlMaxMapCount = this.o.maxMapCount;
    this.stackGuardGap = this.o.stackGuardGap * PAGE_SIZE;
    this.debugVmMapleTree = this.o.debugVm;
    this.features = kernelFeatures(this.o.kernelVersion);
  }

  anonVmaClone(dst: VmAreaStruct, src: VmAreaStruct, operation: VmaOperation): number {
    checkVma(dst, 'dst');
    checkVma(src, 'src');
    if (operation !== 0 && operation !== 1 && operation !== 2 && operation !== 3) {
      throw typeError('operation', 'a VmaOperation (0, 1, 2 or 3)', operation);
    }
    return kernelRmap.anonVmaClone(dst, src, operation);
  }
  unlinkAnonVmas(vma: VmAreaStruct): void {
    checkVma(vma, 'vma');
    kernelRmap.unlinkAnonVmas(vma);
  }
  __anonVmaPrepare(vma: VmAreaStruct): number {
    checkVma(vma, 'vma');
    return kernelRmap.__anonVmaPrepare(vma);
  }
  /** Single-threaded: there is nobody to exclude. */
  vmaStartWrite(vma: VmAreaStruct): void {
    // Nothing to take: no other thread can reach the VMA.
    checkVma(vma, 'vma');
  }

  /** VMAs are garbage collected: the allocator keeps no state. */
  vmAreaAlloc(vma: VmAreaStruct): void {
    // Nothing to record.
    checkVma(vma, 'vma');
  }
  vmAreaFree(vma: VmAreaStruct): void {
    // Nothing to release.
    checkVma(vma, 'vma');
  }
  getFile(file: File): void {
    checkFile(file);
    this.fileRefs.set(file, this.fileReferences(file) + 1);
  }
  /** Dropping a reference nobody took would free a file still in use. */
  fput(file: File): void {
    const refs = this.fileReferences(file);
    if (refs === 0) throw new SimulatorBug('fput: file reference count underflow');
    if (refs === 1) this.fileRefs.delete(file);
    else this.fileRefs.set(file, refs - 1);
  }
  /** The references this process's VMAs hold on file. */
  fileReferences(file: File): number {
    checkFile(file);
    return this.fileRefs.get(file) ?? 0;
  }
  /** No NUMA policies are set here: the copy shares the (absent) policy. */
  vmaDupPolicy(src: VmAreaStruct, dst: VmAreaStruct): number {
    checkVma(src, 'src');
    checkVma(dst, 'dst');
    dst.vmPolicy = src.vmPolicy;
    return 0;
  }
  mpolPut(pol: Mempolicy): void {
    // No policy objects to release: every VMA here has none.
    if (pol !== null) throw typeError('pol', 'null (no NUMA policies are simulated)', pol);
  }
  /** No userfaultfd: nobody to notify. */
  userfaultfdUnmapPrep(vma: VmAreaStruct, _start: number, _end: number, _uf: unknown): number {
    checkVma(vma, 'vma');
    return 0;
  }

  capable(cap: number): boolean {
    return cap === CAP_IPC_LOCK ? this.o.capIpcLock : true;
  }
  rlimit(resource: number): number {
    if (resource === RLIMIT_MEMLOCK) return this.o.rlimitMemlock;
    if (resource === RLIMIT_STACK) return this.o.rlimitStack;
    return RLIM_INFINITY;
  }
  mayExpandVm(mm: MmStruct, flags: VmaFlags, npages: number): boolean {
    checkMm(mm);
    checkPages(npages, Number.MIN_SAFE_INTEGER, 'npages');
    return kernelMayExpandVm(mm, flags, npages);
  }
  /** __vm_enough_memory: OVERCOMMIT_ALWAYS always fits; the heuristic refuses more than RAM plus swap at once. */
  securityVmEnoughMemoryMm(mm: MmStruct, pages: number): number {
    checkMm(mm);
    checkPages(pages, 0, 'pages');
    if (this.o.overcommitMemory === 0 && pages > this.o.totalPages) return -ENOMEM;
    this.committed += pages;
    return 0;
  }
  vmAcctMemory(pages: number): void {
    // Negative: memory given back (vm_unacct_memory).
    checkPages(pages, Number.MIN_SAFE_INTEGER, 'pages');
    this.committed += pages;
  }

  pgtableSupportsSoftDirty(mm: MmStruct): boolean {
    checkMm(mm);
    return mm.backend.config.options.MEM_SOFT_DIRTY;
  }
  /** Soft-dirty tracking is on for a VMA once its VM_SOFTDIRTY was cleared (clear_refs). */
  vmaSoftDirtyEnabled(vma: VmAreaStruct): boolean {
    checkVma(vma, 'vma');
    const b = vma.vmMm.backend;
    return b.config.options.MEM_SOFT_DIRTY && !b.test(vma.flags, VMA_SOFTDIRTY_BIT);
  }
  vmaSupportsMlock(vma: VmAreaStruct): boolean {
    checkVma(vma, 'vma');
    return kernelVmaSupportsMlock(vma);
  }
  userfaultfdWp(vma: VmAreaStruct): boolean {
    checkVma(vma, 'vma');
    return false;
  }
  /** No prctl(PR_SET_MEMORY_MERGE): KSM adds nothing by itself. */
  ksmVmaFlags(mm: MmStruct, file: File | null, flags: VmaFlags): VmaFlags {
    checkMm(mm);
    if (file !== null) checkFile(file);
    return flags;
  }
  khugepagedEnterVma(vma: VmAreaStruct, _flags: VmaFlags): void {
    // khugepaged collapses pages, which changes no VMA.
    checkVma(vma, 'vma');
  }
  vmaClose(vma: VmAreaStruct): void {
    checkVma(vma, 'vma');
    vma.vmOps?.close?.(vma);
  }
  mmapFile(file: File, vma: VmAreaStruct): number {
    checkFile(file);
    checkVma(vma, 'vma');
    return file.fOp.mmap!(file, vma);
  }
  /** The new shmem file's first reference is the VMA's. */
  shmemZeroSetup(vma: VmAreaStruct): number {
    const err = shmemZeroSetup(vma);
    if (err === 0) this.getFile(vma.vmFile!);
    return err;
  }
  shmemFile(file: File): boolean {
    checkFile(file);
    return (file as SimFile).shmem;
  }
  isVmHugetlbPage(vma: VmAreaStruct): boolean {
    checkVma(vma, 'vma');
    return false;
  }
  isFileHugepages(file: File): boolean {
    checkFile(file);
    return false;
  }

  warn(what: string): void {
    if (typeof what !== 'string') throw typeError('what', 'a string', what);
    throw new SimulatorBug(`WARN_ON: ${what}`);
  }
  bug(what: string): never {
    if (typeof what !== 'string') throw typeError('what', 'a string', what);
    throw new SimulatorBug(`BUG_ON: ${what}`);
  }
}
