import { readFile } from 'node:fs/promises';
import type { ScenarioOutput, VmaView } from '@vmaflags/sim';
import type { CommandSpec } from '../command_spec.js';
import type { CommandContext } from '../context.js';
import { EXIT_FINDING, EXIT_OK, UsageError } from '../exit_codes.js';
import { label } from '../flags_report.js';
import { findKernelProbe, runKernelProbe } from '../kernel_probe.js';
import { diffScenario, type ScenarioDifference } from '../scenario_diff.js';
import { renderTable } from '../table.js';
import { simulate, type SimOptions } from './replay.js';

interface DiffOptions extends SimOptions {
  probe?: string;
  against?: string;
}

const row = (v: VmaView | null) =>
  v === null
    ? '-'
    : `${v.start}-${v.end} ${v.perms} ${v.backing}${v.file ? ` ${v.file}` : ''}${v.pgoff !== null ? ` @${v.pgoff}` : ''} ${v.flags.join(' ')}`;

async function kernelOutputs(path: string, opts: DiffOptions): Promise<string[]> {
  if (opts.against !== undefined) {
    try {
      return (await readFile(opts.against, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    } catch (e) {
      throw new UsageError(`cannot read ${opts.against}: ${(e as Error).message}`);
    }
  }
  if (path === '-') throw new UsageError('the kernel probe reads a file: give a path, not "-" (or use --against)');
  return runKernelProbe(findKernelProbe(opts.probe), path)
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export async function diffAction(ctx: CommandContext, path: string, opts: DiffOptions): Promise<number> {
  const sim = (await simulate(ctx, path, opts)).map((l) => JSON.parse(l) as ScenarioOutput);
  const kernel = new Map<string, ScenarioOutput>();
  for (const l of await kernelOutputs(path, opts)) {
    const k = JSON.parse(l) as ScenarioOutput;
    kernel.set(k.name, k);
  }
  const differences: ScenarioDifference[] = [];
  for (const s of sim) {
    const k = kernel.get(s.name);
    if (k === undefined)
      throw new UsageError(
        `scenario ${JSON.stringify(s.name)} has no kernel output${opts.against ? ` in ${opts.against}` : ''}`,
      );
    const d = diffScenario(s, k);
    if (d !== null) differences.push(d);
  }
  if (ctx.json) {
    ctx.io.stdout(`${JSON.stringify({ scenarios: sim.length, disagreements: differences })}\n`);
  } else {
    const { c } = ctx;
    let out = label(
      c,
      'compared',
      `${sim.length} scenarios: ${sim.length - differences.length} agree, ${differences.length} disagree`,
    );
    for (const d of differences) {
      out += `\n${label(c, 'scenario', c.bold(d.name))}`;
      if (d.ops.length > 0) {
        const rows = d.ops.map((o) => [
          String(o.index),
          o.op,
          o.field,
          JSON.stringify(o.sim) ?? '-',
          JSON.stringify(o.kernel) ?? '-',
        ]);
        out += `${renderTable(
          ['#', 'op', 'field', 'simulator', 'kernel'].map((h) => c.bold(h)),
          rows,
          ['right'],
        )}\n`;
      }
      if (d.vmas.length > 0) {
        out += `${renderTable(
          ['simulator VMA', 'kernel VMA'].map((h) => c.bold(h)),
          d.vmas.map((v) => [row(v.sim), row(v.kernel)]),
        )}\n`;
      }
    }
    ctx.io.stdout(out);
  }
  return differences.length === 0 ? EXIT_OK : EXIT_FINDING;
}

export const DIFF: CommandSpec<string, DiffOptions> = {
  name: 'diff',
  description: 'run scenarios on the simulator and on the live kernel (the kernel probe) and print where they disagree',
  kernelConfig: false,
  argument: ['<scenario.jsonl>', 'a scenario file'],
  options: (cmd) =>
    cmd
      .option('--backend <name>', 'flags backend of the simulator: core or native', 'core')
      .option(
        '--probe <path>',
        'the kernel-probe binary (default: $VMAFLAGS_KERNEL_PROBE, target/release/kernel-probe above the current directory, PATH)',
      )
      .option(
        '--against <recording.jsonl>',
        "compare with a recording of the kernel's output instead of running the probe",
      ),
  notes: 'Exit status 1 when any scenario disagrees.',
  examples: [
    'vmaflags diff packages/sim/scenarios/merge.jsonl',
    'vmaflags diff --against expected.jsonl scenarios.jsonl --json',
  ],
  action: diffAction,
};
