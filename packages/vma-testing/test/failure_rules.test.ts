import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runFailureRulesTests } from '../src/tests/failure_rules.js';

// Injected allocation failures and what the VMA code leaves after them, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runFailureRulesTests(backend, (name, body) => test(name, () => runCase(body)));
});
