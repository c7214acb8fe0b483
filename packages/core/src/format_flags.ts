import { DEFAULT_CONFIG, assertKernelConfig, type KernelConfig } from './config.js';
import { rangeError, typeError } from './errors.js';
import { vmaflagNames } from './flag_names.js';
import { legacyWordOf } from './legacy_word_of.js';
import type { VmAreaStruct } from './vm_area_struct.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlagsInput } from './vm_word.js';
import { legacyToVmaFlags } from './word_helpers.js';

// printk's %pGv (lib/vsprintf.c format_flags over vmaflag_names) and the
// show_vma_flags() tracepoint helper, plus a parser for their output. Both
// render word 0 only.

function render(word: bigint, config: KernelConfig): string {
  let out = '';
  let left = word;
  for (const { mask, name } of vmaflagNames(config)) {
    if (left === 0n) break;
    if ((left & mask) !== mask) continue;
    out += name;
    left &= ~mask;
    if (left !== 0n) out += '|';
  }
  // Bits no entry consumed come out as one lowercase hex number.
  if (left !== 0n) out += `0x${left.toString(16)}`;
  return out;
}

/**
 * `%pGv`: names from the ordered table joined by `|`, then any leftover bits as
 * `0x…`; the empty string for 0. Takes a VMA, a bitmap (its config) or a legacy
 * word (`config`, default DEFAULT_CONFIG), e.g. `"read|write|mayread|maywrite|mayexec|account"`.
 */
export function formatVmaFlags(flags: VmAreaStruct | VmaFlags | VmFlagsInput, config?: KernelConfig): string {
  const { word, config: c } = legacyWordOf(flags, config, 'flags');
  return render(word, c);
}

/** `show_vma_flags` (tracepoints): as {@link formatVmaFlags}, but `none` for 0. */
export function showVmaFlags(flags: VmAreaStruct | VmaFlags | VmFlagsInput, config?: KernelConfig): string {
  const { word, config: c } = legacyWordOf(flags, config, 'flags');
  return word === 0n ? 'none' : render(word, c);
}

const HEX = /^0x[0-9a-fA-F]+$/;

/**
 * Parse %pGv / show_vma_flags output (`read|write|0x800000000`, `none` or `''`)
 * into a new bitmap of `config`. Each `|`-separated token is a name from the
 * config's table or a `0x` hex word; anything else is a RangeError naming it.
 */
export function parseVmaFlagNames(str: string, config: KernelConfig = DEFAULT_CONFIG): VmaFlags {
  assertKernelConfig(config, 'config');
  if (typeof str !== 'string') throw typeError('str', 'a string', str);
  const text = str.trim();
  if (text === '' || text === 'none') return legacyToVmaFlags(0n, config);
  const names = vmaflagNames(config);
  const limit = 1n << BigInt(config.bitsPerLong);
  let word = 0n;
  for (const token of text.split('|')) {
    const entry = names.find((e) => e.name === token);
    if (entry) {
      word |= entry.mask;
    } else if (HEX.test(token)) {
      const v = BigInt(token);
      if (v >= limit) throw rangeError('str', `hex words below 2^${config.bitsPerLong} (config ${config.name})`, token);
      word |= v;
    } else {
      throw rangeError(
        'str',
        `'|'-separated flag names of config ${config.name} (${names.map((e) => e.name).join(', ')}) or 0x hex words`,
        token,
      );
    }
  }
  return legacyToVmaFlags(word, config);
}
