import { vmaFlagsDiffPair, vmaFlagsTest, vmaFlagsAndMask, type VmaFlag, type VmaFlags } from '@vmaflags/core';
import type { CommandSpec } from '../command_spec.js';
import type { CommandContext } from '../context.js';
import { EXIT_FINDING, EXIT_OK, UsageError } from '../exit_codes.js';
import { describeFlags } from '../flag_bits.js';
import { parseFlagText, type FlagTextSource } from '../flag_text.js';
import { configJson, label, renderFlagsReport } from '../flags_report.js';
import { kernelConfigOf, reportConfigSource, type KernelConfigFlags } from '../kernel_config_option.js';

const SOURCE_TEXT: Record<FlagTextSource, string> = {
  word: 'word',
  pgv: '%pGv names',
  smaps: 'smaps VmFlags mnemonics',
  log: 'kernel log line (word and %pGv names)',
};

function setBits(flags: VmaFlags): number[] {
  const out: number[] = [];
  for (let b = 0; b < flags.config.numVmaFlagBits; b++) if (vmaFlagsTest(flags, b as VmaFlag)) out.push(b);
  return out;
}

/** Bits only in `a` and only in `b`. */
function disagreement(a: VmaFlags, b: VmaFlags): { onlyWord: number[]; onlyNames: number[] } {
  const diff = vmaFlagsDiffPair(a, b);
  return { onlyWord: setBits(vmaFlagsAndMask(diff, a)), onlyNames: setBits(vmaFlagsAndMask(diff, b)) };
}

export async function decodeAction(ctx: CommandContext, texts: string[], opts: KernelConfigFlags): Promise<number> {
  const resolved = await kernelConfigOf(opts);
  const { config, source } = resolved;
  let inputs: string[];
  if (texts.length === 1 && texts[0] === '-') {
    inputs = (await ctx.io.readStdin()).split('\n').filter((l) => l.trim() !== '');
    if (inputs.length === 0) throw new UsageError('no input on stdin');
  } else {
    inputs = [texts.join(' ')];
  }
  reportConfigSource(ctx, resolved);
  let status = EXIT_OK;
  const { c } = ctx;
  inputs.forEach((input, i) => {
    const text = parseFlagText(input, config);
    const flags = (text.word ?? text.named)!;
    const d = describeFlags(flags);
    let agree: boolean | null = null;
    let diff = { onlyWord: [] as number[], onlyNames: [] as number[] };
    if (text.word !== null && text.named !== null) {
      diff = disagreement(text.word, text.named);
      agree = diff.onlyWord.length === 0 && diff.onlyNames.length === 0;
      if (!agree) status = EXIT_FINDING;
    }
    if (ctx.json) {
      ctx.io.stdout(
        `${JSON.stringify({ input, source: text.source, config: configJson(config, source), ...d, agree, ...diff })}\n`,
      );
      return;
    }
    let out = i > 0 ? '\n' : '';
    out += label(c, 'input', input.trim());
    out += label(c, 'read as', SOURCE_TEXT[text.source]);
    out += renderFlagsReport(c, config, d);
    if (agree === true) out += label(c, 'agree', c.green('yes: the word and the names give the same bits'));
    if (agree === false) {
      const name = (b: number) =>
        d.bits.find((x) => x.bit === b)?.vm[0] ?? describeFlags(text.named!).bits.find((x) => x.bit === b)?.vm[0];
      const list = (bits: number[]) => bits.map((b) => `${b}${name(b) ? ` (${name(b)})` : ''}`).join(', ');
      const parts: string[] = [];
      if (diff.onlyWord.length > 0) parts.push(`only the word has bit ${list(diff.onlyWord)}`);
      if (diff.onlyNames.length > 0) parts.push(`only the names have bit ${list(diff.onlyNames)}`);
      out += label(c, 'agree', c.red(`NO: ${parts.join('; ')}`));
    }
    ctx.io.stdout(out);
  });
  return status;
}

export const DECODE: CommandSpec<string[], KernelConfigFlags> = {
  name: 'decode',
  description: 'decode VMA flags from a word, a %pGv string, a smaps VmFlags line or a kernel log line',
  argument: ['<text...>', 'the text (all arguments are joined with spaces); "-" reads one text per line from stdin'],
  examples: [
    'vmaflags decode 0x100073',
    "vmaflags decode 'read|write|mayread|maywrite|mayexec|account'",
    'vmaflags decode VmFlags: rd wr mr mw me ac sd',
    "vmaflags decode 'flags: 0x100073(read|write|mayread|maywrite|mayexec|account)'",
    'grep VmFlags /proc/self/smaps | vmaflags decode --json -',
  ],
  action: decodeAction,
};
