// Mutation testing of core's bitmap, word and bit helpers (run: npx nx run
// @vmaflags/core:mutation, which also runs stryker.tables.config.mjs).
// Every helper test runs for every mutant: per-test coverage missed tests
// that do reach a mutant (it reported killable mutants as survivors).
// Runs from the workspace root: the sandbox copy needs the root vitest.shared.ts.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'packages/core/vitest.mutation-helpers.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', './tools/mutation/ignore-error-messages.mjs'],
  ignorers: ['error-messages'],
  mutate: [
    'packages/core/src/bitmap.ts',
    'packages/core/src/vma_flags.ts',
    'packages/core/src/bit_helpers.ts',
    'packages/core/src/word_helpers.ts',
    'packages/core/src/vma_flag.ts',
  ],
  // Everything but core and the root files is left out of the sandbox.
  ignorePatterns: [
    '/target',
    '/reports',
    '/.nx',
    '/coverage',
    '**/test-results',
    '**/dist',
    // The root tsconfig references every package: keep their tsconfigs only.
    '/packages/native/*',
    '!/packages/native/tsconfig*.json',
    '/packages/vma-testing/*',
    '!/packages/vma-testing/tsconfig*.json',
  ],
  coverageAnalysis: 'all',
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/core/index.html' },
  jsonReporter: { fileName: 'reports/mutation/core/mutation.json' },
  tempDirName: 'reports/mutation/.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 95, low: 90, break: null },
};
