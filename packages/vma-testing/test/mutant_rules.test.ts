import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runMutantRulesTests } from '../src/tests/mutant_rules.js';

// Scenarios for steps of mm/vma.c the other cases leave unobserved, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runMutantRulesTests(backend, (name, body) => test(name, () => runCase(body)));
});
