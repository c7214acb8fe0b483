import {
  DEFAULT_CONFIG,
  type VmaFlags,
  isVmaFlags,
  vmaFlagsFromWords,
  vmaFlagsToWords,
  type KernelConfig,
  type VmFlags,
  type VmFlagsInput,
} from '@vmaflags/core';
import { rangeError, typeError } from '@vmaflags/core';
import { binding } from './binding.js';
import { configId, perConfigId } from './config_id.js';

// kernel::mm::virt for JS. The kernel hands drivers three views of a VMA whose
// types say what the holder may do; here they are three classes over one VMA
// owned by the addon:
//   VmaRef      — read the flags word and the range (read lock held);
//   VmaMixedMap — a VmaRef known to have MIXEDMAP set;
//   VmaNew      — a VMA still being set up in mmap: the only one that changes
//                 flags, and only in the ways the kernel allows (nothing can set
//                 PFNMAP, which must never meet MIXEDMAP).
// Every change runs through the addon's single update_flags(set, unset).

// A VMA's storage is an ArrayBuffer the addon creates (`[vm_start, vm_end,
// flag words…]`); the objects viewing it hold it in a private field, so
// nothing else can reach it, and the garbage collector frees it with them.
// Which view may change flags is this module's type-state: only VmaNew has
// the setters.
type Storage = ArrayBuffer;
interface VmaOps {
  newFromWords(words: readonly bigint[], start: VmFlagsInput, end: VmFlagsInput): Storage;
  refFromWords(words: readonly bigint[], start: VmFlagsInput, end: VmFlagsInput): Storage;
  flags(vma: Storage): bigint;
  start(vma: Storage): bigint;
  end(vma: Storage): bigint;
  words(vma: Storage): bigint[];
  isMixedmap(vma: Storage): boolean;
  readable(vma: Storage): boolean;
  writable(vma: Storage): boolean;
  executable(vma: Storage): boolean;
  setMixedmap(vma: Storage): void;
  setIo(vma: Storage): void;
  setDontexpand(vma: Storage): void;
  setDontcopy(vma: Storage): void;
  setDontdump(vma: Storage): void;
  tryClearMayread(vma: Storage): void;
  tryClearMaywrite(vma: Storage): void;
  tryClearMayexec(vma: Storage): void;
}

/** Operations of the addon's VMA storage (checked by the tests). */
export const VMA_OPS = [
  'newFromWords',
  'refFromWords',
  'flags',
  'start',
  'end',
  'words',
  'isMixedmap',
  'readable',
  'writable',
  'executable',
  'setMixedmap',
  'setIo',
  'setDontexpand',
  'setDontcopy',
  'setDontdump',
  'tryClearMayread',
  'tryClearMaywrite',
  'tryClearMayexec',
] as const satisfies readonly (keyof VmaOps)[];

/** The VMA operations of config id `id` (one object per config). */
const vmaOps = perConfigId((id) => binding.vmaOps(id) as VmaOps);

/**
 * `kernel::mm::virt::flags`: the legacy `VM_*` word values the Rust API names.
 * `MAYSHARE` is 0x80, the C value (the upstream Rust binding currently yields
 * 0x40). `SOFTDIRTY` is the value with `CONFIG_MEM_SOFT_DIRTY`; see
 * `virtFlags(config)` for a configuration without it.
 */
export const flags = Object.freeze({
  /** `VM_NONE`: no flag. */
  NONE: 0n,
  /** `VM_READ`: readable. */
  READ: 0x1n,
  /** `VM_WRITE`: writable. */
  WRITE: 0x2n,
  /** `VM_EXEC`: executable. */
  EXEC: 0x4n,
  /** `VM_SHARED`: shared mapping. */
  SHARED: 0x8n,
  /** `VM_MAYREAD`: READ may be turned on. */
  MAYREAD: 0x10n,
  /** `VM_MAYWRITE`: WRITE may be turned on. */
  MAYWRITE: 0x20n,
  /** `VM_MAYEXEC`: EXEC may be turned on. */
  MAYEXEC: 0x40n,
  /** `VM_MAYSHARE`: requested shared. */
  MAYSHARE: 0x80n,
  /** `VM_PFNMAP`: raw page frames, no `struct page`. */
  PFNMAP: 0x400n,
  /** `VM_IO`: memory-mapped I/O. */
  IO: 0x4000n,
  /** `VM_DONTCOPY`: not inherited on fork. */
  DONTCOPY: 0x20000n,
  /** `VM_DONTEXPAND`: may not grow with mremap. */
  DONTEXPAND: 0x40000n,
  /** `VM_LOCKONFAULT`: lock pages as they fault in. */
  LOCKONFAULT: 0x80000n,
  /** `VM_ACCOUNT`: charged against the commit limit. */
  ACCOUNT: 0x100000n,
  /** `VM_NORESERVE`: no swap reserved. */
  NORESERVE: 0x200000n,
  /** `VM_HUGETLB`: hugetlbfs mapping. */
  HUGETLB: 0x400000n,
  /** `VM_SYNC`: synchronous page faults. */
  SYNC: 0x800000n,
  /** `VM_ARCH_1`: the architecture-specific bit 24. */
  ARCH_1: 0x1000000n,
  /** `VM_WIPEONFORK`: zero-filled in a child after fork. */
  WIPEONFORK: 0x2000000n,
  /** `VM_DONTDUMP`: left out of core dumps. */
  DONTDUMP: 0x4000000n,
  /** `VM_SOFTDIRTY`: soft-dirty tracking. */
  SOFTDIRTY: 0x8000000n,
  /** `VM_MIXEDMAP`: mixed struct-page and raw frames. */
  MIXEDMAP: 0x10000000n,
  /** `VM_HUGEPAGE`: transparent huge pages requested. */
  HUGEPAGE: 0x20000000n,
  /** `VM_NOHUGEPAGE`: transparent huge pages refused. */
  NOHUGEPAGE: 0x40000000n,
  /** `VM_MERGEABLE`: KSM may merge pages. */
  MERGEABLE: 0x80000000n,
} as const);

const PFNMAP = 0x400n;

/** The shape of {@link flags}: one legacy word value per name. */
export type VirtFlags = { readonly [K in keyof typeof flags]: VmFlags };

const perConfig = new WeakMap<KernelConfig, VirtFlags>();

/** `flags` as a given configuration defines them (`SOFTDIRTY` is 0 without CONFIG_MEM_SOFT_DIRTY). */
export function virtFlags(config: KernelConfig = DEFAULT_CONFIG): VirtFlags {
  configId(config);
  let f = perConfig.get(config);
  if (f === undefined) {
    f = Object.freeze({ ...flags, SOFTDIRTY: config.options.MEM_SOFT_DIRTY ? flags.SOFTDIRTY : 0n });
    perConfig.set(config, f);
  }
  return f;
}

// Another view of an existing VMA goes through this token so the public
// constructors keep their documented signatures.
const WRAP = Symbol('wrap');
interface Wrapped {
  readonly [WRAP]: true;
  readonly vma: Storage;
  readonly ops: VmaOps;
  readonly config: KernelConfig;
}
// The tokens this module made, in a WeakSet: asking it runs no code of the
// value, where `WRAP in v` would run a Proxy's trap.
const wrapped = new WeakSet<object>();
const wrap = (vma: Storage, ops: VmaOps, config: KernelConfig): VmaFlags => {
  const token = { [WRAP]: true, vma, ops, config } as const;
  wrapped.add(token);
  return token as unknown as VmaFlags;
};
const isWrapped = (v: unknown): v is Wrapped => typeof v === 'object' && v !== null && wrapped.has(v);

function nativeWords(flags: VmaFlags, arg: string): { words: bigint[]; config: KernelConfig; ops: VmaOps } {
  if (!isVmaFlags(flags)) throw typeError(arg, 'a VmaFlags (from @vmaflags/core)', flags);
  const config = flags.config;
  return { words: vmaFlagsToWords(flags), config, ops: vmaOps(configId(config)) };
}

/** Read-only access to a VMA: its flags word and address range. */
export class VmaRef {
  readonly #vma: Storage;
  readonly #ops: VmaOps;
  /** The configuration of the VMA's flags bitmap. */
  readonly config: KernelConfig;

  /**
   * A VMA with a copy of `flags` (every word) covering `[start, end)`.
   * Addresses are `unsigned long`s of the configuration.
   */
  constructor(flags: VmaFlags, start: VmFlagsInput = 0n, end: VmFlagsInput = start) {
    if (isWrapped(flags)) {
      this.#vma = flags.vma;
      this.#ops = flags.ops;
      this.config = flags.config;
    } else {
      const w = nativeWords(flags, 'flags');
      this.#vma = w.ops.refFromWords(w.words, start, end);
      this.#ops = w.ops;
      this.config = w.config;
    }
  }

  /** The legacy `vm_flags` word: word 0 of the flags bitmap. */
  flags(): VmFlags {
    return this.#ops.flags(this.#vma);
  }

  /** First address of the VMA (inclusive). */
  start(): bigint {
    return this.#ops.start(this.#vma);
  }

  /** End of the VMA (exclusive). */
  end(): bigint {
    return this.#ops.end(this.#vma);
  }

  /** A `VmaMixedMap` view if `MIXEDMAP` is set, else `null`. */
  asMixedmapVma(): VmaMixedMap | null {
    return this.#ops.isMixedmap(this.#vma) ? new VmaMixedMap(wrap(this.#vma, this.#ops, this.config)) : null;
  }

  /** A copy of the whole flags bitmap (every word) as a core `VmaFlags`. */
  toVmaFlags(): VmaFlags {
    return vmaFlagsFromWords(this.#ops.words(this.#vma), this.config);
  }

  /** Always `VmaRef`. */
  get [Symbol.toStringTag](): string {
    return 'VmaRef';
  }
}

/** A VMA known to have `MIXEDMAP` set (where `vm_insert_page` is allowed). */
export class VmaMixedMap extends VmaRef {
  /** Only through `VmaNew.setMixedmap()` or `VmaRef.asMixedmapVma()`. */
  constructor(flags: VmaFlags, start?: VmFlagsInput, end?: VmFlagsInput) {
    if (!isWrapped(flags)) {
      throw typeError(
        'flags',
        'a view handed out by VmaNew.setMixedmap() or VmaRef.asMixedmapVma() (VmaMixedMap is made only there)',
        flags,
      );
    }
    super(flags, start, end);
  }

  /** Always `VmaMixedMap`. */
  override get [Symbol.toStringTag](): string {
    return 'VmaMixedMap';
  }
}

/**
 * A VMA being set up inside `mmap`. Flag changes are limited to what the
 * kernel's `VmaNew` allows; each goes through one `update_flags(set, unset)`
 * on the hardware word (set first, then clear). It reads like a `VmaRef` (the
 * kernel type derefs to one).
 */
export class VmaNew extends VmaRef {
  // The base class holds the same storage; keeping it here too lets the
  // setters reach it without going through the base.
  readonly #vma: Storage;
  readonly #ops: VmaOps;

  /**
   * A new VMA with a copy of `flags` (every word) covering `[start, end)`.
   * Flags with `PFNMAP` are refused (RangeError): a VMA in setup never has
   * it, which is what keeps `setMixedmap()` from making it meet `MIXEDMAP`.
   */
  constructor(flags: VmaFlags, start: VmFlagsInput = 0n, end: VmFlagsInput = start) {
    const w = nativeWords(flags, 'flags');
    if ((w.words[0]! & PFNMAP) !== 0n) {
      throw rangeError(
        'flags',
        'a VmaFlags without PFNMAP (a VMA in setup never has it, so setMixedmap() cannot make it meet MIXEDMAP)',
        'flags with PFNMAP set',
      );
    }
    const vma = w.ops.newFromWords(w.words, start, end);
    super(wrap(vma, w.ops, w.config));
    this.#vma = vma;
    this.#ops = w.ops;
  }

  /** A VMA in setup with a copy of `flags` as its bitmap. */
  static fromVmaFlags(flags: VmaFlags, start: VmFlagsInput = 0n, end: VmFlagsInput = start): VmaNew {
    return new VmaNew(flags, start, end);
  }

  /** The same VMA, read-only. */
  asVmaRef(): VmaRef {
    return new VmaRef(wrap(this.#vma, this.#ops, this.config));
  }

  /** Whether `READ` is set. */
  readable(): boolean {
    return this.#ops.readable(this.#vma);
  }

  /** Whether `WRITE` is set. */
  writable(): boolean {
    return this.#ops.writable(this.#vma);
  }

  /** Whether `EXEC` is set. */
  executable(): boolean {
    return this.#ops.executable(this.#vma);
  }

  /** Sets `MIXEDMAP` and returns the `VmaMixedMap` view of this VMA. */
  setMixedmap(): VmaMixedMap {
    this.#ops.setMixedmap(this.#vma);
    return new VmaMixedMap(wrap(this.#vma, this.#ops, this.config));
  }

  /** Sets `IO`: device memory, not backed by struct pages. */
  setIo(): void {
    this.#ops.setIo(this.#vma);
  }

  /** Sets `DONTEXPAND`: `mremap` may not grow the VMA. */
  setDontexpand(): void {
    this.#ops.setDontexpand(this.#vma);
  }

  /** Sets `DONTCOPY`: not inherited across fork (userspace can undo it unless `IO` is set). */
  setDontcopy(): void {
    this.#ops.setDontcopy(this.#vma);
  }

  /** Sets `DONTDUMP`: left out of core dumps (userspace can undo it unless `IO` is set). */
  setDontdump(): void {
    this.#ops.setDontdump(this.#vma);
  }

  /**
   * Clears `MAYREAD` for good (mprotect can no longer add `READ`). Throws an
   * Error with `code` `'EINVAL'` while `READ` is set.
   */
  tryClearMayread(): void {
    this.#ops.tryClearMayread(this.#vma);
  }

  /** Clears `MAYWRITE`; throws an Error with `code` `'EINVAL'` while `WRITE` is set. */
  tryClearMaywrite(): void {
    this.#ops.tryClearMaywrite(this.#vma);
  }

  /** Clears `MAYEXEC`; throws an Error with `code` `'EINVAL'` while `EXEC` is set. */
  tryClearMayexec(): void {
    this.#ops.tryClearMayexec(this.#vma);
  }

  /** Always `VmaNew`. */
  override get [Symbol.toStringTag](): string {
    return 'VmaNew';
  }
}
