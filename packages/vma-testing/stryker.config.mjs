// Mutation testing of the mm/vma.c port: Stryker mutates vma.ts and runs this
// package's vitest suite against every mutant. Run from the workspace root
// (the nx target `mutation` does) so the sandbox holds the workspace's
// sources; Rust build output and caches are left out of it.
// Not part of `npm test`: a full run takes hours on two cores.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: {
    configFile: 'packages/vma-testing/vitest.config.ts',
    dir: 'packages/vma-testing',
  },
  mutate: ['packages/vma-testing/src/mm/vma.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 20_000,
  ignorePatterns: ['target', '.nx', 'coverage', '**/test-results', '**/reports', 'packages/native/npm'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'packages/vma-testing/reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'packages/vma-testing/reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
