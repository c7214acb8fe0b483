import { DEFAULT_CONFIG } from './config.js';
import { vmaFlagTable } from './flag_table.js';
import type { VmaFlag } from './vma_flag.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlags } from './vm_word.js';

// The flag table of DEFAULT_CONFIG (x86_64, 64-bit, soft-dirty, 4 pkey bits,
// user shadow stack, uffd minor) as plain constants, for code that targets the
// default configuration. Other configurations: vmaFlagTable(config).
// A flag the configuration lacks is VM_NONE (0n), as in the kernel.

const T = vmaFlagTable(DEFAULT_CONFIG);

/** `VM_NONE`: the empty mask, 0n (also what a flag the configuration lacks is). */
export const VM_NONE: VmFlags = T.VM_NONE;
/** `VM_READ`: pages may be read. */
export const VM_READ: VmFlags = T.VM_READ;
/** `VM_WRITE`: pages may be written. */
export const VM_WRITE: VmFlags = T.VM_WRITE;
/** `VM_EXEC`: pages may be executed. */
export const VM_EXEC: VmFlags = T.VM_EXEC;
/** `VM_SHARED`: a shared mapping: writes reach the object and other mappers. */
export const VM_SHARED: VmFlags = T.VM_SHARED;
/** `VM_MAYREAD`: `mprotect` may turn READ on. */
export const VM_MAYREAD: VmFlags = T.VM_MAYREAD;
/** `VM_MAYWRITE`: `mprotect` may turn WRITE on. */
export const VM_MAYWRITE: VmFlags = T.VM_MAYWRITE;
/** `VM_MAYEXEC`: `mprotect` may turn EXEC on. */
export const VM_MAYEXEC: VmFlags = T.VM_MAYEXEC;
/** `VM_MAYSHARE`: the mapping was requested shared (stays set when SHARED is dropped for a read-only file). */
export const VM_MAYSHARE: VmFlags = T.VM_MAYSHARE;
/** `VM_GROWSDOWN`: a stack that grows towards lower addresses. */
export const VM_GROWSDOWN: VmFlags = T.VM_GROWSDOWN;
/** `VM_UFFD_MISSING`: userfaultfd reports faults on missing pages (MMU kernels; same bit as MAYOVERLAY). */
export const VM_UFFD_MISSING: VmFlags = T.VM_UFFD_MISSING;
/** `VM_MAYOVERLAY`: a no-MMU read-only private mapping that may overlay the file's own pages (same bit as UFFD_MISSING). */
export const VM_MAYOVERLAY: VmFlags = T.VM_MAYOVERLAY;
/** `VM_PFNMAP`: maps raw page frame numbers that have no `struct page`. */
export const VM_PFNMAP: VmFlags = T.VM_PFNMAP;
/** `VM_MAYBE_GUARD`: may hold guard-region markers installed by `madvise(MADV_GUARD_INSTALL)`. */
export const VM_MAYBE_GUARD: VmFlags = T.VM_MAYBE_GUARD;
/** `VM_UFFD_WP`: userfaultfd tracks writes (write-protect mode). */
export const VM_UFFD_WP: VmFlags = T.VM_UFFD_WP;
/** `VM_LOCKED`: pages are locked in memory (`mlock`). */
export const VM_LOCKED: VmFlags = T.VM_LOCKED;
/** `VM_IO`: memory-mapped I/O or similar device memory. */
export const VM_IO: VmFlags = T.VM_IO;
/** `VM_SEQ_READ`: the application hinted sequential reads (`MADV_SEQUENTIAL`). */
export const VM_SEQ_READ: VmFlags = T.VM_SEQ_READ;
/** `VM_RAND_READ`: the application hinted random reads (`MADV_RANDOM`). */
export const VM_RAND_READ: VmFlags = T.VM_RAND_READ;
/** `VM_DONTCOPY`: not inherited by a child on `fork` (`MADV_DONTFORK`). */
export const VM_DONTCOPY: VmFlags = T.VM_DONTCOPY;
/** `VM_DONTEXPAND`: `mremap` may not grow the area. */
export const VM_DONTEXPAND: VmFlags = T.VM_DONTEXPAND;
/** `VM_LOCKONFAULT`: pages are locked as they are faulted in (`MLOCK_ONFAULT`). */
export const VM_LOCKONFAULT: VmFlags = T.VM_LOCKONFAULT;
/** `VM_ACCOUNT`: charged against the commit limit. */
export const VM_ACCOUNT: VmFlags = T.VM_ACCOUNT;
/** `VM_NORESERVE`: no swap space is reserved (`MAP_NORESERVE`). */
export const VM_NORESERVE: VmFlags = T.VM_NORESERVE;
/** `VM_HUGETLB`: a hugetlbfs mapping. */
export const VM_HUGETLB: VmFlags = T.VM_HUGETLB;
/** `VM_SYNC`: page faults are synchronous (`MAP_SYNC` on DAX files). */
export const VM_SYNC: VmFlags = T.VM_SYNC;
/** `VM_ARCH_1`: the first architecture-specific bit; what it means depends on the architecture (SAO, GROWSUP, SPARC_ADI, ARM64_BTI, MAPPED_COPY). */
export const VM_ARCH_1: VmFlags = T.VM_ARCH_1;
/** `VM_WIPEONFORK`: a child gets zero-filled pages here after `fork` (`MADV_WIPEONFORK`). */
export const VM_WIPEONFORK: VmFlags = T.VM_WIPEONFORK;
/** `VM_DONTDUMP`: left out of core dumps (`MADV_DONTDUMP`). */
export const VM_DONTDUMP: VmFlags = T.VM_DONTDUMP;
/** `VM_SOFTDIRTY`: soft-dirty tracking: new or written since the last clear. */
export const VM_SOFTDIRTY: VmFlags = T.VM_SOFTDIRTY;
/** `VM_MIXEDMAP`: holds both pages with a `struct page` and raw page frames. */
export const VM_MIXEDMAP: VmFlags = T.VM_MIXEDMAP;
/** `VM_HUGEPAGE`: transparent huge pages requested (`MADV_HUGEPAGE`). */
export const VM_HUGEPAGE: VmFlags = T.VM_HUGEPAGE;
/** `VM_NOHUGEPAGE`: transparent huge pages refused (`MADV_NOHUGEPAGE`). */
export const VM_NOHUGEPAGE: VmFlags = T.VM_NOHUGEPAGE;
/** `VM_MERGEABLE`: KSM may merge identical pages here (`MADV_MERGEABLE`). */
export const VM_MERGEABLE: VmFlags = T.VM_MERGEABLE;
/** `VM_STACK`: the stack direction flag: GROWSDOWN, or GROWSUP under `CONFIG_STACK_GROWSUP`. */
export const VM_STACK: VmFlags = T.VM_STACK;
/** `VM_STACK_EARLY`: marks a stack still being set up by `exec` (only under `CONFIG_STACK_GROWSUP`). */
export const VM_STACK_EARLY: VmFlags = T.VM_STACK_EARLY;
/** `VM_PKEY_BIT0`: bit 0 of the memory protection key. */
export const VM_PKEY_BIT0: VmFlags = T.VM_PKEY_BIT0;
/** `VM_PKEY_BIT1`: bit 1 of the memory protection key. */
export const VM_PKEY_BIT1: VmFlags = T.VM_PKEY_BIT1;
/** `VM_PKEY_BIT2`: bit 2 of the memory protection key. */
export const VM_PKEY_BIT2: VmFlags = T.VM_PKEY_BIT2;
/** `VM_PKEY_BIT3`: bit 3 of the memory protection key. */
export const VM_PKEY_BIT3: VmFlags = T.VM_PKEY_BIT3;
/** `VM_PKEY_BIT4`: bit 4 of the memory protection key. */
export const VM_PKEY_BIT4: VmFlags = T.VM_PKEY_BIT4;
/** `VM_SHADOW_STACK`: a user shadow stack (x86, riscv, arm64 GCS). */
export const VM_SHADOW_STACK: VmFlags = T.VM_SHADOW_STACK;
/** `VM_SAO`: powerpc strong access ordering. */
export const VM_SAO: VmFlags = T.VM_SAO;
/** `VM_GROWSUP`: a stack that grows towards higher addresses (parisc). */
export const VM_GROWSUP: VmFlags = T.VM_GROWSUP;
/** `VM_SPARC_ADI`: sparc64 application data integrity. */
export const VM_SPARC_ADI: VmFlags = T.VM_SPARC_ADI;
/** `VM_ARM64_BTI`: arm64 branch target identification is enforced. */
export const VM_ARM64_BTI: VmFlags = T.VM_ARM64_BTI;
/** `VM_ARCH_CLEAR`: the architecture flag `mprotect` clears and derives again from the new protection (SPARC_ADI or ARM64_BTI). */
export const VM_ARCH_CLEAR: VmFlags = T.VM_ARCH_CLEAR;
/** `VM_MAPPED_COPY`: a no-MMU private copy of a file mapping. */
export const VM_MAPPED_COPY: VmFlags = T.VM_MAPPED_COPY;
/** `VM_MTE`: arm64 memory tagging is on. */
export const VM_MTE: VmFlags = T.VM_MTE;
/** `VM_MTE_ALLOWED`: arm64 memory tagging may be turned on. */
export const VM_MTE_ALLOWED: VmFlags = T.VM_MTE_ALLOWED;
/** `VM_UFFD_MINOR`: userfaultfd reports minor faults. */
export const VM_UFFD_MINOR: VmFlags = T.VM_UFFD_MINOR;
/** `VM_ALLOW_ANY_UNCACHED`: a device mapping that may use any uncached memory attribute. */
export const VM_ALLOW_ANY_UNCACHED: VmFlags = T.VM_ALLOW_ANY_UNCACHED;
/** `VM_SEALED`: sealed by `mseal`: may not be unmapped, moved or have its protection changed. */
export const VM_SEALED: VmFlags = T.VM_SEALED;
/** `VM_DROPPABLE`: contents may be dropped under memory pressure (`MAP_DROPPABLE`). */
export const VM_DROPPABLE: VmFlags = T.VM_DROPPABLE;
/** `VM_UFFD_RWP` of DEFAULT_CONFIG: userfaultfd read-write protection (bit 43, `CONFIG_USERFAULTFD_RWP`). */
export const VM_UFFD_RWP: VmFlags = T.VM_UFFD_RWP;
/** `VM_STACK_INCOMPLETE_SETUP` of DEFAULT_CONFIG: flags a stack carries while `exec` is still setting it up (SEQ_READ, RAND_READ, STACK_EARLY). */
export const VM_STACK_INCOMPLETE_SETUP: VmFlags = T.VM_STACK_INCOMPLETE_SETUP;
/** `TASK_EXEC` of DEFAULT_CONFIG: eXEC when the task's personality has READ_IMPLIES_EXEC, else none (the default table assumes it has not). */
export const TASK_EXEC: VmFlags = T.TASK_EXEC;
/** `VM_DATA_FLAGS_TSK_EXEC` of DEFAULT_CONFIG: data-area default: read, write, the MAY* bits, and EXEC as the task's personality says. */
export const VM_DATA_FLAGS_TSK_EXEC: VmFlags = T.VM_DATA_FLAGS_TSK_EXEC;
/** `VM_DATA_FLAGS_NON_EXEC` of DEFAULT_CONFIG: data-area default without execute permission. */
export const VM_DATA_FLAGS_NON_EXEC: VmFlags = T.VM_DATA_FLAGS_NON_EXEC;
/** `VM_DATA_FLAGS_EXEC` of DEFAULT_CONFIG: data-area default with execute permission. */
export const VM_DATA_FLAGS_EXEC: VmFlags = T.VM_DATA_FLAGS_EXEC;
/** `VM_DATA_DEFAULT_FLAGS` of DEFAULT_CONFIG: the architecture's default flags for data areas (heap, `brk`). */
export const VM_DATA_DEFAULT_FLAGS: VmFlags = T.VM_DATA_DEFAULT_FLAGS;
/** `VM_STACK_DEFAULT_FLAGS` of DEFAULT_CONFIG: the architecture's default flags for the stack. */
export const VM_STACK_DEFAULT_FLAGS: VmFlags = T.VM_STACK_DEFAULT_FLAGS;
/** `VM_STACK_FLAGS` of DEFAULT_CONFIG: flags of a new stack: direction, the stack defaults and ACCOUNT. */
export const VM_STACK_FLAGS: VmFlags = T.VM_STACK_FLAGS;
/** `VM_STARTGAP_FLAGS` of DEFAULT_CONFIG: flags that need a guard gap below the area (GROWSDOWN, SHADOW_STACK). */
export const VM_STARTGAP_FLAGS: VmFlags = T.VM_STARTGAP_FLAGS;
/** `VM_SEALED_SYSMAP` of DEFAULT_CONFIG: sEALED when system mappings are sealed (`CONFIG_MSEAL_SYSTEM_MAPPINGS`), else none. */
export const VM_SEALED_SYSMAP: VmFlags = T.VM_SEALED_SYSMAP;
/** `VM_ACCESS_FLAGS` of DEFAULT_CONFIG: the access permissions: READ, WRITE, EXEC. */
export const VM_ACCESS_FLAGS: VmFlags = T.VM_ACCESS_FLAGS;
/** `VM_SPECIAL` of DEFAULT_CONFIG: areas that are never merged or expanded: IO, DONTEXPAND, PFNMAP, MIXEDMAP. */
export const VM_SPECIAL: VmFlags = T.VM_SPECIAL;
/** `VM_NO_KHUGEPAGED` of DEFAULT_CONFIG: areas khugepaged leaves alone: the special ones and HUGETLB. */
export const VM_NO_KHUGEPAGED: VmFlags = T.VM_NO_KHUGEPAGED;
/** `VM_INIT_DEF_MASK` of DEFAULT_CONFIG: the mm default flags a child inherits on fork (NOHUGEPAGE). */
export const VM_INIT_DEF_MASK: VmFlags = T.VM_INIT_DEF_MASK;
/** `VM_LOCKED_MASK` of DEFAULT_CONFIG: the two mlock flags: LOCKED and LOCKONFAULT. */
export const VM_LOCKED_MASK: VmFlags = T.VM_LOCKED_MASK;
/** `VM_ATOMIC_SET_ALLOWED` of DEFAULT_CONFIG: the only flags the atomic setter accepts (MAYBE_GUARD). */
export const VM_ATOMIC_SET_ALLOWED: VmFlags = T.VM_ATOMIC_SET_ALLOWED;
/** `ARCH_VM_PKEY_FLAGS` of DEFAULT_CONFIG: every protection-key bit. */
export const ARCH_VM_PKEY_FLAGS: VmFlags = T.ARCH_VM_PKEY_FLAGS;
/** `VM_FLAGS_CLEAR` of DEFAULT_CONFIG: flags cleared when `mprotect` changes the protection: the protection-key bits and ARCH_CLEAR. */
export const VM_FLAGS_CLEAR: VmFlags = T.VM_FLAGS_CLEAR;
/** `VM_STICKY` of DEFAULT_CONFIG: flags a merged area keeps if either side had them (SOFTDIRTY, MAYBE_GUARD). */
export const VM_STICKY: VmFlags = T.VM_STICKY;
/** `VM_IGNORE_MERGE` of DEFAULT_CONFIG: flags that do not stop two areas from merging (the sticky ones). */
export const VM_IGNORE_MERGE: VmFlags = T.VM_IGNORE_MERGE;
/** `VM_COPY_ON_FORK` of DEFAULT_CONFIG: flags that make `fork` copy the page tables of the area. */
export const VM_COPY_ON_FORK: VmFlags = T.VM_COPY_ON_FORK;

/** `VM_PKEY_SHIFT`: 32 (DEFAULT_CONFIG has protection keys). */
export const VM_PKEY_SHIFT: number = T.VM_PKEY_SHIFT as number;
/** `VMA_STACK_BIT` of DEFAULT_CONFIG: GROWSDOWN (8). */
export const VMA_STACK_BIT: VmaFlag = T.VMA_STACK_BIT;
/** `VMA_SHADOW_STACK_BIT` of DEFAULT_CONFIG: HIGH_ARCH_5 (37). */
export const VMA_SHADOW_STACK_BIT: VmaFlag = T.VMA_SHADOW_STACK_BIT as VmaFlag;

// Immutable bitmaps (mutators throw a TypeError on them; copy with vmaFlagsCopy).
/** `VMA_STARTGAP_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_STARTGAP_FLAGS` (immutable). */
export const VMA_STARTGAP_FLAGS: VmaFlags = T.VMA_STARTGAP_FLAGS;
/** `VMA_DATA_FLAGS_TSK_EXEC` of DEFAULT_CONFIG: bitmap form of `VM_DATA_FLAGS_TSK_EXEC` (immutable). */
export const VMA_DATA_FLAGS_TSK_EXEC: VmaFlags = T.VMA_DATA_FLAGS_TSK_EXEC;
/** `VMA_DATA_FLAGS_NON_EXEC` of DEFAULT_CONFIG: bitmap form of `VM_DATA_FLAGS_NON_EXEC` (immutable). */
export const VMA_DATA_FLAGS_NON_EXEC: VmaFlags = T.VMA_DATA_FLAGS_NON_EXEC;
/** `VMA_DATA_FLAGS_EXEC` of DEFAULT_CONFIG: bitmap form of `VM_DATA_FLAGS_EXEC` (immutable). */
export const VMA_DATA_FLAGS_EXEC: VmaFlags = T.VMA_DATA_FLAGS_EXEC;
/** `VMA_DATA_DEFAULT_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_DATA_DEFAULT_FLAGS` (immutable). */
export const VMA_DATA_DEFAULT_FLAGS: VmaFlags = T.VMA_DATA_DEFAULT_FLAGS;
/** `VMA_STACK_DEFAULT_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_STACK_DEFAULT_FLAGS` (immutable). */
export const VMA_STACK_DEFAULT_FLAGS: VmaFlags = T.VMA_STACK_DEFAULT_FLAGS;
/** `VMA_STACK_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_STACK_FLAGS` (immutable). */
export const VMA_STACK_FLAGS: VmaFlags = T.VMA_STACK_FLAGS;
/** `VMA_ACCESS_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_ACCESS_FLAGS` (immutable). */
export const VMA_ACCESS_FLAGS: VmaFlags = T.VMA_ACCESS_FLAGS;
/** `VMA_SPECIAL_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_SPECIAL` (immutable). */
export const VMA_SPECIAL_FLAGS: VmaFlags = T.VMA_SPECIAL_FLAGS;
/** `VMA_REMAP_FLAGS` of DEFAULT_CONFIG (immutable): flags `remap_pfn_range` sets on an area: IO, PFNMAP, DONTEXPAND, DONTDUMP. */
export const VMA_REMAP_FLAGS: VmaFlags = T.VMA_REMAP_FLAGS;
/** `VMA_LOCKED_MASK` of DEFAULT_CONFIG: bitmap form of `VM_LOCKED_MASK` (immutable). */
export const VMA_LOCKED_MASK: VmaFlags = T.VMA_LOCKED_MASK;
/** `VMA_STICKY_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_STICKY` (immutable). */
export const VMA_STICKY_FLAGS: VmaFlags = T.VMA_STICKY_FLAGS;
/** `VMA_IGNORE_MERGE_FLAGS` of DEFAULT_CONFIG: bitmap form of `VM_IGNORE_MERGE` (immutable). */
export const VMA_IGNORE_MERGE_FLAGS: VmaFlags = T.VMA_IGNORE_MERGE_FLAGS;
/** `VMA_STACK_INCOMPLETE_SETUP` of DEFAULT_CONFIG: the bitmap form of VM_STACK_INCOMPLETE_SETUP. */
export const VMA_STACK_INCOMPLETE_SETUP: VmaFlags = T.VMA_STACK_INCOMPLETE_SETUP;
// One-flag masks, EMPTY_VMA_FLAGS where DEFAULT_CONFIG lacks the flag (UFFD_RWP).
/** `VMA_DROPPABLE` of DEFAULT_CONFIG: DROPPABLE as a bitmap (empty on configs that do not declare the bit). */
export const VMA_DROPPABLE: VmaFlags = T.VMA_DROPPABLE;
/** `VMA_UFFD_MISSING` of DEFAULT_CONFIG: userfaultfd missing-page tracking as a bitmap (empty without an MMU). */
export const VMA_UFFD_MISSING: VmaFlags = T.VMA_UFFD_MISSING;
/** `VMA_UFFD_WP` of DEFAULT_CONFIG: userfaultfd write protection as a bitmap. */
export const VMA_UFFD_WP: VmaFlags = T.VMA_UFFD_WP;
/** `VMA_UFFD_MINOR` of DEFAULT_CONFIG: userfaultfd minor faults as a bitmap (empty without HAVE_ARCH_USERFAULTFD_MINOR). */
export const VMA_UFFD_MINOR: VmaFlags = T.VMA_UFFD_MINOR;
/** `VMA_UFFD_RWP` of DEFAULT_CONFIG: userfaultfd read-write protection as a bitmap (empty without USERFAULTFD_RWP). */
export const VMA_UFFD_RWP: VmaFlags = T.VMA_UFFD_RWP;
