import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicPackages, workspaceRoot } from '@vmaflags/tools/workspace';
import { afterAll, expect, test } from 'vitest';

// `npm run artifacts` of a napi-rs package, before the binaries are in place,
// says which file goes where instead of failing with a bare ENOENT.

const script = join(workspaceRoot, 'tools', 'napi-artifacts.mjs');
const dir = mkdtempSync(join(tmpdir(), 'vmaflags-artifacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const napiPackages = publicPackages().filter((p) => p.manifest.napi);

test.each(napiPackages.map((p) => [p.manifest.name as string, p] as const))(
  '%s runs it as `npm run artifacts`',
  (_name, p) => {
    expect(p.manifest.scripts.artifacts).toBe('vmaflags-napi-artifacts');
  },
);

test.each(napiPackages.map((p) => [p.manifest.name as string, p] as const))(
  'without artifacts, %s is told what to put where',
  (_name, p) => {
    const pkg = join(dir, p.rel.replace(/\W/g, '_'));
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify(p.manifest));
    const run = spawnSync(process.execPath, [script], { cwd: pkg, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/ENOENT/);
    expect(run.stderr).toMatch(/under artifacts\//);
    for (const triple of p.manifest.napi.targets as string[]) expect(run.stderr).toContain(`(${triple})`);
    expect(run.stderr).toMatch(/npm run create-npm-dirs/);
  },
);

test.each(napiPackages.map((p) => [p.manifest.name as string, p] as const))(
  'with one target missing, %s names only that one',
  (_name, p) => {
    const pkg = join(dir, `partial_${p.rel.replace(/\W/g, '_')}`);
    const [first, ...rest] = p.manifest.napi.targets as string[];
    mkdirSync(join(pkg, 'artifacts'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify(p.manifest));
    // Every binary but the first target's, in per-job sub-directories as CI downloads them.
    const run0 = spawnSync(process.execPath, [script], { cwd: pkg, encoding: 'utf8' });
    const names = [...run0.stderr.matchAll(/^\s+(\S+\.node)\s+\((\S+)\)$/gm)].map((m) => ({
      file: m[1]!,
      triple: m[2]!,
    }));
    expect(names.map((n) => n.triple).sort()).toEqual([first, ...rest].sort());
    for (const n of names.filter((x) => x.triple !== first)) {
      mkdirSync(join(pkg, 'artifacts', `bindings-${n.triple}`), { recursive: true });
      writeFileSync(join(pkg, 'artifacts', `bindings-${n.triple}`, n.file), '');
    }
    const run = spawnSync(process.execPath, [script], { cwd: pkg, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect([...run.stderr.matchAll(/\((\S+)\)$/gm)].map((m) => m[1])).toEqual([first]);
  },
);
