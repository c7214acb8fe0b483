import * as access from './access_private.js';
import * as bitmap from './bitmap.js';
import { DEFAULT_CONFIG, type KernelConfig } from './config.js';
import { VmaFlags } from './vma_flags.js';
import type { VmFlags, VmFlagsInput } from './vm_word.js';

// Imported bindings are live: optimised code reloads and hole-checks them on
// every use. Module-local consts bound once here are folded to constants when
// the helpers are inlined into a caller, which matters on the hot path.
const { lanesOf, writableLanesOf, wideOf } = access;
const { HOST_IS_LITTLE_ENDIAN, bitmapZero, joinWord, splitWord, splitWord32, splitWord64Other, WORD } = bitmap;
const { BIG_WORD: BIG, BIG_HALVES: BIG32, HOST_IS_LITTLE_ENDIAN: LE } = bitmap;

// The word-level helpers of the first conversion step: they treat the bitmap
// as "word 0 plus the rest" so code still thinking in vm_flags_t keeps working.
// All but clearAll touch word 0 only; the caller owns the higher words. Word 0
// is lanes 0-1 on 64-bit configs and lane 0 alone on 32-bit ones.

/** `vma_flags_clear_all`: zero every bit, in every word. */
export function vmaFlagsClearAll(flags: VmaFlags): void {
  const lanes = writableLanesOf(flags, 'flags');
  bitmapZero(lanes, 0, lanes.length);
}

/** `vma_flags_overwrite_word`: word 0 := value; higher words untouched. */
export function vmaFlagsOverwriteWord(flags: VmaFlags, value: VmFlagsInput): void {
  const lanes = writableLanesOf(flags, 'flags');
  // A safe-integer number or a valid bigint on a 64-bit config is split in
  // place (literals, not named consts: each const read costs bytecode); 32-bit
  // configs and bad values take one out-of-line call.
  // Stryker disable ConditionalExpression,EqualityOperator,StringLiteral: fast paths; the out-of-line path gives the same result
  if (
    typeof value === 'number' &&
    value >= 0 &&
    value <= 9007199254740991 &&
    Math.floor(value) === value &&
    wideOf(flags) === true
  ) {
    lanes[0] = value | 0;
    lanes[1] = (value * 2.3283064365386963e-10) | 0; // 2^-32
  } else if (LE && typeof value === 'bigint' && BigInt.asUintN(64, value) === value && wideOf(flags) === true) {
    // A valid bigint inline too: asUintN(64) is the identity exactly on
    // [0, 2^64), and V8 lowers both it and the comparison.
    BIG[0] = value;
    lanes[0] = BIG32[0]!;
    lanes[1] = BIG32[1]!;
  } else {
    vmaFlagsOverwriteWordOther(flags, lanes, value);
  }
  // Stryker restore ConditionalExpression,EqualityOperator,StringLiteral
}

function vmaFlagsOverwriteWordOther(flags: VmaFlags, lanes: Uint32Array, value: VmFlagsInput): void {
  // `=== true` spares the optimiser a generic truthiness test of the field.
  // The value is either not a plain number or invalid (which throws).
  if (wideOf(flags) === true) {
    splitWord64Other(value, 'value');
    lanes[0] = WORD[0]!;
    lanes[1] = WORD[1]!;
  } else {
    vmaFlagsOverwriteWord32(lanes, value);
  }
}

function vmaFlagsOverwriteWord32(lanes: Uint32Array, value: VmFlagsInput): void {
  splitWord32(value, 'value');
  lanes[0] = WORD[0]!;
}

/**
 * `vma_flags_overwrite_word_once`: word 0 := value as one untorn store (the
 * kernel's WRITE_ONCE). Only memory shared with another thread can observe a
 * torn word, so a bitmap living in a SharedArrayBuffer (an arena view) is
 * written with one 64-bit atomic store; anything else with a plain store.
 * Not a read-modify-write; higher words untouched.
 */
export function vmaFlagsOverwriteWordOnce(flags: VmaFlags, value: VmFlagsInput): void {
  const lanes = writableLanesOf(flags, 'flags');
  const bpl = flags.config.bitsPerLong;
  splitWord(value, bpl, 'value');
  const buffer = lanes.buffer;
  // Stryker disable next-line all: an atomic and a plain store leave the same memory in one thread
  if (typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer) {
    if (bpl === 32) {
      Atomics.store(lanes, 0, WORD[0]!);
      return;
    }
    // Stryker disable next-line all: 64-bit lanes are always 8-byte aligned; either store gives the same memory
    if (HOST_IS_LITTLE_ENDIAN && lanes.byteOffset % 8 === 0) {
      Atomics.store(new BigUint64Array(buffer, lanes.byteOffset, 1), 0, joinWord(WORD[0]!, WORD[1]!));
      return;
    }
  }
  lanes[0] = WORD[0]!;
  if (bpl === 64) lanes[1] = WORD[1]!;
}

/** `vma_flags_set_word`: word 0 |= value. */
export function vmaFlagsSetWord(flags: VmaFlags, value: VmFlagsInput): void {
  const lanes = writableLanesOf(flags, 'flags');
  // Numbers and valid bigints in place, the rest out of line: see vmaFlagsOverwriteWord.
  // Stryker disable ConditionalExpression,EqualityOperator,StringLiteral: fast paths; the out-of-line path gives the same result
  if (
    typeof value === 'number' &&
    value >= 0 &&
    value <= 9007199254740991 &&
    Math.floor(value) === value &&
    wideOf(flags) === true
  ) {
    lanes[0] = lanes[0]! | (value | 0);
    lanes[1] = lanes[1]! | ((value * 2.3283064365386963e-10) | 0);
  } else if (LE && typeof value === 'bigint' && BigInt.asUintN(64, value) === value && wideOf(flags) === true) {
    BIG[0] = value;
    lanes[0] = lanes[0]! | BIG32[0]!;
    lanes[1] = lanes[1]! | BIG32[1]!;
  } else {
    vmaFlagsSetWordOther(flags, lanes, value);
  }
  // Stryker restore ConditionalExpression,EqualityOperator,StringLiteral
}

function vmaFlagsSetWordOther(flags: VmaFlags, lanes: Uint32Array, value: VmFlagsInput): void {
  if (wideOf(flags) === true) {
    splitWord64Other(value, 'value');
    // Stryker disable all: on little-endian hosts only rejected values get here, and they throw above
    // bitwise-mutation disable |: the same
    lanes[0] = lanes[0]! | WORD[0]!;
    lanes[1] = lanes[1]! | WORD[1]!;
    // bitwise-mutation restore
    // Stryker restore all
  } else {
    vmaFlagsSetWord32(lanes, value);
  }
}

function vmaFlagsSetWord32(lanes: Uint32Array, value: VmFlagsInput): void {
  splitWord32(value, 'value');
  lanes[0] = lanes[0]! | WORD[0]!;
}

/** `vma_flags_clear_word`: word 0 &= ~value. */
export function vmaFlagsClearWord(flags: VmaFlags, value: VmFlagsInput): void {
  const lanes = writableLanesOf(flags, 'flags');
  // Numbers and valid bigints in place, the rest out of line: see vmaFlagsOverwriteWord.
  // Stryker disable ConditionalExpression,EqualityOperator,StringLiteral: fast paths; the out-of-line path gives the same result
  if (
    typeof value === 'number' &&
    value >= 0 &&
    value <= 9007199254740991 &&
    Math.floor(value) === value &&
    wideOf(flags) === true
  ) {
    lanes[0] = lanes[0]! & ~(value | 0);
    lanes[1] = lanes[1]! & ~((value * 2.3283064365386963e-10) | 0);
  } else if (LE && typeof value === 'bigint' && BigInt.asUintN(64, value) === value && wideOf(flags) === true) {
    BIG[0] = value;
    lanes[0] = lanes[0]! & ~BIG32[0]!;
    lanes[1] = lanes[1]! & ~BIG32[1]!;
  } else {
    vmaFlagsClearWordOther(flags, lanes, value);
  }
  // Stryker restore ConditionalExpression,EqualityOperator,StringLiteral
}

function vmaFlagsClearWordOther(flags: VmaFlags, lanes: Uint32Array, value: VmFlagsInput): void {
  if (wideOf(flags) === true) {
    splitWord64Other(value, 'value');
    // Stryker disable all: on little-endian hosts only rejected values get here, and they throw above
    // bitwise-mutation disable &,~: the same
    lanes[0] = lanes[0]! & ~WORD[0]!;
    lanes[1] = lanes[1]! & ~WORD[1]!;
    // bitwise-mutation restore
    // Stryker restore all
  } else {
    vmaFlagsClearWord32(lanes, value);
  }
}

function vmaFlagsClearWord32(lanes: Uint32Array, value: VmFlagsInput): void {
  splitWord32(value, 'value');
  lanes[0] = lanes[0]! & ~WORD[0]!;
}

/**
 * `vma_flags_to_legacy`: word 0 as a vm_flags_t. Bits in higher words are not
 * represented (as in the kernel, only meaningful when there are none).
 */
export function vmaFlagsToLegacy(flags: VmaFlags): VmFlags {
  const lanes = lanesOf(flags, 'flags');
  return joinWord(lanes[0]!, flags.config.bitsPerLong === 64 ? lanes[1]! : 0);
}

/** `legacy_to_vma_flags`: a new mutable bitmap whose word 0 is `value`. */
export function legacyToVmaFlags(value: VmFlagsInput, config: KernelConfig = DEFAULT_CONFIG): VmaFlags {
  const f = new VmaFlags(config);
  const bpl = config.bitsPerLong;
  splitWord(value, bpl, 'value');
  const lanes = lanesOf(f, 'flags');
  lanes[0] = WORD[0]!;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a valid 32-bit word leaves the high half 0 on a fresh bitmap
  if (bpl === 64) lanes[1] = WORD[1]!;
  return f;
}
