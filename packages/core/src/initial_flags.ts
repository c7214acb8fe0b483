import { configMismatch, toVmWord } from './bitmap.js';
import type { KernelConfig } from './config.js';
import { VmaFlags, isVmaFlags, vmaFlagsCopy } from './vma_flags.js';
import { legacyToVmaFlags } from './word_helpers.js';

// The flags an mm, a VMA or a VMA descriptor starts with, from the field of
// its init object: absent (empty), a bitmap of the same config (copied), or a
// legacy one-word value. Errors name the field.
//
// Internal: not re-exported from index.ts.

/**
 * New flags of `config` from an init field named `arg`; a bitmap of another
 * config is a TypeError naming `ref`, whose config it must share.
 */
export function initialFlags(value: unknown, config: KernelConfig, arg: string, ref: string): VmaFlags {
  if (value === undefined) return new VmaFlags(config);
  if (isVmaFlags(value)) {
    const own = value.config;
    if (own !== config && own.key !== config.key) throw configMismatch(arg, config, ref, own);
    return vmaFlagsCopy(value);
  }
  return legacyToVmaFlags(toVmWord(value, config.bitsPerLong, arg), config);
}
