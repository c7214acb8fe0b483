import type { KernelConfig } from './config.js';

// One contract for every implementation of the vma_flags_t helpers, so a
// consumer (the VMA test harness, a differential test) can run unchanged on the
// TypeScript core or on the native addon. `F` is the backend's own opaque
// bitmap handle; handles from different backends or configs never mix.
//
// Method names are the kernel helper names without the `vma_flags_` prefix,
// camel-cased: vma_flags_set_word → setWord, vma_flags_test_any_mask → testAnyMask.
// Word values (vm_flags_t) are bigint in [0, 2^BITS_PER_LONG).

export interface FlagsBackend<F = unknown> {
  /** `core`, `native`, … */
  readonly name: string;
  readonly config: KernelConfig;

  // construction
  /** mk_vma_flags(bits...); with no bits, a fresh EMPTY_VMA_FLAGS. */
  mk(...bits: number[]): F;
  /** append_vma_flags(base, bits...): a copy of base with bits also set. */
  append(base: F, ...bits: number[]): F;
  copy(flags: F): F;
  /** All `config.numWords` kernel words, word 0 first. */
  toWords(flags: F): bigint[];
  fromWords(words: readonly bigint[]): F;
  /** legacy_to_vma_flags */
  fromLegacy(word: bigint): F;
  /** vma_flags_to_legacy: word 0. */
  toLegacy(flags: F): bigint;

  // word helpers (word 0 only, except clearAll)
  clearAll(flags: F): void;
  overwriteWord(flags: F, word: bigint): void;
  overwriteWordOnce(flags: F, word: bigint): void;
  setWord(flags: F, word: bigint): void;
  clearWord(flags: F, word: bigint): void;

  // queries
  test(flags: F, bit: number): boolean;
  testAny(flags: F, ...bits: number[]): boolean;
  testAnyMask(flags: F, mask: F): boolean;
  testAll(flags: F, ...bits: number[]): boolean;
  testAllMask(flags: F, mask: F): boolean;
  testSingleMask(flags: F, mask: F): boolean;
  count(flags: F): number;
  /** vma_flags_empty */
  empty(flags: F): boolean;
  samePair(a: F, b: F): boolean;
  sameMask(flags: F, mask: F): boolean;
  same(flags: F, ...bits: number[]): boolean;
  diffPair(a: F, b: F): F;
  andMask(flags: F, mask: F): F;
  and(flags: F, ...bits: number[]): F;

  // mutators
  setFlag(flags: F, bit: number): void;
  set(flags: F, ...bits: number[]): void;
  setMask(flags: F, mask: F): void;
  clear(flags: F, ...bits: number[]): void;
  clearMask(flags: F, mask: F): void;
}

export type FlagsBackendFactory<F = unknown> = (config: KernelConfig) => FlagsBackend<F>;
