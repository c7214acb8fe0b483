import type { KernelConfig } from '@vmaflags/core';

/**
 * Kernel words (word 0 first) laid out as an arena entry's 32-bit lanes: low
 * half then high half of each 64-bit word, or one lane per word on 32-bit
 * configs. This is the mask form the arena's native methods read.
 */
export function wordsToLanes(words: readonly bigint[], config: KernelConfig): Uint32Array {
  const lanes = new Uint32Array(config.numLanes);
  const wide = config.bitsPerLong === 64;
  words.forEach((w, k) => {
    if (wide) {
      lanes[2 * k] = Number(w & 0xffff_ffffn);
      lanes[2 * k + 1] = Number(w >> 32n);
    } else {
      lanes[k] = Number(w);
    }
  });
  return lanes;
}
