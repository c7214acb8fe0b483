import { PRESETS, VmaFlagsArena } from '@vmaflags/core';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { registerArena } from '../src/index.js';

// Arenas over a SharedArrayBuffer are touched only through atomics (see
// crates/vmaflags/src/shared_arena.rs, tested under Miri with a second
// thread). These tests run the real addon from two threads at once.

const BINDING = fileURLToPath(new URL('../binding.cjs', import.meta.url));
const C64 = PRESETS.x86_64;

/** Starts a worker running `body` (CommonJS) with `b` = the raw binding and `d` = workerData. */
function worker(body: string, data: unknown): Worker {
  const code = `const b = require(${JSON.stringify(BINDING)}); const { workerData: d, parentPort } = require('node:worker_threads');\n${body}`;
  return new Worker(code, { eval: true, workerData: data });
}

const done = (w: Worker) =>
  new Promise<void>((resolve, reject) => {
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  });

describe('an arena over a SharedArrayBuffer, used by two threads', () => {
  test('batches from both threads on one buffer: each thread keeps its own lane', async () => {
    const CAP = 4096;
    const sab = new SharedArrayBuffer(VmaFlagsArena.byteLength(C64, CAP));
    const a = new VmaFlagsArena(C64, CAP, sab);
    const n = registerArena(a);
    // The worker sets bit 40 (high lane of word 0); this thread sets bit 0
    // (low lane). Lanes are separate atomics, so neither update is lost.
    const w = worker(
      `const id = b.internConfig(d.key, 64, 64);
       const n = b.registerArena(id, new Uint32Array(d.sab), d.cap);
       parentPort.postMessage('ready');
       for (let k = 0; k < 300; k++) n.updateFlagsRange(0, d.cap, 1n << 40n, 0n);`,
      { sab, cap: CAP, key: C64.key },
    );
    await new Promise((res) => w.once('message', res));
    for (let k = 0; k < 300; k++) {
      n.updateFlagsRange(0, CAP, 1n, 0n);
      expect(n.testAnyMaskRange(0, CAP, Uint32Array.of(1, 0))).toBe(CAP);
    }
    await done(w);
    expect(n.testAllMaskRange(0, CAP, Uint32Array.of(1, 1 << 8))).toBe(CAP);
    expect(a.getWord(CAP - 1)).toBe((1n << 40n) | 1n);
  });

  test('an index list another thread changes: the indices checked are the ones applied', async () => {
    const CAP = 8;
    const a = new VmaFlagsArena(C64, CAP, new SharedArrayBuffer(VmaFlagsArena.byteLength(C64, CAP)));
    const n = registerArena(a);
    // A long list (entry 0 many times, then entry 1) leaves time between
    // reading its first and last element; the worker flips the last one
    // between entry 1 and an index past the end.
    const L = 4096;
    const list = new Uint32Array(new SharedArrayBuffer(4 * L));
    list[L - 1] = 1;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const w = worker(
      `const list = new Uint32Array(d.list), stop = new Int32Array(d.stop), last = d.L - 1;
       parentPort.postMessage('ready');
       while (Atomics.load(stop, 0) === 0) { Atomics.store(list, last, d.cap); Atomics.store(list, last, 1); }`,
      { list: list.buffer, stop: stop.buffer, cap: CAP, L },
    );
    await new Promise((res) => w.once('message', res));
    let applied = 0;
    let refused = 0;
    try {
      for (let k = 0; k < 20_000; k++) {
        n.overwriteWordRange(0, 2, 0n);
        try {
          n.updateFlagsList(list, 1n, 0n);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
          expect((e as Error).message).toBe(`indices[${L - 1}] must be an integer in [0, ${CAP - 1}]; got ${CAP}`);
          expect([a.getWord(0), a.getWord(1)]).toEqual([0n, 0n]);
          refused++;
          continue;
        }
        // Accepted: the list was read with its last index 1, and all of it applied.
        expect([a.getWord(0), a.getWord(1)]).toEqual([1n, 1n]);
        applied++;
      }
    } finally {
      Atomics.store(stop, 0, 1);
      await done(w);
    }
    expect(applied + refused).toBe(20_000);
    expect(applied).toBeGreaterThan(0);
  });
});
