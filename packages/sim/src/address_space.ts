import { coreBackend } from '@vmaflags/core';
import * as uapi from '@vmaflags/mm';
import {
  MmStruct,
  PAGE_SIZE,
  VMA_ITERATOR,
  VM_FAULT_OK,
  VM_FAULT_SIGBUS,
  doMadvise,
  doMlock,
  doMlockall,
  doMmap,
  doMprotect,
  doMremap,
  doMseal,
  doMunlock,
  doMunlockall,
  doUserAddrFault,
  dupMmap,
  forEachVma,
  mmPopulate,
  validateMm,
  vmMunmap,
  type Backend,
  type MmapRequest,
} from '@vmaflags/mm';
import { nativeBackend } from '@vmaflags/native';
import { ScenarioError } from './errors.js';
import { errnoName, type Errno } from './errno.js';
import { openFile, type SimFile, type SimInode } from './files.js';
import { KernelVmaInternal } from './kernel_internal.js';
import { resolveOptions, type AddressSpaceOptions, type ResolvedOptions } from './options.js';
import {
  ADVICE,
  MAP_MODIFIERS,
  MAP_TYPES,
  MLOCKALL_FLAGS,
  MREMAP_FLAGS,
  PROTS,
  WINDOW_BASE,
  WINDOW_PAGES,
  parseOp,
  parseOpFields,
  type Advice,
  type CreateFileOp,
  type MadviseOp,
  type MapFlag,
  type MlockallOp,
  type MmapOp,
  type MprotectOp,
  type MremapOp,
  type Op,
  type OpName,
  type OpenOp,
  type Prot,
  type Range,
} from './scenario.js';
import { vmaView, type VmaView } from './smaps.js';

/** What a system call returns: 'ok' or the errno's name. */
export type SyscallResult = 'ok' | Errno;
/**
 * What a touch returns: 'ok', or the signal and the page it hit.
 * `result` is `'ok'`, `'SIGSEGV'` or `'SIGBUS'`; `fault_page` is the page, from the window base, that got the signal.
 */
export type TouchResult = { result: 'ok' } | { result: 'SIGSEGV' | 'SIGBUS'; fault_page: number };
/**
 * What mremap returns on success: where the mapping now is.
 *
 * @property result - `'ok'` or the errno name.
 * @property ret_page - On success, the page the mapping now starts at, or `'outside'` when that is not in the window.
 */
export type MremapResult = { result: SyscallResult; ret_page?: number | 'outside' };

/** Where top-down searches start: far above the window, like the libraries' area of a real process. */
const MMAP_BASE = 0x7f0000000000;

/**
 * The scenario's names are the uapi constants' names without their prefix,
 * in lower case (`fixed_noreplace` is MAP_FIXED_NOREPLACE).
 */
function uapiTable<T extends string>(prefix: string, names: readonly T[]): Record<T, number> {
  const table = {} as Record<T, number>;
  for (const name of names) {
    const value = (uapi as unknown as Record<string, unknown>)[`${prefix}${name.toUpperCase()}`];
    if (typeof value !== 'number') throw new Error(`@vmaflags/mm has no ${prefix}${name.toUpperCase()}`);
    table[name] = value;
  }
  return table;
}

const PROT_BITS = uapiTable('PROT_', PROTS);
const MAP_BITS = uapiTable<MapFlag>('MAP_', [...MAP_TYPES, ...MAP_MODIFIERS]);
const ADVICE_BITS = uapiTable('MADV_', ADVICE);
const MCL_BITS = uapiTable('MCL_', MLOCKALL_FLAGS);
const MREMAP_BITS = uapiTable('MREMAP_', MREMAP_FLAGS);

const bitsOf = <T extends string>(names: readonly T[], table: Record<T, number>): number =>
  names.reduce((acc, n) => acc | table[n], 0);
const addrOf = (page: number): number => WINDOW_BASE + page * PAGE_SIZE;

function result(ret: number): SyscallResult {
  return ret >= 0 ? 'ok' : errnoName(-ret);
}

/** Files and descriptors of a process; a fork shares the files and copies the table. */
interface FileTable {
  readonly inodes: Map<string, SimInode>;
  /** By label; null for the label of an open that failed. */
  readonly fds: Map<string, SimFile | null>;
}

/**
 * One process's address space at the system-call level, on the kernel's own
 * VMA code (@vmaflags/mm). Every method validates its arguments completely
 * before changing anything (a ScenarioError otherwise) and returns what the
 * kernel returns.
 */
export class AddressSpace {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedOptions;
  /** The `FlagsBackend` the VMA flags live in, as `options.backend` chose it. */
  readonly backend: Backend;
  /** The process's mm_struct: the VMA tree and the per-process state the kernel code works on. */
  readonly mm: MmStruct;
  /** The kernel environment around the VMA code: accounting, capabilities and limits, file and shmem hooks. */
  readonly internal: KernelVmaInternal;
  private readonly files: FileTable;

  constructor(options: AddressSpaceOptions = {}, files?: FileTable) {
    this.options = resolveOptions(options);
    const factory = this.options.backend === 'native' ? nativeBackend : coreBackend;
    this.backend = factory(this.options.config) as unknown as Backend;
    this.internal = new KernelVmaInternal(this.options);
    this.mm = new MmStruct(this.backend, this.internal);
    this.mm.mmapBase = MMAP_BASE;
    this.internal.current.mm = this.mm;
    this.files = files ?? { inodes: new Map(), fds: new Map() };
  }

  /** Run one op given as a scenario object (validated first); returns its result fields. */
  apply(raw: unknown, opIndex?: number, line?: number): Record<string, unknown> {
    const op = parseOp(raw, { line, opIndex });
    switch (op.op) {
      case 'create_file':
        return { result: this.runCreateFile(op, { line, opIndex }) };
      case 'open':
        return { result: this.runOpen(op) };
      case 'mmap':
        return { result: this.runMmap(op, { line, opIndex }) };
      case 'munmap':
        return { result: this.runMunmap(op) };
      case 'mprotect':
        return { result: this.runMprotect(op) };
      case 'madvise':
        return { result: this.runMadvise(op) };
      case 'mlock':
        return { result: this.runMlock(op) };
      case 'mlock2_onfault':
        return { result: this.runMlock2Onfault(op) };
      case 'munlock':
        return { result: this.runMunlock(op) };
      case 'mlockall':
        return { result: this.runMlockall(op) };
      case 'munlockall':
        return { result: this.runMunlockall() };
      case 'mremap':
        return { ...this.runMremap(op) };
      case 'mseal':
        return { result: this.runMseal(op) };
      case 'touch':
        return { ...this.runTouch(op) };
      case 'touch_read':
        return { ...this.runTouchRead(op) };
      case 'fork':
        throw new ScenarioError(
          { line, opIndex, field: 'op' },
          'handled by replay() (fork() returns the child)',
          'fork',
        );
    }
  }

  // One method per system call. Each checks its argument as the scenario
  // format defines the op (a ScenarioError otherwise, before any change).

  /**
   * create_file: create a regular file of `pages` pages under the label `file` (`file0` …).
   *
   * @returns `'ok'`.
   * @throws {@link ScenarioError} when a field is malformed or the label was created before.
   */
  createFile(op: Omit<CreateFileOp, 'op'>): SyscallResult {
    return this.runCreateFile(this.check('create_file', op) as CreateFileOp);
  }
  /**
   * open: open the created file `file` under the label `fd`, read-write (`'rdwr'`) or read-only (`'rdonly'`).
   * Each open is a new file object, even of the same file.
   *
   * @returns `'ok'`, or `'ENOENT'` for a file never created (a later mmap of that fd then gets EBADF).
   * @throws {@link ScenarioError} when a field is malformed.
   */
  open(op: Omit<OpenOp, 'op'>): SyscallResult {
    return this.runOpen(this.check('open', op) as OpenOp);
  }
  /**
   * mmap: map `pages` pages at `page`, anonymous or from the open file `fd` at `offset_pages`; `page` is a hint
   * unless `flags` has `fixed` or `fixed_noreplace`. `populate` and `locked` fault the range in afterwards.
   *
   * @returns `'ok'` or the errno name the kernel answers (`'EEXIST'`, `'EINVAL'`, `'ENOMEM'`, `'EACCES'`, …).
   * @throws {@link ScenarioError} when a field is malformed or `fd` names no earlier open.
   */
  mmap(op: Omit<MmapOp, 'op'>): SyscallResult {
    return this.runMmap(this.check('mmap', op) as MmapOp);
  }
  /**
   * munmap: unmap the range, splitting VMAs that straddle its ends.
   *
   * @returns `'ok'` or the errno name the kernel answers (`'EPERM'` on sealed memory, …).
   * @throws {@link ScenarioError} when the range is malformed.
   */
  munmap(op: Range): SyscallResult {
    return this.runMunmap(this.check('munmap', op) as Range);
  }
  /**
   * mprotect: set the access rights of the range to `prot`.
   *
   * @returns `'ok'` or the errno name the kernel answers (`'ENOMEM'` over a hole, `'EACCES'`, `'EPERM'`, …).
   * @throws {@link ScenarioError} when a field is malformed.
   */
  mprotect(op: Range & { prot: readonly Prot[] }): SyscallResult {
    return this.runMprotect(this.check('mprotect', op) as MprotectOp);
  }
  /**
   * madvise: apply `advice` to the range.
   *
   * @returns `'ok'` or the errno name the kernel answers (`'EINVAL'`, `'ENOMEM'` over a hole, …).
   * @throws {@link ScenarioError} when a field is malformed.
   */
  madvise(op: Range & { advice: Advice }): SyscallResult {
    return this.runMadvise(this.check('madvise', op) as MadviseOp);
  }
  /**
   * mlock: lock the range and fault it in.
   *
   * @returns `'ok'` or the errno name the kernel answers (`'ENOMEM'` over a hole or past RLIMIT_MEMLOCK without CAP_IPC_LOCK, …).
   * @throws {@link ScenarioError} when the range is malformed.
   */
  mlock(op: Range): SyscallResult {
    return this.runMlock(this.check('mlock', op) as Range);
  }
  /**
   * mlock2 with MLOCK_ONFAULT: lock the range's pages as they are faulted in.
   *
   * @returns `'ok'` or the errno name the kernel answers.
   * @throws {@link ScenarioError} when the range is malformed.
   */
  mlock2Onfault(op: Range): SyscallResult {
    return this.runMlock2Onfault(this.check('mlock2_onfault', op) as Range);
  }
  /**
   * munlock: unlock the range.
   *
   * @returns `'ok'` or the errno name the kernel answers.
   * @throws {@link ScenarioError} when the range is malformed.
   */
  munlock(op: Range): SyscallResult {
    return this.runMunlock(this.check('munlock', op) as Range);
  }
  /**
   * mlockall: lock every mapping (`current`), every later one (`future`), or on fault (`onfault`).
   *
   * @returns `'ok'` or the errno name the kernel answers (`'EINVAL'` for a bad combination, …).
   * @throws {@link ScenarioError} when `flags` is malformed.
   */
  mlockall(op: Omit<MlockallOp, 'op'>): SyscallResult {
    return this.runMlockall(this.check('mlockall', op) as MlockallOp);
  }
  /**
   * munlockall: unlock every mapping and stop locking later ones.
   *
   * @returns `'ok'`.
   */
  munlockall(): SyscallResult {
    return this.runMunlockall();
  }
  /**
   * mremap: resize the mapping at the range to `new_pages` pages, moving it when `flags` allow (to `new_page`
   * with `fixed`).
   *
   * @returns the result (`'ok'` or an errno name) and, on success, where the mapping now starts.
   * @throws {@link ScenarioError} when a field is malformed.
   */
  mremap(op: Omit<MremapOp, 'op'>): MremapResult {
    return this.runMremap(this.check('mremap', op) as MremapOp);
  }
  /**
   * mseal: seal the range, so later changes to it (munmap, mprotect, mremap, mapping over it) fail with EPERM.
   *
   * @returns `'ok'` or the errno name the kernel answers.
   * @throws {@link ScenarioError} when the range is malformed.
   */
  mseal(op: Range): SyscallResult {
    return this.runMseal(this.check('mseal', op) as Range);
  }
  /**
   * Per page ascending, read a byte then write it (a write fault), stopping at the first signal.
   *
   * @returns `'ok'`, or the signal and the page it hit.
   * @throws {@link ScenarioError} when the range is malformed.
   */
  touch(op: Range): TouchResult {
    return this.runTouch(this.check('touch', op) as Range);
  }
  /**
   * Per page ascending, read a byte, stopping at the first signal.
   *
   * @returns `'ok'`, or the signal and the page it hit.
   * @throws {@link ScenarioError} when the range is malformed.
   */
  touchRead(op: Range): TouchResult {
    return this.runTouchRead(this.check('touch_read', op) as Range);
  }

  private check(name: OpName, op: object): Op {
    if (typeof op !== 'object' || op === null) throw new ScenarioError({ field: 'op' }, `the fields of ${name}`, op);
    return parseOpFields(name, op as Record<string, unknown>, {});
  }

  /** create_file: a regular file of `pages` pages. */
  private runCreateFile(op: Omit<CreateFileOp, 'op'>, at: { line?: number; opIndex?: number } = {}): SyscallResult {
    if (this.files.inodes.has(op.file))
      throw new ScenarioError({ ...at, field: 'file' }, 'a label not created before', op.file);
    this.files.inodes.set(op.file, {
      label: op.file,
      iSize: op.pages * PAGE_SIZE,
      mapping: { iMmapWritable: 0, flags: 0 },
    });
    return 'ok';
  }

  /**
   * open: a new open file description of a created file under the label fd;
   * ENOENT for a file never created (the label then names no open file).
   */
  private runOpen(op: Omit<OpenOp, 'op'>): SyscallResult {
    const inode = this.files.inodes.get(op.file);
    if (inode === undefined) {
      this.files.fds.set(op.fd, null);
      return 'ENOENT';
    }
    this.files.fds.set(op.fd, openFile(inode, op.mode === 'rdwr', this.options.noexecFiles));
    return 'ok';
  }

  /** mmap; the page is a hint unless flags has fixed or fixed_noreplace. */
  private runMmap(op: Omit<MmapOp, 'op'>, at: { line?: number; opIndex?: number } = {}): SyscallResult {
    let file: SimFile | null = null;
    if (!op.flags.includes('anonymous')) {
      // No fd, or the fd of a failed open, is fd -1 to the kernel.
      if (op.fd === undefined) return 'EBADF';
      const f = this.files.fds.get(op.fd);
      if (f === undefined)
        throw new ScenarioError(
          { ...at, field: 'fd' },
          `an fd opened by an earlier op (${[...this.files.fds.keys()].join(', ') || 'none yet'})`,
          op.fd,
        );
      if (f === null) return 'EBADF';
      file = f;
    }
    const req: MmapRequest = {
      file,
      addr: addrOf(op.page),
      len: op.pages * PAGE_SIZE,
      prot: bitsOf(op.prot, PROT_BITS),
      flags: bitsOf(op.flags, MAP_BITS),
      pgoff: op.offset_pages ?? 0,
      populate: 0,
    };
    const ret = doMmap(this.mm, req, true, false);
    if (ret >= 0 && req.populate !== 0) mmPopulate(this.mm, ret, req.populate);
    return this.after(ret);
  }

  private runMunmap(op: Range): SyscallResult {
    return this.after(vmMunmap(this.mm, addrOf(op.page), op.pages * PAGE_SIZE));
  }

  private runMprotect(op: Range & { prot: readonly Prot[] }): SyscallResult {
    return this.after(doMprotect(this.mm, addrOf(op.page), op.pages * PAGE_SIZE, bitsOf(op.prot, PROT_BITS)));
  }

  private runMadvise(op: Range & { advice: Advice }): SyscallResult {
    return this.after(doMadvise(this.mm, addrOf(op.page), op.pages * PAGE_SIZE, ADVICE_BITS[op.advice]));
  }

  private runMlock(op: Range): SyscallResult {
    return this.after(doMlock(this.mm, addrOf(op.page), op.pages * PAGE_SIZE, 0));
  }

  private runMlock2Onfault(op: Range): SyscallResult {
    return this.after(doMlock(this.mm, addrOf(op.page), op.pages * PAGE_SIZE, uapi.MLOCK_ONFAULT));
  }

  private runMunlock(op: Range): SyscallResult {
    return this.after(doMunlock(this.mm, addrOf(op.page), op.pages * PAGE_SIZE));
  }

  private runMlockall(op: Omit<MlockallOp, 'op'>): SyscallResult {
    return this.after(doMlockall(this.mm, bitsOf(op.flags, MCL_BITS)));
  }

  private runMunlockall(): SyscallResult {
    return this.after(doMunlockall(this.mm));
  }

  /** mremap; on success ret_page is where the mapping now starts ("outside" when not in the window). */
  private runMremap(op: Omit<MremapOp, 'op'>): MremapResult {
    const flags = bitsOf(op.flags, MREMAP_BITS);
    const newAddr = op.new_page === undefined ? 0 : addrOf(op.new_page);
    const ret = doMremap(this.mm, addrOf(op.page), op.pages * PAGE_SIZE, op.new_pages * PAGE_SIZE, flags, newAddr);
    validateMm(this.mm);
    if (ret < 0) return { result: errnoName(-ret) };
    const page = (ret - WINDOW_BASE) / PAGE_SIZE;
    return { result: 'ok', ret_page: page >= 0 && page < WINDOW_PAGES ? page : 'outside' };
  }

  private runMseal(op: Range): SyscallResult {
    return this.after(doMseal(this.mm, addrOf(op.page), op.pages * PAGE_SIZE, 0));
  }

  /** Per page ascending: read, then write (a write fault). Stops at the first signal. */
  private runTouch(op: Range): TouchResult {
    return this.access(op, true);
  }

  /** Per page ascending: read only. */
  private runTouchRead(op: Range): TouchResult {
    return this.access(op, false);
  }

  private access(op: Range, write: boolean): TouchResult {
    for (let page = op.page; page < op.page + op.pages; page++) {
      const addr = addrOf(page);
      let fault = doUserAddrFault(this.mm, addr, false);
      if (fault === VM_FAULT_OK && write) fault = doUserAddrFault(this.mm, addr, true);
      if (fault !== VM_FAULT_OK) {
        validateMm(this.mm);
        return { result: fault === VM_FAULT_SIGBUS ? 'SIGBUS' : 'SIGSEGV', fault_page: page };
      }
    }
    validateMm(this.mm);
    return { result: 'ok' };
  }

  /** fork: the child's address space (the parent stays as it is). */
  fork(): AddressSpace {
    const child = new AddressSpace(this.options, { inodes: this.files.inodes, fds: new Map(this.files.fds) });
    const ret = dupMmap(child.mm, this.mm);
    if (ret !== 0) throw new Error(`fork failed: ${errnoName(-ret)}`);
    validateMm(child.mm);
    return child;
  }

  /** The VMAs intersecting the window, ascending, as smaps shows them. */
  vmas(): VmaView[] {
    const out: VmaView[] = [];
    for (const vma of forEachVma(VMA_ITERATOR(this.mm, WINDOW_BASE))) {
      const v = vmaView(this.backend, vma);
      if (v === null) break;
      out.push(v);
    }
    return out;
  }

  private after(ret: number): SyscallResult {
    validateMm(this.mm);
    return result(ret);
  }
}
