import {
  parseSmapVmaFlags,
  parseVmaFlagNames,
  smapVmaFlagMnemonics,
  vmaFlagsFromWords,
  vmaflagNames,
  type KernelConfig,
  type VmaFlags,
} from '@vmaflags/core';
import { UsageError } from './exit_codes.js';
import { closestFlagNames, flagVocabulary } from './flag_vocabulary.js';

// Recognise the text forms VMA flags appear in and read them with
// @vmaflags/core's codecs:
//   - a word, hex or decimal (several words, word 0 first, for wider bitmaps);
//   - a %pGv / show_vma_flags string (`read|write|mayread`, `none`);
//   - a smaps `VmFlags:` line, or bare mnemonics (`rd wr mr`);
//   - a kernel log line with `flags: 0x…(…)` (dump_vma), `def_flags: 0x…(…)`
//     (dump_mm) or `vm_flags: 0x…(…)`, which carries both a word and names.

export type FlagTextSource = 'word' | 'pgv' | 'smaps' | 'log';

export interface FlagText {
  source: FlagTextSource;
  /** The bits the number(s) give, if the text has a number. */
  word: VmaFlags | null;
  /** The bits the names give, if the text has names. */
  named: VmaFlags | null;
}

const LOG = /\b(?:vm_|def_)?flags[:=]\s*(0x[0-9a-fA-F]+|\d+)\s*(?:\(([^)]*)\))?/;
const NUMBER = /^(?:0x[0-9a-f]+|\d+)$/i;

export function parseFlagText(text: string, config: KernelConfig): FlagText {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new UsageError('nothing to decode: give a word, a %pGv string, a VmFlags line or a log line');
  const log = LOG.exec(trimmed);
  if (log) {
    const word = parseWords([log[1]!], config);
    const named = log[2] === undefined ? null : parsePgv(log[2], config);
    return { source: 'log', word, named };
  }
  if (/^VmFlags:/i.test(trimmed))
    return { source: 'smaps', word: null, named: parseSmaps(trimmed.replace(/^VmFlags:/i, ''), config) };
  const tokens = trimmed.split(/[\s,]+/).filter((t) => t !== '');
  if (tokens.every((t) => /^(?:0x|\d)/i.test(t)))
    return { source: 'word', word: parseWords(tokens, config), named: null };
  const pgvNames = new Set(vmaflagNames(config).map((n) => n.name));
  if (trimmed.includes('|') || (tokens.length === 1 && (pgvNames.has(trimmed) || trimmed === 'none'))) {
    return { source: 'pgv', word: null, named: parsePgv(trimmed, config) };
  }
  return { source: 'smaps', word: null, named: parseSmaps(trimmed, config) };
}

/** Words, word 0 first, each below 2^BITS_PER_LONG; at most NUM_VMA_FLAG_BITS / BITS_PER_LONG of them. */
export function parseWords(tokens: readonly string[], config: KernelConfig): VmaFlags {
  const limit = 1n << BigInt(config.bitsPerLong);
  const words = tokens.map((t) => {
    if (!NUMBER.test(t))
      throw new UsageError(`not a number: ${JSON.stringify(t)} (a word is hex with 0x, e.g. 0x100073, or decimal)`);
    const v = BigInt(t);
    if (v >= limit) {
      throw new UsageError(
        `word ${t} does not fit a ${config.bitsPerLong}-bit vm_flags_t (config ${config.name}); give wider bitmaps as several words, word 0 first`,
      );
    }
    return v;
  });
  if (words.length > config.numWords) {
    throw new UsageError(
      `${words.length} words given but config ${config.name} has ${config.numWords} (NUM_VMA_FLAG_BITS ${config.numVmaFlagBits}); raise --bits`,
    );
  }
  return vmaFlagsFromWords(words, config);
}

function parsePgv(text: string, config: KernelConfig): VmaFlags {
  const names = new Set(vmaflagNames(config).map((n) => n.name));
  const body = text.trim();
  if (body !== '' && body !== 'none') {
    for (const token of body.split('|')) {
      if (!names.has(token) && !/^0x[0-9a-f]+$/i.test(token)) throw unknownName(token, config, '%pGv name');
    }
  }
  try {
    return parseVmaFlagNames(body, config);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

function parseSmaps(text: string, config: KernelConfig): VmaFlags {
  const known = new Set(smapVmaFlagMnemonics(config).filter((m) => m !== '' && m !== '??'));
  for (const token of text.trim().split(/\s+/)) {
    if (token === '') continue;
    if (token === '??')
      throw new UsageError('`??` marks a bit smaps has no mnemonic for; it cannot be decoded back to a bit');
    if (/^(?:0x|\d)/i.test(token))
      throw new UsageError(
        `${JSON.stringify(token)} is a number among mnemonics; give either words or names, not both`,
      );
    if (!known.has(token)) throw unknownName(token, config, 'smaps mnemonic');
  }
  return parseSmapVmaFlags(text, config);
}

export function unknownName(token: string, config: KernelConfig, what: string): UsageError {
  const near = closestFlagNames(flagVocabulary(config), token);
  return new UsageError(
    `unknown ${what} ${JSON.stringify(token)} on config ${config.name}` +
      (near.length > 0 ? `; closest: ${near.join(', ')}` : ''),
  );
}
