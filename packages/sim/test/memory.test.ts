import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// Heap per VMA, measured by bench/memory.mjs in a fresh node with
// --expose-gc (on the built dist/, which the test target builds first) at a
// size CI affords. The bound is generous (the goal, 512 bytes at 64k VMAs,
// is the bench's business); this catches a VMA that grows by a whole object.

const BENCH = fileURLToPath(new URL('../bench/memory.mjs', import.meta.url));
const VMAS = 16_384;
const BOUND = 1024;

describe.each(['core', 'native'])('%s backend', (backend) => {
  test(`${VMAS} VMAs take under ${BOUND} bytes each`, { timeout: 120_000 }, () => {
    const out = execFileSync(process.execPath, ['--expose-gc', BENCH, '--child', backend, String(VMAS)]);
    const r = JSON.parse(out.toString()) as { vmas: number; heap: number; external: number };
    expect(r.vmas).toBe(VMAS);
    const perVma = (r.heap + r.external) / VMAS;
    // Below ~100 bytes the measurement itself would be broken: a VMA holds at least its object and bitmap.
    expect(perVma).toBeGreaterThan(100);
    expect(perVma).toBeLessThan(BOUND);
  });
});
