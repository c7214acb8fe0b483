#!/usr/bin/env node
// Creates and drops bitmaps in one synchronous loop and prints the process's
// peak RSS as JSON: `node bench/churn.mjs <core|native> [count]`. Nothing is
// kept, so memory stays flat only if dropped bitmaps are reclaimed by the
// garbage collector as the loop runs (no event-loop turn happens).
import { PRESETS, coreBackend, withNumVmaFlagBits } from '@vmaflags/core';
import { nativeBackend } from '@vmaflags/native';

const which = process.argv[2];
const count = Number(process.argv[3] ?? 5_000_000);
if (which !== 'core' && which !== 'native') throw new TypeError('backend must be "core" or "native"');
if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('count must be a positive integer');

const config = withNumVmaFlagBits(PRESETS.x86_64, 128);
const b = which === 'core' ? coreBackend(config) : nativeBackend(config);
const base = process.memoryUsage().rss;
let keep = b.mk(1);
let bits = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < count; i++) {
  const f = b.mk(i & 127, 64);
  const g = b.copy(f);
  b.setMask(g, keep);
  bits += b.count(g);
  if ((i & 0xffff) === 0) keep = g;
}
const ns = Number(process.hrtime.bigint() - t0);
console.log(
  JSON.stringify({
    backend: which,
    bitmaps: 2 * count,
    baseRssMiB: +(base / 2 ** 20).toFixed(1),
    peakRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
    nsPerBitmap: +(ns / (2 * count)).toFixed(1),
    bits,
  }),
);
