import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runMergeStateRulesTests } from '../src/tests/merge_state_rules.js';

// What the merge, unmap and anon_vma code leaves behind for its callers, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runMergeStateRulesTests(backend, (name, body) => test(name, () => runCase(body)));
});
