import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { colors, wantColor } from './color.js';
import { addCommand } from './command_spec.js';
import { DECODE } from './commands/decode.js';
import { DIFF } from './commands/diff.js';
import { ENCODE } from './commands/encode.js';
import { EXPLAIN } from './commands/explain.js';
import { INSPECT } from './commands/inspect.js';
import { REPLAY } from './commands/replay.js';
import type { CliIo, CommandContext } from './context.js';
import { EXIT_CODES_HELP, EXIT_OK, EXIT_USAGE, UsageError } from './exit_codes.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Run the command line `argv` (without node and the script) and return the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('vmaflags');
  let status = EXIT_OK;
  program
    .description(
      'Decode, encode and inspect Linux VMA flags (vm_flags_t / vma_flags_t) in every form the kernel prints them.',
    )
    .version(version)
    .option('--json', 'machine-readable output (one JSON document per result, one per line)')
    .option('--no-color', 'no colour (also: NO_COLOR=1; colour is only used on a terminal or with FORCE_COLOR)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText('afterAll', `\n${EXIT_CODES_HELP}\n`);

  const run = async (action: (ctx: CommandContext) => Promise<number>) => {
    const g = program.opts<{ json?: boolean; color: boolean }>();
    status = await action({ io, json: g.json === true, c: colors(wantColor(g.color)) });
  };
  addCommand(program, run, DECODE);
  addCommand(program, run, ENCODE);
  addCommand(program, run, INSPECT);
  addCommand(program, run, EXPLAIN);
  addCommand(program, run, REPLAY);
  addCommand(program, run, DIFF);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (e instanceof UsageError) {
      io.stderr(`vmaflags: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return status;
}
