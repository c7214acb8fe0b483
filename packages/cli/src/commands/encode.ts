import { emptyVmaFlags, vmaFlagsSetMask } from '@vmaflags/core';
import type { CommandSpec } from '../command_spec.js';
import type { CommandContext } from '../context.js';
import { EXIT_OK, UsageError } from '../exit_codes.js';
import { describeFlags } from '../flag_bits.js';
import { unknownName } from '../flag_text.js';
import { flagVocabulary, lookupFlagName } from '../flag_vocabulary.js';
import { configJson, renderFlagsReport } from '../flags_report.js';
import { kernelConfigOf, reportConfigSource, type KernelConfigFlags } from '../kernel_config_option.js';

export async function encodeAction(ctx: CommandContext, args: string[], opts: KernelConfigFlags): Promise<number> {
  const resolved = await kernelConfigOf(opts);
  const { config, source } = resolved;
  const vocab = flagVocabulary(config);
  const tokens = args
    .join(' ')
    .replace(/^\s*VmFlags:/i, '')
    .split(/[\s,|]+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) throw new UsageError('no flag names given');
  const flags = emptyVmaFlags(config);
  const notes: string[] = [];
  for (const token of tokens) {
    const name = lookupFlagName(vocab, token);
    if (name === undefined) throw unknownName(token, config, 'flag name');
    if (name.unavailable !== null) throw new UsageError(name.unavailable);
    vmaFlagsSetMask(flags, name.flags);
    if (describeFlags(name.flags).bits.length === 0) notes.push(`${name.name} is 0 on config ${config.name}`);
  }
  reportConfigSource(ctx, resolved);
  const d = describeFlags(flags);
  for (const note of notes) ctx.io.stderr(`note: ${note}\n`);
  if (ctx.json) {
    ctx.io.stdout(`${JSON.stringify({ names: tokens, config: configJson(config, source), word: d.words[0], ...d })}\n`);
  } else {
    ctx.io.stdout(renderFlagsReport(ctx.c, config, d));
  }
  return EXIT_OK;
}

export const ENCODE: CommandSpec<string[], KernelConfigFlags> = {
  name: 'encode',
  description: 'encode flag names (smaps mnemonics, %pGv names, VM_*, VMA_*_BIT, VMA_*_FLAGS) into the word(s)',
  argument: ['<names...>', 'names, separated by spaces, commas or |'],
  examples: [
    'vmaflags encode rd wr mr mw me ac',
    "vmaflags encode 'read|write|mayread' VM_ACCOUNT",
    'vmaflags encode --arch i386 --bits 64 VMA_READ_BIT VMA_SEALED_BIT',
  ],
  action: encodeAction,
};
