#!/usr/bin/env node
// Runs every workspace package's vitest suite (over the existing build) with
// another Node binary, e.g. one from `npx node@22`:
//
//   vmaflags-vitest-on-node <path/to/node>
//
// Each package's results go to test-results/vitest-node<major>.json beside the
// default run's, so the CI summary counts them too. Exits 1 if any suite failed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { workspacePackages, workspaceRoot } from './workspace.mjs';

const node = process.argv[2];
if (!node) {
  console.error('usage: vmaflags-vitest-on-node <path/to/node>');
  process.exit(2);
}
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
if (!version) {
  console.error(`vitest-on-node: cannot run ${node}`);
  process.exit(1);
}
const major = version.replace(/^v/, '').split('.')[0];
const vitest = join(
  createRequire(join(workspaceRoot, 'package.json')).resolve('vitest/package.json'),
  '..',
  'vitest.mjs',
);

let failed = 0;
for (const pkg of workspacePackages().filter((p) => existsSync(join(p.dir, 'vitest.config.ts')))) {
  console.log(`\n> ${pkg.manifest.name}: vitest on node ${version}`);
  const run = spawnSync(node, [vitest, 'run'], {
    cwd: pkg.dir,
    stdio: 'inherit',
    env: { ...process.env, VITEST_JSON_OUTPUT: `test-results/vitest-node${major}.json` },
  });
  if (run.status !== 0) failed++;
}
console.log(`\nnode ${version}: ${failed === 0 ? 'every suite passed' : `${failed} suite(s) failed`}`);
process.exit(failed === 0 ? 0 : 1);
