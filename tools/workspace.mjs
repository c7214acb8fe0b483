// The workspace's packages as npm sees them (root package.json `workspaces`),
// so every check that walks packages also covers packages added later.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every workspace package, in the order of `workspaces`. */
export function workspacePackages(root = workspaceRoot) {
  const { workspaces = [] } = readJson(join(root, 'package.json'));
  return workspaces.map((rel) => {
    const dir = join(root, rel);
    return { dir, rel, manifest: readJson(join(dir, 'package.json')) };
  });
}

/** The packages that get published (not `private`). */
export function publicPackages(root = workspaceRoot) {
  return workspacePackages(root).filter((p) => !p.manifest.private);
}
