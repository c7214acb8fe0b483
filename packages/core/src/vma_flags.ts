import { grantAccess, lanesOf, wrapLanes } from './access_private.js';
import { bitmapCopy, bitmapSetBits, checkBits, configMismatch, joinWord, splitWord, WORD } from './bitmap.js';
import { DEFAULT_CONFIG, assertKernelConfig, type KernelConfig } from './config.js';
import { rangeError, typeError } from './errors.js';
import { safeIsArray } from './is_instance.js';
import type { VmFlags, VmFlagsInput } from './vm_word.js';

// vma_flags_t: a bitmap of NUM_VMA_FLAG_BITS bits. The kernel keeps the array
// of words private to a handful of helpers; here the storage is an ES private
// field, so no property, JSON, structuredClone or Object.* call can reach it.
//
// Storage is 32-bit lanes: lane 2k / 2k+1 hold the low / high half of 64-bit
// word k, and on 32-bit configs lane k is word k. JS bit operators are 32-bit,
// so this is the layout every helper works on without conversion.

let checkedConfig: KernelConfig | null = null;

function checkConfig(config: KernelConfig, arg: string): void {
  // Configs are interned, so remembering the last good one makes the common
  // case (one config per program) a single comparison.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: memo of the last good config; checking again is the same
  if (config !== checkedConfig) {
    assertKernelConfig(config, arg);
    checkedConfig = config;
  }
}

// Marks a shared constant. A typed array rather than null keeps the field's
// type uniform, which keeps the mutators' loads monomorphic.
const READ_ONLY = new Uint32Array(0);

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

let brand: (v: unknown) => v is VmaFlags;

/**
 * `vma_flags_t`: an opaque bitmap of `config.numVmaFlagBits` VMA flag bits.
 *
 * Create one with {@link emptyVmaFlags}, {@link mkVmaFlags},
 * {@link legacyToVmaFlags}, … and operate on it with the `vmaFlags*` helpers.
 * `new VmaFlags(config)` is the same as `emptyVmaFlags(config)`.
 *
 * Shared constants (`EMPTY_VMA_FLAGS`, the `VMA_*_FLAGS` masks, anything from
 * {@link constVmaFlags}) are immutable: mutating helpers throw a TypeError on
 * them. Take a {@link vmaFlagsCopy} to get a mutable bitmap.
 */
export class VmaFlags {
  #config: KernelConfig;
  #lanes: Uint32Array;
  /** The same array as #lanes, or READ_ONLY for a shared constant. */
  #writable: Uint32Array;
  /** Whether a kernel word is 64 bits (two lanes) rather than 32 (one). */
  #wide: boolean;

  constructor(config: KernelConfig = DEFAULT_CONFIG) {
    checkConfig(config, 'config');
    this.#config = config;
    const lanes = new Uint32Array(config.numLanes);
    this.#lanes = lanes;
    this.#writable = lanes;
    this.#wide = config.bitsPerLong === 64;
  }

  /** The kernel configuration this bitmap belongs to (decides its width). */
  get config(): KernelConfig {
    return this.#config;
  }

  /** Always `VmaFlags`, so `Object.prototype.toString` names the type. */
  get [Symbol.toStringTag](): string {
    return 'VmaFlags';
  }

  /** What `console.log` and `util.inspect` print: the config, the set bits and the words. */
  [INSPECT](): string {
    const lanes = this.#lanes;
    const config = this.#config;
    const bits: number[] = [];
    // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which sets no bit
    for (let b = 0; b < config.numVmaFlagBits; b++) {
      // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
      if ((lanes[b >>> 5]! & (1 << (b & 31))) !== 0) bits.push(b);
    }
    const words = vmaFlagsToWords(this).map((w) => `0x${w.toString(16)}`);
    const kind = this.#writable === READ_ONLY ? 'const ' : '';
    return `${kind}VmaFlags<${config.name}, ${config.numVmaFlagBits} bits> { bits: [${bits.join(', ')}], words: [${words.join(', ')}] }`;
  }

  static {
    brand = (v: unknown): v is VmaFlags => typeof v === 'object' && v !== null && #lanes in v;
  }

  static {
    // Each accessor is a few bytecodes, so optimised callers inline it and
    // the brand check becomes one map check. Error messages are built out of
    // line: their bytecode would count against the caller's inlining budget.
    grantAccess({
      lanes(f: VmaFlags, arg: string): Uint32Array {
        try {
          return f.#lanes;
        } catch {
          throw notVmaFlags(arg, f);
        }
      },
      writableLanes(f: VmaFlags, arg: string): Uint32Array {
        let w: Uint32Array;
        try {
          w = f.#writable;
        } catch {
          throw notVmaFlags(arg, f);
        }
        if (w === READ_ONLY) throw sharedConstant(arg);
        return w;
      },
      wide: (f: VmaFlags): boolean => f.#wide,
      wrap(config: KernelConfig, lanes: Uint32Array, constant: boolean): VmaFlags {
        const f = new VmaFlags(config);
        f.#lanes = lanes;
        f.#writable = constant ? READ_ONLY : lanes;
        return f;
      },
    });
  }
}

function notVmaFlags(arg: string, got: unknown): TypeError {
  return typeError(arg, 'a VmaFlags', got);
}

function sharedConstant(arg: string): TypeError {
  return new TypeError(`${arg} is a shared constant; copy it with vmaFlagsCopy()`);
}

/**
 * Whether `v` is a `VmaFlags` of this package. A brand check: unlike
 * `instanceof` it runs none of `v`'s code, so a Proxy (even a revoked one) or
 * an object made from `VmaFlags.prototype` is simply not one.
 */
export function isVmaFlags(v: unknown): v is VmaFlags {
  return brand(v);
}

/** A new, mutable, all-zero bitmap (`EMPTY_VMA_FLAGS`, but yours to change). */
export function emptyVmaFlags(config: KernelConfig = DEFAULT_CONFIG): VmaFlags {
  return new VmaFlags(config);
}

/**
 * `vma_flags_t` copy: a new mutable bitmap with the same bits and config
 * (also the way to get a mutable bitmap from a shared constant).
 */
export function vmaFlagsCopy(flags: VmaFlags): VmaFlags {
  const src = lanesOf(flags, 'flags');
  const config = flags.config;
  const f = new VmaFlags(config);
  bitmapCopy(lanesOf(f, 'flags'), 0, src, 0, config.numLanes);
  return f;
}

/** All `config.numWords` kernel words (vm_flags_t), word 0 first. */
export function vmaFlagsToWords(flags: VmaFlags): VmFlags[] {
  const lanes = lanesOf(flags, 'flags');
  const config = flags.config;
  const out: bigint[] = [];
  if (config.bitsPerLong === 64) {
    for (let k = 0; k < lanes.length; k += 2) out.push(joinWord(lanes[k]!, lanes[k + 1]!));
  } else {
    for (let k = 0; k < lanes.length; k++) out.push(joinWord(lanes[k]!, 0));
  }
  return out;
}

/**
 * A new mutable bitmap from kernel words, word 0 first. Fewer than
 * `config.numWords` words leave the remaining words zero.
 */
export function vmaFlagsFromWords(words: readonly VmFlagsInput[], config: KernelConfig = DEFAULT_CONFIG): VmaFlags {
  checkConfig(config, 'config');
  if (!safeIsArray(words)) throw typeError('words', 'an array of vm_flags_t words', words);
  if (words.length > config.numWords) {
    throw rangeError(
      'words',
      `an array of at most ${config.numWords} words (config ${config.name})`,
      `length ${words.length}`,
    );
  }
  const f = new VmaFlags(config);
  const lanes = lanesOf(f, 'flags');
  const wide = config.bitsPerLong === 64;
  for (let i = 0; i < words.length; i++) {
    splitWord(words[i], config.bitsPerLong, `words[${i}]`);
    if (wide) {
      lanes[2 * i] = WORD[0]!;
      lanes[2 * i + 1] = WORD[1]!;
    } else {
      lanes[i] = WORD[0]!;
    }
  }
  return f;
}

/** `mk_vma_flags(bits...)` on a config: a new mutable bitmap with those bits set. */
export function mkVmaFlagsIn(config: KernelConfig, ...bits: number[]): VmaFlags {
  checkConfig(config, 'config');
  checkBits(bits, config.numVmaFlagBits, 'bits');
  const f = new VmaFlags(config);
  bitmapSetBits(lanesOf(f, 'flags'), 0, bits);
  return f;
}

/** `mk_vma_flags(bits...)`: a new mutable bitmap (default config) with those bits set. */
export function mkVmaFlags(...bits: number[]): VmaFlags {
  return mkVmaFlagsIn(DEFAULT_CONFIG, ...bits);
}

/** `append_vma_flags(base, bits...)`: a new mutable copy of `base` with the bits also set. */
export function appendVmaFlags(base: VmaFlags, ...bits: number[]): VmaFlags {
  const src = lanesOf(base, 'base');
  const config = base.config;
  checkBits(bits, config.numVmaFlagBits, 'bits');
  const f = new VmaFlags(config);
  const lanes = lanesOf(f, 'flags');
  bitmapCopy(lanes, 0, src, 0, config.numLanes);
  bitmapSetBits(lanes, 0, bits);
  return f;
}

/**
 * An immutable bitmap for tables and shared masks: either the listed bits, or
 * a frozen copy of an existing bitmap of the same config.
 */
export function constVmaFlags(config: KernelConfig, bits: readonly number[] | VmaFlags): VmaFlags {
  checkConfig(config, 'config');
  const lanes = new Uint32Array(config.numLanes);
  if (safeIsArray(bits)) {
    const list = bits as readonly number[];
    checkBits(list, config.numVmaFlagBits, 'bits');
    bitmapSetBits(lanes, 0, list);
  } else {
    const src = lanesOf(bits as VmaFlags, 'bits');
    const other = (bits as VmaFlags).config;
    if (other !== config && other.key !== config.key) throw configMismatch('bits', config, 'config', other);
    bitmapCopy(lanes, 0, src, 0, config.numLanes);
  }
  return wrapLanes(config, lanes, true);
}

/** `EMPTY_VMA_FLAGS`: the all-zero bitmap of the default config (immutable). */
export const EMPTY_VMA_FLAGS: VmaFlags = constVmaFlags(DEFAULT_CONFIG, []);
