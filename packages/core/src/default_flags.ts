import { DEFAULT_CONFIG } from './config.js';
import { vmaFlagTable } from './flag_table.js';
import type { VmaFlag } from './vma_flag.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlags } from './vm_word.js';

// The flag table of DEFAULT_CONFIG (x86_64, 64-bit, soft-dirty, 4 pkey bits,
// user shadow stack, uffd minor) as plain constants, for code that targets the
// default configuration. Other configurations: vmaFlagTable(config).
// A disabled flag is VM_NONE (0n), as in the kernel.

const T = vmaFlagTable(DEFAULT_CONFIG);

export const VM_NONE: VmFlags = T.VM_NONE;
export const VM_READ: VmFlags = T.VM_READ;
export const VM_WRITE: VmFlags = T.VM_WRITE;
export const VM_EXEC: VmFlags = T.VM_EXEC;
export const VM_SHARED: VmFlags = T.VM_SHARED;
export const VM_MAYREAD: VmFlags = T.VM_MAYREAD;
export const VM_MAYWRITE: VmFlags = T.VM_MAYWRITE;
export const VM_MAYEXEC: VmFlags = T.VM_MAYEXEC;
export const VM_MAYSHARE: VmFlags = T.VM_MAYSHARE;
export const VM_GROWSDOWN: VmFlags = T.VM_GROWSDOWN;
export const VM_UFFD_MISSING: VmFlags = T.VM_UFFD_MISSING;
export const VM_MAYOVERLAY: VmFlags = T.VM_MAYOVERLAY;
export const VM_PFNMAP: VmFlags = T.VM_PFNMAP;
export const VM_MAYBE_GUARD: VmFlags = T.VM_MAYBE_GUARD;
export const VM_UFFD_WP: VmFlags = T.VM_UFFD_WP;
export const VM_LOCKED: VmFlags = T.VM_LOCKED;
export const VM_IO: VmFlags = T.VM_IO;
export const VM_SEQ_READ: VmFlags = T.VM_SEQ_READ;
export const VM_RAND_READ: VmFlags = T.VM_RAND_READ;
export const VM_DONTCOPY: VmFlags = T.VM_DONTCOPY;
export const VM_DONTEXPAND: VmFlags = T.VM_DONTEXPAND;
export const VM_LOCKONFAULT: VmFlags = T.VM_LOCKONFAULT;
export const VM_ACCOUNT: VmFlags = T.VM_ACCOUNT;
export const VM_NORESERVE: VmFlags = T.VM_NORESERVE;
export const VM_HUGETLB: VmFlags = T.VM_HUGETLB;
export const VM_SYNC: VmFlags = T.VM_SYNC;
export const VM_ARCH_1: VmFlags = T.VM_ARCH_1;
export const VM_WIPEONFORK: VmFlags = T.VM_WIPEONFORK;
export const VM_DONTDUMP: VmFlags = T.VM_DONTDUMP;
export const VM_SOFTDIRTY: VmFlags = T.VM_SOFTDIRTY;
export const VM_MIXEDMAP: VmFlags = T.VM_MIXEDMAP;
export const VM_HUGEPAGE: VmFlags = T.VM_HUGEPAGE;
export const VM_NOHUGEPAGE: VmFlags = T.VM_NOHUGEPAGE;
export const VM_MERGEABLE: VmFlags = T.VM_MERGEABLE;
export const VM_STACK: VmFlags = T.VM_STACK;
export const VM_STACK_EARLY: VmFlags = T.VM_STACK_EARLY;
export const VM_PKEY_BIT0: VmFlags = T.VM_PKEY_BIT0;
export const VM_PKEY_BIT1: VmFlags = T.VM_PKEY_BIT1;
export const VM_PKEY_BIT2: VmFlags = T.VM_PKEY_BIT2;
export const VM_PKEY_BIT3: VmFlags = T.VM_PKEY_BIT3;
export const VM_PKEY_BIT4: VmFlags = T.VM_PKEY_BIT4;
export const VM_SHADOW_STACK: VmFlags = T.VM_SHADOW_STACK;
export const VM_SAO: VmFlags = T.VM_SAO;
export const VM_GROWSUP: VmFlags = T.VM_GROWSUP;
export const VM_SPARC_ADI: VmFlags = T.VM_SPARC_ADI;
export const VM_ARM64_BTI: VmFlags = T.VM_ARM64_BTI;
export const VM_ARCH_CLEAR: VmFlags = T.VM_ARCH_CLEAR;
export const VM_MAPPED_COPY: VmFlags = T.VM_MAPPED_COPY;
export const VM_MTE: VmFlags = T.VM_MTE;
export const VM_MTE_ALLOWED: VmFlags = T.VM_MTE_ALLOWED;
export const VM_UFFD_MINOR: VmFlags = T.VM_UFFD_MINOR;
export const VM_ALLOW_ANY_UNCACHED: VmFlags = T.VM_ALLOW_ANY_UNCACHED;
export const VM_SEALED: VmFlags = T.VM_SEALED;
export const VM_DROPPABLE: VmFlags = T.VM_DROPPABLE;
export const VM_UFFD_RWP: VmFlags = T.VM_UFFD_RWP;
export const VM_STACK_INCOMPLETE_SETUP: VmFlags = T.VM_STACK_INCOMPLETE_SETUP;
export const TASK_EXEC: VmFlags = T.TASK_EXEC;
export const VM_DATA_FLAGS_TSK_EXEC: VmFlags = T.VM_DATA_FLAGS_TSK_EXEC;
export const VM_DATA_FLAGS_NON_EXEC: VmFlags = T.VM_DATA_FLAGS_NON_EXEC;
export const VM_DATA_FLAGS_EXEC: VmFlags = T.VM_DATA_FLAGS_EXEC;
export const VM_DATA_DEFAULT_FLAGS: VmFlags = T.VM_DATA_DEFAULT_FLAGS;
export const VM_STACK_DEFAULT_FLAGS: VmFlags = T.VM_STACK_DEFAULT_FLAGS;
export const VM_STACK_FLAGS: VmFlags = T.VM_STACK_FLAGS;
export const VM_STARTGAP_FLAGS: VmFlags = T.VM_STARTGAP_FLAGS;
export const VM_SEALED_SYSMAP: VmFlags = T.VM_SEALED_SYSMAP;
export const VM_ACCESS_FLAGS: VmFlags = T.VM_ACCESS_FLAGS;
export const VM_SPECIAL: VmFlags = T.VM_SPECIAL;
export const VM_NO_KHUGEPAGED: VmFlags = T.VM_NO_KHUGEPAGED;
export const VM_INIT_DEF_MASK: VmFlags = T.VM_INIT_DEF_MASK;
export const VM_LOCKED_MASK: VmFlags = T.VM_LOCKED_MASK;
export const VM_ATOMIC_SET_ALLOWED: VmFlags = T.VM_ATOMIC_SET_ALLOWED;
export const ARCH_VM_PKEY_FLAGS: VmFlags = T.ARCH_VM_PKEY_FLAGS;
export const VM_FLAGS_CLEAR: VmFlags = T.VM_FLAGS_CLEAR;
export const VM_STICKY: VmFlags = T.VM_STICKY;
export const VM_IGNORE_MERGE: VmFlags = T.VM_IGNORE_MERGE;
export const VM_COPY_ON_FORK: VmFlags = T.VM_COPY_ON_FORK;

/** `VM_PKEY_SHIFT`: 32 (DEFAULT_CONFIG has protection keys). */
export const VM_PKEY_SHIFT: number = T.VM_PKEY_SHIFT as number;
/** `VMA_STACK_BIT` of DEFAULT_CONFIG: GROWSDOWN (8). */
export const VMA_STACK_BIT: VmaFlag = T.VMA_STACK_BIT;
/** `VMA_SHADOW_STACK_BIT` of DEFAULT_CONFIG: HIGH_ARCH_5 (37). */
export const VMA_SHADOW_STACK_BIT: VmaFlag = T.VMA_SHADOW_STACK_BIT as VmaFlag;

// Immutable bitmaps (mutators throw a TypeError on them; copy with vmaFlagsCopy).
export const VMA_STARTGAP_FLAGS: VmaFlags = T.VMA_STARTGAP_FLAGS;
export const VMA_DATA_FLAGS_TSK_EXEC: VmaFlags = T.VMA_DATA_FLAGS_TSK_EXEC;
export const VMA_DATA_FLAGS_NON_EXEC: VmaFlags = T.VMA_DATA_FLAGS_NON_EXEC;
export const VMA_DATA_FLAGS_EXEC: VmaFlags = T.VMA_DATA_FLAGS_EXEC;
export const VMA_DATA_DEFAULT_FLAGS: VmaFlags = T.VMA_DATA_DEFAULT_FLAGS;
export const VMA_STACK_DEFAULT_FLAGS: VmaFlags = T.VMA_STACK_DEFAULT_FLAGS;
export const VMA_STACK_FLAGS: VmaFlags = T.VMA_STACK_FLAGS;
export const VMA_ACCESS_FLAGS: VmaFlags = T.VMA_ACCESS_FLAGS;
export const VMA_SPECIAL_FLAGS: VmaFlags = T.VMA_SPECIAL_FLAGS;
export const VMA_REMAP_FLAGS: VmaFlags = T.VMA_REMAP_FLAGS;
export const VMA_LOCKED_MASK: VmaFlags = T.VMA_LOCKED_MASK;
export const VMA_STICKY_FLAGS: VmaFlags = T.VMA_STICKY_FLAGS;
export const VMA_IGNORE_MERGE_FLAGS: VmaFlags = T.VMA_IGNORE_MERGE_FLAGS;
export const VMA_STACK_INCOMPLETE_SETUP: VmaFlags = T.VMA_STACK_INCOMPLETE_SETUP;
// One-flag masks, EMPTY_VMA_FLAGS where DEFAULT_CONFIG lacks the flag (UFFD_RWP).
export const VMA_DROPPABLE: VmaFlags = T.VMA_DROPPABLE;
export const VMA_UFFD_MISSING: VmaFlags = T.VMA_UFFD_MISSING;
export const VMA_UFFD_WP: VmaFlags = T.VMA_UFFD_WP;
export const VMA_UFFD_MINOR: VmaFlags = T.VMA_UFFD_MINOR;
export const VMA_UFFD_RWP: VmaFlags = T.VMA_UFFD_RWP;
