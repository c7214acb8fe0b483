import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { PLATFORM_SUFFIXES, loadBinding, missingBindingMessage, platformPackage } from '../src/load_binding.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('platform packages', () => {
  test('every napi target maps to a platform package', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as {
      napi: { targets: string[] };
    };
    expect(pkg.napi.targets).toHaveLength(PLATFORM_SUFFIXES.length);
    expect(platformPackage({ platform: 'linux', arch: 'x64', musl: false })).toBe('@vmaflags/native-linux-x64-gnu');
    expect(platformPackage({ platform: 'linux', arch: 'arm64', musl: true })).toBe('@vmaflags/native-linux-arm64-musl');
    expect(platformPackage({ platform: 'darwin', arch: 'arm64' })).toBe('@vmaflags/native-darwin-arm64');
    expect(platformPackage({ platform: 'win32', arch: 'x64' })).toBe('@vmaflags/native-win32-x64-msvc');
    expect(platformPackage({ platform: 'freebsd', arch: 'x64' })).toBeUndefined();
  });

  test('the README platform table lists every target with the package the loader picks', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as {
      napi: { targets: string[] };
    };
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const row = /^\| `([\w-]+)` \| `(\w+)-(\w+)`(?:, (glibc|musl))? \| `(@vmaflags\/native-[\w-]+)` \| (yes|no)\b/gm;
    const rows = [...readme.matchAll(row)];
    expect(rows.map((m) => m[1])).toEqual(pkg.napi.targets);
    for (const [, , platform, arch, libc, name] of rows) {
      const host = { platform: platform as string, arch: arch as string, ...(libc ? { musl: libc === 'musl' } : {}) };
      expect(platformPackage(host)).toBe(name);
    }
  });

  test('the message names the package to install, or how to build', () => {
    expect(missingBindingMessage({ platform: 'linux', arch: 'x64', musl: false })).toMatch(
      /npm install @vmaflags\/native-linux-x64-gnu/,
    );
    const other = missingBindingMessage({ platform: 'aix', arch: 'ppc64' });
    expect(other).toMatch(/no prebuilt addon is published for aix-ppc64/);
    expect(other).toMatch(/npm run build -w @vmaflags\/native/);
    expect(() => missingBindingMessage(null as never)).toThrow(/host must be an object/);
  });

  test('loadBinding keeps the loader error as the cause', () => {
    const cause = new Error('Cannot find native binding');
    let thrown: Error | undefined;
    try {
      loadBinding(
        () => {
          throw cause;
        },
        () => ({ platform: 'linux', arch: 'arm64', musl: false }),
      );
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.message).toMatch(/@vmaflags\/native-linux-arm64-gnu/);
    expect(thrown?.cause).toBe(cause);
  });

  test('the generated loader without a binary fails with that message', () => {
    // A copy of the package without the .node file: the generated loader
    // finds neither a local build nor the platform package.
    const dir = mkdtempSync(join(tmpdir(), 'vmaflags-native-'));
    try {
      copyFileSync(join(root, 'binding.cjs'), join(dir, 'binding.cjs'));
      writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
      const script = `
        const { loadBinding } = await import(${JSON.stringify(join(root, 'dist', 'load_binding.js'))});
        const { createRequire } = await import('node:module');
        const require = createRequire(${JSON.stringify(join(dir, 'x.js'))});
        try { loadBinding(() => require('./binding.cjs')); console.log('loaded'); }
        catch (e) { console.log(e.message); }`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: '' },
      });
      expect(out).not.toMatch(/^loaded/);
      expect(out).toMatch(
        /@vmaflags\/native: the native addon for linux-x64 \(glibc\) is missing\. Install the prebuilt package `@vmaflags\/native-linux-x64-gnu`/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
