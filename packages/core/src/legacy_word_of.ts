import { configMismatch, toVmWord } from './bitmap.js';
import { DEFAULT_CONFIG, assertKernelConfig, type KernelConfig } from './config.js';
import { typeError } from './errors.js';
import { VmAreaStruct } from './vm_area_struct.js';
import { type VmaFlags, isVmaFlags } from './vma_flags.js';
import type { VmFlagsInput } from './vm_word.js';
import { vmaFlagsToLegacy } from './word_helpers.js';
import { safeInstanceOf } from './is_instance.js';

// The text renderings print what the kernel reads from vma->vm_flags: word 0.
// They accept a VMA, a bitmap (which carries its config) or a bare legacy word
// (which needs one); this resolves all three to the word and its config.

/** Word 0 and config of a flags-like argument (a VMA, a bitmap, or a legacy word). */
export function legacyWordOf(
  value: VmAreaStruct | VmaFlags | VmFlagsInput,
  config: KernelConfig | undefined,
  arg: string,
): { word: bigint; config: KernelConfig } {
  const flags = safeInstanceOf(value, VmAreaStruct) ? value.flags : value;
  if (isVmaFlags(flags)) {
    const own = flags.config;
    if (config !== undefined) {
      assertKernelConfig(config, 'config');
      if (config !== own && config.key !== own.key) throw configMismatch(arg, config, 'config', own);
    }
    return { word: vmaFlagsToLegacy(flags), config: own };
  }
  const c = config ?? DEFAULT_CONFIG;
  assertKernelConfig(c, 'config');
  if (typeof flags !== 'bigint' && typeof flags !== 'number') {
    throw typeError(arg, 'a VmAreaStruct, a VmaFlags or a vm_flags_t word (bigint or number)', flags);
  }
  return { word: toVmWord(flags, c.bitsPerLong, arg), config: c };
}
