import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { ARCH_VALUES } from './kernel_config_option.js';

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
  /** Whether --arch, --kconfig, --bits and --option apply (default true). */
  kernelConfig?: boolean;
  /** What --arch means when not given, as its help says it (default: the x86_64 preset). */
  archHelp?: string;
  /** Text before the examples in --help. */
  notes?: string;
  examples: readonly string[];
  action: (ctx: CommandContext, arg: A, opts: O) => Promise<number>;
}

export const collect = (v: string, acc: string[] = []) => [...acc, v];

export function addCommand<A, O>(program: Command, run: Runner, spec: CommandSpec<A, O>): Command {
  let cmd = program.command(spec.name).description(spec.description).argument(spec.argument[0], spec.argument[1]);
  if (spec.options) cmd = spec.options(cmd);
  if (spec.kernelConfig !== false) addKernelConfigOptions(cmd, spec.archHelp ?? X86_64_DEFAULT);
  const notes = spec.notes === undefined ? '' : `\n${spec.notes}\n`;
  cmd.addHelpText('after', `${notes}\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}`);
  return cmd.action(async (arg: A, opts: O) => run((ctx) => spec.action(ctx, arg, opts)));
}

const X86_64_DEFAULT = 'default x86_64, not host: the text may come from any machine';

function addKernelConfigOptions(cmd: Command, archHelp: string): void {
  cmd
    .option(
      '--arch <name>',
      `host (the running kernel's configuration) or a preset (${ARCH_VALUES.slice(1).join(', ')}); ${archHelp}`,
    )
    .option(
      '--kconfig <file>',
      'read the configuration from a kernel .config, plain or gzip (such as /proc/config.gz); wins over --arch',
    )
    .option(
      '--bits <n>',
      'NUM_VMA_FLAG_BITS (a multiple of BITS_PER_LONG); default: BITS_PER_LONG of the configuration',
    )
    .option('--option <NAME=on|off>', 'override a CONFIG_ option of the configuration (repeatable)', collect);
}
