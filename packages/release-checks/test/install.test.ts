import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicPackages, workspaceRoot } from '@vmaflags/tools/workspace';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packInto } from '../src/pack.js';
import { readmeExamples } from '../src/readme_examples.js';
import { pathWithWorkspaceBins, stageNapiPackage } from '../src/stage_release.js';
import { pathWithoutCargo } from '../src/without_cargo.js';

// What a user gets from the registry: every public package packed as a release
// packs it (a napi-rs package with its platform package for this machine),
// installed into an empty project on a machine without Rust, then the root
// README's usage examples run there as ES modules and as CommonJS.
// The addon's release targets include this host only on Linux x64/arm64 here.
const linux = process.platform === 'linux';

/** No cargo on PATH, no Rust environment, nothing inherited from an enclosing npm run. */
function envWithoutCargo(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutCargo() };
  for (const k of ['CARGO_HOME', 'RUSTUP_HOME', 'CARGO', 'RUSTC']) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
  return env;
}

describe.skipIf(!linux)('install of the packed packages (Linux)', () => {
  const root = mkdtempSync(join(tmpdir(), 'vmaflags-install-'));
  const app = join(root, 'app');
  const env = envWithoutCargo();
  const platformPackages: string[] = [];
  const tarballs: string[] = [];

  beforeAll(() => {
    const dest = join(root, 'tarballs');
    const stageEnv = { ...env, PATH: pathWithWorkspaceBins(env.PATH ?? '') };
    mkdirSync(dest, { recursive: true });
    mkdirSync(app, { recursive: true });
    for (const pkg of publicPackages()) {
      if (pkg.manifest.napi) {
        const staged = stageNapiPackage(pkg.dir, join(root, 'stage'), stageEnv);
        tarballs.push(packInto(staged.dir, dest), packInto(staged.platformDir, dest));
        platformPackages.push(staged.platformPackage);
      } else {
        tarballs.push(packInto(pkg.dir, dest));
      }
    }
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', private: true })}\n`);
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', ...tarballs], {
      cwd: app,
      env,
      encoding: 'utf8',
    });
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stdout}\n${install.stderr}`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('cargo is not reachable from the install', () => {
    expect(spawnSync('cargo', ['--version'], { env }).error).toMatchObject({ code: 'ENOENT' });
  });

  test('every public package and the host platform package are installed from the tarballs', () => {
    const installed = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).dependencies as Record<
      string,
      string
    >;
    for (const pkg of publicPackages()) expect(installed[pkg.manifest.name]).toMatch(/^file:/);
    expect(platformPackages.length).toBeGreaterThan(0);
    for (const name of platformPackages) {
      const dir = join(app, 'node_modules', name);
      expect(readdirSync(dir).filter((f) => f.endsWith('.node'))).toHaveLength(1);
    }
  });

  test('no addon binary ships in a napi-rs package itself (it comes from the platform package)', () => {
    for (const pkg of publicPackages().filter((p) => p.manifest.napi)) {
      const dir = join(app, 'node_modules', pkg.manifest.name);
      expect(readdirSync(dir).filter((f) => f.endsWith('.node'))).toEqual([]);
    }
  });

  const examples = readmeExamples(readFileSync(join(workspaceRoot, 'README.md'), 'utf8'), 'Usage');
  test('the README has usage examples with documented values', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const e of examples) expect(e.assertions).toBeGreaterThan(0);
  });

  describe.each(['esm', 'cjs'] as const)('README usage examples as %s', (kind) => {
    test.each(examples.map((e) => [e.index, e] as const))(
      'example %i runs and gives the documented values',
      (index, e) => {
        const file = join(app, `example-${index}.${kind === 'esm' ? 'mjs' : 'cjs'}`);
        writeFileSync(file, e[kind]);
        const run = spawnSync(process.execPath, [file], { cwd: app, env, encoding: 'utf8' });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
      },
    );
  });
});
