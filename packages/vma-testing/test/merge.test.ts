import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runMergeTests } from '../src/tests/merge.js';

// The cases of the kernel's tests/merge.c, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runMergeTests(backend, (name, body) => test(name, () => runCase(body)));
});
