import { DEFAULT_CONFIG, assertKernelConfig, type KernelConfig } from './config.js';
import { legacyWordOf } from './legacy_word_of.js';
import { rangeError, typeError } from './errors.js';
import { SMAPS_UNKNOWN_MNEMONIC, smapVmaFlagMnemonics } from './flag_names.js';
import type { VmAreaStruct } from './vm_area_struct.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlagsInput } from './vm_word.js';
import { legacyToVmaFlags } from './word_helpers.js';

// The `VmFlags:` line of /proc/PID/smaps (show_smap_vma_flags) and its inverse.
// Only word 0 is printed (the kernel reads vma->vm_flags), in bit order, each
// mnemonic followed by one space; bits with an empty mnemonic are never shown
// and a set bit without a name prints `??`.

const PREFIX = 'VmFlags:';

/**
 * `show_smap_vma_flags`: the smaps line for a VMA, a bitmap (its config), or a
 * legacy word (`config`, default DEFAULT_CONFIG), e.g. `"VmFlags: rd wr mr mw me ac \n"`.
 */
export function showSmapVmaFlags(flagsOrVma: VmAreaStruct | VmaFlags | VmFlagsInput, config?: KernelConfig): string {
  const { word, config: c } = legacyWordOf(flagsOrVma, config, 'flagsOrVma');
  const mnemonics = smapVmaFlagMnemonics(c);
  let out = 'VmFlags: ';
  let w = word;
  for (let i = 0; w !== 0n; i++, w >>= 1n) {
    const m = mnemonics[i]!;
    if ((w & 1n) !== 0n && m !== '') out += `${m} `;
  }
  return `${out}\n`;
}

const parseCache = new WeakMap<KernelConfig, ReadonlyMap<string, number>>();

function mnemonicBits(config: KernelConfig): ReadonlyMap<string, number> {
  let map = parseCache.get(config);
  // Stryker disable next-line ConditionalExpression: a memo; rebuilding gives an equal map
  if (!map) {
    const m = new Map<string, number>();
    smapVmaFlagMnemonics(config).forEach((s, bit) => {
      // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: an empty token is never looked up
      if (s !== '' && s !== SMAPS_UNKNOWN_MNEMONIC) m.set(s, bit);
    });
    map = m;
    parseCache.set(config, map);
  }
  return map;
}

/**
 * Parse a `VmFlags:` line (the prefix and trailing newline are optional) into a
 * new bitmap of `config`. Hidden bits (protection keys, MTE_ALLOWED) cannot
 * appear and come back clear. An unknown mnemonic, or `??` (which names no
 * particular bit), is a RangeError naming the token.
 */
export function parseSmapVmaFlags(line: string, config: KernelConfig = DEFAULT_CONFIG): VmaFlags {
  assertKernelConfig(config, 'config');
  if (typeof line !== 'string') throw typeError('line', 'a string', line);
  let body = line.trim();
  if (body.startsWith(PREFIX)) body = body.slice(PREFIX.length);
  const bits = mnemonicBits(config);
  let word = 0n;
  // Stryker disable next-line Regex: empty tokens from single-space splits are skipped
  for (const token of body.split(/\s+/)) {
    if (token === '') continue;
    const bit = bits.get(token);
    if (bit === undefined) {
      if (token === SMAPS_UNKNOWN_MNEMONIC) {
        throw rangeError(
          'line',
          'a VmFlags line of named mnemonics (`??` marks an unnamed bit and cannot be parsed back)',
          token,
        );
      }
      throw rangeError(
        'line',
        `a VmFlags line of mnemonics known to config ${config.name} (${[...bits.keys()].join(' ')})`,
        token,
      );
    }
    word |= 1n << BigInt(bit);
  }
  return legacyToVmaFlags(word, config);
}
