import { legacyToVmaFlags, smapVmaFlagMnemonics, type KernelConfig, type VmaFlags } from '@vmaflags/core';

// The VmFlags mnemonics of a live smaps as a bitmap. Unlike core's strict
// parser this keeps going past mnemonics the configuration does not know (a
// newer kernel, another architecture) and reports them, so one odd VMA does
// not hide the rest of the map.

export interface SmapsVmaFlags {
  flags: VmaFlags;
  unknown: string[];
}

export function smapsVmaFlags(mnemonics: readonly string[], config: KernelConfig): SmapsVmaFlags {
  const table = smapVmaFlagMnemonics(config);
  let word = 0n;
  const unknown: string[] = [];
  for (const m of mnemonics) {
    const bit = m === '' || m === '??' ? -1 : table.indexOf(m);
    if (bit < 0) unknown.push(m);
    else word |= 1n << BigInt(bit);
  }
  return { flags: legacyToVmaFlags(word, config), unknown };
}
