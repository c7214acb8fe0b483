import {
  ScenarioError,
  UnsupportedOptionError,
  replayLine,
  type BackendName,
  type ScenarioOutput,
} from '@vmaflags/sim';
import type { CommandSpec } from '../command_spec.js';
import type { CommandContext } from '../context.js';
import { EXIT_OK, UsageError } from '../exit_codes.js';
import { label } from '../flags_report.js';
import { progress } from '../progress.js';
import { readScenarioLines } from '../scenario_file.js';
import { renderTable } from '../table.js';

export interface SimOptions {
  backend: string;
}

const BACKENDS: readonly BackendName[] = ['core', 'native'];

export function backendOf(opts: SimOptions): BackendName {
  if (!(BACKENDS as readonly string[]).includes(opts.backend)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}; got ${JSON.stringify(opts.backend)}`);
  }
  return opts.backend as BackendName;
}

/** Replay every scenario of a file; scenario errors name the file and line. */
export async function simulate(
  ctx: CommandContext,
  path: string,
  opts: SimOptions,
  each?: (out: string) => void,
): Promise<string[]> {
  const backend = backendOf(opts);
  const lines = await readScenarioLines(path, ctx.io.readStdin);
  const bar = progress(lines.length, 'replay');
  const out: string[] = [];
  try {
    for (const { line, text } of lines) {
      const result = replayLine(text, line, { backend });
      out.push(result);
      each?.(result);
      bar.tick();
    }
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof UnsupportedOptionError)
      throw new UsageError(`${path}: ${e.message}`);
    throw e;
  } finally {
    bar.stop();
  }
  return out;
}

const opArgs = (op: Record<string, unknown>) =>
  Object.entries(op)
    .filter(([k]) => !['op', 'result', 'fault_page', 'ret_page'].includes(k))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');

export function renderScenario(ctx: CommandContext, s: ScenarioOutput): string {
  const { c } = ctx;
  let out = label(c, 'scenario', c.bold(s.name));
  const ops = s.ops.map((op, i) => {
    const extra =
      op.fault_page !== undefined
        ? ` at page ${op.fault_page}`
        : op.ret_page !== undefined
          ? ` → page ${op.ret_page}`
          : '';
    const result = String(op.result);
    return [String(i), String(op.op), opArgs(op), (result === 'ok' ? c.green(result) : c.yellow(result)) + extra];
  });
  out += `${renderTable(
    ['#', 'op', 'arguments', 'result'].map((h) => c.bold(h)),
    ops,
    ['right'],
  )}\n`;
  if (s.vmas.length === 0) return `${out}${label(c, 'vmas', 'none in the window')}`;
  const vmas = s.vmas.map((v) => [
    String(v.start),
    String(v.end),
    v.perms,
    v.backing,
    v.file ?? '-',
    v.pgoff === null ? '-' : String(v.pgoff),
    v.flags.join(' '),
  ]);
  out += `${renderTable(
    ['start', 'end', 'perms', 'backing', 'file', 'pgoff', 'VmFlags'].map((h) => c.bold(h)),
    vmas,
    ['right', 'right'],
  )}\n`;
  return out;
}

export async function replayAction(ctx: CommandContext, path: string, opts: SimOptions): Promise<number> {
  if (ctx.json) {
    await simulate(ctx, path, opts, (line) => ctx.io.stdout(line));
    return EXIT_OK;
  }
  const outputs = await simulate(ctx, path, opts);
  ctx.io.stdout(outputs.map((o) => renderScenario(ctx, JSON.parse(o) as ScenarioOutput)).join('\n'));
  return EXIT_OK;
}

export const REPLAY: CommandSpec<string, SimOptions> = {
  name: 'replay',
  description:
    "run scenarios (JSONL, one per line) on the simulator @vmaflags/sim: each op's result and the final VMAs",
  kernelConfig: false,
  argument: ['<scenario.jsonl>', 'a scenario file, or "-" for stdin'],
  options: (cmd) => cmd.option('--backend <name>', `flags backend: ${BACKENDS.join(' or ')}`, 'core'),
  notes: `With --json the output is the scenario output format (the probe's), one line per scenario.
A progress bar is drawn on stderr for long files when stderr is a terminal.`,
  examples: [
    'vmaflags replay scenarios/merge.jsonl',
    'vmaflags replay --json --backend native scenarios/fork.jsonl > out.jsonl',
  ],
  action: replayAction,
};
