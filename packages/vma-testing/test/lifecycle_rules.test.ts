import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runLifecycleRulesTests } from '../src/tests/lifecycle_rules.js';

// What the VMA code allocates, references and releases, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runLifecycleRulesTests(backend, (name, body) => test(name, () => runCase(body)));
});
