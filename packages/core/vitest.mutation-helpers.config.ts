import { mergeConfig } from 'vitest/config';
import base from './vitest.mutation.config.ts';

// The tests that exercise the bitmap, word and bit helpers, for mutation runs
// that execute every test per mutant (see stryker.config.mjs).
// mergeConfig would append to the base include list, so it is replaced here.
const config = mergeConfig(base, {});
config.test = {
  ...config.test,
  include: [
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
  ],
};
export default config;
