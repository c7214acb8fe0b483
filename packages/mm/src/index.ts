// @vmaflags/mm — the kernel's VMA code (mm/vma.c and the maple tree behind
// it) over the FlagsBackend contract. Laid out like the kernel: mm/ holds the
// ported mm/*.c, include/linux/ the types and one-line helpers of the kernel
// headers, lib/ the VMA tree. What differs between environments (a kernel, a
// test harness) is the VmaInternal each MmStruct carries.
export * from './vma_internal.js';
export type { Mempolicy } from './include/stubs.js';
export * from './include/linux/types.js';
export * from './include/linux/bug.js';
export * from './include/linux/rmap.js';
export * from './include/linux/sched.js';
export * from './include/linux/fs.js';
export * from './include/linux/mm_types.js';
export * from './include/linux/mm.js';
export * from './include/linux/vma_iterator.js';
export * from './include/linux/vma_flag_masks.js';
export * from './lib/maple_tree.js';
export * from './lib/prandom.js';
export * from './mm/vma_merge_struct.js';
export * from './mm/vma_iter.js';
export * from './mm/merge_blockers.js';
export * from './mm/vma.js';
export * from './include/uapi/mman.js';
export * as kernelRmap from './mm/rmap.js';
export { anonVmaFork } from './mm/rmap.js';
export * from './mm/mmap.js';
export * from './mm/memory.js';
export * from './mm/mprotect.js';
export * from './mm/mlock.js';
export * from './mm/madvise.js';
export * from './mm/mseal.js';
export * from './kernel/fork.js';
export * from './mm/mremap.js';
