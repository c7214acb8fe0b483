#!/usr/bin/env node
// The simulator's cost per operation on each backend, against the live
// kernel's cost for the same operations measured in the same run
// (bench/kernel_rate.c, compiled with the system C compiler; Linux only).
// Goal: at least half the kernel's rate (sim time per op <= 2x kernel).
// Prints a markdown table; reports misses, fails only on a real error.
//
//   node bench/run.mjs [--ops N]
//
// Run after `tsc -b` (nx's bench target builds first).

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AddressSpace } from '../dist/index.js';

const { values } = parseArgs({ options: { ops: { type: 'string', default: '20000' } } });
const OPS = Number(values.ops);

function kernelRates() {
  if (process.platform !== 'linux') return null;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
    const exe = join(dir, 'kernel_rate');
    execFileSync('cc', ['-O2', '-o', exe, new URL('./kernel_rate.c', import.meta.url).pathname]);
    const out = execFileSync(exe, [String(OPS)]).toString();
    return Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => {
          const [k, v] = l.split(' ');
          return [k, Number(v)];
        }),
    );
  } catch (err) {
    console.error(`kernel baseline unavailable: ${err.message}`);
    return null;
  }
}

/** Median time per op of 5 rounds of n ops, after an untimed round (steady-state JIT). */
function time(fn, n) {
  fn(n);
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    fn(n);
    rounds.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return rounds.sort((a, b) => a - b)[2];
}

const rw = ['read', 'write'];
const anonFixed = (page, pages) => ({ page, pages, prot: rw, flags: ['private', 'anonymous', 'fixed'] });

function simRates(backend) {
  const rates = {};
  let as = new AddressSpace({ backend });
  as.mmap(anonFixed(0, 8));
  rates.mprotect = time((n) => {
    for (let i = 0; i < n; i += 2) {
      as.mprotect({ page: 2, pages: 2, prot: ['read'] });
      as.mprotect({ page: 2, pages: 2, prot: rw });
    }
  }, OPS);
  as = new AddressSpace({ backend });
  rates.mmap_munmap = time((n) => {
    for (let i = 0; i < n; i += 2) {
      as.mmap(anonFixed(0, 4));
      as.munmap({ page: 0, pages: 4 });
    }
  }, OPS);
  as = new AddressSpace({ backend });
  as.mmap(anonFixed(0, 65536));
  let next = 0;
  rates.touch = time(
    (n) => {
      for (let i = 0; i < n; i++) as.touch({ page: next++ % 65536, pages: 1 });
    },
    Math.min(OPS, 65536),
  );
  return rates;
}

const kernel = kernelRates();
const rows = [];
let misses = 0;
for (const backend of ['core', 'native']) {
  const sim = simRates(backend);
  for (const [op, ns] of Object.entries(sim)) {
    const k = kernel?.[op];
    const ratio = k === undefined ? null : ns / k;
    const ok = ratio === null || ratio <= 2;
    if (!ok) misses++;
    rows.push(
      `| ${backend} | ${op} | ${(ns / 1000).toFixed(2)} µs | ${k === undefined ? '–' : `${(k / 1000).toFixed(2)} µs`} | ${ratio === null ? '–' : `${ratio.toFixed(2)}x ${ok ? '✓' : '✗ (goal ≤ 2x)'}`} |`,
    );
  }
}
console.log(
  `Simulator vs live kernel, time per operation (median of 5 rounds of ${OPS} ops; node ${process.version})\n`,
);
console.log('| backend | op | sim | kernel | sim / kernel |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) console.log(r);
console.log(`\n${misses === 0 ? 'all within the goal' : `${misses} above the goal (reported, not a failure)`}`);
