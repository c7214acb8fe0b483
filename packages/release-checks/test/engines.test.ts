import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackages, workspaceRoot } from '@vmaflags/tools/workspace';
import semver from 'semver';
import { expect, test } from 'vitest';

// `npm install` warns EBADENGINE for any installed package whose `engines`
// excludes the running Node. The suite runs on every Node the workspace
// supports (see .ci/run), so this checks each of them in turn.

const lock = JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<
    string,
    { engines?: { node?: string } | string[]; optional?: boolean; os?: string[]; cpu?: string[] }
  >;
};
const root = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));

test(`the running Node (${process.version}) is one the workspace supports`, () => {
  expect(semver.satisfies(process.version, root.engines.node)).toBe(true);
});

// Dev tools the workspace runs on a Node of their own (`npx -y node@22 …`,
// see @vmaflags/vma-testing's `mutation` target), never on the running one:
// they and everything only they pull in may require a newer Node.
const OWN_NODE_TOOLS = ['@stryker-mutator/core', '@stryker-mutator/vitest-runner'];

type LockEntry = { dependencies?: Record<string, string> };

/** The lockfile paths of `roots` and of everything they depend on, resolved the way Node does (nearest node_modules first). */
function closureOf(roots: readonly string[]): Set<string> {
  const packages = lock.packages as Record<string, LockEntry>;
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
      const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (packages[candidate] !== undefined) return candidate;
      if (dir === '') return undefined;
    }
  };
  const seen = new Set<string>();
  const todo = roots.map((r) => `node_modules/${r}`);
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const dep of Object.keys(packages[path]?.dependencies ?? {})) {
      const found = resolve(path, dep);
      if (found !== undefined) todo.push(found);
    }
  }
  return seen;
}

test('the tools run on their own Node are root devDependencies', () => {
  for (const tool of OWN_NODE_TOOLS) expect(root.devDependencies[tool], tool).toBeDefined();
});

test('every locked package installed on this machine accepts the running Node', () => {
  const ownNode = closureOf(OWN_NODE_TOOLS);
  const bad = Object.entries(lock.packages)
    .filter(([path]) => !ownNode.has(path))
    .filter(([path, p]) => path.includes('node_modules/') && p.engines && !Array.isArray(p.engines) && p.engines.node)
    // Optional platform packages for other machines are not installed here.
    .filter(
      ([, p]) =>
        !(p.optional && ((p.os && !p.os.includes(process.platform)) || (p.cpu && !p.cpu.includes(process.arch)))),
    )
    .filter(
      ([, p]) => !semver.satisfies(process.version, (p.engines as { node: string }).node, { includePrerelease: true }),
    )
    .map(([path, p]) => `${path}: ${(p.engines as { node: string }).node}`);
  expect(bad).toEqual([]);
});

test('every workspace package declares the same supported Node versions as the root', () => {
  for (const p of workspacePackages()) {
    if (p.manifest.engines) expect(p.manifest.engines.node, p.manifest.name).toBe(root.engines.node);
  }
});
