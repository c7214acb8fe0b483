import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@vmaflags/tools/workspace';
import { describe, expect, test } from 'vitest';
import { cargoOnPath, pathWithoutCargo } from '../src/without_cargo.js';

// `npm test` and `npm run build` start with tools/check-toolchain.mjs, which
// stops with a message saying what to install instead of failing deep inside
// a cargo or napi step.

const script = join(workspaceRoot, 'tools', 'check-toolchain.mjs');

function check(env: NodeJS.ProcessEnv) {
  const clean = { ...process.env };
  delete clean.npm_config_user_agent;
  return spawnSync(process.execPath, [script], { env: { ...clean, ...env }, encoding: 'utf8' });
}

test('runs before npm test and npm run build', () => {
  const { scripts } = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
  expect(scripts.pretest).toBe('node tools/check-toolchain.mjs');
  expect(scripts.prebuild).toBe('node tools/check-toolchain.mjs');
});

describe('without cargo on PATH', () => {
  const run = check({ PATH: pathWithoutCargo() });
  test('exits 1', () => {
    expect(run.status).toBe(1);
  });
  test('says to install Rust with rustup, or which prebuilt package to use', () => {
    expect(run.stderr).toMatch(/cargo was not found/);
    expect(run.stderr).toMatch(/rustup/);
    if (process.platform === 'linux' && process.arch === 'x64')
      expect(run.stderr).toMatch(/@vmaflags\/native-linux-x64-(gnu|musl)/);
  });
});

test.skipIf(!cargoOnPath())('passes with cargo on PATH and npm 11', () => {
  const run = check({ npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});

test('stops npm 10, which rewrites package-lock.json', () => {
  const run = check({ npm_config_user_agent: 'npm/10.9.2 node/v22.12.0 linux x64 workspaces/false' });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/needs npm 11/);
});
