import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runWarnRulesTests } from '../src/tests/warn_rules.js';

// Misuse the VMA code must report, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runWarnRulesTests(backend, (name, body) => test(name, () => runCase(body)));
});
