import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every test drives the real, built bin in a child process, as a user would.

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: { vmaflags: string } };
export const binPath = join(packageDir, pkg.bin.vmaflags);

export interface BinResult {
  status: number | null;
  stdout: string;
  stderr: string;
  pid: number | undefined;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
  uid?: number;
  gid?: number;
}

export function runBin(args: readonly string[], opts: RunOptions = {}): BinResult {
  // Start from a colour-neutral environment: the runner may set FORCE_COLOR.
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const spawnOpts: SpawnSyncOptions = { input: opts.input ?? '', env, encoding: 'utf8', cwd: packageDir };
  if (opts.uid !== undefined) spawnOpts.uid = opts.uid;
  if (opts.gid !== undefined) spawnOpts.gid = opts.gid;
  const r = spawnSync(process.execPath, [binPath, ...args], spawnOpts);
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr), pid: r.pid };
}

export function fixture(name: string): string {
  return join(packageDir, 'test', 'fixtures', name);
}

export function golden(name: string): string {
  return readFileSync(join(packageDir, 'test', 'golden', name), 'utf8');
}

/** One parsed JSON document per stdout line. */
export function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}
