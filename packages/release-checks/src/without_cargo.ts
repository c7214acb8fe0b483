// The environment of a machine without Rust: no PATH entry that holds cargo.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const entries = () => (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');

export const cargoOnPath = (): boolean => entries().some((dir) => existsSync(join(dir, 'cargo')));

/** PATH without any directory holding cargo. */
export const pathWithoutCargo = (): string =>
  entries()
    .filter((dir) => !existsSync(join(dir, 'cargo')))
    .join(delimiter);
