#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { harnessTargets, selectedBackendNames } from './backends.js';
import { countingRunner, runAllTests, summaryLine, type RunCounts } from './run_tests.js';

// The `vma` binary of tools/testing/vma: runs every case on every selected
// backend at both bitmap widths and ends with
// "N tests run, N passed, N failed." Exit status 1 if anything failed.

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      bits: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: vma-testing [--backend core|native|all] [--bits 64|128|all]\n' +
        'Runs the VMA userland test cases; VMA_BACKEND sets the default backend selection.\n',
    );
    return 0;
  }
  const names = selectedBackendNames(values.backend ?? process.env.VMA_BACKEND);
  const bits = values.bits ?? 'all';
  if (!['64', '128', 'all'].includes(bits)) {
    process.stderr.write(`--bits must be 64, 128 or all; got ${JSON.stringify(bits)}\n`);
    return 2;
  }
  const counts: RunCounts = { run: 0, passed: 0, failed: 0 };
  for (const target of await harnessTargets(names)) {
    if (bits !== 'all' && String(target.config.numVmaFlagBits) !== bits) continue;
    const before = { ...counts };
    runAllTests(target.backend, countingRunner(counts));
    process.stdout.write(
      `# ${target.label}: ${summaryLine({ run: counts.run - before.run, passed: counts.passed - before.passed, failed: counts.failed - before.failed })}\n`,
    );
  }
  process.stdout.write(`${summaryLine(counts)}\n`);
  return counts.failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
