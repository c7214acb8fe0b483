import { readFile } from 'node:fs/promises';
import { UsageError } from './exit_codes.js';
import { SmapsFormatError, parseSmaps, type SmapsVma } from './smaps_file.js';

// Reading a live process's smaps, with every way it can fail turned into a
// one-line explanation of what access is needed.

/** The smaps of `pid` (a number or "self") or of a saved `file`: exactly one of the two. */
export async function loadSmaps(
  pid: string | undefined,
  file: string | undefined,
): Promise<{ path: string; vmas: SmapsVma[] }> {
  if (pid === undefined && file === undefined) throw new UsageError('give a pid, "self", or --file <smaps>');
  if (pid !== undefined && file !== undefined) throw new UsageError('give either a pid or --file, not both');
  const path = file ?? procSmapsPath(pid!);
  return { path, vmas: await readSmaps(path, file === undefined ? pid! : null) };
}

function procSmapsPath(pid: string): string {
  if (pid !== 'self' && !/^[1-9]\d*$/.test(pid))
    throw new UsageError(`pid must be a process id or "self"; got ${JSON.stringify(pid)}`);
  return `/proc/${pid}/smaps`;
}

async function readSmaps(path: string, pid: string | null): Promise<SmapsVma[]> {
  if (process.platform !== 'linux' && pid !== null) {
    throw new UsageError(
      `/proc/PID/smaps exists only on Linux (this is ${process.platform}); use --file with a saved smaps`,
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (pid !== null && (code === 'ENOENT' || code === 'ESRCH')) {
      throw new UsageError(`no process with pid ${pid}: ${path} does not exist`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UsageError(
        pid === null
          ? `cannot read ${path}: permission denied`
          : `cannot read ${path}: permission denied; reading another process's smaps needs ptrace read access to it (the same user and a dumpable process, or CAP_SYS_PTRACE)`,
      );
    }
    if (code === 'ENOENT') throw new UsageError(`cannot read ${path}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`cannot read ${path}: is a directory`);
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return parseSmaps(text);
  } catch (e) {
    if (e instanceof SmapsFormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}
