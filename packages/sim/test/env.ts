import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { KERNEL_VERSIONS } from '../src/index.js';

// What the randomized tests read from the environment, and how they reach the
// live-kernel probe (tools/kernel-probe, built by `npm test` before this
// package's tests through nx's dependsOn).

/**
 * VMA_SEED (an integer, default 1) seeds every random test; VMAFLAGS_FUZZ_SCALE
 * (a positive number, default 1) multiplies their size: `npm test` runs them at
 * a size CI can afford, a long run sets e.g. 5.
 */
export function fuzzSeed(value = process.env.VMA_SEED): number {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`VMA_SEED must be an integer; got ${JSON.stringify(value)}`);
  return n;
}

export { fuzzScale } from '@vmaflags/tools/test-knobs';

export const PROBE = fileURLToPath(new URL('../../../target/release/kernel-probe', import.meta.url));

/**
 * Why the live kernel cannot be asked here, or null when it can: the probe
 * is Linux-only, its touches need x86_64, and the simulator only knows the
 * releases of KERNEL_VERSIONS.
 */
export function liveKernelUnavailable(): string | null {
  if (platform() !== 'linux') return `the probe runs against a live Linux kernel and this is ${platform()}`;
  if (arch() !== 'x64') return `the probe's touches and the simulator model x86_64 and this is ${arch()}`;
  const version = /^(\d+\.\d+)/.exec(release())?.[1];
  if (!KERNEL_VERSIONS.includes(version as never))
    return `the simulator knows kernels ${KERNEL_VERSIONS.join(', ')} and this one is ${release()}`;
  return null;
}

/** Feed JSONL to the probe in one run and return its output lines. */
export function runProbe(jsonl: string): string[] {
  if (!existsSync(PROBE))
    throw new Error(`${PROBE} is missing: build it with \`npx nx run @vmaflags/kernel-probe:build\``);
  let out: string;
  try {
    out = execFileSync(PROBE, [], { input: jsonl, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
  } catch (err) {
    const e = err as Error & { stderr?: Buffer };
    throw new Error(`kernel-probe failed: ${e.stderr?.toString().trim() || e.message}`);
  }
  return out.split('\n').filter((l) => l !== '');
}
