// @vmaflags/vma-testing — the kernel's VMA userland test harness
// (tools/testing/vma) over the FlagsBackend contract. The ported mm/vma.c,
// the VMA tree and the kernel types come from @vmaflags/mm; what the harness
// adds is laid out like the kernel's: include/custom.ts is its environment
// for that code (the harness's custom.h + stubs.h as a VmaInternal), tests/
// the cases, shared.ts the tests' helpers.
export * from './include/custom.js';
export * from './shared.js';
export * from './backends.js';
export * from './run_tests.js';
export * from './random_sequence.js';
export { runMergeTests } from './tests/merge.js';
export { runMmapTests } from './tests/mmap.js';
export { runVmaTests } from './tests/vma.js';
