import { describe, test } from 'vitest';
import { harnessTargets } from '../src/backends.js';
import { runCase } from '../src/run_tests.js';
import { runMmapRegionRulesTests } from '../src/tests/mmap_region_rules.js';

// mmap_region() around the file hooks and after the VMA exists, once per selected backend and bitmap width.
describe.each((await harnessTargets()).map((t) => [t.label, t.backend] as const))('%s', (_label, backend) => {
  runMmapRegionRulesTests(backend, (name, body) => test(name, () => runCase(body)));
});
