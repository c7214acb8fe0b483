import { DEFAULT_CONFIG, assertKernelConfig, type KernelConfig } from './config.js';
import { VmaLockError, readObjectArgument, typeError } from './errors.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlags, VmFlagsInput } from './vm_word.js';
import { vmaFlagsOverwriteWord, vmaFlagsToLegacy } from './word_helpers.js';
import { initialFlags } from './initial_flags.js';
import { safeInstanceOf } from './is_instance.js';

// mm_struct, reduced to what the flag helpers need: the config, the default
// flags new VMAs inherit, and the mmap lock with its sequence count.
//
// The lock is a single-threaded model of an rw_semaphore. Nothing can ever
// wait, so an acquisition that would block in the kernel (a writer while the
// lock is held, a reader while it is write-held) would block forever here:
// it throws a VmaLockError with rule 'lock_state' instead. The try variants
// return false, as the kernel's do.

/**
 * The mmap lock of one mm: an rw_semaphore plus `mm_lock_seq`, the sequence
 * count that per-VMA write locks are measured against.
 */
export class MmapLock {
  #readers = 0;
  #writer = false;
  #seq = 0;

  /** Number of read holders. */
  get readers(): number {
    return this.#readers;
  }

  /** Whether the lock is held for write. */
  get writeLocked(): boolean {
    return this.#writer;
  }

  /** `rwsem_is_locked`: held by anyone, in either mode. */
  get locked(): boolean {
    return this.#writer || this.#readers > 0;
  }

  /**
   * `mm_lock_seq`: bumped when the write lock is taken and again when it is
   * dropped or downgraded (odd while write-held). A VMA is write-locked while
   * its `vmLockSeq` equals this value, so the bump on release drops every VMA
   * write lock at once.
   */
  get seq(): number {
    return this.#seq;
  }

  /** `mmap_read_lock`. Throws a {@link VmaLockError} while write-held (it would deadlock). */
  readLock(helper = 'mmap_read_lock'): void {
    if (this.#writer)
      throw new VmaLockError('lock_state', helper, 'the mmap lock is held for write; a reader would wait forever');
    this.#readers++;
  }

  /** `mmap_read_trylock`: takes the read lock unless write-held. */
  readTrylock(): boolean {
    if (this.#writer) return false;
    this.#readers++;
    return true;
  }

  /** `mmap_read_unlock`. Throws a {@link VmaLockError} when not read-held. */
  readUnlock(helper = 'mmap_read_unlock'): void {
    if (this.#readers === 0) throw new VmaLockError('lock_state', helper, 'the mmap lock is not held for read');
    this.#readers--;
  }

  /** `mmap_write_lock`. Throws a {@link VmaLockError} while held in any mode (it would deadlock). */
  writeLock(helper = 'mmap_write_lock'): void {
    if (this.#writer)
      throw new VmaLockError(
        'lock_state',
        helper,
        'the mmap lock is already held for write; a second writer would wait forever',
      );
    if (this.#readers > 0) {
      throw new VmaLockError(
        'lock_state',
        helper,
        `the mmap lock is held for read (${this.#readers} reader(s)); a writer would wait forever`,
      );
    }
    this.#writer = true;
    this.#seq = (this.#seq + 1) >>> 0;
  }

  /** `mmap_write_trylock`: takes the write lock unless held in any mode. */
  writeTrylock(): boolean {
    if (this.#writer || this.#readers > 0) return false;
    this.#writer = true;
    this.#seq = (this.#seq + 1) >>> 0;
    return true;
  }

  /** `vma_end_write_all`: release every VMA write lock of this write-lock hold. */
  endWriteAll(helper = 'vma_end_write_all'): void {
    if (!this.#writer) throw new VmaLockError('mmap_write_locked', helper, 'the mmap lock is not held for write');
    this.#seq = (this.#seq + 1) >>> 0;
  }

  /** `mmap_write_unlock`: also drops every VMA write lock. */
  writeUnlock(helper = 'mmap_write_unlock'): void {
    this.endWriteAll(helper);
    this.#writer = false;
  }

  /** `mmap_write_downgrade`: write to read, dropping every VMA write lock. */
  writeDowngrade(helper = 'mmap_write_downgrade'): void {
    this.endWriteAll(helper);
    this.#writer = false;
    this.#readers = 1;
  }
}

/** Options for {@link MmStruct}. */
export interface MmStructInit {
  /** Initial `def_vma_flags`: a bitmap of the same config, or a one-word legacy value. */
  defFlags?: VmaFlags | VmFlagsInput;
}

/** `struct mm_struct` (the parts the VMA flag helpers use). */
export class MmStruct {
  /** The kernel configuration of every VMA in this mm. */
  readonly config: KernelConfig;
  /** `mmap_lock` and `mm_lock_seq`. */
  readonly mmapLock: MmapLock = new MmapLock();
  /** `def_vma_flags`: flags every new VMA of this mm starts with (owned by the mm). */
  readonly defVmaFlags: VmaFlags;

  constructor(config: KernelConfig = DEFAULT_CONFIG, init: MmStructInit = {}) {
    assertKernelConfig(config, 'config');
    const defFlags = readObjectArgument(init, 'init', 'an object', (o: MmStructInit) => o.defFlags);
    this.config = config;
    this.defVmaFlags = initialFlags(defFlags, config, 'init.defFlags', 'config');
  }

  /**
   * `def_flags`: the legacy view of word 0 of `defVmaFlags` (the two share
   * storage in the kernel's union). Assigning replaces word 0 only.
   */
  get defFlags(): VmFlags {
    return vmaFlagsToLegacy(this.defVmaFlags);
  }

  /** Replaces word 0 of `defVmaFlags`; higher words are kept. */
  set defFlags(value: VmFlagsInput) {
    vmaFlagsOverwriteWord(this.defVmaFlags, value);
  }

  /** `mm->mm_lock_seq` (see {@link MmapLock.seq}). */
  get mmLockSeq(): number {
    return this.mmapLock.seq;
  }
}

function lockOf(mm: MmStruct, helper: string): MmapLock {
  if (!safeInstanceOf(mm, MmStruct)) throw typeError('mm', `an MmStruct (${helper})`, mm);
  return mm.mmapLock;
}

/** `mmap_read_lock`. Throws VmaLockError ('lock_state') if the lock is write-held. */
export function mmapReadLock(mm: MmStruct): void {
  lockOf(mm, 'mmap_read_lock').readLock('mmap_read_lock');
}

/** `mmap_read_trylock`: false instead of waiting. */
export function mmapReadTrylock(mm: MmStruct): boolean {
  return lockOf(mm, 'mmap_read_trylock').readTrylock();
}

/** `mmap_read_unlock`. */
export function mmapReadUnlock(mm: MmStruct): void {
  lockOf(mm, 'mmap_read_unlock').readUnlock('mmap_read_unlock');
}

/** `mmap_write_lock`: takes the lock and opens a new VMA write-lock sequence. */
export function mmapWriteLock(mm: MmStruct): void {
  lockOf(mm, 'mmap_write_lock').writeLock('mmap_write_lock');
}

/** `mmap_write_trylock`-style: false instead of waiting. */
export function mmapWriteTrylock(mm: MmStruct): boolean {
  return lockOf(mm, 'mmap_write_trylock').writeTrylock();
}

/** `mmap_write_unlock`: releases every VMA write lock, then the mmap lock. */
export function mmapWriteUnlock(mm: MmStruct): void {
  lockOf(mm, 'mmap_write_unlock').writeUnlock('mmap_write_unlock');
}

/** `mmap_write_downgrade`: releases every VMA write lock and keeps the mmap lock for read. */
export function mmapWriteDowngrade(mm: MmStruct): void {
  lockOf(mm, 'mmap_write_downgrade').writeDowngrade('mmap_write_downgrade');
}
