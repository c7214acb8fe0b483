// @vmaflags/vma-testing — the kernel's VMA userland test harness
// (tools/testing/vma) over the FlagsBackend contract. The layout follows the
// kernel's: mm/ holds the ported mm/vma.c and mm/vma.h, include/ what the
// harness duplicates, customises and stubs, lib/ the VMA tree, tests/ the
// cases, shared.ts the tests' helpers.
export * from './vma_internal.js';
export * from './lib/maple_tree.js';
export * from './include/custom.js';
export * from './include/stubs.js';
export * from './include/dup.js';
export * from './mm/vma_merge_struct.js';
export * from './mm/vma_iter.js';
export * from './mm/vma.js';
export * from './shared.js';
export * from './backends.js';
export * from './run_tests.js';
export * from './random_sequence.js';
export { runMergeTests } from './tests/merge.js';
export { runMmapTests } from './tests/mmap.js';
export { runVmaTests } from './tests/vma.js';
