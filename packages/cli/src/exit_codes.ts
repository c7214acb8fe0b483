// One meaning per exit status, shared by every command and documented in
// `--help` and the README.

export const EXIT_OK = 0;
/** The command ran and found something: a word that disagrees with its names, a simulator/kernel disagreement. */
export const EXIT_FINDING = 1;
/** Bad usage or bad input: unknown option or flag name, malformed number, unreadable file. */
export const EXIT_USAGE = 2;

export const EXIT_CODES_HELP = `Exit status:
  0  ok
  1  a finding: a word that disagrees with the names beside it (decode), a scenario
     where the simulator and the kernel disagree (diff)
  2  bad usage or input (unknown option or flag name, malformed number, missing or
     unreadable /proc file, malformed scenario line)`;

/**
 * A problem with what the user asked for or gave. Printed as one line on
 * stderr (no stack trace) and turned into exit status 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
