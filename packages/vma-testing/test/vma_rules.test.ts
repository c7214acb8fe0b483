import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runVmaRulesTests } from '../src/tests/vma_rules.js';

// VMA bookkeeping scenarios beyond the kernel's cases, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runVmaRulesTests(backend, (name, body) => test(name, () => runCase(body)));
});
