import pc from 'picocolors';

// Colour only when a person is looking: stdout is a terminal, or FORCE_COLOR
// asks for it; NO_COLOR and --no-color always win. picocolors' own detection
// also turns colour on in CI logs, which is not wanted here.

export type Colors = ReturnType<typeof pc.createColors>;

export function wantColor(
  flag: boolean,
  env: NodeJS.ProcessEnv = process.env,
  isTTY = process.stdout.isTTY === true,
): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
