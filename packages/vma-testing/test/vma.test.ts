import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runVmaTests } from '../src/tests/vma.js';

// The cases of the kernel's tests/vma.c, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runVmaTests(backend, (name, body) => test(name, () => runCase(body)));
});
