#!/usr/bin/env node
// Heap per VMA of the simulator: N one-page VMAs (the whole run mapped
// read-only, every other page made writable, so none merge), measured with
// process.memoryUsage() around a forced GC, each size and backend in a fresh
// node (run with --expose-gc, which this script adds itself). Goal: at most
// 512 bytes per VMA at 65,536 VMAs; 2^20 VMAs (the whole window) in under
// 1 GiB of heap. Reports misses; fails only on a real error.
//
//   node bench/memory.mjs [--sizes 65536,1048576]
//
// Run after `tsc -b` (nx's bench target builds first).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { missSummary, targetStatus } from '@vmaflags/tools/bench-policy';

const GOAL_BYTES_PER_VMA = 512;
const GOAL_HEAP_AT_1M = 2 ** 30;

async function measure(backend, n) {
  const { AddressSpace } = await import('../dist/index.js');
  globalThis.gc();
  const before = process.memoryUsage();
  const t0 = process.hrtime.bigint();
  const space = new AddressSpace({ backend, maxMapCount: n + 64 });
  space.mmap({ page: 0, pages: n, prot: ['read'], flags: ['private', 'anonymous', 'fixed_noreplace'] });
  for (let page = 1; page < n; page += 2) space.mprotect({ page, pages: 1, prot: ['read', 'write'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  globalThis.gc();
  const after = process.memoryUsage();
  if (space.mm.mapCount !== n) throw new Error(`built ${space.mm.mapCount} VMAs, wanted ${n}`);
  return {
    backend,
    vmas: n,
    heap: after.heapUsed - before.heapUsed,
    external: after.external - before.external,
    heapUsed: after.heapUsed,
    ms,
  };
}

if (process.argv[2] === '--child') {
  const result = await measure(process.argv[3], Number(process.argv[4]));
  process.stdout.write(JSON.stringify(result));
} else {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: `65536,${2 ** 20}` } } });
  const sizes = values.sizes.split(',').map(Number);
  const me = fileURLToPath(import.meta.url);
  const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  console.log(`Simulator heap per VMA (node ${process.version}, --expose-gc, one process per row)\n`);
  console.log('| backend | VMAs | heap | external | bytes / VMA | heap used after | build time |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  let misses = 0;
  for (const backend of ['core', 'native']) {
    for (const n of sizes) {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--max-old-space-size=4096', me, '--child', backend, String(n)],
        {
          maxBuffer: 1 << 20,
        },
      );
      const r = JSON.parse(out.toString());
      const perVma = (r.heap + r.external) / n;
      const notes = [];
      if (n === 65536 && perVma > GOAL_BYTES_PER_VMA)
        notes.push(`${targetStatus(false)} (goal ≤ ${GOAL_BYTES_PER_VMA})`);
      if (n === 2 ** 20 && r.heapUsed > GOAL_HEAP_AT_1M) notes.push(`${targetStatus(false)} (goal < 1 GiB)`);
      misses += notes.length;
      console.log(
        `| ${backend} | ${n} | ${mib(r.heap)} | ${mib(r.external)} | ${perVma.toFixed(0)} ${notes.join(' ') || targetStatus(true)} | ${mib(r.heapUsed)} | ${(r.ms / 1000).toFixed(1)} s |`,
      );
    }
  }
  console.log(`\n${missSummary(misses)}`);
}
