import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicPackages, workspacePackages, workspaceRoot } from '@vmaflags/tools/workspace';
import { afterEach, describe, expect, test } from 'vitest';

// `changeset version` in a copy of the workspace's manifests and changelogs:
// what `npm run version-packages` will do to the repository on release.

const changesetBin = join(createRequire(import.meta.url).resolve('@changesets/cli/package.json'), '..', 'bin.js');
const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyWorkspace(withPendingChangesets: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'vmaflags-changeset-'));
  copies.push(dir);
  copyFileSync(join(workspaceRoot, 'package.json'), join(dir, 'package.json'));
  if (withPendingChangesets) cpSync(join(workspaceRoot, '.changeset'), join(dir, '.changeset'), { recursive: true });
  else {
    mkdirSync(join(dir, '.changeset'));
    copyFileSync(join(workspaceRoot, '.changeset', 'config.json'), join(dir, '.changeset', 'config.json'));
  }
  for (const p of workspacePackages()) {
    mkdirSync(join(dir, p.rel), { recursive: true });
    for (const f of ['package.json', 'CHANGELOG.md'])
      if (existsSync(join(p.dir, f))) copyFileSync(join(p.dir, f), join(dir, p.rel, f));
  }
  return dir;
}

function version(dir: string, changeset?: string): void {
  if (changeset) writeFileSync(join(dir, '.changeset', 'next-release.md'), changeset);
  execFileSync(process.execPath, [changesetBin, 'version'], { cwd: dir, stdio: 'pipe' });
}

const read = (dir: string, rel: string, file = 'package.json') => readFileSync(join(dir, rel, file), 'utf8');
const core = publicPackages().find((p) => p.manifest.name === '@vmaflags/core')!;
/** Every workspace package that depends on the core, published or not. */
const dependents = workspacePackages().filter((p) => p.manifest.dependencies?.['@vmaflags/core']);

describe('internal dependencies', () => {
  test('use real ranges on the current version, not "*"', () => {
    expect(dependents.length).toBeGreaterThan(0);
    for (const p of workspacePackages()) {
      for (const [name, range] of Object.entries({
        ...p.manifest.dependencies,
        ...p.manifest.peerDependencies,
      } as Record<string, string>)) {
        const dep = workspacePackages().find((q) => q.manifest.name === name);
        if (dep) expect(range, `${p.manifest.name} → ${name}`).toBe(`^${dep.manifest.version}`);
      }
    }
  });
});

describe.each([
  ['patch', '0.1.1'],
  ['minor', '0.2.0'],
] as const)('a %s release of the core', (bump, next) => {
  test(`bumps it to ${next}, bumps and re-points every public dependent, and re-points private ones`, () => {
    const dir = copyWorkspace(false);
    const before = Object.fromEntries(workspacePackages().map((p) => [p.rel, read(dir, p.rel)]));
    version(dir, `---\n'@vmaflags/core': ${bump}\n---\n\nA change.\n`);
    expect(JSON.parse(read(dir, core.rel)).version).toBe(next);
    for (const p of dependents) {
      const after = JSON.parse(read(dir, p.rel));
      expect(after.dependencies['@vmaflags/core'], p.manifest.name).toBe(`^${next}`);
      if (p.manifest.private) continue;
      // Republished with a patch bump; its changelog names the core version it now needs.
      expect(after.version, p.manifest.name).not.toBe(p.manifest.version);
      expect(read(dir, p.rel, 'CHANGELOG.md')).toMatch(
        new RegExp(`Updated dependencies[\\s\\S]*@vmaflags/core@${next.replace(/\./g, '\\.')}`),
      );
    }
    // Nothing but versions and ranges changed: no reformatting of the manifests.
    for (const p of workspacePackages()) {
      const a = before[p.rel]!.split('\n');
      const b = read(dir, p.rel).split('\n');
      expect(b.length, p.rel).toBe(a.length);
      const changed = b.filter((line, i) => line !== a[i]);
      for (const line of changed) expect(line, p.rel).toMatch(/^\s*"(version|@vmaflags\/[\w-]+)": "[^"]+",?$/);
    }
  });
});

test('the pending changesets do not move a first release past 0.1.0', () => {
  const dir = copyWorkspace(true);
  version(dir);
  for (const p of publicPackages()) {
    const releases = [...read(dir, p.rel, 'CHANGELOG.md').matchAll(/^## (\d+\.\d+\.\d+)/gm)].map((m) => m[1]);
    // Only versions the changelog lists exist; the oldest of them is the first release.
    expect(releases.at(-1), p.manifest.name).toBe('0.1.0');
  }
});
