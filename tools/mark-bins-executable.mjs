#!/usr/bin/env node
// tsc writes files without the execute bit, so a package whose `bin` points
// into its build output runs this after building: every bin target gets +x
// (npm does the same on install, but not for a workspace's own build).
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from './workspace.mjs';

const dir = process.argv[2] ?? '.';
const { bin = {} } = readJson(join(dir, 'package.json'));
for (const target of typeof bin === 'string' ? [bin] : Object.values(bin)) {
  const file = join(dir, target);
  chmodSync(file, statSync(file).mode | 0o111);
}
