#!/usr/bin/env node
// Adds up the real test outcomes every package wrote to test-results/
// (vitest's JSON reporter, one file per Node version it ran on; cargo-test.mjs)
// and prints `N passed, N failed`.
// Exits non-zero if anything failed or if no results were found at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workspacePackages } from './workspace.mjs';

const root = resolve(process.argv[2] ?? '.');
let passed = 0;
let failed = 0;
let files = 0;

for (const { rel: pkg, dir: pkgDir } of workspacePackages(root)) {
  const dir = join(pkgDir, 'test-results');
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const data = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    let p;
    let f;
    if (data.runner === 'cargo') {
      p = data.passed;
      f = data.failed;
    } else {
      ({ passed: p, failed: f } = countVitest(data));
    }
    files++;
    passed += p;
    failed += f;
    console.log(`${pkg}/${name}: ${p} passed, ${f} failed`);
  }
}

// vitest's JSON report (Jest-compatible): count test outcomes per file; a file
// that failed without any failed test (it did not load) counts as one failure.
function countVitest(data) {
  let passed = 0;
  let failed = 0;
  for (const file of data.testResults ?? []) {
    const results = file.assertionResults ?? [];
    const bad = results.filter((a) => a.status === 'failed').length;
    passed += results.filter((a) => a.status === 'passed').length;
    failed += bad;
    if (file.status === 'failed' && bad === 0) failed += 1;
  }
  return { passed, failed };
}

if (files === 0) {
  console.log('no test results found');
  failed = Math.max(failed, 1);
}
// A failed install, build or lint step is a failure even if no test failed.
const commandStatus = Number(process.env.TEST_COMMAND_STATUS ?? 0);
if (commandStatus !== 0 && failed === 0) {
  console.log(`test command exited with status ${commandStatus}`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
