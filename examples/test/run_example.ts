import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * Runs a built example the way a reader would (`node dist/<name>.js`) and
 * returns its standard output. A non-zero exit or anything on stderr fails.
 */
export function runExample(name: string, ...args: string[]): string {
  const file = `${dist}${name}.js`;
  if (!existsSync(file))
    throw new Error(`${file} is missing: build the examples first (npx nx run @vmaflags/examples:build)`);
  const run = spawnSync(process.execPath, [file, ...args], { encoding: 'utf8' });
  if (run.status !== 0 || run.stderr !== '') {
    throw new Error(`${name} exited with ${run.status}:\n${run.stderr}`);
  }
  return run.stdout;
}
