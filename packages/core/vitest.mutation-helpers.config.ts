import { withTests } from './vitest.mutation.config.ts';

// The tests that exercise the bitmap, word and bit helpers: every one runs
// for every mutant (see stryker.config.mjs).
export default withTests([
  'test/bit_helpers.test.ts',
  'test/bad_bits.test.ts',
  'test/bitmap_lanes.test.ts',
  'test/single_mask_warning.test.ts',
  'test/word_helpers.test.ts',
  'test/vma_flags.test.ts',
  'test/arena.test.ts',
  'test/core_backend.test.ts',
  'test/uffd_flags.test.ts',
  'test/vm_flags.test.ts',
  'test/vma_flag.test.ts',
]);
