import { execFileSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageDir, runBin } from './run_bin.js';

// Colour shows as terminal escape sequences, which stripping removes.
const hasAnsi = (s: string) => stripVTControlCharacters(s) !== s;
const COMMANDS = ['decode', 'encode', 'inspect', 'explain', 'replay', 'diff'];

describe('vmaflags command line', () => {
  it.each(COMMANDS)('%s --help shows an example, --json and the exit codes', (cmd) => {
    const r = runBin([cmd, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: vmaflags ${cmd}`));
    expect(r.stdout).toMatch(/Examples?:\n +\$ vmaflags /);
    expect(r.stdout).toMatch(/--json/);
    expect(r.stdout).toMatch(/--no-color/);
    expect(r.stdout).toMatch(/Exit status:\n +0 +ok\n +1 +a finding[\s\S]*\n +2 +bad usage or input/);
  });

  it('top-level --help lists the commands; --version prints the package version', () => {
    const r = runBin(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}`, 'm'));
    const v = runBin(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([[['frobnicate']], [['decode']], [['decode', '--frob', '0x1']], [[]]])('bad usage %j exits 2', (args) => {
    const r = runBin(args);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toBe('');
  });

  it('colours only when asked: FORCE_COLOR on a pipe, never with NO_COLOR or --no-color', () => {
    const args = ['decode', 'flags: 0x3(read)'];
    const plain = runBin(args);
    expect(hasAnsi(plain.stdout)).toBe(false);
    const forced = runBin(args, { env: { FORCE_COLOR: '1' } });
    expect(hasAnsi(forced.stdout)).toBe(true);
    expect(stripVTControlCharacters(forced.stdout)).toBe(plain.stdout);
    expect(hasAnsi(runBin(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout)).toBe(false);
    expect(hasAnsi(runBin([...args, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout)).toBe(false);
    expect(hasAnsi(runBin(['--no-color', ...args], { env: { FORCE_COLOR: '1' } }).stdout)).toBe(false);
    expect(hasAnsi(runBin([...args, '--json'], { env: { FORCE_COLOR: '1' } }).stdout)).toBe(false);
  });

  it('packs the bin as an executable file', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    const [pack] = JSON.parse(out) as [{ name: string; files: { path: string; mode: number }[] }];
    expect(pack.name).toBe('@vmaflags/cli');
    const bin = pack.files.find((f) => f.path === 'bin/vmaflags.js');
    expect(bin).toBeDefined();
    expect(bin!.mode & 0o111).toBe(0o111);
    expect(pack.files.some((f) => f.path === 'dist/main.js')).toBe(true);
    expect(pack.files.some((f) => f.path.startsWith('test/'))).toBe(false);
  });
});
