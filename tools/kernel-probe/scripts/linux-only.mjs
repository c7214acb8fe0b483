#!/usr/bin/env node
// Runs the given command on Linux; elsewhere says why it is skipped and
// succeeds, because the probe only means anything against a Linux kernel.
import { spawnSync } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: linux-only.mjs COMMAND [ARGS...]');
  process.exit(2);
}
if (process.platform !== 'linux') {
  console.log(
    `kernel-probe: skipping \`${[command, ...args].join(' ')}\`: the probe runs against the live Linux kernel and this is ${process.platform}`,
  );
  process.exit(0);
}
const run = spawnSync(command, args, { stdio: 'inherit' });
if (run.error) {
  console.error(`kernel-probe: could not start ${command} (${run.error.message})`);
  process.exit(1);
}
process.exit(run.status ?? 1);
