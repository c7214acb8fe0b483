#!/usr/bin/env node
// Records the agreement corpus against the running Linux kernel: builds the
// kernel probe, runs it three times over every scenarios/*.jsonl (sorted by
// file name, recordings excluded), checks the runs are byte-identical and
// writes scenarios/expected-<uname -r>.jsonl and scenarios/host-<uname -r>.json.
// `--check` compares with the existing recording instead of writing it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const scenariosDir = resolve(here, '..', 'scenarios');
const root = resolve(here, '..', '..', '..');
const probe = join(root, 'target', 'release', 'kernel-probe');
const check = process.argv.includes('--check');
const RUNS = 3;

function fail(message) {
  console.error(`record-expected: ${message}`);
  process.exit(1);
}

if (process.platform !== 'linux') fail(`recording needs the live Linux kernel; this is ${process.platform}`);

const build = spawnSync('cargo', ['build', '--release', '--locked', '-p', 'kernel-probe'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.error || build.status !== 0)
  fail(`building the probe failed (${build.error?.message ?? `status ${build.status}`})`);

const inputs = readdirSync(scenariosDir)
  .filter((name) => name.endsWith('.jsonl') && !name.startsWith('expected-'))
  .sort()
  .map((name) => join(scenariosDir, name));
if (inputs.length === 0) fail(`no scenario files in ${scenariosDir}`);

function runProbe(args) {
  const run = spawnSync(probe, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error || run.status !== 0) fail(`${probe} ${args.join(' ')} failed: ${run.error?.message ?? run.stderr}`);
  return run.stdout;
}

const runs = Array.from({ length: RUNS }, () => runProbe(inputs));
runs.forEach((text, i) => {
  if (text !== runs[0]) fail(`run ${i + 1} differs from run 1: the probe is not deterministic on this host`);
});
const expected = runs[0];
const facts = JSON.parse(runProbe(['--host-facts']));
const expectedPath = join(scenariosDir, `expected-${release()}.jsonl`);
const hostPath = join(scenariosDir, `host-${release()}.json`);
const scenarios = expected.split('\n').filter(Boolean).length;

if (check) {
  if (!existsSync(expectedPath)) fail(`no recording ${expectedPath} to check`);
  if (readFileSync(expectedPath, 'utf8') !== expected)
    fail(`${expectedPath} differs from the kernel's answers: re-record`);
  console.log(`record-expected: ${scenarios} scenarios, ${RUNS} identical runs, match ${expectedPath}`);
} else {
  writeFileSync(expectedPath, expected);
  writeFileSync(hostPath, `${JSON.stringify(facts, null, 2)}\n`);
  console.log(`record-expected: ${scenarios} scenarios from ${inputs.length} files, ${RUNS} identical runs`);
  console.log(`wrote ${expectedPath}\nwrote ${hostPath}`);
}
