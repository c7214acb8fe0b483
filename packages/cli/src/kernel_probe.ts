import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { UsageError } from './exit_codes.js';

// The live-kernel side of `diff`: the workspace's kernel-probe binary
// (tools/kernel-probe), which runs each scenario with real system calls and
// prints the same output format as the simulator.

const BINARY = 'kernel-probe';

/** --probe, then $VMAFLAGS_KERNEL_PROBE, then target/release/kernel-probe above the current directory, then PATH. */
export function findKernelProbe(
  given: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  if (given !== undefined) {
    if (!existsSync(given)) throw new UsageError(`--probe ${given}: no such file`);
    return given;
  }
  if (env.VMAFLAGS_KERNEL_PROBE) return env.VMAFLAGS_KERNEL_PROBE;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'target', 'release', BINARY);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, BINARY))) return join(dir, BINARY);
  }
  throw new UsageError(
    'no kernel probe found: build it in a vmaflags checkout (npx nx run @vmaflags/kernel-probe:build), pass --probe PATH, or compare with a recording (--against FILE)',
  );
}

/** Run the probe on a scenario file; its stdout, one output line per scenario. */
export function runKernelProbe(probe: string, scenarioPath: string): string {
  if (process.platform !== 'linux')
    throw new UsageError(
      `the kernel probe needs Linux (this is ${process.platform}); compare with a recording (--against FILE)`,
    );
  const r = spawnSync(probe, [scenarioPath], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new UsageError(`cannot run ${probe}: ${r.error.message}`);
  if (r.status !== 0)
    throw new UsageError(`${probe} failed (exit ${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}
