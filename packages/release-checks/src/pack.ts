// What `npm pack` puts into a package's tarball, and the tarball itself.
import { execFileSync } from 'node:child_process';

export interface PackResult {
  name: string;
  version: string;
  filename: string;
  files: { path: string; mode: number }[];
}

function npmPack(dir: string, args: string[]): PackResult {
  // `--ignore-scripts`: the listing is of what the build already produced.
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', ...args], { cwd: dir, encoding: 'utf8' });
  const [result] = JSON.parse(out) as PackResult[];
  if (!result) throw new Error(`npm pack printed no result in ${dir}`);
  return result;
}

/** The file list `npm pack --dry-run` reports for the package in `dir`. */
export function packListing(dir: string): PackResult {
  return npmPack(dir, ['--dry-run']);
}

/** Packs the package in `dir` into `destination`; returns the tarball's path. */
export function packInto(dir: string, destination: string): string {
  const { filename } = npmPack(dir, ['--pack-destination', destination]);
  return `${destination}/${filename}`;
}
