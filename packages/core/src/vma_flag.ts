// vma_flag_t: a bit number in a vma_flags_t. Branded so a plain integer (a mask,
// a count) is not passed where a bit number is meant; `vmaFlag(n)` brands one
// after checking it. Every bit is declared whatever the configuration, as the
// kernel does; only the VM_* legacy masks depend on the config (flag_table.ts).

import { typeError } from './errors.js';

declare const vmaFlagBrand: unique symbol;
export type VmaFlag = number & { readonly [vmaFlagBrand]: true };

const bit = (n: number) => n as VmaFlag;

export const VMA_READ_BIT = bit(0);
export const VMA_WRITE_BIT = bit(1);
export const VMA_EXEC_BIT = bit(2);
export const VMA_SHARED_BIT = bit(3);
export const VMA_MAYREAD_BIT = bit(4);
export const VMA_MAYWRITE_BIT = bit(5);
export const VMA_MAYEXEC_BIT = bit(6);
export const VMA_MAYSHARE_BIT = bit(7);
export const VMA_GROWSDOWN_BIT = bit(8);
export const VMA_UFFD_MISSING_BIT = bit(9);
export const VMA_MAYOVERLAY_BIT = bit(9);
export const VMA_PFNMAP_BIT = bit(10);
export const VMA_MAYBE_GUARD_BIT = bit(11);
export const VMA_UFFD_WP_BIT = bit(12);
export const VMA_LOCKED_BIT = bit(13);
export const VMA_IO_BIT = bit(14);
export const VMA_SEQ_READ_BIT = bit(15);
export const VMA_RAND_READ_BIT = bit(16);
export const VMA_DONTCOPY_BIT = bit(17);
export const VMA_DONTEXPAND_BIT = bit(18);
export const VMA_LOCKONFAULT_BIT = bit(19);
export const VMA_ACCOUNT_BIT = bit(20);
export const VMA_NORESERVE_BIT = bit(21);
export const VMA_HUGETLB_BIT = bit(22);
export const VMA_SYNC_BIT = bit(23);
export const VMA_ARCH_1_BIT = bit(24);
export const VMA_WIPEONFORK_BIT = bit(25);
export const VMA_DONTDUMP_BIT = bit(26);
export const VMA_SOFTDIRTY_BIT = bit(27);
export const VMA_MIXEDMAP_BIT = bit(28);
export const VMA_HUGEPAGE_BIT = bit(29);
export const VMA_NOHUGEPAGE_BIT = bit(30);
export const VMA_MERGEABLE_BIT = bit(31);
export const VMA_HIGH_ARCH_0_BIT = bit(32);
export const VMA_HIGH_ARCH_1_BIT = bit(33);
export const VMA_HIGH_ARCH_2_BIT = bit(34);
export const VMA_HIGH_ARCH_3_BIT = bit(35);
export const VMA_HIGH_ARCH_4_BIT = bit(36);
export const VMA_HIGH_ARCH_5_BIT = bit(37);
export const VMA_HIGH_ARCH_6_BIT = bit(38);
export const VMA_ALLOW_ANY_UNCACHED_BIT = bit(39);
/**
 * Bit 40 on 64-bit configs. PPC32 declares DROPPABLE as bit 24 and other 32-bit
 * configs not at all: use the config's table (`VMA_DROPPABLE_BIT`, or
 * {@link vmaFlagBit}) when the config is not known to be 64-bit.
 */
export const VMA_DROPPABLE_BIT = bit(40);
export const VMA_UFFD_MINOR_BIT = bit(41);
export const VMA_SEALED_BIT = bit(42);
/** Declared on every config; the flag exists only with CONFIG_USERFAULTFD_RWP (64-bit). */
export const VMA_UFFD_RWP_BIT = bit(43);

// Aliases: one bit, several names (which one is meaningful depends on the config).
export const VMA_PKEY_BIT0_BIT = VMA_HIGH_ARCH_0_BIT;
export const VMA_PKEY_BIT1_BIT = VMA_HIGH_ARCH_1_BIT;
export const VMA_PKEY_BIT2_BIT = VMA_HIGH_ARCH_2_BIT;
export const VMA_PKEY_BIT3_BIT = VMA_HIGH_ARCH_3_BIT;
export const VMA_PKEY_BIT4_BIT = VMA_HIGH_ARCH_4_BIT;
export const VMA_MTE_BIT = VMA_HIGH_ARCH_4_BIT;
export const VMA_MTE_ALLOWED_BIT = VMA_HIGH_ARCH_5_BIT;
export const VMA_SAO_BIT = VMA_ARCH_1_BIT;
export const VMA_GROWSUP_BIT = VMA_ARCH_1_BIT;
export const VMA_SPARC_ADI_BIT = VMA_ARCH_1_BIT;
export const VMA_ARM64_BTI_BIT = VMA_ARCH_1_BIT;
export const VMA_MAPPED_COPY_BIT = VMA_ARCH_1_BIT;
/** Bit 24 on every config, whether or not `VM_ARCH_CLEAR` is a real mask there. */
export const VMA_ARCH_CLEAR_BIT = VMA_ARCH_1_BIT;

/**
 * `TASK_EXEC_BIT`: the bit a data mapping gets for "exec if the personality
 * says so" — EXEC for a READ_IMPLIES_EXEC task, otherwise READ (which such a
 * mapping has anyway, so listing it changes nothing).
 */
export function taskExecBit(readImpliesExec = false): VmaFlag {
  if (typeof readImpliesExec !== 'boolean') throw typeError('readImpliesExec', 'a boolean', readImpliesExec);
  return readImpliesExec ? VMA_EXEC_BIT : VMA_READ_BIT;
}

/**
 * Number of bit positions the kernel's enum can name (0..43). Which of them a
 * config declares is in its flag table: bit 40 (DROPPABLE) only on 64-bit.
 */
export const NUM_DECLARED_VMA_FLAG_BITS = 44;
