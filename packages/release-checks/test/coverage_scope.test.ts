import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspaceRoot } from '@vmaflags/tools/workspace';
import { globSync } from 'tinyglobby';
import { expect, test } from 'vitest';

// `npm run coverage` measures the TypeScript sources only: v8 coverage cannot
// parse the addon's Rust files that live beside them in src/.

// The root config that `npm run coverage` (vitest run --coverage) uses.
const config = (await import(pathToFileURL(join(workspaceRoot, 'vitest.config.ts')).href)).default;
const coverage = config.test?.coverage as { include: string[]; exclude: string[] };
const covered = new Set(globSync(coverage.include, { cwd: workspaceRoot, ignore: coverage.exclude }));
const sources = globSync(['packages/*/src/**/*'], { cwd: workspaceRoot });

test('covers every TypeScript source file', () => {
  const ts = sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  expect(ts.length).toBeGreaterThan(0);
  expect(ts.filter((f) => !covered.has(f))).toEqual([]);
});

test('leaves out every other file in src/ (Rust, declarations, tests)', () => {
  const others = sources.filter((f) => !f.endsWith('.ts') || f.endsWith('.test.ts') || f.endsWith('.d.ts'));
  expect(others.some((f) => f.endsWith('.rs'))).toBe(true);
  expect(others.filter((f) => covered.has(f))).toEqual([]);
});
