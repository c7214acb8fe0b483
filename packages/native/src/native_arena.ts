import {
  type VmaFlags,
  VmaFlagsArena,
  isVmaFlags,
  safeInstanceOf,
  vmaFlagsToWords,
  type VmFlagsInput,
} from '@vmaflags/core';
import { rangeError, typeError } from '@vmaflags/core';
import { binding } from './binding.js';
import { configId } from './config_id.js';
import { wordsToLanes } from './lanes.js';
import { isNativeVmaFlags, nativeFlagsLanes, type NativeVmaFlags } from './native_backend.js';

/**
 * A mask for the arena's batch operations: a bitmap from `nativeBackend()` of
 * the arena's config, or one entry's worth of lanes in the core layout
 * (`config.numLanes` little-endian u32 lanes, as `nativeMask` returns) —
 * the cheaper of the two to pass.
 */
export type NativeMask = NativeVmaFlags | Uint32Array;

/**
 * The addon's handle on a core `VmaFlagsArena`: the same memory, operated on
 * in hardware words (u64, or u32 on 32-bit configs) by index, range or index
 * list. Made by `registerArena`.
 *
 * Every method checks its arguments (TypeError/RangeError naming the argument)
 * and that the arena's buffer is still the registered one (a detached,
 * transferred or shrunk buffer throws a TypeError) before touching memory;
 * batch methods check the whole range or list before writing anything.
 * Words are `vm_flags_t` values: a bigint, or a non-negative safe integer.
 */
export interface NativeArena {
  /** Number of entries. */
  readonly capacity: number;
  /** Word 0 of entry `index` (`vma_flags_to_legacy`). */
  getWord(index: number): bigint;
  /** Word 0 of entry `index` |= `word`. */
  setWord(index: number, word: VmFlagsInput): void;
  /** Word 0 of entry `index` &= ~`word`. */
  clearWord(index: number, word: VmFlagsInput): void;
  /** Word 0 of entry `index` := `word` (higher words untouched). */
  overwriteWord(index: number, word: VmFlagsInput): void;
  /** Zeroes every word of entry `index`. */
  clearAll(index: number): void;
  /** `vma_flags_test` on entry `index`. */
  testBit(index: number, bit: number): boolean;
  /** `vma_flags_set_flag` on entry `index`. */
  setBit(index: number, bit: number): void;
  /** Clears one bit of entry `index`. */
  clearBit(index: number, bit: number): void;
  /** `update_flags(set, unset)` on word 0 of entry `index`: OR in `set`, then clear `unset`. */
  updateFlags(index: number, set: VmFlagsInput, unset: VmFlagsInput): void;
  /** `update_flags(set, unset)` on word 0 of entries `[start, start + count)`. */
  updateFlagsRange(start: number, count: number, set: VmFlagsInput, unset: VmFlagsInput): void;
  /** `update_flags(set, unset)` on word 0 of each listed entry (the list must not be a view of the arena). */
  updateFlagsList(indices: Uint32Array, set: VmFlagsInput, unset: VmFlagsInput): void;
  /** Word 0 := `word` for entries `[start, start + count)`. */
  overwriteWordRange(start: number, count: number, word: VmFlagsInput): void;
  /** ORs `mask` (every word) into entries `[start, start + count)`; returns how many changed. */
  setMaskRange(start: number, count: number, mask: NativeMask): number;
  /** Clears `mask` in entries `[start, start + count)`; returns how many changed. */
  clearMaskRange(start: number, count: number, mask: NativeMask): number;
  /**
   * Counts entries of `[start, start + count)` sharing a bit with `mask`. With
   * `out` (at least ceil(count / 32) lanes), bit j of `out` is set iff entry
   * `start + j` matched; those lanes are overwritten.
   */
  testAnyMaskRange(start: number, count: number, mask: NativeMask, out?: Uint32Array): number;
  /** As `testAnyMaskRange`, for entries holding every bit of `mask`. */
  testAllMaskRange(start: number, count: number, mask: NativeMask, out?: Uint32Array): number;
}

/** The arena object's methods (checked by the tests). */
export const NATIVE_ARENA_METHODS = [
  'getWord',
  'setWord',
  'clearWord',
  'overwriteWord',
  'clearAll',
  'testBit',
  'setBit',
  'clearBit',
  'updateFlags',
  'updateFlagsRange',
  'updateFlagsList',
  'overwriteWordRange',
  'setMaskRange',
  'clearMaskRange',
  'testAnyMaskRange',
  'testAllMaskRange',
] as const satisfies readonly (keyof NativeArena)[];

const registered = new WeakMap<VmaFlagsArena, NativeArena>();

// A Proxy or revoked value is simply not an arena (core's guarded instanceof).
function isArena(v: unknown): v is VmaFlagsArena {
  return safeInstanceOf(v, VmaFlagsArena);
}

/**
 * Registers `arena`'s buffer with the addon once (a reference plus a cached
 * pointer) and returns the native handle; registering again returns the same
 * handle. Calls on it pass only numbers (and, for batches, one index list).
 */
export function registerArena(arena: VmaFlagsArena): NativeArena {
  if (!isArena(arena)) throw typeError('arena', 'a VmaFlagsArena (from @vmaflags/core)', arena);
  const lanes = arena.lanes;
  const want = arena.capacity * arena.stride;
  if (lanes.length !== want) {
    // A detached buffer leaves a view of length 0; any other mismatch is an
    // arena whose fields do not describe its lanes.
    if (lanes.length === 0 && want > 0) {
      throw typeError(
        'arena',
        `an arena whose buffer is still attached (${want} lanes)`,
        `${lanes.length} lanes (detached)`,
      );
    }
    throw rangeError('arena.lanes', `capacity × stride = ${want} lanes long`, `${lanes.length} lanes`);
  }
  let h = registered.get(arena);
  if (h === undefined) {
    h = withHandleMasks(
      binding.registerArena(configId(arena.config, 'arena.config'), lanes, arena.capacity) as unknown as NativeArena,
      arena,
    );
    registered.set(arena, h);
  }
  return h;
}

const MASK_METHODS = ['setMaskRange', 'clearMaskRange', 'testAnyMaskRange', 'testAllMaskRange'] as const;

// The addon's arena object takes masks as lanes; a `nativeBackend()` bitmap
// is turned into its lanes here (its config must be the arena's). The other
// methods are the addon's bound functions themselves.
function withHandleMasks(raw: NativeArena, arena: VmaFlagsArena): NativeArena {
  const out: Record<string, unknown> = { capacity: raw.capacity };
  for (const m of NATIVE_ARENA_METHODS) out[m] = raw[m];
  const lanesOf = (mask: unknown): unknown =>
    isNativeVmaFlags(mask) ? nativeFlagsLanes(mask, arena.config, 'mask') : mask;
  for (const m of MASK_METHODS) {
    const f = raw[m] as (...a: unknown[]) => number;
    out[m] = (start: number, count: number, mask: NativeMask, res?: Uint32Array) => f(start, count, lanesOf(mask), res);
  }
  return Object.freeze(out) as unknown as NativeArena;
}

/**
 * A core `VmaFlags` as a mask for the arena's batch operations: its
 * `config.numLanes` lanes (word k of a 64-bit config is lanes 2k, 2k+1).
 */
export function nativeMask(flags: VmaFlags): Uint32Array {
  if (!isVmaFlags(flags)) throw typeError('flags', 'a VmaFlags (from @vmaflags/core)', flags);
  const config = flags.config;
  return wordsToLanes(vmaFlagsToWords(flags), config);
}
