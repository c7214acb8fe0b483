import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackages, workspaceRoot } from '@vmaflags/tools/workspace';
import semver from 'semver';
import { expect, test } from 'vitest';

// `npm install` warns EBADENGINE for any installed package whose `engines`
// excludes the running Node. The suite runs on every Node the workspace
// supports (see .ci/run), so this checks each of them in turn.

const lock = JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[]; cpu?: string[] }>;
};
const root = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));

test(`the running Node (${process.version}) is one the workspace supports`, () => {
  expect(semver.satisfies(process.version, root.engines.node)).toBe(true);
});

test('every locked package installed on this machine accepts the running Node', () => {
  const bad = Object.entries(lock.packages)
    .filter(([path, p]) => path.includes('node_modules/') && p.engines && !Array.isArray(p.engines) && p.engines.node)
    // Optional platform packages for other machines are not installed here.
    .filter(([, p]) => !(p.optional && ((p.os && !p.os.includes(process.platform)) || (p.cpu && !p.cpu.includes(process.arch)))))
    .filter(([, p]) => !semver.satisfies(process.version, (p.engines as { node: string }).node, { includePrerelease: true }))
    .map(([path, p]) => `${path}: ${(p.engines as { node: string }).node}`);
  expect(bad).toEqual([]);
});

test('every workspace package declares the same supported Node versions as the root', () => {
  for (const p of workspacePackages()) {
    if (p.manifest.engines) expect(p.manifest.engines.node, p.manifest.name).toBe(root.engines.node);
  }
});
