import {
  NUM_DECLARED_VMA_FLAG_BITS,
  formatVmaFlags,
  showSmapVmaFlags,
  smapVmaFlagMnemonics,
  vmaFlagTable,
  vmaFlagsTest,
  vmaFlagsToWords,
  vmaflagNames,
  type VmaFlag,
  type VmaFlags,
} from '@vmaflags/core';
import { vmaBitNames } from './flag_vocabulary.js';

// What each set bit of a bitmap is called in every vocabulary the kernel
// uses, read from @vmaflags/core's tables for the bitmap's configuration.

export interface FlagBit {
  bit: number;
  /** `VMA_*_BIT` spellings (declared first), empty above the declared bits. */
  vmaBit: string[];
  /** `VM_*` masks equal to this bit in this configuration. */
  vm: string[];
  /** smaps mnemonic; `''` when smaps hides the bit, `??` when it has no name, null above word 0. */
  smaps: string | null;
  /** `%pGv` name; null when %pGv prints the bit only inside a leftover hex number (or not at all, above word 0). */
  pgv: string | null;
  /** No VM_* name in this configuration. */
  unnamed: boolean;
}

export interface FlagsDescription {
  words: string[];
  bits: FlagBit[];
  unnamed: number[];
  /** %pGv rendering of word 0 (`''` for none). */
  pgv: string;
  /** smaps rendering of word 0, without the trailing space and newline. */
  smaps: string;
}

export const hex = (v: bigint) => `0x${v.toString(16)}`;

export function describeFlags(flags: VmaFlags): FlagsDescription {
  const { config } = flags;
  const table = vmaFlagTable(config);
  const mnemonics = smapVmaFlagMnemonics(config);
  const names = vmaflagNames(config);
  const bits: FlagBit[] = [];
  for (let bit = 0; bit < config.numVmaFlagBits; bit++) {
    if (!vmaFlagsTest(flags, bit as VmaFlag)) continue;
    const inWord0 = bit < config.bitsPerLong;
    const mask = 1n << BigInt(bit);
    const vm = bit < NUM_DECLARED_VMA_FLAG_BITS ? [...table.bits[bit]!.vmNames] : [];
    bits.push({
      bit,
      vmaBit: vmaBitNames(config, bit),
      vm,
      smaps: inWord0 ? mnemonics[bit]! : null,
      pgv: inWord0 ? (names.find((n) => n.mask === mask)?.name ?? null) : null,
      unnamed: vm.length === 0,
    });
  }
  return {
    words: vmaFlagsToWords(flags).map(hex),
    bits,
    unnamed: bits.filter((b) => b.unnamed).map((b) => b.bit),
    pgv: formatVmaFlags(flags),
    smaps: showSmapVmaFlags(flags).trimEnd(),
  };
}
