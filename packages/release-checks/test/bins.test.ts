import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspacePackages, workspaceRoot } from '@vmaflags/tools/workspace';
import { describe, expect, test } from 'vitest';

// Every `bin` of every workspace package is runnable from a fresh clone: npm
// links a bin into node_modules/.bin at install time only if its file exists
// then (so it must be committed, not built), and a shell runs it only if it is
// executable and names its interpreter.

const bins = workspacePackages().flatMap((p) => {
  const bin = p.manifest.bin ?? {};
  const entries: [string, string][] =
    typeof bin === 'string' ? [[p.manifest.name.split('/').pop(), bin]] : Object.entries(bin);
  return entries.map(([name, target]) => ({ pkg: p, name, file: join(p.dir, target) }));
});

test('the workspace has bins', () => {
  expect(bins.length).toBeGreaterThan(0);
});

describe.each(bins.map((b) => [b.name, b] as const))('bin %s', (_name, b) => {
  test('is a committed file with the executable mode', () => {
    const entry = execFileSync('git', ['ls-files', '--stage', '--', relative(workspaceRoot, b.file)], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    expect(entry).toMatch(/^100755 /);
  });

  test('is executable and starts with a node shebang', () => {
    expect(() => accessSync(b.file, constants.X_OK)).not.toThrow();
    expect(readFileSync(b.file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

// The packages' CLIs (not the workspace's own scripts under tools/) answer --help.
const clis = bins.filter((b) => !b.pkg.rel.startsWith('tools'));
describe.each(clis.map((b) => [b.name, b] as const))('CLI %s', (name) => {
  test('runs through node_modules/.bin with --help', () => {
    const run = spawnSync(join(workspaceRoot, 'node_modules', '.bin', name), ['--help'], { encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/usage|Usage|--help/);
  });
});
