import type { FlagsBackend, KernelConfig } from '@vmaflags/core';
import { typeError } from '@vmaflags/core';
import { binding } from './binding.js';
import { configId, perConfigId } from './config_id.js';
import { wordsToLanes } from './lanes.js';

/**
 * A bitmap's storage: an ArrayBuffer the addon creates, holding the words.
 * Only the bitmap object holds it (in a private field), and the garbage
 * collector frees it with that object.
 */
type Handle = ArrayBuffer;

/**
 * The addon's helpers of one configuration, over storage buffers. Each is a
 * native function bound to the configuration (no class checks per call); a
 * buffer of the wrong size is a TypeError. Which configuration a bitmap
 * belongs to is checked here, before the call.
 */
interface FlagsOps {
  mk(...bits: number[]): Handle;
  append(base: Handle, ...bits: number[]): Handle;
  copy(flags: Handle): Handle;
  toWords(flags: Handle): bigint[];
  fromWords(words: readonly bigint[]): Handle;
  fromLegacy(word: bigint): Handle;
  toLegacy(flags: Handle): bigint;
  clearAll(flags: Handle): void;
  overwriteWord(flags: Handle, word: bigint): void;
  setWord(flags: Handle, word: bigint): void;
  clearWord(flags: Handle, word: bigint): void;
  test(flags: Handle, bit: number): boolean;
  testAny(flags: Handle, ...bits: number[]): boolean;
  testAnyMask(flags: Handle, mask: Handle): boolean;
  testAll(flags: Handle, ...bits: number[]): boolean;
  testAllMask(flags: Handle, mask: Handle): boolean;
  testSingleMask(flags: Handle, mask: Handle): boolean;
  count(flags: Handle): number;
  empty(flags: Handle): boolean;
  samePair(a: Handle, b: Handle): boolean;
  sameMask(flags: Handle, mask: Handle): boolean;
  same(flags: Handle, ...bits: number[]): boolean;
  diffPair(a: Handle, b: Handle): Handle;
  andMask(flags: Handle, mask: Handle): Handle;
  and(flags: Handle, ...bits: number[]): Handle;
  setFlag(flags: Handle, bit: number): void;
  set(flags: Handle, ...bits: number[]): void;
  setMask(flags: Handle, mask: Handle): void;
  clear(flags: Handle, ...bits: number[]): void;
  clearMask(flags: Handle, mask: Handle): void;
}

/** Methods of the addon's helpers object (checked by the tests). */
export const FLAGS_OPS = [
  'mk',
  'append',
  'copy',
  'toWords',
  'fromWords',
  'fromLegacy',
  'toLegacy',
  'clearAll',
  'overwriteWord',
  'setWord',
  'clearWord',
  'test',
  'testAny',
  'testAnyMask',
  'testAll',
  'testAllMask',
  'testSingleMask',
  'count',
  'empty',
  'samePair',
  'sameMask',
  'same',
  'diffPair',
  'andMask',
  'and',
  'setFlag',
  'set',
  'setMask',
  'clear',
  'clearMask',
] as const satisfies readonly (keyof FlagsOps)[];

/** The helpers object of config id `id` (one per config). */
const opsOf = perConfigId((id) => binding.flagsOps(id) as FlagsOps);

const TOKEN = Symbol('NativeVmaFlags');

/** Reads the storage out of a bitmap of config `id`; set by the class below. */
let handleOf: (flags: unknown, id: number, arg: string) => Handle;
/** True for a bitmap of `nativeBackend()` (any config). */
let isNative: (v: unknown) => v is NativeVmaFlags;

/**
 * A `vma_flags_t` worked on by the addon: the bitmap type of `nativeBackend`.
 * Opaque; made only by the backend's helpers. Its words live in an
 * ArrayBuffer held in a private field, freed with the object by the garbage
 * collector; nothing but the backend's helpers can reach them.
 */
export class NativeVmaFlags {
  readonly #h: Handle;
  readonly #id: number;
  /** The configuration the bitmap belongs to. */
  readonly config: KernelConfig;

  /** @internal */
  constructor(token: symbol, h: Handle, id: number, config: KernelConfig) {
    if (token !== TOKEN) throw new TypeError('NativeVmaFlags is not constructible; use nativeBackend(config).mk()');
    this.#h = h;
    this.#id = id;
    this.config = config;
  }

  static {
    handleOf = (f, id, arg) =>
      typeof f === 'object' && f !== null && #h in f && f.#id === id ? f.#h : badHandle(f, id, arg);
    isNative = (v): v is NativeVmaFlags => typeof v === 'object' && v !== null && #h in v;
  }

  // util.inspect shows the words (cold path; the helpers never use it).
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const words = opsOf(this.#id).toWords(this.#h);
    return `VmaFlags(native) [${words.map((w) => `0x${w.toString(16)}`).join(', ')}]`;
  }
}

function badHandle(f: unknown, id: number, arg: string): never {
  if (isNative(f)) {
    const want = keyOf.get(id) ?? String(id);
    throw new TypeError(
      `${arg} must be a VmaFlags of config ${JSON.stringify(want)}; got one of config ${JSON.stringify(f.config.key)}`,
    );
  }
  throw typeError(arg, 'a VmaFlags from nativeBackend()', f);
}

/** Config id → key, for messages. */
const keyOf = new Map<number, string>();

/** The handle of `mask` as a mask for an arena of config `config`: its lanes in the core layout. */
export function nativeFlagsLanes(mask: NativeVmaFlags, config: KernelConfig, arg: string): Uint32Array {
  const id = configId(config);
  const words = opsOf(id).toWords(handleOf(mask, id, arg));
  return wordsToLanes(words, config);
}

export { isNative as isNativeVmaFlags };

let singleMaskWarned = false;

// vma_flags_test_single_mask warns (once) when given a mask of several bits,
// exactly like the core helper, then answers as test_any_mask.
function warnSingleMask(): void {
  singleMaskWarned = true;
  process.emitWarning('vmaFlagsTestSingleMask: mask has more than one bit set; testing whether any of them is set', {
    type: 'Warning',
    code: 'VMAFLAGS_SINGLE_MASK',
  });
}

const backends = new Map<KernelConfig, FlagsBackend<NativeVmaFlags>>();

/**
 * The vma_flags_t helpers implemented in Rust behind the same contract as
 * `coreBackend`. Bound to one config; bitmaps of another config (or of the
 * core backend) are rejected with a TypeError naming the argument.
 */
export function nativeBackend(config: KernelConfig): FlagsBackend<NativeVmaFlags> {
  let b = backends.get(config);
  if (b === undefined) {
    b = makeBackend(config, configId(config));
    backends.set(config, b);
  }
  return b;
}

function makeBackend(config: KernelConfig, id: number): FlagsBackend<NativeVmaFlags> {
  const o = opsOf(id);
  keyOf.set(id, config.key);
  const wrap = (h: Handle): NativeVmaFlags => new NativeVmaFlags(TOKEN, h, id, config);
  const h = (f: unknown, arg: string): Handle => handleOf(f, id, arg);
  const backend: FlagsBackend<NativeVmaFlags> = {
    name: 'native',
    config,

    mk: (...bits) => wrap(o.mk(...bits)),
    append: (base, ...bits) => wrap(o.append(h(base, 'base'), ...bits)),
    copy: (flags) => wrap(o.copy(h(flags, 'flags'))),
    toWords: (flags) => o.toWords(h(flags, 'flags')),
    fromWords: (words) => wrap(o.fromWords(words)),
    fromLegacy: (word) => wrap(o.fromLegacy(word)),
    toLegacy: (flags) => o.toLegacy(h(flags, 'flags')),

    clearAll: (flags) => o.clearAll(h(flags, 'flags')),
    overwriteWord: (flags, word) => o.overwriteWord(h(flags, 'flags'), word),
    // One JS thread owns the bitmap, so a plain store is already untorn.
    overwriteWordOnce: (flags, word) => o.overwriteWord(h(flags, 'flags'), word),
    setWord: (flags, word) => o.setWord(h(flags, 'flags'), word),
    clearWord: (flags, word) => o.clearWord(h(flags, 'flags'), word),

    test: (flags, bit) => o.test(h(flags, 'flags'), bit),
    testAny: (flags, ...bits) => o.testAny(h(flags, 'flags'), ...bits),
    testAnyMask: (flags, mask) => o.testAnyMask(h(flags, 'flags'), h(mask, 'mask')),
    testAll: (flags, ...bits) => o.testAll(h(flags, 'flags'), ...bits),
    testAllMask: (flags, mask) => o.testAllMask(h(flags, 'flags'), h(mask, 'mask')),
    testSingleMask: (flags, mask) => {
      const f = h(flags, 'flags');
      const m = h(mask, 'mask');
      const r = o.testSingleMask(f, m);
      if (!singleMaskWarned && o.count(m) > 1) warnSingleMask();
      return r;
    },
    count: (flags) => o.count(h(flags, 'flags')),
    empty: (flags) => o.empty(h(flags, 'flags')),
    samePair: (a, b) => o.samePair(h(a, 'a'), h(b, 'b')),
    sameMask: (flags, mask) => o.sameMask(h(flags, 'flags'), h(mask, 'mask')),
    same: (flags, ...bits) => o.same(h(flags, 'flags'), ...bits),
    diffPair: (a, b) => wrap(o.diffPair(h(a, 'a'), h(b, 'b'))),
    andMask: (flags, mask) => wrap(o.andMask(h(flags, 'flags'), h(mask, 'mask'))),
    and: (flags, ...bits) => wrap(o.and(h(flags, 'flags'), ...bits)),

    setFlag: (flags, bit) => o.setFlag(h(flags, 'flags'), bit),
    set: (flags, ...bits) => o.set(h(flags, 'flags'), ...bits),
    setMask: (flags, mask) => o.setMask(h(flags, 'flags'), h(mask, 'mask')),
    clear: (flags, ...bits) => o.clear(h(flags, 'flags'), ...bits),
    clearMask: (flags, mask) => o.clearMask(h(flags, 'flags'), h(mask, 'mask')),
  };
  return Object.freeze(backend);
}
