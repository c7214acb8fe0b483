import { current, harness, setDebugVmMapleTree, takeWarnings } from './include/custom.js';
import type { Backend } from '@vmaflags/mm';
import type { TestRegistrar } from './shared.js';
import { runMergeTests } from './tests/merge.js';
import { runMmapTests } from './tests/mmap.js';
import { runVmaTests } from './tests/vma.js';

// What tools/testing/vma/main.c does around the cases: run the three lists
// in order, each case isolated from what the previous one left behind.

/** Every case of the harness for one backend, in the kernel's order. */
export function runAllTests(b: Backend, TEST: TestRegistrar): void {
  runMergeTests(b, TEST);
  runMmapTests(b, TEST);
  runVmaTests(b, TEST);
}

/**
 * Run one case with tree validation on (CONFIG_DEBUG_VM_MAPLE_TREE). A case
 * that leaves kernel warnings behind fails even if its asserts held: the
 * kernel code thought it was being misused. So does one that leaks: a VMA
 * neither freed nor in a tree, a file reference, a mapping's writable count
 * or a policy reference not accounted for by the VMAs left in the trees
 * (which the mm's teardown would release).
 */
export function runCase(body: () => void): void {
  takeWarnings();
  harness.reset();
  setDebugVmMapleTree(true);
  try {
    body();
    const warnings = takeWarnings();
    if (warnings.length > 0) throw new Error(`kernel warnings during the test:\n  ${warnings.join('\n  ')}`);
    const leaks = harness.leaks();
    if (leaks.length > 0) throw new Error(`leaks at the end of the test:\n  ${leaks.join('\n  ')}`);
  } finally {
    setDebugVmMapleTree(false);
    harness.reset();
    current.mm = null;
  }
}

export interface RunCounts {
  run: number;
  passed: number;
  failed: number;
}

/**
 * A TEST() that runs cases on the spot and counts them, like the kernel
 * binary: a failure prints `Test <name> FAILED` (and why) on stderr.
 */
export function countingRunner(
  counts: RunCounts,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): TestRegistrar {
  return (name, body) => {
    counts.run++;
    try {
      runCase(body);
      counts.passed++;
    } catch (err) {
      counts.failed++;
      log((err as Error).message);
      log(`Test ${name} FAILED`);
    }
  };
}

/** The closing line of a run. */
export function summaryLine(c: RunCounts): string {
  return `${c.run} tests run, ${c.passed} passed, ${c.failed} failed.`;
}
