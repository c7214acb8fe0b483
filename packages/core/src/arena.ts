import * as access from './access_private.js';
import * as bitmap from './bitmap.js';
import { assertKernelConfig, type KernelConfig } from './config.js';
import { rangeError, typeError } from './errors.js';
import { VmaFlags } from './vma_flags.js';
import type { VmFlags, VmFlagsInput } from './vm_word.js';

// Imported bindings are live: optimised code reloads and hole-checks them on
// every use. Module-local consts bound once here are folded to constants when
// the helpers are inlined into a caller, which matters on the hot path.
const { lanesOf, wrapLanes } = access;
const { badBit, bitmapAndnot, bitmapCopy, bitmapIntersects, bitmapOr, bitmapSubset, bitmapZero, configMismatch, joinWord, splitWord, WORD } = bitmap;

// Many vma_flags_t in one flat Uint32Array: entry i occupies lanes
// [i * stride, (i + 1) * stride). This is the bulk form (flags of many VMAs
// in one place) and the one shared with native code: lanes are little-endian u32
// halves of u64 words, so Rust can read word k of entry i in place when the
// arena starts on an 8-byte boundary (which the constructor enforces).
//
// Methods address entries by index and take the same arguments as the
// vmaFlags* helpers, minus the bitmap.
//
// The methods are closures made per arena over its own lanes, capacity and
// width rather than prototype methods reading `this.lanes`: when a call site
// sees one arena, the optimiser inlines the closure with those values as
// constants, and a validated call costs about what a hand-written typed-array
// access does. (A call site serving many arenas is slower than with prototype
// methods, but not by much.) They need no `this`, so they can be detached.

function badIndex(index: unknown, capacity: number): RangeError | TypeError {
  const allowed = `an integer in [0, ${capacity})`;
  return typeof index === 'number' ? rangeError('index', allowed, index) : typeError('index', allowed, index);
}

// Checks shared by every arena's methods: one function for all arenas, taking
// the arena's values as arguments, so a call site serving several arenas still
// calls (and inlines) a single target. Const arrows rather than function
// declarations, because a module's function declarations are mutable bindings
// that optimised code cannot treat as constants.

const entryBase = (index: number, capacity: number, stride: number): number => {
  if (index >>> 0 !== index || index >= capacity) throw badIndex(index, capacity);
  return index * stride;
};

const checkEntryBit = (bit: number, numBits: number): void => {
  if (bit >>> 0 !== bit || bit >= numBits) throw badBit(bit, numBits, 'bit');
};

const entryMaskLanes = (mask: VmaFlags, arg: string, config: KernelConfig): Uint32Array => {
  const m = lanesOf(mask, arg);
  const c = mask.config;
  if (c !== config && c.key !== config.key) throw configMismatch(arg, config, 'the arena', c);
  return m;
};

export class VmaFlagsArena {
  readonly config: KernelConfig;
  /** Number of entries. */
  readonly capacity: number;
  /** Lanes per entry (`config.numLanes`). */
  readonly stride: number;
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly byteOffset: number;
  /** All entries' lanes, entry i at `[i * stride, (i + 1) * stride)`. */
  readonly lanes: Uint32Array;

  // word helpers (word 0 only, except clearAll)

  /** `vma_flags_set_word` on entry `index`: word 0 |= value. */
  readonly setWord: (index: number, value: VmFlagsInput) => void;
  /** `vma_flags_clear_word` on entry `index`: word 0 &= ~value. */
  readonly clearWord: (index: number, value: VmFlagsInput) => void;
  /** `vma_flags_overwrite_word` on entry `index`: word 0 := value. */
  readonly overwriteWord: (index: number, value: VmFlagsInput) => void;
  /** `vma_flags_clear_all` on entry `index`: zero every word. */
  readonly clearAll: (index: number) => void;
  /** Word 0 of entry `index` (`vma_flags_to_legacy`). */
  readonly getWord: (index: number) => VmFlags;

  // bits

  /** `vma_flags_test` on entry `index`. */
  readonly testBit: (index: number, bit: number) => boolean;
  /** `vma_flags_set_flag` on entry `index`. */
  readonly setBit: (index: number, bit: number) => void;
  /** Clear one bit of entry `index`. */
  readonly clearBit: (index: number, bit: number) => void;

  // masks (a VmaFlags of the arena's config)

  /** `vma_flags_test_any_mask` on entry `index` (empty mask → false). */
  readonly testAnyMask: (index: number, mask: VmaFlags) => boolean;
  /** `vma_flags_test_all_mask` on entry `index` (empty mask → true). */
  readonly testAllMask: (index: number, mask: VmaFlags) => boolean;
  /** `vma_flags_set_mask` on entry `index`. */
  readonly setMask: (index: number, mask: VmaFlags) => void;
  /** `vma_flags_clear_mask` on entry `index`. */
  readonly clearMask: (index: number, mask: VmaFlags) => void;

  // whole entries

  /** Copy `flags` into entry `index`. */
  readonly load: (index: number, flags: VmaFlags) => void;
  /** A new mutable VmaFlags holding a copy of entry `index`. */
  readonly store: (index: number) => VmaFlags;
  /**
   * A live view of entry `index`: a VmaFlags that reads and writes the arena's
   * memory, so changes are visible both ways. Works with every vmaFlags* helper.
   */
  readonly at: (index: number) => VmaFlags;

  /** Bytes an arena of `capacity` entries needs (to size a shared buffer). */
  static byteLength(config: KernelConfig, capacity: number): number {
    assertKernelConfig(config, 'config');
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw rangeError('capacity', 'a non-negative safe integer', capacity);
    }
    return capacity * config.numLanes * 4;
  }

  /**
   * @param buffer where to keep the entries (default: a new ArrayBuffer). It is
   *   used as is, not cleared, so an existing arena can be reopened over it.
   * @param byteOffset start of entry 0 in `buffer`; a multiple of 8.
   */
  constructor(
    config: KernelConfig,
    capacity: number,
    buffer?: ArrayBuffer | SharedArrayBuffer,
    byteOffset = 0,
  ) {
    const byteLength = VmaFlagsArena.byteLength(config, capacity);
    if (buffer === undefined) {
      buffer = new ArrayBuffer(byteLength);
    } else if (!(buffer instanceof ArrayBuffer) && !(typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer)) {
      throw typeError('buffer', 'an ArrayBuffer or SharedArrayBuffer', buffer);
    }
    if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset % 8 !== 0) {
      throw rangeError('byteOffset', 'a non-negative multiple of 8', byteOffset);
    }
    if (byteOffset + byteLength > buffer.byteLength) {
      throw rangeError(
        'buffer',
        `at least ${byteOffset + byteLength} bytes long (byteOffset ${byteOffset} + ${capacity} entries × ${config.numLanes * 4} bytes)`,
        `${buffer.byteLength} bytes`,
      );
    }
    const stride = config.numLanes;
    const numBits = config.numVmaFlagBits;
    const bpl = config.bitsPerLong;
    const a = new Uint32Array(buffer, byteOffset, capacity * stride);
    this.config = config;
    this.capacity = capacity;
    this.stride = stride;
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.lanes = a;

    this.setWord = (index, value) => {
      const i = entryBase(index, capacity, stride);
      splitWord(value, bpl, 'value');
      a[i] = a[i]! | WORD[0]!;
      if (bpl === 64) a[i + 1] = a[i + 1]! | WORD[1]!;
    };
    this.clearWord = (index, value) => {
      const i = entryBase(index, capacity, stride);
      splitWord(value, bpl, 'value');
      a[i] = a[i]! & ~WORD[0]!;
      if (bpl === 64) a[i + 1] = a[i + 1]! & ~WORD[1]!;
    };
    this.overwriteWord = (index, value) => {
      const i = entryBase(index, capacity, stride);
      splitWord(value, bpl, 'value');
      a[i] = WORD[0]!;
      if (bpl === 64) a[i + 1] = WORD[1]!;
    };
    this.clearAll = (index) => {
      bitmapZero(a, entryBase(index, capacity, stride), stride);
    };
    this.getWord = (index) => {
      const i = entryBase(index, capacity, stride);
      return joinWord(a[i]!, bpl === 64 ? a[i + 1]! : 0);
    };

    this.testBit = (index, bit) => {
      const i = entryBase(index, capacity, stride);
      checkEntryBit(bit, numBits);
      return (a[i + (bit >>> 5)]! & (1 << (bit & 31))) !== 0;
    };
    this.setBit = (index, bit) => {
      const i = entryBase(index, capacity, stride);
      checkEntryBit(bit, numBits);
      const k = i + (bit >>> 5);
      a[k] = a[k]! | (1 << (bit & 31));
    };
    this.clearBit = (index, bit) => {
      const i = entryBase(index, capacity, stride);
      checkEntryBit(bit, numBits);
      const k = i + (bit >>> 5);
      a[k] = a[k]! & ~(1 << (bit & 31));
    };

    this.testAnyMask = (index, mask) => {
      const i = entryBase(index, capacity, stride);
      return bitmapIntersects(a, i, entryMaskLanes(mask, 'mask', config), 0, stride);
    };
    this.testAllMask = (index, mask) => {
      const i = entryBase(index, capacity, stride);
      return bitmapSubset(entryMaskLanes(mask, 'mask', config), 0, a, i, stride);
    };
    this.setMask = (index, mask) => {
      const i = entryBase(index, capacity, stride);
      bitmapOr(a, i, entryMaskLanes(mask, 'mask', config), 0, stride);
    };
    this.clearMask = (index, mask) => {
      const i = entryBase(index, capacity, stride);
      bitmapAndnot(a, i, entryMaskLanes(mask, 'mask', config), 0, stride);
    };

    this.load = (index, flags) => {
      const i = entryBase(index, capacity, stride);
      bitmapCopy(a, i, entryMaskLanes(flags, 'flags', config), 0, stride);
    };
    this.store = (index) => {
      const i = entryBase(index, capacity, stride);
      const f = new VmaFlags(config);
      bitmapCopy(lanesOf(f, 'flags'), 0, a, i, stride);
      return f;
    };
    this.at = (index) => {
      const i = entryBase(index, capacity, stride);
      return wrapLanes(config, a.subarray(i, i + stride), false);
    };

    Object.freeze(this);
  }
}
