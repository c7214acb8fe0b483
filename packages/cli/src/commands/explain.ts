import { ScenarioError, WINDOW_BASE, X86_64_6_18 } from '@vmaflags/sim';
import type { CommandSpec } from '../command_spec.js';
import type { CommandContext } from '../context.js';
import { EXIT_OK, UsageError } from '../exit_codes.js';
import { hex } from '../flag_bits.js';
import { configJson, label } from '../flags_report.js';
import {
  kernelConfigOf,
  reportConfigSource,
  liveArchDefault,
  LIVE_ARCH_HELP,
  type KernelConfigFlags,
} from '../kernel_config_option.js';
import { explainMerges, type PairExplanation } from '../merge_explanation.js';
import { loadSmaps } from '../proc_smaps.js';
import { readScenarioLines } from '../scenario_file.js';
import { scenarioVmas } from '../scenario_vmas.js';
import type { SmapsVma } from '../smaps_file.js';
import { smapsToVmas } from '../smaps_mm.js';

interface ExplainOptions extends KernelConfigFlags {
  file?: string;
  touching?: boolean;
}

const vmaJson = (v: SmapsVma) => ({
  start: hex(v.start),
  end: hex(v.end),
  perms: v.perms,
  offset: hex(v.offset),
  inode: v.inode,
  path: v.path,
});
const vmaLine = (v: SmapsVma) =>
  `${v.start.toString(16)}-${v.end.toString(16)} ${v.perms} ${v.path === '' ? '[anon]' : v.path}`;

function renderPairs(ctx: CommandContext, pairs: readonly PairExplanation[], line: (v: SmapsVma) => string): string {
  const { c } = ctx;
  let out = '';
  for (const p of pairs) {
    out += `\n${line(p.first)}\n${line(p.second)}\n`;
    for (const b of p.blockers) out += `  ${c.yellow(b.code.padEnd(9))} ${b.text}\n`;
    if (p.hidden.length > 0) {
      out += `  ${c.cyan('hidden'.padEnd(9))} nothing smaps shows keeps these apart (same flags, backing and contiguous offsets); causes it cannot show:\n`;
      for (const h of p.hidden) out += `    ${c.bold(h.cause)}: ${h.evidence}\n`;
    }
    if (p.note !== undefined) out += `  ${c.cyan('none'.padEnd(9))} ${p.note}\n`;
  }
  return out;
}

const isLiveTarget = (target: string | undefined) => target === undefined || target === 'self' || /^\d+$/.test(target);

/** A scenario file: the simulator's final VMAs, with their real anon_vmas and files. */
async function explainScenarios(ctx: CommandContext, path: string, opts: ExplainOptions): Promise<number> {
  const lines = await readScenarioLines(path, ctx.io.readStdin);
  const page = (v: SmapsVma) => (v.start - BigInt(WINDOW_BASE)) / 4096n;
  const pageLine = (v: SmapsVma) =>
    `pages ${page(v)}-${(v.end - BigInt(WINDOW_BASE)) / 4096n} ${v.perms} ${v.path === '' ? '[anon]' : v.path}`;
  const results = lines.map(({ line, text }) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
      const { name, models } = scenarioVmas(raw, line, {});
      let pairs = explainMerges(models, X86_64_6_18, true);
      if (opts.touching) pairs = pairs.filter((p) => !p.blockers.some((x) => x.code === 'gap'));
      return { name, pairs };
    } catch (e) {
      if (e instanceof SyntaxError) throw new UsageError(`${path}: line ${line}: not one JSON object (${e.message})`);
      if (e instanceof ScenarioError) throw new UsageError(`${path}: ${e.message}`);
      throw e;
    }
  });
  if (ctx.json) {
    const scenarios = results.map((r) => ({
      name: r.name,
      pairs: r.pairs.map((p) => ({
        first: Number(page(p.first)),
        second: Number(page(p.second)),
        blockers: p.blockers,
        ...(p.note ? { note: p.note } : {}),
      })),
    }));
    ctx.io.stdout(`${JSON.stringify({ source: path, config: configJson(X86_64_6_18, 'simulator'), scenarios })}\n`);
    return EXIT_OK;
  }
  const { c } = ctx;
  let out = label(c, 'source', `${path} (simulated with @vmaflags/sim: anon_vmas and files are known exactly)`);
  for (const r of results)
    out += `\n${label(c, 'scenario', c.bold(r.name))}${renderPairs(ctx, r.pairs, pageLine) || '  (no neighbouring pair)\n'}`;
  ctx.io.stdout(out);
  return EXIT_OK;
}

export async function explainAction(
  ctx: CommandContext,
  pid: string | undefined,
  opts: ExplainOptions,
): Promise<number> {
  if (!isLiveTarget(pid)) return explainScenarios(ctx, pid!, opts);
  const resolved = await kernelConfigOf(opts, liveArchDefault(opts));
  const { config, source } = resolved;
  const { path, vmas } = await loadSmaps(pid, opts.file);
  vmas.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let pairs: PairExplanation[] = explainMerges(smapsToVmas(vmas, config), config);
  const gaps = pairs.filter((p) => p.blockers.some((x) => x.code === 'gap')).length;
  if (opts.touching) pairs = pairs.filter((p) => !p.blockers.some((x) => x.code === 'gap'));
  const summary = {
    vmas: vmas.length,
    pairs: vmas.length === 0 ? 0 : vmas.length - 1,
    gaps,
    hiddenOnly: pairs.filter((p) => p.blockers.length === 0).length,
  };

  reportConfigSource(ctx, resolved);
  if (ctx.json) {
    const body = {
      source: path,
      pid: pid ?? null,
      config: configJson(config, source),
      pairs: pairs.map((p) => ({
        first: vmaJson(p.first),
        second: vmaJson(p.second),
        blockers: p.blockers,
        hidden: p.hidden,
      })),
      summary,
    };
    ctx.io.stdout(`${JSON.stringify(body)}\n`);
    return EXIT_OK;
  }
  const { c } = ctx;
  let out = label(c, 'source', path) + label(c, 'config', `${config.name} (flags decoded with this configuration)`);
  out += label(
    c,
    'pairs',
    `${summary.pairs} neighbouring pairs of ${summary.vmas} VMAs: ${summary.pairs - gaps} touch, ${gaps} have a gap between them` +
      (opts.touching ? ' (not shown)' : ''),
  );
  out += renderPairs(ctx, pairs, vmaLine);
  ctx.io.stdout(out);
  return EXIT_OK;
}

export const EXPLAIN: CommandSpec<string | undefined, ExplainOptions> = {
  name: 'explain',
  description:
    "for every pair of neighbouring VMAs of a process, why the kernel keeps them apart (using @vmaflags/mm's merge rules)",
  argument: ['[target]', 'a process id, "self" (this vmaflags process), or a scenario file (JSONL; "-" for stdin)'],
  options: (cmd) =>
    cmd
      .option('--file <smaps>', 'read a saved smaps file instead of a live process')
      .option('--touching', 'only pairs that touch (leave out pairs with a gap between them)'),
  archHelp: `${LIVE_ARCH_HELP}; a scenario file always uses the simulator's configuration`,
  notes: `Causes smaps shows: a gap, VM_SPECIAL flags, differing flags, a different file (or file
next to anonymous memory), file offsets that do not continue. Causes it cannot show
(listed with the evidence when nothing visible applies): different anon_vmas, a fork
child's anon_vma, two opens of one file, an mremap-moved anonymous pgoff, NUMA policy,
userfaultfd context. For a scenario file the VMAs come from the simulator, which knows
anon_vmas and open files exactly, so every cause is exact.`,
  examples: [
    'vmaflags explain packages/sim/scenarios/merge.jsonl --touching',
    'vmaflags explain self --touching',
    'vmaflags explain 1234 --json',
    'vmaflags explain --file saved-smaps.txt',
  ],
  action: explainAction,
};
