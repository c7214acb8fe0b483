import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { PRESET_NAMES } from './kernel_config_option.js';

// The shape every subcommand shares: its arguments, the kernel configuration
// options, a help text with examples, and an action that returns the exit
// status through the program's runner.

export type Runner = (action: (ctx: CommandContext) => Promise<number>) => Promise<void>;

export interface CommandSpec<A, O> {
  name: string;
  description: string;
  argument: readonly [syntax: string, description: string];
  /** Command-specific options, added before the shared ones. */
  options?: (cmd: Command) => Command;
  /** Whether --arch, --bits and --option apply (default true). */
  kernelConfig?: boolean;
  /** Text before the examples in --help. */
  notes?: string;
  examples: readonly string[];
  action: (ctx: CommandContext, arg: A, opts: O) => Promise<number>;
}

export const collect = (v: string, acc: string[] = []) => [...acc, v];

export function addCommand<A, O>(program: Command, run: Runner, spec: CommandSpec<A, O>): Command {
  let cmd = program.command(spec.name).description(spec.description).argument(spec.argument[0], spec.argument[1]);
  if (spec.options) cmd = spec.options(cmd);
  if (spec.kernelConfig !== false) addKernelConfigOptions(cmd);
  const notes = spec.notes === undefined ? '' : `\n${spec.notes}\n`;
  cmd.addHelpText('after', `${notes}\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}`);
  return cmd.action(async (arg: A, opts: O) => run((ctx) => spec.action(ctx, arg, opts)));
}

function addKernelConfigOptions(cmd: Command): void {
  cmd
    .option('--arch <preset>', `kernel configuration preset (${PRESET_NAMES.join(', ')})`, 'x86_64')
    .option('--bits <n>', 'NUM_VMA_FLAG_BITS (a multiple of BITS_PER_LONG); default: BITS_PER_LONG of the preset')
    .option('--option <NAME=on|off>', 'override a CONFIG_ option of the preset (repeatable)', collect);
}
