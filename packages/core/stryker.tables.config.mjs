// Mutation testing of core's configuration model, flag tables and text codecs
// (run: npx nx run @vmaflags/core:mutation). These modules memoise what they
// build per config, so only the first test to ask for a table executes the
// builder: per-test coverage would pick that one test for every mutant in it.
// Every table test therefore runs for every mutant here.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { ...base.vitest, configFile: 'packages/core/vitest.mutation-tables.config.ts' },
  mutate: [
    'packages/core/src/config.ts',
    'packages/core/src/flag_table.ts',
    'packages/core/src/flag_names.ts',
    'packages/core/src/smaps.ts',
    'packages/core/src/format_flags.ts',
    'packages/core/src/page_prot.ts',
    'packages/core/src/kconfig.ts',
  ],
  htmlReporter: { fileName: 'reports/mutation/core-tables/index.html' },
  jsonReporter: { fileName: 'reports/mutation/core-tables/mutation.json' },
  tempDirName: 'reports/mutation/.stryker-tmp-tables',
};
