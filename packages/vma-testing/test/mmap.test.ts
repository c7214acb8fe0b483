import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runMmapTests } from '../src/tests/mmap.js';

// The cases of the kernel's tests/mmap.c, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runMmapTests(backend, (name, body) => test(name, () => runCase(body)));
});
