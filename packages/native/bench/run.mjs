#!/usr/bin/env node
// Benchmarks for @vmaflags/native (run after `npm run build`):
//  (a) every per-call API against two empty functions: the addon's `noop()`
//      (a napi-rs function) and `rawNoop()` (a bare Node-API callback, the
//      real floor of a native call), as ratios (target ≤ 3× rawNoop);
//  (b) every batch operation against the same work written as a plain JS loop
//      over the same arena's lanes, at several batch sizes (ratio > 1 means
//      the native batch is faster).
// Ratios compare numbers from the same run; absolute times move with the
// machine's load. Prints markdown tables; `--json <file>` also saves them.
// Rows below their target are marked MISS and counted at the end; only a real
// error makes the bench fail (@vmaflags/tools/bench-policy).
import { writeFileSync } from 'node:fs';
import { missSummary, targetStatus } from '@vmaflags/tools/bench-policy';
import { PRESETS, VmaFlagsArena, mkVmaFlagsIn } from '@vmaflags/core';
import * as native from '@vmaflags/native';

const { VmaNew, nativeBackend, nativeMask, noop, registerArena } = native;
// Older builds have no rawNoop; their rows then show only the noop() ratio.
const rawNoop = native.rawNoop;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const quick = process.argv.includes('--quick');
const jsonAt = process.argv.indexOf('--json');

/** A fresh (monomorphic) loop running `body` n times with `i` as counter. */
const loop = (body) => new Function('ctx', 'n', `let r = 0; for (let i = 0; i < n; i++) { ${body} } return r;`);

function measure(fn, ctx, n) {
  fn(ctx, Math.min(n, 20_000)); // warm up (and let the JIT settle)
  fn(ctx, Math.min(n, 20_000));
  const times = [];
  for (let k = 0; k < ROUNDS; k++) {
    const t0 = process.hrtime.bigint();
    fn(ctx, n);
    times.push(Number(process.hrtime.bigint() - t0));
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]; // median, ns
}

const C64 = PRESETS.x86_64;
const fmt = (x, d = 2) => x.toFixed(d);

// ---------------------------------------------------------------- (a) per call
async function perCall() {
  const N = quick ? 300_000 : 2_000_000;
  const arena = new VmaFlagsArena(C64, 1024);
  const na = registerArena(arena);
  const vma = new VmaNew(mkVmaFlagsIn(C64, 0, 1, 4, 5), 0x1000n, 0x2000n);
  const vref = vma.asVmaRef();
  const nb = nativeBackend(C64);
  const nf = nb.mk(1, 40);
  const nm = nb.mk(3, 40);
  const ctx = { noop, rawNoop, na, vma, vref, nb, nf, nm, w: 0x8000_0000_0000_0011n, u: 0x10n };
  const cases = [
    ['noop() — napi-rs baseline', 'ctx.noop();'],
    ...(rawNoop ? [['rawNoop() — Node-API baseline', 'ctx.rawNoop();']] : []),
    ['VmaNew.flags()', 'r ^= ctx.vma.flags() === 0n ? 1 : 0;'],
    ['VmaNew.start()', 'r ^= ctx.vma.start() === 0n ? 1 : 0;'],
    ['VmaNew.readable()', 'r ^= ctx.vma.readable() ? 1 : 0;'],
    ['VmaNew.setIo()', 'ctx.vma.setIo();'],
    ['VmaNew.setDontdump()', 'ctx.vma.setDontdump();'],
    ['VmaNew.tryClearMayexec()', 'ctx.vma.tryClearMayexec();'],
    ['VmaRef.flags()', 'r ^= ctx.vref.flags() === 0n ? 1 : 0;'],
    ['arena.getWord(i)', 'r ^= ctx.na.getWord(i & 1023) === 0n ? 1 : 0;'],
    ['arena.setWord(i, bigint)', 'ctx.na.setWord(i & 1023, ctx.w);'],
    ['arena.setWord(i, number)', 'ctx.na.setWord(i & 1023, 17);'],
    ['arena.overwriteWord(i, bigint)', 'ctx.na.overwriteWord(i & 1023, ctx.w);'],
    ['arena.updateFlags(i, set, unset)', 'ctx.na.updateFlags(i & 1023, ctx.w, ctx.u);'],
    ['arena.testBit(i, bit)', 'r ^= ctx.na.testBit(i & 1023, i & 63) ? 1 : 0;'],
    ['arena.setBit(i, bit)', 'ctx.na.setBit(i & 1023, i & 63);'],
    ['arena.clearAll(i)', 'ctx.na.clearAll(i & 1023);'],
    ['nativeBackend.test(f, bit)', 'r ^= ctx.nb.test(ctx.nf, i & 63) ? 1 : 0;'],
    ['nativeBackend.setWord(f, bigint)', 'ctx.nb.setWord(ctx.nf, ctx.w);'],
    ['nativeBackend.count(f)', 'r ^= ctx.nb.count(ctx.nf);'],
    ['nativeBackend.toLegacy(f)', 'r ^= ctx.nb.toLegacy(ctx.nf) === 0n ? 1 : 0;'],
    ['nativeBackend.setFlag(f, bit)', 'ctx.nb.setFlag(ctx.nf, i & 63);'],
    ['nativeBackend.testAny(f, b1, b2)', 'r ^= ctx.nb.testAny(ctx.nf, i & 63, 40) ? 1 : 0;'],
    ['nativeBackend.testAnyMask(f, mask)', 'r ^= ctx.nb.testAnyMask(ctx.nf, ctx.nm) ? 1 : 0;'],
    ['nativeBackend.samePair(a, b)', 'r ^= ctx.nb.samePair(ctx.nf, ctx.nm) ? 1 : 0;'],
    ['nativeBackend.setMask(f, mask)', 'ctx.nb.setMask(ctx.nf, ctx.nm);'],
    // New bitmaps allocate storage the collector must reclaim: fewer calls
    // per loop, and a turn of the event loop after each row.
    ['nativeBackend.mk(b1, b2) (new bitmap)', 'r ^= ctx.nb.mk(i & 63, 40) === null ? 1 : 0;', 10],
    ['nativeBackend.copy(f) (new bitmap)', 'r ^= ctx.nb.copy(ctx.nf) === null ? 1 : 0;', 10],
  ];
  // Each round times the row and both baselines back to back and keeps the
  // ratios of that round, so load on a shared machine moves all three alike;
  // the table shows the median of each.
  const time = (fn, n) => {
    const t0 = process.hrtime.bigint();
    fn(ctx, n);
    return Number(process.hrtime.bigint() - t0);
  };
  const napiRs = loop('ctx.noop();');
  const bare = rawNoop ? loop('ctx.rawNoop();') : undefined;
  const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
  const rows = [];
  for (const [name, body, div = 1] of cases) {
    const n = Math.floor(N / div);
    const fn = loop(body);
    for (const f of [fn, napiRs, bare]) if (f) f(ctx, Math.min(n, 20_000));
    const ns = [];
    const ratio = [];
    const rawRatio = [];
    for (let k = 0; k < ROUNDS; k++) {
      const tn = time(napiRs, n);
      const tr = bare ? time(bare, n) : 0;
      const t = time(fn, n);
      ns.push(t / n);
      ratio.push(t / tn);
      if (bare) rawRatio.push(t / tr);
      await new Promise((res) => setImmediate(res));
    }
    rows.push({ name, ns: median(ns), ratio: median(ratio), rawRatio: bare ? median(rawRatio) : undefined });
  }
  console.log(
    `\n### (a) Per-call APIs vs empty native functions (x86_64 config, ${N} calls, median of ${ROUNDS} paired rounds)\n`,
  );
  console.log('| API | ns/call | × noop() | × rawNoop() | target ≤ 3× rawNoop |');
  console.log('|---|---:|---:|---:|:---:|');
  for (const r of rows) {
    const rr = r.rawRatio === undefined ? '—' : fmt(r.rawRatio);
    const base = r === rows[0] || (bare && r === rows[1]);
    if (!(r.rawRatio === undefined || base)) r.status = targetStatus(r.rawRatio <= 3);
    const hit = r.status ?? '—';
    console.log(`| ${r.name} | ${fmt(r.ns, 1)} | ${fmt(r.ratio)} | ${rr} | ${hit} |`);
  }
  return rows;
}

// -------------------------------------------------------------- (b) batches
// `shared`: the arena lives in a SharedArrayBuffer, which the addon touches
// only through atomic lanes (the JS loop is the same plain typed-array code).
function batches(shared) {
  const SIZES = [1, 16, 64, 256, 1024, 65536];
  const CAP = 65536;
  const arena = new VmaFlagsArena(
    C64,
    CAP,
    shared ? new SharedArrayBuffer(VmaFlagsArena.byteLength(C64, CAP)) : undefined,
  );
  const na = registerArena(arena);
  const lanes = arena.lanes;
  for (let i = 0; i < lanes.length; i++) lanes[i] = (i * 2654435761) & 0x0f0f_0f0f;
  const set = 0x8000_0000_0000_4011n;
  const unset = 0x0000_0001_0000_0100n;
  const split = (w) => [Number(w & 0xffff_ffffn) | 0, Number(w >> 32n) | 0];
  const [sLo, sHi] = split(set);
  const [uLo, uHi] = split(unset);
  const maskFlags = mkVmaFlagsIn(C64, 4, 35);
  const mask = nativeMask(maskFlags);
  const [mLo, mHi] = [1 << 4, 1 << 3];
  const lists = new Map(SIZES.map((b) => [b, Uint32Array.from({ length: b }, (_, k) => (k * 40503) % CAP)]));
  const ctx = { na, lanes, set, unset, sLo, sHi, uLo, uHi, mask, mLo, mHi, lists, CAP };

  // Each case: native call and the equivalent plain JS loop, for a batch of
  // `b` entries starting at `s` (or the list for size b).
  const cases = [
    [
      'updateFlagsRange(start, count, set, unset)',
      'ctx.na.updateFlagsRange(s, b, ctx.set, ctx.unset);',
      `const L = ctx.lanes, sl = ctx.sLo, sh = ctx.sHi, ul = ~ctx.uLo, uh = ~ctx.uHi;
       for (let e = 2 * s, end = 2 * (s + b); e < end; e += 2) { L[e] = (L[e] | sl) & ul; L[e + 1] = (L[e + 1] | sh) & uh; }`,
    ],
    [
      'updateFlagsList(indices, set, unset)',
      'ctx.na.updateFlagsList(list, ctx.set, ctx.unset);',
      `const L = ctx.lanes, sl = ctx.sLo, sh = ctx.sHi, ul = ~ctx.uLo, uh = ~ctx.uHi, cap = ctx.CAP;
       for (let k = 0; k < list.length; k++) { const x = list[k]; if (x >= cap) throw new RangeError('index'); }
       for (let k = 0; k < list.length; k++) { const e = 2 * list[k]; L[e] = (L[e] | sl) & ul; L[e + 1] = (L[e + 1] | sh) & uh; }`,
    ],
    [
      'overwriteWordRange(start, count, word)',
      'ctx.na.overwriteWordRange(s, b, ctx.set);',
      `const L = ctx.lanes, lo = ctx.sLo, hi = ctx.sHi;
       for (let e = 2 * s, end = 2 * (s + b); e < end; e += 2) { L[e] = lo; L[e + 1] = hi; }`,
    ],
    [
      'setMaskRange(start, count, mask) → changed',
      'r += ctx.na.setMaskRange(s, b, ctx.mask);',
      `const L = ctx.lanes, ml = ctx.mLo, mh = ctx.mHi;
       for (let e = 2 * s, end = 2 * (s + b); e < end; e += 2) {
         const a = L[e], c = L[e + 1], na = a | ml, nc = c | mh; L[e] = na; L[e + 1] = nc; r += ((na ^ a) | (nc ^ c)) !== 0 ? 1 : 0; }`,
    ],
    [
      'clearMaskRange(start, count, mask) → changed',
      'r += ctx.na.clearMaskRange(s, b, ctx.mask);',
      `const L = ctx.lanes, ml = ~ctx.mLo, mh = ~ctx.mHi;
       for (let e = 2 * s, end = 2 * (s + b); e < end; e += 2) {
         const a = L[e], c = L[e + 1], na = a & ml, nc = c & mh; L[e] = na; L[e + 1] = nc; r += ((na ^ a) | (nc ^ c)) !== 0 ? 1 : 0; }`,
    ],
    [
      'testAnyMaskRange(start, count, mask) → count',
      'r += ctx.na.testAnyMaskRange(s, b, ctx.mask);',
      `const L = ctx.lanes, ml = ctx.mLo, mh = ctx.mHi;
       for (let e = 2 * s, end = 2 * (s + b); e < end; e += 2) r += ((L[e] & ml) | (L[e + 1] & mh)) !== 0 ? 1 : 0;`,
    ],
  ];
  // One timed loop = `calls` batches of b entries, about TOTAL entries.
  const TOTAL = quick ? 200_000 : 2_000_000;
  const results = [];
  for (const [name, nativeBody, jsBody] of cases) {
    const row = { name, ratios: [] };
    for (const b of SIZES) {
      const calls = Math.max(4, Math.floor(TOTAL / b / (b === 1 ? 4 : 1)));
      const prelude = `const b = ${b}; const list = ctx.lists.get(b); const span = ctx.CAP - b + 1;`;
      const mk = (body) =>
        new Function(
          'ctx',
          'n',
          `${prelude} let r = 0; for (let i = 0; i < n; i++) { const s = (i * 7919 * b) % span; ${body} } return r;`,
        );
      const tn = measure(mk(nativeBody), ctx, calls);
      const tj = measure(mk(jsBody), ctx, calls);
      row.ratios.push({ b, nativeNs: tn / calls, jsNs: tj / calls, ratio: tj / tn });
    }
    results.push(row);
  }
  const over = shared ? 'a SharedArrayBuffer arena' : 'an ArrayBuffer arena';
  console.log(
    `\n### (b) Batch ops vs the same plain JS loop over the arena's lanes, ${over} (x86_64 config, ratio = JS time / native time, median of ${ROUNDS})\n`,
  );
  console.log(`| operation | ${SIZES.map((b) => `${b}`).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---:').join('|')}|`);
  // Targets: ≥ 0.9× at 256 entries, ≥ 1.1× at 1024.
  const BATCH_TARGETS = new Map([
    [256, 0.9],
    [1024, 1.1],
  ]);
  for (const r of results) {
    for (const x of r.ratios) if (BATCH_TARGETS.has(x.b)) x.status = targetStatus(x.ratio >= BATCH_TARGETS.get(x.b));
    console.log(
      `| ${r.name} | ${r.ratios.map((x) => fmt(x.ratio) + (x.status === 'MISS' ? ' MISS' : '')).join(' | ')} |`,
    );
  }
  console.log(`\nns per call (native / JS):\n`);
  console.log(`| operation | ${SIZES.map((b) => `${b}`).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---:').join('|')}|`);
  for (const r of results)
    console.log(`| ${r.name} | ${r.ratios.map((x) => `${fmt(x.nativeNs, 0)} / ${fmt(x.jsNs, 0)}`).join(' | ')} |`);
  console.log('\ntargets: ≥ 0.9× at 256, ≥ 1.1× at 1024, best at 65536');
  return results;
}

console.log(`@vmaflags/native bench — Node ${process.version}, ${process.arch}${quick ? ' (quick)' : ''}`);
const t0 = Date.now();
const a = await perCall();
const b = process.argv.includes('--per-call')
  ? []
  : [...batches(false), ...batches(true).map((r) => ({ ...r, name: `${r.name} [shared]` }))];
const misses = [...a, ...b.flatMap((r) => r.ratios)].filter((x) => x.status === 'MISS').length;
console.log(`
${missSummary(misses)}`);
console.log(`(total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
if (jsonAt > 0 && process.argv[jsonAt + 1])
  writeFileSync(process.argv[jsonAt + 1], JSON.stringify({ node: process.version, perCall: a, batches: b }, null, 2));
