import { mergeConfig } from 'vitest/config';
import base from './vitest.mutation.config.ts';

// The tests that exercise the flag tables and codecs, for mutation runs that
// execute every test per mutant (see stryker.tables.config.mjs).
// mergeConfig would append to the base include list, so it is replaced here.
const config = mergeConfig(base, {});
config.test = {
  ...config.test,
  include: [
    'test/flag_table.test.ts',
    'test/flag_names.test.ts',
    'test/smaps.test.ts',
    'test/format_flags.test.ts',
    'test/config.test.ts',
    'test/vma_flag.test.ts',
    'test/uffd_flags.test.ts',
    'test/default_flags.test.ts',
    'test/page_prot.test.ts',
    'test/table_checks.test.ts',
  ],
};
export default config;
