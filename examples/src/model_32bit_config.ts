// Model a 32-bit kernel: on i386 and arm `vm_flags_t` is 32 bits wide, so
// every flag declared at bit 32 or above has no `VM_*` mask there at all. This
// prints which flags a 32-bit configuration can still express as a word, which
// it loses, and how a wider `vma_flags_t` bitmap holds a high bit (word 1)
// while the word helpers keep acting on word 0 only.
//
//   node dist/model_32bit_config.js
import {
  PRESETS,
  VMA_READ_BIT,
  VMA_SEALED_BIT,
  VM_FLAG_NAMES,
  mkVmaFlagsIn,
  vmaFlagTable,
  vmaFlagsSetWord,
  vmaFlagsToWords,
  withNumVmaFlagBits,
} from '@vmaflags/core';

const hex = (words: readonly bigint[]) => `[${words.map((w) => `0x${w.toString(16)}`).join(', ')}]`;
const wide = vmaFlagTable(PRESETS.x86_64);

// The bit a single-flag mask stands for.
const bitOf = (mask: bigint) => mask.toString(2).length - 1;

for (const config of [PRESETS.i386, PRESETS.arm]) {
  const table = vmaFlagTable(config);
  const withMask = table.bits.filter((info) => info.mask !== 0n && info.vmNames.length > 0);
  console.log(`${config.name}: BITS_PER_LONG ${config.bitsPerLong}, NUM_VMA_FLAG_BITS ${config.numVmaFlagBits}`);
  console.log(`  declared bits with a VM_* mask: ${withMask.length} of ${table.bits.length}`);
  // Flags the 64-bit preset has and this one lacks: either the bit does not
  // fit the word, or the option behind it is off in this configuration.
  const lost = VM_FLAG_NAMES.filter((name) => wide[name] !== 0n && table[name] === 0n);
  const noRoom = lost.filter((name) => bitOf(wide[name]) >= config.bitsPerLong);
  const notConfigured = lost.filter((name) => !noRoom.includes(name));
  console.log(`  no room in vm_flags_t: ${noRoom.map((name) => `${name} (bit ${bitOf(wide[name])})`).join(' ')}`);
  console.log(`  not configured:        ${notConfigured.join(' ')}`);
}

// The bitmap is what lets a 32-bit kernel name bit 42 at all: with two words
// (NUM_VMA_FLAG_BITS 64) the sealed bit lands in word 1.
const i386x2 = withNumVmaFlagBits(PRESETS.i386, 64);
const flags = mkVmaFlagsIn(i386x2, VMA_READ_BIT, VMA_SEALED_BIT);
console.log(`i386 with 64 flag bits: READ + SEALED = words ${hex(vmaFlagsToWords(flags))}`);
vmaFlagsSetWord(flags, vmaFlagTable(i386x2).VM_WRITE); // the word helpers touch word 0 only
console.log(`after vmaFlagsSetWord(flags, VM_WRITE): words ${hex(vmaFlagsToWords(flags))}`);

// In a one-word 32-bit bitmap there is no room for it: a RangeError, and
// nothing is built.
try {
  mkVmaFlagsIn(PRESETS.i386, VMA_SEALED_BIT);
} catch (err) {
  console.log(`i386 with 32 flag bits: ${(err as Error).name}: ${(err as Error).message}`);
}
