#!/usr/bin/env node
// Merge / split / modify throughput of the ported VMA code with 1k, 16k and
// 64k VMAs in the tree, on each backend. Every operation walks and rewrites
// the tree, so its cost must grow with log(n): the time per operation at 64k
// VMAs may be at most 3x the time at 1k. Prints a markdown table; exits 1 if
// that bound is broken.
//
//   node --expose-gc bench/run.mjs [--rounds N] [--ops N] [--backend core|native|all]
//
// Run after `tsc -b` (nx's bench target builds first).

import { parseArgs } from 'node:util';
import { VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT, VMA_READ_BIT, VMA_WRITE_BIT } from '@vmaflags/core';
import {
  MmStruct,
  VMA_ITERATOR,
  VMG_VMA_STATE,
  splitVma,
  vmFlagsReset,
  vmaIterLoad,
  vmaLookup,
  vmaMergeExistingRange,
  vmaModifyFlags,
} from '@vmaflags/mm';
import { HARNESS_CONFIGS, allocAndLinkVma, harness, harnessTargets, prng, selectedBackendNames } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    ops: { type: 'string', default: '2000' },
    backend: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const OPS = Number(values.ops);
const SIZES = [1000, 16000, 64000];
const PAGE = 4096;
// VMA i covers pages [6i, 6i + 4): gaps keep neighbours apart.
const STRIDE = 6 * PAGE;
const LEN = 4 * PAGE;
const BASE = 0x100000000;

function build(b, n) {
  const mm = new MmStruct(b, harness);
  const flags = b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT);
  for (let i = 0; i < n; i++) allocAndLinkVma(mm, BASE + i * STRIDE, BASE + i * STRIDE + LEN, i * 6, flags);
  return { mm, flags, readOnly: b.mk(VMA_READ_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT) };
}

/** k distinct VMA start addresses, shuffled. */
function pick(n, k, rnd) {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).map((i) => BASE + i * STRIDE);
}

function lookup(mm, addr) {
  const vmi = VMA_ITERATOR(mm, addr);
  const vma = vmaIterLoad(vmi);
  return { vmi, vma };
}

/** ns per op for split (cut each VMA in two) then merge (join the halves back). */
function splitMerge(state, addrs) {
  const { mm } = state;
  let t0 = process.hrtime.bigint();
  for (const a of addrs) {
    const { vmi, vma } = lookup(mm, a);
    if (splitVma(vmi, vma, a + 2 * PAGE, false) !== 0) throw new Error('split failed');
  }
  const split = Number(process.hrtime.bigint() - t0) / addrs.length;
  t0 = process.hrtime.bigint();
  for (const a of addrs) {
    const { vmi, vma } = lookup(mm, a + 2 * PAGE);
    const vmg = VMG_VMA_STATE(vmi, vmaLookup(mm, a), vma, vma.vmStart, vma.vmEnd);
    if (vmaMergeExistingRange(vmg) === null) throw new Error('merge failed');
  }
  const merge = Number(process.hrtime.bigint() - t0) / addrs.length;
  return { split, merge };
}

/** ns per vma_modify_flags(): make the middle of each VMA read-only (two splits), then writable again (merge both). */
function modify(state, addrs, b) {
  const { mm, flags, readOnly } = state;
  const t0 = process.hrtime.bigint();
  for (const [to, mid] of [
    [readOnly, false],
    [flags, true],
  ]) {
    for (const a of addrs) {
      const start = a + PAGE;
      const end = a + 3 * PAGE;
      const { vmi, vma } = lookup(mm, start);
      const prev = vma.vmStart < start ? vma : vmaLookup(mm, a);
      const want = b.copy(to);
      const ret = vmaModifyFlags(vmi, prev, vma, start, end, want);
      if (typeof ret === 'number') throw new Error(`modify failed: ${ret}`);
      vmFlagsReset(ret, want);
      if (mid && ret.vmEnd - ret.vmStart !== LEN) throw new Error('modify did not merge back');
    }
  }
  return Number(process.hrtime.bigint() - t0) / (2 * addrs.length);
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const names = selectedBackendNames(values.backend ?? process.env.VMA_BACKEND);
const targets = (await harnessTargets(names)).filter((t) => t.config === HARNESS_CONFIGS[0]);
const rows = [];
let ok = true;
for (const t of targets) {
  const b = t.backend;
  const perSize = [];
  for (const n of SIZES) {
    const state = build(b, n);
    const rnd = prng(n);
    const s = [];
    const m = [];
    const md = [];
    // Untimed warm-up (JIT), then a collection so no round pays for the
    // garbage of building the tree.
    for (let r = 0; r < 2; r++) {
      const addrs = pick(n, Math.min(OPS, n), rnd);
      splitMerge(state, addrs);
      modify(state, addrs, b);
    }
    for (let r = 0; r < ROUNDS; r++) {
      // A full collection leaves caches cold and the collector finishing in
      // the background; a short untimed batch afterwards lets the timed one
      // measure steady-state cost rather than that recovery.
      globalThis.gc?.();
      const settle = pick(n, Math.min(200, n), rnd);
      splitMerge(state, settle);
      modify(state, settle, b);
      const addrs = pick(n, Math.min(OPS, n), rnd);
      const sm = splitMerge(state, addrs);
      s.push(sm.split);
      m.push(sm.merge);
      md.push(modify(state, addrs, b));
    }
    if (state.mm.mapCount !== n) throw new Error(`map_count drifted: ${state.mm.mapCount} != ${n}`);
    perSize.push({ split: median(s), merge: median(m), modify: median(md) });
  }
  for (const op of ['merge', 'split', 'modify']) {
    const ns = perSize.map((p) => p[op]);
    const ratio = ns[2] / ns[0];
    if (ratio > 3) ok = false;
    rows.push(
      `| ${t.backendName} | ${op} | ${ns.map((x) => `${Math.round(1e9 / x).toLocaleString('en-US')} (${(x / 1000).toFixed(2)} µs)`).join(' | ')} | ${ratio.toFixed(2)}x ${ratio <= 3 ? '✓' : '✗'} |`,
    );
  }
}

process.stdout.write(
  `VMA operations per second (median of ${ROUNDS} rounds of ${OPS} ops; x86_64, 64-bit vma_flags_t; node ${process.version})\n\n` +
    '| backend | op | 1k VMAs | 16k VMAs | 64k VMAs | time/op 64k vs 1k (≤ 3x) |\n' +
    '|---|---|---:|---:|---:|---:|\n' +
    rows.join('\n') +
    '\n',
);
if (!ok) {
  process.stderr.write('per-op time at 64k VMAs exceeds 3x the time at 1k\n');
  process.exitCode = 1;
}
