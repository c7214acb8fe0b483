// The native fast path: many VMAs' flags in one core `VmaFlagsArena`, changed
// in batches by the Rust addon on the same memory (no copies), then read back
// with the ordinary core helpers. `updateFlags*` is the kernel Rust binding's
// `VmaNew::update_flags(set, unset)` applied to word 0 of each entry.
//
//   node dist/native_arena_batch.js
import {
  DEFAULT_CONFIG,
  VMA_WRITE_BIT,
  VM_DONTDUMP,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_READ,
  VM_WRITE,
  VmaFlagsArena,
  mkVmaFlags,
  showSmapVmaFlags,
} from '@vmaflags/core';
import { nativeMask, registerArena } from '@vmaflags/native';

const N = 1024;
const arena = new VmaFlagsArena(DEFAULT_CONFIG, N);
const fast = registerArena(arena);

// Every entry a private read-write anonymous mapping.
fast.overwriteWordRange(0, N, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
// mprotect(PROT_READ) over entries 256..511: drop WRITE, keep MAYWRITE.
fast.updateFlagsRange(256, 256, 0n, VM_WRITE);
// madvise(MADV_DONTDUMP) on a scattered few.
fast.updateFlagsList(Uint32Array.of(3, 300, 900), VM_DONTDUMP, 0n);

const writable = nativeMask(mkVmaFlags(VMA_WRITE_BIT));
const hits = new Uint32Array(Math.ceil(N / 32));
const count = fast.testAnyMaskRange(0, N, writable, hits);
console.log(`entries: ${N}, writable: ${count}, read-only: ${N - count}`);
console.log(`entries 256..287 writable: ${hits[8] === 0 ? 'none' : 'some'}`);

// The core sees the addon's writes: arena.at() is a live VmaFlags view.
for (const i of [0, 3, 300]) {
  console.log(`entry ${String(i).padStart(3)}: ${showSmapVmaFlags(arena.at(i)).trimEnd()}`);
}
