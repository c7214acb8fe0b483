#!/usr/bin/env node
// The simulator against the live kernel on the same op streams and the same
// layout of N VMAs: the kernel side is `kernel-probe --bench` (the probe's
// bench mode, which documents the layout and the streams), the simulator side
// replays them here on each flag backend. Prints ns/op for the kernel and for
// each backend, the ratio, and the scaling from the smallest to the largest
// size. Goals: the simulator at >= 0.5x the kernel's op rate at every size
// (time per op <= 2x the kernel's), and time per op at the largest size <= 2x
// that at the smallest. Misses are reported; only a real error fails.
//
//   node bench/run.mjs [--ops 20000] [--sizes 1000,16000,64000]
//
// Run after `tsc -b` and the probe's build (nx's bench target does both).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { missSummary, targetStatus } from '@vmaflags/tools/bench-policy';
import { AddressSpace } from '../dist/index.js';

const { values } = parseArgs({
  options: { ops: { type: 'string', default: '20000' }, sizes: { type: 'string', default: '1000,16000,64000' } },
});
const OPS = Number(values.ops);
const SIZES = values.sizes.split(',').map(Number);
if (!Number.isSafeInteger(OPS) || OPS < 2 || OPS % 2 !== 0)
  throw new RangeError(`--ops must be an even integer >= 2, got ${values.ops}`);
const STREAMS = ['mprotect', 'munmap_mmap', 'madvise'];
const BACKENDS = ['core', 'native'];
// The probe's layout and walk (tools/kernel-probe/src/bench.rs).
const BLOCK_PAGES = 4;
const STRIDE = 7919;
const ROUNDS = 5;

const PROBE = fileURLToPath(new URL('../../../target/release/kernel-probe', import.meta.url));

function kernelNsPerOp(stream, vmas) {
  if (process.platform !== 'linux') return null;
  if (!existsSync(PROBE)) throw new Error(`${PROBE} is missing: run \`npx nx run @vmaflags/kernel-probe:build\``);
  const out = execFileSync(PROBE, ['--bench', stream, String(vmas), String(OPS)]).toString();
  return JSON.parse(out).ns_per_op;
}

const protOf = (block) => (block % 2 === 1 ? ['read', 'write'] : ['read']);

function layout(backend, vmas) {
  const space = new AddressSpace({ backend });
  space.mmap({
    page: 0,
    pages: vmas * BLOCK_PAGES,
    prot: ['read'],
    flags: ['private', 'anonymous', 'fixed_noreplace'],
  });
  for (let block = 1; block < vmas; block += 2)
    space.mprotect({ page: block * BLOCK_PAGES, pages: BLOCK_PAGES, prot: protOf(block) });
  if (space.mm.mapCount !== vmas) throw new Error(`layout has ${space.mm.mapCount} VMAs, wanted ${vmas}`);
  return space;
}

function expectOk(what, result) {
  if (result !== 'ok') throw new Error(`${what} returned ${result}`);
}

const PAIRS = {
  mprotect(space, block) {
    const prot = protOf(block);
    const page = block * BLOCK_PAGES + 1;
    expectOk('mprotect', space.mprotect({ page, pages: 1, prot: prot.length === 2 ? ['read'] : ['read', 'write'] }));
    expectOk('mprotect', space.mprotect({ page, pages: 1, prot }));
  },
  munmap_mmap(space, block) {
    const page = block * BLOCK_PAGES + 1;
    expectOk('munmap', space.munmap({ page, pages: 1 }));
    expectOk(
      'mmap',
      space.mmap({ page, pages: 1, prot: protOf(block), flags: ['private', 'anonymous', 'fixed_noreplace'] }),
    );
  },
  madvise(space, block) {
    const page = block * BLOCK_PAGES + 1;
    expectOk('madvise', space.madvise({ page, pages: 1, advice: 'dontfork' }));
    expectOk('madvise', space.madvise({ page, pages: 1, advice: 'dofork' }));
  },
};

/** Median ns/op of ROUNDS rounds of OPS ops after an untimed one, as the probe does. */
function simNsPerOp(backend, stream, vmas) {
  const space = layout(backend, vmas);
  const pair = PAIRS[stream];
  const round = () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < OPS / 2; i++) pair(space, (i * STRIDE) % vmas);
    return Number(process.hrtime.bigint() - t0) / OPS;
  };
  round();
  const rounds = Array.from({ length: ROUNDS }, round);
  if (space.mm.mapCount !== vmas) throw new Error(`${stream} left ${space.mm.mapCount} VMAs, wanted ${vmas}`);
  return rounds.sort((a, b) => a - b)[ROUNDS >> 1];
}

const us = (ns) => (ns === null ? '–' : `${(ns / 1000).toFixed(2)} µs`);
let misses = 0;
const results = {};
const rows = [];
for (const vmas of SIZES) {
  for (const stream of STREAMS) {
    const kernel = kernelNsPerOp(stream, vmas);
    const cells = [`| ${vmas} | ${stream} | ${us(kernel)}`];
    for (const backend of BACKENDS) {
      const sim = simNsPerOp(backend, stream, vmas);
      const key = `${backend} ${stream}`;
      results[key] = { ...results[key], [vmas]: sim };
      const ratio = kernel === null ? null : sim / kernel;
      const ok = ratio === null || ratio <= 2;
      if (!ok) misses++;
      cells.push(`${us(sim)} | ${ratio === null ? '–' : `${ratio.toFixed(2)}x ${targetStatus(ok)}`}`);
    }
    rows.push(`${cells.join(' | ')} |`);
  }
}
console.log(
  `Simulator vs live kernel, time per op (median of ${ROUNDS} rounds of ${OPS} ops after a warm-up round; node ${process.version}; kernel: kernel-probe --bench)\n`,
);
console.log('| VMAs | stream | kernel | core | core / kernel | native | native / kernel |');
console.log('|---:|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
const [small, large] = [SIZES[0], SIZES[SIZES.length - 1]];
console.log(`\nScaling: time per op at ${large} VMAs over ${small} VMAs (goal ≤ 2x)\n`);
console.log(`| backend | stream | ${small} | ${large} | ratio |`);
console.log('|---|---|---:|---:|---:|');
for (const [key, bySize] of Object.entries(results)) {
  const ratio = bySize[large] / bySize[small];
  const ok = ratio <= 2;
  if (!ok) misses++;
  const [backend, stream] = key.split(' ');
  console.log(
    `| ${backend} | ${stream} | ${us(bySize[small])} | ${us(bySize[large])} | ${ratio.toFixed(2)}x ${targetStatus(ok)} |`,
  );
}
console.log(`\n${missSummary(misses)}`);
