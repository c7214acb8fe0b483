import * as access from './access_private.js';
import * as bitmap from './bitmap.js';
import type { KernelConfig } from './config.js';
import { VmaFlags } from './vma_flags.js';

// Imported bindings are live: optimised code reloads and hole-checks them on
// every use. Module-local consts bound once here are folded to constants when
// the helpers are inlined into a caller, which matters on the hot path.
const { lanesOf, writableLanesOf } = access;
const {
  badBit,
  bitmapAnd,
  bitmapAndnot,
  bitmapClearBits,
  bitmapEmpty,
  bitmapEqual,
  bitmapIntersects,
  bitmapMultiple,
  bitmapOr,
  bitmapSetBits,
  bitmapSubset,
  bitmapWeight,
  bitmapXor,
  checkBits,
  configMismatch,
} = bitmap;

// Bit-level helpers on vma_flags_t (newest kernel naming). "mask" is itself a
// VmaFlags; the variadic forms take bit numbers. Every bit number is checked
// against NUM_VMA_FLAG_BITS (the kernel leaves an out-of-range bit undefined;
// here it is a RangeError) and every check runs before anything is written.
// A bitmap's width in bits is its lane count * 32, which saves a config load.

// A const arrow, not a function declaration: module-level function bindings are
// mutable, so optimised callers could not treat this one as a constant.
// Configs are interned, so identity is the fast test; equal keys (a config
// rebuilt by hand) are checked out of line to keep this small enough to inline.
const maskLanes = (mask: VmaFlags, arg: string, config: KernelConfig, ref: string): Uint32Array => {
  const m = lanesOf(mask, arg);
  const c = mask.config;
  // Stryker disable next-line ConditionalExpression: the same config always has the same key
  if (c !== config) checkSameConfig(arg, config, ref, c);
  return m;
};

function checkSameConfig(arg: string, config: KernelConfig, ref: string, got: KernelConfig): void {
  if (got.key !== config.key) throw configMismatch(arg, config, ref, got);
}

// Bits listed in a variadic query are gathered here so the query is one pass.
let scratch = new Uint32Array(8);

function bitsToScratch(bits: readonly number[], n: number): Uint32Array {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: reallocating the scratch changes nothing observable
  if (scratch.length < n) scratch = new Uint32Array(n);
  const s = scratch;
  s.fill(0, 0, n);
  bitmapSetBits(s, 0, bits);
  return s;
}

// Error construction out of line: its bytecode would count against the
// inlining budget of every caller of the single-bit helpers.
function bitError(bit: unknown, a: Uint32Array): RangeError | TypeError {
  return badBit(bit, a.length << 5, 'bit');
}

function bitsError(bit: unknown, a: Uint32Array): RangeError | TypeError {
  return badBit(bit, a.length << 5, 'bits[0]');
}

// ---------------------------------------------------------------------------
// Construction from masks

/**
 * `mk_vma_flags_from_masks`: a new bitmap, the union of whole masks. Any of them
 * may be empty (a flag the config lacks, such as `VMA_UFFD_MINOR` without
 * HAVE_ARCH_USERFAULTFD_MINOR), which is why the kernel builds masks this way
 * rather than from bit numbers that may not fit. All share the first's config.
 */
export function mkVmaFlagsFromMasks(...masks: [VmaFlags, ...VmaFlags[]]): VmaFlags {
  const f = lanesOf(masks[0], 'masks[0]');
  const config = masks[0].config;
  const lanes: Uint32Array[] = [f];
  for (let i = 1; i < masks.length; i++) lanes.push(maskLanes(masks[i]!, `masks[${i}]`, config, 'masks[0]'));
  const out = new VmaFlags(config);
  const o = lanesOf(out, 'out');
  for (const m of lanes) bitmapOr(o, 0, m, 0, o.length);
  return out;
}

// ---------------------------------------------------------------------------
// Queries

/** `vma_flags_test`: whether one bit is set. */
export function vmaFlagsTest(flags: VmaFlags, bit: number): boolean {
  const a = lanesOf(flags, 'flags');
  if (typeof bit !== 'number' || bit >>> 0 !== bit || bit >= a.length << 5) throw bitError(bit, a);
  // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
  return (a[bit >>> 5]! & (1 << (bit & 31))) !== 0;
}

/** `vma_flags_test_any`: whether any listed bit is set (none listed → false). */
export function vmaFlagsTestAny(flags: VmaFlags, ...bits: number[]): boolean {
  const a = lanesOf(flags, 'flags');
  checkBits(bits, a.length << 5, 'bits');
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
    if ((a[b >>> 5]! & (1 << (b & 31))) !== 0) return true;
  }
  return false;
}

/** `vma_flags_test_any_mask`: whether `flags` and `mask` share a bit (empty mask → false). */
export function vmaFlagsTestAnyMask(flags: VmaFlags, mask: VmaFlags): boolean {
  const a = lanesOf(flags, 'flags');
  const m = maskLanes(mask, 'mask', flags.config, 'flags');
  return bitmapIntersects(a, 0, m, 0, a.length);
}

/** `vma_flags_test_all`: whether every listed bit is set (none listed → true). */
export function vmaFlagsTestAll(flags: VmaFlags, ...bits: number[]): boolean {
  const a = lanesOf(flags, 'flags');
  checkBits(bits, a.length << 5, 'bits');
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
    if ((a[b >>> 5]! & (1 << (b & 31))) === 0) return false;
  }
  return true;
}

/** `vma_flags_test_all_mask`: whether `mask` ⊆ `flags` (empty mask → true). */
export function vmaFlagsTestAllMask(flags: VmaFlags, mask: VmaFlags): boolean {
  const a = lanesOf(flags, 'flags');
  const m = maskLanes(mask, 'mask', flags.config, 'flags');
  return bitmapSubset(m, 0, a, 0, a.length);
}

let singleMaskWarned = false;

/**
 * `vma_flags_test_single_mask`: test a mask that should hold exactly one bit.
 * A mask with several bits is a caller bug: it warns once per process
 * (process warning code `VMAFLAGS_SINGLE_MASK`) and then answers like
 * {@link vmaFlagsTestAnyMask}. An empty mask → false.
 */
export function vmaFlagsTestSingleMask(flags: VmaFlags, mask: VmaFlags): boolean {
  const a = lanesOf(flags, 'flags');
  const m = maskLanes(mask, 'mask', flags.config, 'flags');
  if (!singleMaskWarned && bitmapMultiple(m, 0, m.length)) {
    singleMaskWarned = true;
    // Stryker disable next-line all: always true under Node; the guard is for other runtimes
    if (typeof process === 'object' && typeof process.emitWarning === 'function') {
      process.emitWarning(
        'vmaFlagsTestSingleMask: mask has more than one bit set; testing whether any of them is set',
        {
          type: 'Warning',
          code: 'VMAFLAGS_SINGLE_MASK',
        },
      );
    }
  }
  return bitmapIntersects(a, 0, m, 0, a.length);
}

/** `vma_flags_count`: number of bits set. */
export function vmaFlagsCount(flags: VmaFlags): number {
  const a = lanesOf(flags, 'flags');
  return bitmapWeight(a, 0, a.length);
}

/** `vma_flags_empty`: whether no bit is set. */
export function vmaFlagsEmpty(flags: VmaFlags): boolean {
  const a = lanesOf(flags, 'flags');
  return bitmapEmpty(a, 0, a.length);
}

/** `vma_flags_same_pair`: whether two bitmaps are equal. */
export function vmaFlagsSamePair(a: VmaFlags, b: VmaFlags): boolean {
  const x = lanesOf(a, 'a');
  const y = maskLanes(b, 'b', a.config, 'a');
  return bitmapEqual(x, 0, y, 0, x.length);
}

/** `vma_flags_same_mask`: whether `flags` is exactly `mask`. */
export function vmaFlagsSameMask(flags: VmaFlags, mask: VmaFlags): boolean {
  const a = lanesOf(flags, 'flags');
  const m = maskLanes(mask, 'mask', flags.config, 'flags');
  return bitmapEqual(a, 0, m, 0, a.length);
}

/** `vma_flags_same`: whether exactly the listed bits are set (none listed → `flags` is empty). */
export function vmaFlagsSame(flags: VmaFlags, ...bits: number[]): boolean {
  const a = lanesOf(flags, 'flags');
  checkBits(bits, a.length << 5, 'bits');
  return bitmapEqual(a, 0, bitsToScratch(bits, a.length), 0, a.length);
}

/** `vma_flags_diff_pair`: a new bitmap of the bits set in exactly one of `a`, `b`. */
export function vmaFlagsDiffPair(a: VmaFlags, b: VmaFlags): VmaFlags {
  const x = lanesOf(a, 'a');
  const config = a.config;
  const y = maskLanes(b, 'b', config, 'a');
  const out = new VmaFlags(config);
  bitmapXor(lanesOf(out, 'out'), x, 0, y, 0, x.length);
  return out;
}

/** `vma_flags_and_mask`: a new bitmap `flags` ∩ `mask`. */
export function vmaFlagsAndMask(flags: VmaFlags, mask: VmaFlags): VmaFlags {
  const a = lanesOf(flags, 'flags');
  const config = flags.config;
  const m = maskLanes(mask, 'mask', config, 'flags');
  const out = new VmaFlags(config);
  bitmapAnd(lanesOf(out, 'out'), a, 0, m, 0, a.length);
  return out;
}

/** `vma_flags_and`: a new bitmap of the listed bits that are set in `flags`. */
export function vmaFlagsAnd(flags: VmaFlags, ...bits: number[]): VmaFlags {
  const a = lanesOf(flags, 'flags');
  checkBits(bits, a.length << 5, 'bits');
  const out = new VmaFlags(flags.config);
  bitmapAnd(lanesOf(out, 'out'), a, 0, bitsToScratch(bits, a.length), 0, a.length);
  return out;
}

// ---------------------------------------------------------------------------
// Mutators

/** `vma_flags_set_flag`: set one bit (non-atomic). */
export function vmaFlagsSetFlag(flags: VmaFlags, bit: number): void {
  const a = writableLanesOf(flags, 'flags');
  if (typeof bit !== 'number' || bit >>> 0 !== bit || bit >= a.length << 5) throw bitError(bit, a);
  // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
  const k = bit >>> 5;
  a[k] = a[k]! | (1 << (bit & 31));
}

/** `vma_flags_set`: set every listed bit. */
export function vmaFlagsSet(flags: VmaFlags, ...bits: number[]): void {
  const a = writableLanesOf(flags, 'flags');
  // As in vmaFlagsClear: one bit inline, lists out of line.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: fast path; the list path gives the same result and error
  if (bits.length === 1) {
    const bit = bits[0]!;
    if (typeof bit !== 'number' || bit >>> 0 !== bit || bit >= a.length << 5) throw bitsError(bit, a);
    // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
    const k = bit >>> 5;
    a[k] = a[k]! | (1 << (bit & 31));
  } else {
    setBits(a, bits);
  }
}

function setBits(a: Uint32Array, bits: readonly number[]): void {
  checkBits(bits, a.length << 5, 'bits');
  bitmapSetBits(a, 0, bits);
}

/** `vma_flags_set_mask`: `flags` |= `mask`. */
export function vmaFlagsSetMask(flags: VmaFlags, mask: VmaFlags): void {
  const a = writableLanesOf(flags, 'flags');
  const m = maskLanes(mask, 'mask', flags.config, 'flags');
  bitmapOr(a, 0, m, 0, a.length);
}

/** `vma_flags_clear`: clear every listed bit. */
export function vmaFlagsClear(flags: VmaFlags, ...bits: number[]): void {
  const a = writableLanesOf(flags, 'flags');
  // One bit is the common call: straight-line code, no loops to inline.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: fast path; the list path gives the same result and error
  if (bits.length === 1) {
    const bit = bits[0]!;
    if (typeof bit !== 'number' || bit >>> 0 !== bit || bit >= a.length << 5) throw bitsError(bit, a);
    // bitwise-mutation disable next-line >>>: bit numbers are checked to lie below 2^31, where >> and >>> agree
    const k = bit >>> 5;
    a[k] = a[k]! & ~(1 << (bit & 31));
  } else {
    clearBits(a, bits);
  }
}

function clearBits(a: Uint32Array, bits: readonly number[]): void {
  checkBits(bits, a.length << 5, 'bits');
  bitmapClearBits(a, 0, bits);
}

/** `vma_flags_clear_mask`: `flags` &= ~`mask`. */
export function vmaFlagsClearMask(flags: VmaFlags, mask: VmaFlags): void {
  const a = writableLanesOf(flags, 'flags');
  const m = maskLanes(mask, 'mask', flags.config, 'flags');
  bitmapAndnot(a, 0, m, 0, a.length);
}
