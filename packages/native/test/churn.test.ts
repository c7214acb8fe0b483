import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

// Bitmaps are plain garbage-collected memory: creating and dropping millions
// of them in one synchronous loop (no event-loop turn, so no finalizer could
// run) must keep the process's peak RSS within twice what the core needs for
// the same loop. Each backend runs in its own process (bench/churn.mjs, on
// the built package) so the peaks do not mix.

const CHURN = fileURLToPath(new URL('../bench/churn.mjs', import.meta.url));
const ITERATIONS = 1_000_000;

interface Churn {
  backend: string;
  bitmaps: number;
  peakRssMiB: number;
  bits: number;
}

const run = (backend: string): Churn =>
  JSON.parse(execFileSync(process.execPath, [CHURN, backend, String(ITERATIONS)], { encoding: 'utf8' })) as Churn;

test(`create and drop ${2 * ITERATIONS} bitmaps: native peak RSS within 2× the core's`, () => {
  const core = run('core');
  const native = run('native');
  console.log(
    `churn: core peak ${core.peakRssMiB} MiB, native peak ${native.peakRssMiB} MiB (${native.bitmaps} bitmaps each)`,
  );
  expect(native.bits).toBe(core.bits);
  expect(native.peakRssMiB).toBeLessThanOrEqual(2 * core.peakRssMiB);
}, 300_000);
