import cliProgress from 'cli-progress';

// A progress bar on stderr for long runs, only when a person watches stderr
// (a terminal), so piped and captured output never carries it.

export interface Progress {
  tick(): void;
  stop(): void;
}

const NONE: Progress = { tick: () => undefined, stop: () => undefined };

/** Show a bar for `total` steps when stderr is a terminal and the run is long enough to want one. */
export function progress(
  total: number,
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  minimum = 20,
): Progress {
  if (stream.isTTY !== true || total < minimum) return NONE;
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
