import * as access from './access_private.js';
import * as bitmap from './bitmap.js';
import { assertKernelConfig, type KernelConfig } from './config.js';
import { rangeError, typeError } from './errors.js';
import { VmaFlags } from './vma_flags.js';
import type { VmFlags, VmFlagsInput } from './vm_word.js';
import { safeInstanceOf } from './is_instance.js';

// Imported bindings are live: optimised code reloads and hole-checks them on
// every use. Module-local consts bound once here are folded to constants when
// the helpers are inlined into a caller, which matters on the hot path.
const { lanesOf, wrapLanes } = access;
const {
  badBit,
  bitmapAndnot,
  bitmapCopy,
  bitmapIntersects,
  bitmapOr,
  bitmapSubset,
  bitmapZero,
  configMismatch,
  joinWord,
  splitWord32,
  splitWord64Other,
  WORD,
} = bitmap;
const { BIG_WORD: BIG, BIG_HALVES: BIG32, HOST_IS_LITTLE_ENDIAN: LE } = bitmap;

// Many vma_flags_t in one flat Uint32Array: entry i occupies lanes
// [i * stride, (i + 1) * stride). This is the bulk form (flags of many VMAs
// in one place) and the one shared with native code: lanes are little-endian u32
// halves of u64 words, so Rust can read word k of entry i in place when the
// arena starts on an 8-byte boundary (which the constructor enforces).
//
// Methods address entries by index and take the same arguments as the
// vmaFlags* helpers, minus the bitmap.
//
// The methods are closures made per arena, so they need no `this` and can be
// detached. Everything they capture is a `const` of the constructor: when a
// call site sees one arena, TurboFan inlines the closure with its lanes,
// capacity and stride folded to constants, and a validated call costs close
// to a hand-written typed-array access. Word and mask methods are picked per
// width when the arena is built (64- or 32-bit words, two lanes or more), so
// each closure holds only the code its arena runs: TurboFan inlines a
// caller's helpers only up to a fixed amount of bytecode in total, and a
// loop doing several arena calls has to fit all of them.

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
  if (typeof index !== 'number' || index >>> 0 !== index || index >= capacity) throw badIndex(index, capacity);
  return index * stride;
};

/** Lane holding `bit` of entry `index`, both checked. */
const entryBit = (index: number, capacity: number, stride: number, bit: number, numBits: number): number => {
  // One test and one cold call for both arguments keeps this small to inline.
  if (
    typeof index !== 'number' ||
    typeof bit !== 'number' ||
    index >>> 0 !== index ||
    index >= capacity ||
    bit >>> 0 !== bit ||
    bit >= numBits
  ) {
    throw badEntryBit(index, capacity, bit, numBits);
  }
  return index * stride + (bit >>> 5);
};

function badEntryBit(index: number, capacity: number, bit: number, numBits: number): RangeError | TypeError {
  const goodIndex = typeof index === 'number' && index >>> 0 === index && index < capacity;
  return goodIndex ? badBit(bit, numBits, 'bit') : badIndex(index, capacity);
}

const entryMaskLanes = (mask: VmaFlags, arg: string, config: KernelConfig): Uint32Array => {
  const m = lanesOf(mask, arg);
  const c = mask.config;
  if (c !== config) checkSameConfig(arg, config, c);
  return m;
};

function checkSameConfig(arg: string, config: KernelConfig, got: KernelConfig): void {
  if (got.key !== config.key) throw configMismatch(arg, config, 'the arena', got);
}

// 64-bit word ops for inputs other than a plain number (bigints, and bad
// values, which throw before anything is written).
const orWordSlow = (l: Uint32Array, i: number, value: unknown): void => {
  splitWord64Other(value, 'value');
  const w = WORD;
  l[i] = l[i]! | w[0]!;
  l[i + 1] = l[i + 1]! | w[1]!;
};

const andNotWordSlow = (l: Uint32Array, i: number, value: unknown): void => {
  splitWord64Other(value, 'value');
  const w = WORD;
  l[i] = l[i]! & ~w[0]!;
  l[i + 1] = l[i + 1]! & ~w[1]!;
};

const setWordSlow = (l: Uint32Array, i: number, value: unknown): void => {
  splitWord64Other(value, 'value');
  const w = WORD;
  l[i] = w[0]!;
  l[i + 1] = w[1]!;
};

/**
 * Many `vma_flags_t` of one configuration in one buffer, entry after entry, with the
 * helpers as per-arena closures that take an entry index. The buffer may be a
 * `SharedArrayBuffer`, and `@vmaflags/native` can work on it without copying.
 */
export class VmaFlagsArena {
  /** The configuration every entry belongs to. */
  readonly config: KernelConfig;
  /** Number of entries. */
  readonly capacity: number;
  /** Lanes per entry (`config.numLanes`). */
  readonly stride: number;
  /** The memory the entries live in. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Where entry 0 starts in `buffer` (a multiple of 8). */
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
  constructor(config: KernelConfig, capacity: number, buffer?: ArrayBuffer | SharedArrayBuffer, byteOffset = 0) {
    const byteLength = VmaFlagsArena.byteLength(config, capacity);
    if (buffer === undefined) {
      buffer = new ArrayBuffer(byteLength);
    } else if (
      !safeInstanceOf(buffer, ArrayBuffer) &&
      !(typeof SharedArrayBuffer === 'function' && safeInstanceOf(buffer, SharedArrayBuffer))
    ) {
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
    // Consts, not the (mutable) parameters, so inlined closures fold them.
    const cfg = config;
    const cap = capacity;
    const stride = cfg.numLanes;
    const numBits = cfg.numVmaFlagBits;
    const a = new Uint32Array(buffer, byteOffset, cap * stride);
    this.config = cfg;
    this.capacity = cap;
    this.stride = stride;
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.lanes = a;

    if (cfg.bitsPerLong === 64) {
      // Number and valid bigint words are split in place; anything else (a
      // 32-bit config, an error) is one out-of-line call.
      this.setWord = (index, value) => {
        const i = entryBase(index, cap, stride);
        if (typeof value === 'number' && value >= 0 && value <= 9007199254740991 && Math.floor(value) === value) {
          const l = a;
          l[i] = l[i]! | (value | 0);
          l[i + 1] = l[i + 1]! | ((value * 2.3283064365386963e-10) | 0); // 2^-32
        } else if (LE && typeof value === 'bigint' && BigInt.asUintN(64, value) === value) {
          // A valid bigint inline too: asUintN(64) is the identity exactly on
          // [0, 2^64), and V8 lowers both it and the comparison.
          BIG[0] = value;
          a[i] = a[i]! | BIG32[0]!;
          a[i + 1] = a[i + 1]! | BIG32[1]!;
        } else {
          orWordSlow(a, i, value);
        }
      };
      this.clearWord = (index, value) => {
        const i = entryBase(index, cap, stride);
        if (typeof value === 'number' && value >= 0 && value <= 9007199254740991 && Math.floor(value) === value) {
          const l = a;
          l[i] = l[i]! & ~(value | 0);
          l[i + 1] = l[i + 1]! & ~((value * 2.3283064365386963e-10) | 0);
        } else if (LE && typeof value === 'bigint' && BigInt.asUintN(64, value) === value) {
          BIG[0] = value;
          a[i] = a[i]! & ~BIG32[0]!;
          a[i + 1] = a[i + 1]! & ~BIG32[1]!;
        } else {
          andNotWordSlow(a, i, value);
        }
      };
      this.overwriteWord = (index, value) => {
        const i = entryBase(index, cap, stride);
        if (typeof value === 'number' && value >= 0 && value <= 9007199254740991 && Math.floor(value) === value) {
          const l = a;
          l[i] = value | 0;
          l[i + 1] = (value * 2.3283064365386963e-10) | 0;
        } else if (LE && typeof value === 'bigint' && BigInt.asUintN(64, value) === value) {
          BIG[0] = value;
          a[i] = BIG32[0]!;
          a[i + 1] = BIG32[1]!;
        } else {
          setWordSlow(a, i, value);
        }
      };
      this.getWord = (index) => {
        const i = entryBase(index, cap, stride);
        return joinWord(a[i]!, a[i + 1]!);
      };
    } else {
      this.setWord = (index, value) => {
        const i = entryBase(index, cap, stride);
        splitWord32(value, 'value');
        a[i] = a[i]! | WORD[0]!;
      };
      this.clearWord = (index, value) => {
        const i = entryBase(index, cap, stride);
        splitWord32(value, 'value');
        a[i] = a[i]! & ~WORD[0]!;
      };
      this.overwriteWord = (index, value) => {
        const i = entryBase(index, cap, stride);
        splitWord32(value, 'value');
        a[i] = WORD[0]!;
      };
      this.getWord = (index) => joinWord(a[entryBase(index, cap, stride)]!, 0);
    }
    this.clearAll = (index) => {
      bitmapZero(a, entryBase(index, cap, stride), stride);
    };

    this.testBit = (index, bit) => {
      const k = entryBit(index, cap, stride, bit, numBits);
      return (a[k]! & (1 << (bit & 31))) !== 0;
    };
    this.setBit = (index, bit) => {
      const k = entryBit(index, cap, stride, bit, numBits);
      const l = a;
      l[k] = l[k]! | (1 << (bit & 31));
    };
    this.clearBit = (index, bit) => {
      const k = entryBit(index, cap, stride, bit, numBits);
      const l = a;
      l[k] = l[k]! & ~(1 << (bit & 31));
    };

    if (stride === 2) {
      this.testAnyMask = (index, mask) => {
        const i = entryBase(index, cap, 2);
        const m = entryMaskLanes(mask, 'mask', cfg);
        const l = a;
        return ((l[i]! & m[0]!) | (l[i + 1]! & m[1]!)) !== 0;
      };
      this.testAllMask = (index, mask) => {
        const i = entryBase(index, cap, 2);
        const m = entryMaskLanes(mask, 'mask', cfg);
        const l = a;
        return ((m[0]! & ~l[i]!) | (m[1]! & ~l[i + 1]!)) === 0;
      };
    } else if (stride === 4) {
      // 128 and 192 bits unrolled: no loop for the optimiser to keep.
      this.testAnyMask = (index, mask) => {
        const i = entryBase(index, cap, 4);
        const m = entryMaskLanes(mask, 'mask', cfg);
        const l = a;
        return ((l[i]! & m[0]!) | (l[i + 1]! & m[1]!) | (l[i + 2]! & m[2]!) | (l[i + 3]! & m[3]!)) !== 0;
      };
      this.testAllMask = (index, mask) => {
        const i = entryBase(index, cap, 4);
        const m = entryMaskLanes(mask, 'mask', cfg);
        const l = a;
        return ((m[0]! & ~l[i]!) | (m[1]! & ~l[i + 1]!) | (m[2]! & ~l[i + 2]!) | (m[3]! & ~l[i + 3]!)) === 0;
      };
    } else if (stride === 6) {
      this.testAnyMask = (index, mask) => {
        const i = entryBase(index, cap, 6);
        const m = entryMaskLanes(mask, 'mask', cfg);
        const l = a;
        return (
          ((l[i]! & m[0]!) |
            (l[i + 1]! & m[1]!) |
            (l[i + 2]! & m[2]!) |
            (l[i + 3]! & m[3]!) |
            (l[i + 4]! & m[4]!) |
            (l[i + 5]! & m[5]!)) !==
          0
        );
      };
      this.testAllMask = (index, mask) => {
        const i = entryBase(index, cap, 6);
        const m = entryMaskLanes(mask, 'mask', cfg);
        const l = a;
        return (
          ((m[0]! & ~l[i]!) |
            (m[1]! & ~l[i + 1]!) |
            (m[2]! & ~l[i + 2]!) |
            (m[3]! & ~l[i + 3]!) |
            (m[4]! & ~l[i + 4]!) |
            (m[5]! & ~l[i + 5]!)) ===
          0
        );
      };
    } else {
      this.testAnyMask = (index, mask) => {
        const i = entryBase(index, cap, stride);
        return bitmapIntersects(a, i, entryMaskLanes(mask, 'mask', cfg), 0, stride);
      };
      this.testAllMask = (index, mask) => {
        const i = entryBase(index, cap, stride);
        return bitmapSubset(entryMaskLanes(mask, 'mask', cfg), 0, a, i, stride);
      };
    }
    this.setMask = (index, mask) => {
      const i = entryBase(index, cap, stride);
      bitmapOr(a, i, entryMaskLanes(mask, 'mask', cfg), 0, stride);
    };
    this.clearMask = (index, mask) => {
      const i = entryBase(index, cap, stride);
      bitmapAndnot(a, i, entryMaskLanes(mask, 'mask', cfg), 0, stride);
    };

    this.load = (index, flags) => {
      const i = entryBase(index, cap, stride);
      bitmapCopy(a, i, entryMaskLanes(flags, 'flags', cfg), 0, stride);
    };
    this.store = (index) => {
      const i = entryBase(index, cap, stride);
      const f = new VmaFlags(cfg);
      bitmapCopy(lanesOf(f, 'flags'), 0, a, i, stride);
      return f;
    };
    this.at = (index) => {
      const i = entryBase(index, cap, stride);
      return wrapLanes(cfg, a.subarray(i, i + stride), false);
    };

    Object.freeze(this);
  }
}
