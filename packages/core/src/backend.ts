import type { KernelConfig } from './config.js';

// One contract for every implementation of the vma_flags_t helpers, so a
// consumer (the VMA test harness, a differential test) can run unchanged on the
// TypeScript core or on the native addon. `F` is the backend's own opaque
// bitmap handle; handles from different backends or configs never mix.
//
// Method names are the kernel helper names without the `vma_flags_` prefix,
// camel-cased: vma_flags_set_word → setWord, vma_flags_test_any_mask → testAnyMask.
// Word values (vm_flags_t) are bigint in [0, 2^BITS_PER_LONG).

/**
 * The `vma_flags_t` helpers of one configuration over a backend's own bitmap handle `F`,
 * so the same code runs on `@vmaflags/core` ({@link coreBackend}) or on the native addon.
 * Methods are the kernel helper names without the `vma_flags_` prefix; words are
 * bigints in `[0, 2^BITS_PER_LONG)`. Bad arguments throw as the core helpers do.
 */
export interface FlagsBackend<F = unknown> {
  /** `core`, `native`, … */
  readonly name: string;
  /** The configuration every handle of this backend belongs to. */
  readonly config: KernelConfig;

  // construction
  /** mk_vma_flags(bits...); with no bits, a fresh EMPTY_VMA_FLAGS. */
  mk(...bits: number[]): F;
  /** append_vma_flags(base, bits...): a copy of base with bits also set. */
  append(base: F, ...bits: number[]): F;
  /** A new bitmap equal to `flags`. */
  copy(flags: F): F;
  /** All `config.numWords` kernel words, word 0 first. */
  toWords(flags: F): bigint[];
  /** A new bitmap from kernel words, word 0 first; missing words are 0. */
  fromWords(words: readonly bigint[]): F;
  /** legacy_to_vma_flags */
  fromLegacy(value: bigint): F;
  /** vma_flags_to_legacy: word 0. */
  toLegacy(flags: F): bigint;

  // word helpers (word 0 only, except clearAll)
  /** `vma_flags_clear_all`: every bit of every word := 0. */
  clearAll(flags: F): void;
  /** `vma_flags_overwrite_word`: word 0 := value. */
  overwriteWord(flags: F, value: bigint): void;
  /** `vma_flags_overwrite_word_once`: word 0 := value as one untorn store. */
  overwriteWordOnce(flags: F, value: bigint): void;
  /** `vma_flags_set_word`: word 0 |= value. */
  setWord(flags: F, value: bigint): void;
  /** `vma_flags_clear_word`: word 0 &= ~value. */
  clearWord(flags: F, value: bigint): void;

  // queries
  /** `vma_flags_test`: whether one bit is set. */
  test(flags: F, bit: number): boolean;
  /** `vma_flags_test_any`: whether any listed bit is set (none listed → false). */
  testAny(flags: F, ...bits: number[]): boolean;
  /** `vma_flags_test_any_mask`: whether they share a bit (empty mask → false). */
  testAnyMask(flags: F, mask: F): boolean;
  /** `vma_flags_test_all`: whether every listed bit is set (none listed → true). */
  testAll(flags: F, ...bits: number[]): boolean;
  /** `vma_flags_test_all_mask`: whether mask ⊆ flags (empty mask → true). */
  testAllMask(flags: F, mask: F): boolean;
  /** `vma_flags_test_single_mask`: like testAnyMask; a mask of more than one bit warns once. */
  testSingleMask(flags: F, mask: F): boolean;
  /** `vma_flags_count`: number of bits set. */
  count(flags: F): number;
  /** vma_flags_empty */
  empty(flags: F): boolean;
  /** `vma_flags_same_pair`: whether a equals b. */
  samePair(a: F, b: F): boolean;
  /** `vma_flags_same_mask`: whether flags is exactly mask. */
  sameMask(flags: F, mask: F): boolean;
  /** `vma_flags_same`: whether flags is exactly the listed bits. */
  same(flags: F, ...bits: number[]): boolean;
  /** `vma_flags_diff_pair`: a new bitmap a XOR b. */
  diffPair(a: F, b: F): F;
  /** `vma_flags_and_mask`: a new bitmap flags AND mask. */
  andMask(flags: F, mask: F): F;
  /** `vma_flags_and`: a new bitmap of the listed bits that are set in flags. */
  and(flags: F, ...bits: number[]): F;

  // mutators
  /** `vma_flags_set_flag`: set one bit. */
  setFlag(flags: F, bit: number): void;
  /** `vma_flags_set`: set the listed bits. */
  set(flags: F, ...bits: number[]): void;
  /** `vma_flags_set_mask`: flags |= mask. */
  setMask(flags: F, mask: F): void;
  /** `vma_flags_clear`: clear the listed bits. */
  clear(flags: F, ...bits: number[]): void;
  /** `vma_flags_clear_mask`: flags &= ~mask. */
  clearMask(flags: F, mask: F): void;
}

/** Makes the {@link FlagsBackend} of a configuration (how test suites take a backend). */
export type FlagsBackendFactory<F = unknown> = (config: KernelConfig) => FlagsBackend<F>;
