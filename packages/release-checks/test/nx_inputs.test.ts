import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackages, workspaceRoot } from '@vmaflags/tools/workspace';
import { expect, test } from 'vitest';
import { filesRunBy, isInput, nxProject } from '../src/nx_inputs.js';

// A cached nx target must list among its inputs every workspace file its
// command runs (scripts under tools/, workspace bins); otherwise changing that
// file replays a stale cached result.

const cases = workspacePackages().flatMap((pkg) => {
  const project = nxProject(pkg.manifest.name);
  return Object.entries(project.targets)
    .filter(([, t]) => t.cache && t.options?.script)
    .map(([name, target]) => ({
      label: `${pkg.manifest.name}:${name}`,
      pkg,
      project,
      target,
      files: filesRunBy(pkg, target.options!.script!),
    }));
});

test('some cached target runs a workspace script (the audit looks at something)', () => {
  expect(cases.some((c) => c.files.length > 0)).toBe(true);
});

test.each(cases.filter((c) => c.files.length > 0).map((c) => [c.label, c] as const))(
  '%s declares the files it runs as inputs',
  (_label, c) => {
    for (const file of c.files) expect(existsSync(join(workspaceRoot, file)), file).toBe(true);
    expect(c.files.filter((file) => !isInput(c.pkg, c.project, c.target, file))).toEqual([]);
  },
);
