import type { KernelConfig } from './config.js';
import { rangeError, typeError } from './errors.js';

// The lib/bitmap.c layer: primitives over 32-bit lanes stored in a Uint32Array,
// addressed as (array, first lane, lane count) so one implementation serves a
// single VmaFlags (first lane 0) and an arena entry (first lane i * stride).
//
// Everything here keeps values int32: lanes are read from a Uint32Array, mixed
// with `| & ^ ~` and stored back, never normalised with `>>> 0` (that would
// turn values >= 2^31 into heap numbers on the hot path). Comparisons are made
// against 0 only, because an int32 result and a uint32 lane differ in sign.
//
// Internal: not re-exported from index.ts.

// ---------------------------------------------------------------------------
// Word <-> lane conversion (bitmap_from_arr64 / bitmap_to_arr64 for one word)

// Exported bindings live in cells that optimised code must reload, so this
// module's own hot code uses unexported consts (and exports copies).
// Stryker disable next-line all: the host's byte order; the other value is tested only on such a host
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Index of the low / high half of a u64 inside a 32-bit view of it. */
const lo = LITTLE_ENDIAN ? 0 : 1;
const hi = LITTLE_ENDIAN ? 1 : 0;
export const HOST_IS_LITTLE_ENDIAN = LITTLE_ENDIAN;

// A bigint goes through one shared 8-byte buffer: storing it into a
// BigUint64Array and reading two 32-bit halves is far cheaper than
// `& 0xffffffffn` / `>> 32n`. The range check is `BigInt.asUintN(64, v) === v`,
// which V8 lowers to machine operations instead of heap BigInt arithmetic.
const buffer8 = new ArrayBuffer(8);
const scratchI64 = new BigInt64Array(buffer8);
const scratchU64 = new BigUint64Array(buffer8);
const scratch32 = new Int32Array(buffer8);
/**
 * Scratch for callers that take a valid bigint word inline (checked with
 * `BigInt.asUintN(64, v) === v`, which V8 lowers): store it in BIG_WORD, read
 * the int32 halves from BIG_HALVES ([low, high] on little-endian hosts only).
 */
export const BIG_WORD = scratchU64;
export const BIG_HALVES = scratch32;

const MAX_U64 = 0xffff_ffff_ffff_ffffn;
const MAX_U32 = 0xffff_ffffn;
// Stryker disable next-line all: used by the big-endian number path only
const TWO_POW_MINUS_32 = 2 ** -32;

const word = LITTLE_ENDIAN ? scratch32 : new Int32Array(2);
/**
 * `[low, high]` 32-bit halves (as int32) of the word last passed to
 * `splitWord`. Read both right after the call: the next call overwrites them.
 */
export const WORD = word;

// The splitters below sit inside every word operation, and TurboFan inlines a
// caller's helpers only up to a fixed total of bytecode. So each one is the
// common case in as few bytecodes as possible, and everything else (errors,
// words with bit 63 set, big-endian hosts) is one out-of-line call. Const
// arrows: optimised callers can treat a const binding as a known function.

// Literals rather than named consts below: each read of a module const costs
// bytecode for its initialisation check.

function splitWord64LE(value: unknown, arg: string): void {
  // Stryker disable all: fast path; the general path it skips gives the same result
  if (typeof value === 'number') {
    // `value >= 0` also rejects NaN; the floor test rejects fractions.
    if (value >= 0 && value <= 9007199254740991 && Math.floor(value) === value) {
      const w = word;
      w[0] = value | 0;
      w[1] = (value * 2.3283064365386963e-10) | 0; // 2^-32
      return;
    }
  }
  // Stryker restore all
  // A separate call: a caller passing only numbers never inlines it, and one
  // passing bigints pays no boxing for a call it does not inline.
  splitBig64(value, arg);
}

/**
 * As {@link splitWord64}, for callers that have already handled the plain
 * number case inline: fast for bigints below 2^63, correct for everything.
 */
export const splitWord64Other: (value: unknown, arg: string) => void = LITTLE_ENDIAN
  ? splitBig64
  : // Stryker disable next-line all: big-endian hosts only
    (value, arg) => splitWordSlow(value, 64, arg);

function splitBig64(value: unknown, arg: string): void {
  // asUintN(64) is the identity exactly on [0, 2^64); V8 lowers it and the
  // comparison to machine operations, so a valid word costs no allocation.
  // Stryker disable all: fast path; the general path it skips gives the same result
  if (typeof value === 'bigint' && BigInt.asUintN(64, value) === value) {
    scratchU64[0] = value;
    return;
  }
  // Stryker restore all
  splitWordSlow(value, 64, arg);
}

function splitWord32LE(value: unknown, arg: string): void {
  const w = word;
  // Stryker disable all: fast path; the general path it skips gives the same result
  if (typeof value === 'number') {
    // bitwise-mutation disable next-line >>>,0: a value this test lets through goes the general way, with the same result
    if (value >>> 0 === value) {
      w[0] = value | 0;
      w[1] = 0;
      return;
    }
  } else if (typeof value === 'bigint') {
    const s = scratchI64;
    s[0] = value;
    if (s[0] === value && w[1] === 0) return;
  }
  // Stryker restore all
  splitWordSlow(value, 32, arg);
}

/**
 * Validate a 64-bit vm_flags_t input and leave its halves in `WORD`. Throws
 * (naming `arg`) unless it is a bigint in [0, 2^64) or a non-negative safe
 * integer number.
 */
export const splitWord64: (value: unknown, arg: string) => void = LITTLE_ENDIAN
  ? splitWord64LE
  : // Stryker disable next-line all: big-endian hosts only
    (value, arg) => splitWordSlow(value, 64, arg);

/** As {@link splitWord64} for a 32-bit word: a bigint or integer number in [0, 2^32). */
export const splitWord32: (value: unknown, arg: string) => void = LITTLE_ENDIAN
  ? splitWord32LE
  : // Stryker disable next-line all: big-endian hosts only
    (value, arg) => splitWordSlow(value, 32, arg);

/**
 * Validate a vm_flags_t input and leave its halves in `WORD`. Throws (naming
 * `arg`) unless it is a bigint or a non-negative safe integer below
 * 2^bitsPerLong.
 */
export function splitWord(value: unknown, bitsPerLong: 32 | 64, arg: string): void {
  if (bitsPerLong === 64) splitWord64(value, arg);
  else splitWord32(value, arg);
}

function splitWordSlow(value: unknown, bitsPerLong: 32 | 64, arg: string): void {
  // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: a bigint skipping this branch is rejected below with the same error
  if (typeof value === 'bigint') {
    if (value < 0n || value > (bitsPerLong === 64 ? MAX_U64 : MAX_U32)) throw badWord(value, bitsPerLong, arg);
    scratchU64[0] = value;
    // Stryker disable all: little-endian hosts only reach this for values that are rejected anyway
    if (!LITTLE_ENDIAN) {
      word[0] = scratch32[lo]!;
      word[1] = scratch32[hi]!;
    }
    return;
  }
  if (
    typeof value === 'number' &&
    value >= 0 &&
    value <= (bitsPerLong === 64 ? Number.MAX_SAFE_INTEGER : 0xffffffff) &&
    Math.floor(value) === value
  ) {
    // bitwise-mutation disable |,0: on little-endian hosts every number valid here took a fast path before
    word[0] = value | 0;
    word[1] = (value * TWO_POW_MINUS_32) | 0;
    // bitwise-mutation restore
    return;
  }
  // Stryker restore all
  throw badWord(value, bitsPerLong, arg);
}

function badWord(value: unknown, bitsPerLong: 32 | 64, arg: string): RangeError | TypeError {
  const allowed =
    bitsPerLong === 64
      ? 'a bigint in [0, 2^64) or a safe integer number in [0, 2^53)'
      : 'a bigint or integer number in [0, 2^32)';
  return typeof value === 'bigint' || typeof value === 'number'
    ? rangeError(arg, allowed, value)
    : typeError(arg, allowed, value);
}

/** The u64 made of two 32-bit halves (each may be given as int32 or uint32). */
export function joinWord(low: number, high: number): bigint {
  scratch32[lo] = low;
  scratch32[hi] = high;
  return scratchU64[0]!;
}

/** Validate a vm_flags_t input and return it as a bigint. */
export function toVmWord(value: unknown, bitsPerLong: 32 | 64, arg: string): bigint {
  splitWord(value, bitsPerLong, arg);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a valid 32-bit word leaves the high half 0
  return joinWord(word[0]!, bitsPerLong === 64 ? word[1]! : 0);
}

// ---------------------------------------------------------------------------
// Argument checks

export function badBit(bit: unknown, numBits: number, arg: string): RangeError | TypeError {
  const allowed = `an integer in [0, ${numBits})`;
  return typeof bit === 'number' ? rangeError(arg, allowed, bit) : typeError(arg, allowed, bit);
}

/** Throw unless every entry of `bits` is a bit number below `numBits`. */
export function checkBits(bits: readonly number[], numBits: number, arg: string): void {
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    if (typeof b !== 'number' || b >>> 0 !== b || b >= numBits) throw badBit(b, numBits, `${arg}[${i}]`);
  }
}

function configLabel(config: KernelConfig): string {
  return `${config.name} [${config.key}]`;
}

/** TypeError for a VmaFlags (or arena) whose config differs from the reference. */
export function configMismatch(arg: string, expected: KernelConfig, ref: string, got: KernelConfig): TypeError {
  return new TypeError(
    `${arg} must be a VmaFlags of config ${configLabel(expected)} (the config of ${ref}); got one of config ${configLabel(got)}`,
  );
}

// ---------------------------------------------------------------------------
// Lane primitives. Two lanes (one 64-bit word) is by far the common case and
// gets straight-line code; wider bitmaps loop.

export function bitmapZero(a: Uint32Array, ai: number, n: number): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general path it skips gives the same result
  if (n === 2) {
    a[ai] = 0;
    a[ai + 1] = 0;
    return;
  }
  a.fill(0, ai, ai + n);
}

export function bitmapCopy(d: Uint32Array, di: number, s: Uint32Array, si: number, n: number): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general path it skips gives the same result
  if (n === 2) {
    d[di] = s[si]!;
    d[di + 1] = s[si + 1]!;
    return;
  }
  for (let k = 0; k < n; k++) d[di + k] = s[si + k]!;
}

export function bitmapEmpty(a: Uint32Array, ai: number, n: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: fast path; the general path it skips gives the same result
  if (n === 2) return (a[ai]! | a[ai + 1]!) === 0;
  let acc = 0;
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) acc |= a[ai + k]!;
  return acc === 0;
}

function hweight32(x: number): number {
  // bitwise-mutation disable >>>: the masks drop the bits where >> and >>> differ, and no sum reaches bit 31
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
  // bitwise-mutation restore
}

export function bitmapWeight(a: Uint32Array, ai: number, n: number): number {
  let c = 0;
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) c += hweight32(a[ai + k]!);
  return c;
}

/** Whether more than one bit is set. */
export function bitmapMultiple(a: Uint32Array, ai: number, n: number): boolean {
  let seen = false;
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) {
    const x = a[ai + k]! | 0;
    if (x === 0) continue;
    if (seen || (x & (x - 1)) !== 0) return true;
    seen = true;
  }
  return false;
}

/** a ∩ b ≠ ∅ */
export function bitmapIntersects(a: Uint32Array, ai: number, b: Uint32Array, bi: number, n: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: fast path; the general path it skips gives the same result
  if (n === 2) return ((a[ai]! & b[bi]!) | (a[ai + 1]! & b[bi + 1]!)) !== 0;
  return bitmapIntersectsN(a, ai, b, bi, n);
}

// Wider bitmaps: the common widths (128 and 192 bits) unrolled, which is
// faster than the loop and still small enough to inline.
function bitmapIntersectsN(a: Uint32Array, ai: number, b: Uint32Array, bi: number, n: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general path it skips gives the same result
  if (n === 4) {
    return (
      ((a[ai]! & b[bi]!) | (a[ai + 1]! & b[bi + 1]!) | (a[ai + 2]! & b[bi + 2]!) | (a[ai + 3]! & b[bi + 3]!)) !== 0
    );
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general loop gives the same result
  if (n === 6) {
    return (
      ((a[ai]! & b[bi]!) |
        (a[ai + 1]! & b[bi + 1]!) |
        (a[ai + 2]! & b[bi + 2]!) |
        (a[ai + 3]! & b[bi + 3]!) |
        (a[ai + 4]! & b[bi + 4]!) |
        (a[ai + 5]! & b[bi + 5]!)) !==
      0
    );
  }
  let acc = 0;
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) acc |= a[ai + k]! & b[bi + k]!;
  return acc !== 0;
}

/** m ⊆ a */
export function bitmapSubset(m: Uint32Array, mi: number, a: Uint32Array, ai: number, n: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: fast path; the general path it skips gives the same result
  if (n === 2) return ((m[mi]! & ~a[ai]!) | (m[mi + 1]! & ~a[ai + 1]!)) === 0;
  return bitmapSubsetN(m, mi, a, ai, n);
}

function bitmapSubsetN(m: Uint32Array, mi: number, a: Uint32Array, ai: number, n: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general path it skips gives the same result
  if (n === 4) {
    return (
      ((m[mi]! & ~a[ai]!) | (m[mi + 1]! & ~a[ai + 1]!) | (m[mi + 2]! & ~a[ai + 2]!) | (m[mi + 3]! & ~a[ai + 3]!)) === 0
    );
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general loop gives the same result
  if (n === 6) {
    return (
      ((m[mi]! & ~a[ai]!) |
        (m[mi + 1]! & ~a[ai + 1]!) |
        (m[mi + 2]! & ~a[ai + 2]!) |
        (m[mi + 3]! & ~a[ai + 3]!) |
        (m[mi + 4]! & ~a[ai + 4]!) |
        (m[mi + 5]! & ~a[ai + 5]!)) ===
      0
    );
  }
  let acc = 0;
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) acc |= m[mi + k]! & ~a[ai + k]!;
  return acc === 0;
}

export function bitmapEqual(a: Uint32Array, ai: number, b: Uint32Array, bi: number, n: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: fast path; the general path it skips gives the same result
  if (n === 2) return ((a[ai]! ^ b[bi]!) | (a[ai + 1]! ^ b[bi + 1]!)) === 0;
  let acc = 0;
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) acc |= a[ai + k]! ^ b[bi + k]!;
  return acc === 0;
}

/** d |= s */
export function bitmapOr(d: Uint32Array, di: number, s: Uint32Array, si: number, n: number): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general path it skips gives the same result
  if (n === 2) {
    d[di] = d[di]! | s[si]!;
    d[di + 1] = d[di + 1]! | s[si + 1]!;
    return;
  }
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) d[di + k] = d[di + k]! | s[si + k]!;
}

/** d &= ~s */
export function bitmapAndnot(d: Uint32Array, di: number, s: Uint32Array, si: number, n: number): void {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: fast path; the general path it skips gives the same result
  if (n === 2) {
    d[di] = d[di]! & ~s[si]!;
    d[di + 1] = d[di + 1]! & ~s[si + 1]!;
    return;
  }
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) d[di + k] = d[di + k]! & ~s[si + k]!;
}

/** d = a & b (d is a fresh bitmap starting at lane 0) */
export function bitmapAnd(d: Uint32Array, a: Uint32Array, ai: number, b: Uint32Array, bi: number, n: number): void {
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) d[k] = a[ai + k]! & b[bi + k]!;
}

/** d = a ^ b (d is a fresh bitmap starting at lane 0) */
export function bitmapXor(d: Uint32Array, a: Uint32Array, ai: number, b: Uint32Array, bi: number, n: number): void {
  // Stryker disable next-line EqualityOperator: a lane past the end reads undefined, which these operators treat as 0
  for (let k = 0; k < n; k++) d[k] = a[ai + k]! ^ b[bi + k]!;
}

/** Set every bit in `bits` (already validated). */
export function bitmapSetBits(d: Uint32Array, di: number, bits: readonly number[]): void {
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
    const k = di + (b >>> 5);
    d[k] = d[k]! | (1 << (b & 31));
  }
}

/** Clear every bit in `bits` (already validated). */
export function bitmapClearBits(d: Uint32Array, di: number, bits: readonly number[]): void {
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
    const k = di + (b >>> 5);
    d[k] = d[k]! & ~(1 << (b & 31));
  }
}
