// vma_flag_t: a bit number in a vma_flags_t. Branded so a plain integer (a mask,
// a count) is not passed where a bit number is meant; `vmaFlag(n)` brands one
// after checking it. Every bit is declared whatever the configuration, as the
// kernel does; only the VM_* legacy masks depend on the config (flag_table.ts).

declare const vmaFlagBrand: unique symbol;
/**
 * `vma_flag_t`: a bit number in a {@link VmaFlags}. Branded, so a mask or a count
 * cannot be passed where a bit number is meant; the `VMA_*_BIT` constants have this type.
 */
export type VmaFlag = number & {
  /** Type-only brand: never present at run time. */
  readonly [vmaFlagBrand]: true;
};

const bit = (n: number) => n as VmaFlag;

/** `VMA_READ_BIT`: pages may be read. */
export const VMA_READ_BIT = bit(0);
/** `VMA_WRITE_BIT`: pages may be written. */
export const VMA_WRITE_BIT = bit(1);
/** `VMA_EXEC_BIT`: pages may be executed. */
export const VMA_EXEC_BIT = bit(2);
/** `VMA_SHARED_BIT`: a shared mapping: writes reach the object and other mappers. */
export const VMA_SHARED_BIT = bit(3);
/** `VMA_MAYREAD_BIT`: `mprotect` may turn READ on. */
export const VMA_MAYREAD_BIT = bit(4);
/** `VMA_MAYWRITE_BIT`: `mprotect` may turn WRITE on. */
export const VMA_MAYWRITE_BIT = bit(5);
/** `VMA_MAYEXEC_BIT`: `mprotect` may turn EXEC on. */
export const VMA_MAYEXEC_BIT = bit(6);
/** `VMA_MAYSHARE_BIT`: the mapping was requested shared (stays set when SHARED is dropped for a read-only file). */
export const VMA_MAYSHARE_BIT = bit(7);
/** `VMA_GROWSDOWN_BIT`: a stack that grows towards lower addresses. */
export const VMA_GROWSDOWN_BIT = bit(8);
/** `VMA_UFFD_MISSING_BIT`: userfaultfd reports faults on missing pages (MMU kernels; same bit as MAYOVERLAY). */
export const VMA_UFFD_MISSING_BIT = bit(9);
/** `VMA_MAYOVERLAY_BIT`: a no-MMU read-only private mapping that may overlay the file's own pages (same bit as UFFD_MISSING). */
export const VMA_MAYOVERLAY_BIT = bit(9);
/** `VMA_PFNMAP_BIT`: maps raw page frame numbers that have no `struct page`. */
export const VMA_PFNMAP_BIT = bit(10);
/** `VMA_MAYBE_GUARD_BIT`: may hold guard-region markers installed by `madvise(MADV_GUARD_INSTALL)`. */
export const VMA_MAYBE_GUARD_BIT = bit(11);
/** `VMA_UFFD_WP_BIT`: userfaultfd tracks writes (write-protect mode). */
export const VMA_UFFD_WP_BIT = bit(12);
/** `VMA_LOCKED_BIT`: pages are locked in memory (`mlock`). */
export const VMA_LOCKED_BIT = bit(13);
/** `VMA_IO_BIT`: memory-mapped I/O or similar device memory. */
export const VMA_IO_BIT = bit(14);
/** `VMA_SEQ_READ_BIT`: the application hinted sequential reads (`MADV_SEQUENTIAL`). */
export const VMA_SEQ_READ_BIT = bit(15);
/** `VMA_RAND_READ_BIT`: the application hinted random reads (`MADV_RANDOM`). */
export const VMA_RAND_READ_BIT = bit(16);
/** `VMA_DONTCOPY_BIT`: not inherited by a child on `fork` (`MADV_DONTFORK`). */
export const VMA_DONTCOPY_BIT = bit(17);
/** `VMA_DONTEXPAND_BIT`: `mremap` may not grow the area. */
export const VMA_DONTEXPAND_BIT = bit(18);
/** `VMA_LOCKONFAULT_BIT`: pages are locked as they are faulted in (`MLOCK_ONFAULT`). */
export const VMA_LOCKONFAULT_BIT = bit(19);
/** `VMA_ACCOUNT_BIT`: charged against the commit limit. */
export const VMA_ACCOUNT_BIT = bit(20);
/** `VMA_NORESERVE_BIT`: no swap space is reserved (`MAP_NORESERVE`). */
export const VMA_NORESERVE_BIT = bit(21);
/** `VMA_HUGETLB_BIT`: a hugetlbfs mapping. */
export const VMA_HUGETLB_BIT = bit(22);
/** `VMA_SYNC_BIT`: page faults are synchronous (`MAP_SYNC` on DAX files). */
export const VMA_SYNC_BIT = bit(23);
/** `VMA_ARCH_1_BIT`: the first architecture-specific bit; what it means depends on the architecture (SAO, GROWSUP, SPARC_ADI, ARM64_BTI, MAPPED_COPY). */
export const VMA_ARCH_1_BIT = bit(24);
/** `VMA_WIPEONFORK_BIT`: a child gets zero-filled pages here after `fork` (`MADV_WIPEONFORK`). */
export const VMA_WIPEONFORK_BIT = bit(25);
/** `VMA_DONTDUMP_BIT`: left out of core dumps (`MADV_DONTDUMP`). */
export const VMA_DONTDUMP_BIT = bit(26);
/** `VMA_SOFTDIRTY_BIT`: soft-dirty tracking: new or written since the last clear. */
export const VMA_SOFTDIRTY_BIT = bit(27);
/** `VMA_MIXEDMAP_BIT`: holds both pages with a `struct page` and raw page frames. */
export const VMA_MIXEDMAP_BIT = bit(28);
/** `VMA_HUGEPAGE_BIT`: transparent huge pages requested (`MADV_HUGEPAGE`). */
export const VMA_HUGEPAGE_BIT = bit(29);
/** `VMA_NOHUGEPAGE_BIT`: transparent huge pages refused (`MADV_NOHUGEPAGE`). */
export const VMA_NOHUGEPAGE_BIT = bit(30);
/** `VMA_MERGEABLE_BIT`: KSM may merge identical pages here (`MADV_MERGEABLE`). */
export const VMA_MERGEABLE_BIT = bit(31);
/** `VMA_HIGH_ARCH_0_BIT`: architecture-specific bit 32 (protection keys, shadow stack, memory tagging, … depending on the architecture). */
export const VMA_HIGH_ARCH_0_BIT = bit(32);
/** `VMA_HIGH_ARCH_1_BIT`: architecture-specific bit 33 (protection keys, shadow stack, memory tagging, … depending on the architecture). */
export const VMA_HIGH_ARCH_1_BIT = bit(33);
/** `VMA_HIGH_ARCH_2_BIT`: architecture-specific bit 34 (protection keys, shadow stack, memory tagging, … depending on the architecture). */
export const VMA_HIGH_ARCH_2_BIT = bit(34);
/** `VMA_HIGH_ARCH_3_BIT`: architecture-specific bit 35 (protection keys, shadow stack, memory tagging, … depending on the architecture). */
export const VMA_HIGH_ARCH_3_BIT = bit(35);
/** `VMA_HIGH_ARCH_4_BIT`: architecture-specific bit 36 (protection keys, shadow stack, memory tagging, … depending on the architecture). */
export const VMA_HIGH_ARCH_4_BIT = bit(36);
/** `VMA_HIGH_ARCH_5_BIT`: architecture-specific bit 37 (protection keys, shadow stack, memory tagging, … depending on the architecture). */
export const VMA_HIGH_ARCH_5_BIT = bit(37);
/** `VMA_HIGH_ARCH_6_BIT`: architecture-specific bit 38 (protection keys, shadow stack, memory tagging, … depending on the architecture). */
export const VMA_HIGH_ARCH_6_BIT = bit(38);
/** `VMA_ALLOW_ANY_UNCACHED_BIT`: a device mapping that may use any uncached memory attribute. */
export const VMA_ALLOW_ANY_UNCACHED_BIT = bit(39);
/** `VMA_DROPPABLE_BIT`: contents may be dropped under memory pressure (`MAP_DROPPABLE`). */
export const VMA_DROPPABLE_BIT = bit(40);
/** `VMA_UFFD_MINOR_BIT`: userfaultfd reports minor faults. */
export const VMA_UFFD_MINOR_BIT = bit(41);
/** `VMA_SEALED_BIT`: sealed by `mseal`: may not be unmapped, moved or have its protection changed. */
export const VMA_SEALED_BIT = bit(42);

// Aliases: one bit, several names (which one is meaningful depends on the config).
/** `VMA_PKEY_BIT0_BIT`: bit 0 of the memory protection key. */
export const VMA_PKEY_BIT0_BIT = VMA_HIGH_ARCH_0_BIT;
/** `VMA_PKEY_BIT1_BIT`: bit 1 of the memory protection key. */
export const VMA_PKEY_BIT1_BIT = VMA_HIGH_ARCH_1_BIT;
/** `VMA_PKEY_BIT2_BIT`: bit 2 of the memory protection key. */
export const VMA_PKEY_BIT2_BIT = VMA_HIGH_ARCH_2_BIT;
/** `VMA_PKEY_BIT3_BIT`: bit 3 of the memory protection key. */
export const VMA_PKEY_BIT3_BIT = VMA_HIGH_ARCH_3_BIT;
/** `VMA_PKEY_BIT4_BIT`: bit 4 of the memory protection key. */
export const VMA_PKEY_BIT4_BIT = VMA_HIGH_ARCH_4_BIT;
/** `VMA_MTE_BIT`: arm64 memory tagging is on. */
export const VMA_MTE_BIT = VMA_HIGH_ARCH_4_BIT;
/** `VMA_MTE_ALLOWED_BIT`: arm64 memory tagging may be turned on. */
export const VMA_MTE_ALLOWED_BIT = VMA_HIGH_ARCH_5_BIT;
/** `VMA_SAO_BIT`: powerpc strong access ordering. */
export const VMA_SAO_BIT = VMA_ARCH_1_BIT;
/** `VMA_GROWSUP_BIT`: a stack that grows towards higher addresses (parisc). */
export const VMA_GROWSUP_BIT = VMA_ARCH_1_BIT;
/** `VMA_SPARC_ADI_BIT`: sparc64 application data integrity. */
export const VMA_SPARC_ADI_BIT = VMA_ARCH_1_BIT;
/** `VMA_ARM64_BTI_BIT`: arm64 branch target identification is enforced. */
export const VMA_ARM64_BTI_BIT = VMA_ARCH_1_BIT;
/** `VMA_MAPPED_COPY_BIT`: a no-MMU private copy of a file mapping. */
export const VMA_MAPPED_COPY_BIT = VMA_ARCH_1_BIT;

/** Number of distinct bits the kernel declares (0..42). */
export const NUM_DECLARED_VMA_FLAG_BITS = 43;
