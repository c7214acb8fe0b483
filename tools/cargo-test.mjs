#!/usr/bin/env node
// Runs `cargo test` for the Cargo workspace (or for the packages named with
// `-p`) and records pass/fail counts in ./test-results/cargo.json of the
// calling package, so CI can add them to the vitest totals. Exits with
// cargo's status.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const extra = process.argv.slice(2);
const scope = extra.includes('-p') ? [] : ['--workspace'];
const args = ['test', '--locked', ...scope, ...extra];
const run = spawnSync('cargo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
if (run.error) {
  console.error(`cargo-test: could not start cargo (${run.error.message}); is ~/.cargo/bin on PATH?`);
  process.exit(1);
}
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);

let passed = 0;
let failed = 0;
for (const m of run.stdout.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed/gm)) {
  passed += Number(m[1]);
  failed += Number(m[2]);
}
// A build failure runs no tests; count it so the total cannot look green.
if (run.status !== 0 && failed === 0) failed = 1;

mkdirSync('test-results', { recursive: true });
writeFileSync(join('test-results', 'cargo.json'), `${JSON.stringify({ runner: 'cargo', passed, failed })}\n`);
console.log(`cargo test: ${passed} passed, ${failed} failed`);
process.exit(run.status ?? 1);
