// Mutation testing of the mm/vma.c port: Stryker mutates @vmaflags/mm's
// vma.ts and runs this package's vitest suite against every mutant. Run from
// the workspace root (the nx target `mutation` does) so the sandbox holds both
// packages' sources; vitest.mutation.config.ts points @vmaflags/mm at the
// sandbox's copy. Rust build output and caches are left out of the sandbox.
// Not part of `npm test`: a full run takes hours on two cores.

import { fileURLToPath } from 'node:url';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  plugins: [
    '@stryker-mutator/vitest-runner',
    fileURLToPath(new URL('./stryker/inert_stub_calls.mjs', import.meta.url)),
    fileURLToPath(new URL('../../tools/mutation/ignore-error-messages.mjs', import.meta.url)),
  ],
  // Calls into the no-op kernel stubs are equivalent mutants by construction.
  // The text of a WARN or BUG is for people, as in the core packages' runs.
  ignorers: ['inert-stub-calls', 'error-messages'],
  // Later runs re-test only mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'packages/vma-testing/reports/stryker-incremental.json',
  vitest: {
    configFile: 'packages/vma-testing/vitest.mutation.config.ts',
    dir: 'packages/vma-testing',
  },
  mutate: ['packages/mm/src/mm/vma.ts'],
  coverageAnalysis: 'perTest',
  // Module-level initialisers would need the whole suite per mutant.
  ignoreStatic: true,
  concurrency: 1,
  timeoutMS: 20_000,
  ignorePatterns: ['target', '.nx', 'coverage', '**/test-results', '**/reports', 'packages/native/npm', 'docs/api'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'packages/vma-testing/reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'packages/vma-testing/reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
