import { withTests } from './vitest.mutation.config.ts';

// The tests that exercise the flag tables and codecs: every one runs for
// every mutant (see stryker.tables.config.mjs).
export default withTests([
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
  'test/kconfig.test.ts',
]);
