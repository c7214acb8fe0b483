import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { machine, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { presetForMachine } from '@vmaflags/core';
import { describe, expect, it } from 'vitest';
import { fixture, jsonLines, runBin } from './run_bin.js';

// Which kernel configuration the commands decode with: the running kernel's
// (--arch host), a .config file (--kconfig), or a preset. The running kernel's
// files are found under VMAFLAGS_HOST_ROOT and its machine name is
// VMAFLAGS_HOST_MACHINE when set, so every step of the fallback chain is driven
// with real files in a temporary directory.

interface ConfigJson {
  source: string;
  name: string;
  arch: string;
  bitsPerLong: number;
  numVmaFlagBits: number;
}
const configOf = (stdout: string) => (jsonLines(stdout)[0] as { config: ConfigJson }).config;

// An arm64 distribution config, cut down to the symbols the flag table reads.
// "arm64: enable the Permission Overlay Extension" (linux-arm-kernel, 2024): ARM64_POE selects ARCH_HAS_PKEYS.
// fs/proc/task_mmu.c show_smap_vma_flags: bit 24 prints as "bt" with CONFIG_ARM64_BTI.
const ARM64_CONFIG = [
  '#',
  '# Linux/arm64 6.18.0 Kernel Configuration',
  '#',
  'CONFIG_ARM64=y',
  'CONFIG_64BIT=y',
  'CONFIG_MMU=y',
  'CONFIG_ARM64_BTI=y',
  '# CONFIG_ARM64_MTE is not set',
  'CONFIG_ARM64_POE=y',
  'CONFIG_ARCH_PKEY_BITS=3',
  'CONFIG_HAVE_ARCH_USERFAULTFD_MINOR=y',
  '',
].join('\n');
const X86_64_NO_SOFT_DIRTY = ['CONFIG_X86_64=y', 'CONFIG_MMU=y', '# CONFIG_MEM_SOFT_DIRTY is not set', ''].join('\n');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vmaflags-host-'));
}

/** A stand-in for / holding the given files. */
function hostRoot(files: Record<string, string | Buffer>): string {
  const root = tempDir();
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), body);
  }
  return root;
}

const bootConfig = `boot/config-${release()}`;
const decodeHost = (root: string, hostMachine: string, ...args: string[]) =>
  runBin(['decode', '--arch', 'host', ...args], {
    env: { VMAFLAGS_HOST_ROOT: root, VMAFLAGS_HOST_MACHINE: hostMachine },
  });

describe('--arch host: the fallback chain', () => {
  it('reads proc/config.gz first', () => {
    const root = hostRoot({ 'proc/config.gz': gzipSync(ARM64_CONFIG), [bootConfig]: X86_64_NO_SOFT_DIRTY });
    const r = decodeHost(root, 'x86_64', '--json', 'VmFlags: rd ex mr mw me bt');
    expect(r.status).toBe(0);
    expect(configOf(r.stdout)).toEqual({
      source: join(root, 'proc/config.gz'),
      name: `arm64 from ${join(root, 'proc/config.gz')}`,
      arch: 'arm64',
      bitsPerLong: 64,
      numVmaFlagBits: 64,
    });
    expect(r.stderr).toBe('');
  });

  it('then boot/config-$(uname -r), reporting it on stderr in text mode', () => {
    const root = hostRoot({ [bootConfig]: X86_64_NO_SOFT_DIRTY });
    const path = join(root, bootConfig);
    const r = decodeHost(root, 'aarch64', 'rd', 'wr');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`config from ${path}\n`);
    expect(r.stdout).toContain(`config   x86_64 from ${path} (BITS_PER_LONG 64, NUM_VMA_FLAG_BITS 64)`);
    // That kernel has no soft-dirty: sd is not one of its mnemonics.
    const sd = decodeHost(root, 'aarch64', 'rd', 'sd');
    expect(sd.status).toBe(2);
    expect(sd.stderr).toMatch(/unknown smaps mnemonic "sd" on config x86_64 from /);
  });

  it('then the preset of the machine name', () => {
    const r = decodeHost(hostRoot({}), 'aarch64', '--json', 'VmFlags: rd ex mr mw me bt');
    expect(r.status).toBe(0);
    expect(configOf(r.stdout)).toMatchObject({ source: 'preset:arm64', name: 'arm64', arch: 'arm64' });
    const text = decodeHost(hostRoot({}), 'armv7l', '0x1');
    expect(text.stderr).toBe('config from preset:arm\n');
  });

  it('a machine without a preset and no config file is exit 2 naming --arch and its values', () => {
    const root = hostRoot({});
    const r = decodeHost(root, 's390x', '0x1');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `vmaflags: --arch host: this kernel's configuration is unknown (no ${join(root, 'proc/config.gz')}, no ${join(root, bootConfig)}, and no preset for machine "s390x"); give --arch with a preset (x86_64, i386, arm64, arm, riscv64, ppc64, ppc32, parisc, sparc64, nommu) or --kconfig FILE\n`,
    );
  });

  it('a host config that is not a .config is exit 2 naming the file', () => {
    const root = hostRoot({ 'proc/config.gz': 'VmFlags: rd wr\n' });
    const r = decodeHost(root, 'x86_64', '0x1');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `vmaflags: ${join(root, 'proc/config.gz')}: text must be a kernel .config (CONFIG_NAME=value, "# CONFIG_NAME is not set", blank or # comment lines) at line 1; got "VmFlags: rd wr"\n`,
    );
  });
});

describe('--kconfig FILE', () => {
  const dir = tempDir();
  const plain = join(dir, 'config-arm64');
  const gz = join(dir, 'config-arm64.gz');
  writeFileSync(plain, ARM64_CONFIG);
  writeFileSync(gz, gzipSync(ARM64_CONFIG));

  it.each([
    ['plain', plain],
    ['gzip', gz],
  ])('reads a %s file and wins over --arch', (_, path) => {
    const r = runBin(['decode', '--json', '--arch', 'x86_64', '--kconfig', path, 'VmFlags: rd ex mr mw me bt']);
    expect(r.status).toBe(0);
    const doc = jsonLines(r.stdout)[0] as { config: ConfigJson; words: string[] };
    expect(doc.config).toMatchObject({ source: `file:${path}`, name: `arm64 from ${path}`, arch: 'arm64' });
    expect(doc.words).toEqual(['0x1000075']);
  });

  it('is reported on stderr in text mode, by every command that takes a configuration', () => {
    for (const args of [
      ['decode', '0x1'],
      ['encode', 'rd'],
      ['inspect', '--file', fixture('bash.smaps')],
      ['explain', '--file', fixture('merge_causes.smaps')],
    ]) {
      const r = runBin([...args, '--kconfig', gz]);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stderr, args.join(' ')).toBe(`config from file:${gz}\n`);
    }
  });

  it('takes --option and --bits on top', () => {
    const r = runBin(['decode', '--json', '--kconfig', gz, '--option', 'ARM64_BTI=off', '--bits', '128', '0x1']);
    expect(r.status).toBe(0);
    expect(configOf(r.stdout)).toMatchObject({
      source: `file:${gz}`,
      name: `arm64 from ${gz}+ARM64_BTI=false`,
      numVmaFlagBits: 128,
    });
    const bt = runBin(['decode', '--kconfig', gz, '--option', 'ARM64_BTI=off', 'VmFlags: rd bt']);
    expect(bt.status).toBe(2);
  });

  it('names the file when it cannot be read or is not a config', () => {
    const missing = runBin(['decode', '--kconfig', join(dir, 'nope'), '0x1']);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      `vmaflags: --kconfig: cannot read ${join(dir, 'nope')}: no such file\n`,
    ]);
    const broken = join(dir, 'broken.gz');
    writeFileSync(broken, gzipSync(ARM64_CONFIG).subarray(0, 20));
    const bad = runBin(['decode', '--kconfig', broken, '0x1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(`^vmaflags: cannot read ${broken}: not a valid gzip file \\(.+\\)\\n$`));
    const two = join(dir, 'two-arches');
    writeFileSync(two, 'CONFIG_X86_64=y\nCONFIG_ARM64=y\n');
    const mixed = runBin(['encode', '--kconfig', two, 'rd']);
    expect([mixed.status, mixed.stderr]).toEqual([
      2,
      `vmaflags: --kconfig ${two}: text must be the config of one architecture; got "CONFIG_ symbols of x86_64 and arm64"\n`,
    ]);
  });
});

describe('defaults', () => {
  it('decode and encode keep the x86_64 preset and say nothing about it', () => {
    for (const args of [
      ['decode', '0x1'],
      ['encode', 'rd'],
    ]) {
      const r = runBin(['--json', ...args], {
        env: { VMAFLAGS_HOST_ROOT: hostRoot({}), VMAFLAGS_HOST_MACHINE: 'aarch64' },
      });
      expect(configOf(r.stdout)).toMatchObject({ source: 'preset:x86_64', arch: 'x86_64' });
      expect(runBin(args).stderr).toBe('');
    }
  });

  it('--file keeps the x86_64 preset: a saved smaps may come from any machine', () => {
    const r = runBin(['inspect', '--json', '--file', fixture('bash.smaps')], {
      env: { VMAFLAGS_HOST_ROOT: hostRoot({}), VMAFLAGS_HOST_MACHINE: 'aarch64' },
    });
    expect(configOf(r.stdout)).toMatchObject({ source: 'preset:x86_64' });
  });

  it('a scenario file keeps the simulator configuration', () => {
    const r = runBin(['explain', '--json', fixture('two.jsonl')]);
    expect(r.status).toBe(0);
    expect(configOf(r.stdout)).toMatchObject({ source: 'simulator', arch: 'x86_64' });
  });

  it('the help says which default each command has and why', () => {
    expect(runBin(['decode', '--help']).stdout.replace(/\s+/g, ' ')).toContain(
      'default x86_64, not host: the text may come from any machine',
    );
    for (const cmd of ['inspect', 'explain']) {
      expect(runBin([cmd, '--help']).stdout.replace(/\s+/g, ' ')).toContain(
        'default host for a live process, x86_64 with --file',
      );
    }
  });
});

describe.skipIf(process.platform !== 'linux')('a live process: the running kernel by default (Linux only)', () => {
  // What this machine offers, in the order the bin looks.
  const expected = existsSync('/proc/config.gz')
    ? '/proc/config.gz'
    : existsSync(`/boot/config-${release()}`)
      ? `/boot/config-${release()}`
      : `preset:${presetForMachine(machine())}`;

  it.each(['inspect', 'explain'])('%s self decodes with it and says so', (cmd) => {
    const json = runBin([cmd, '--json', 'self']);
    expect(json.status).toBe(0);
    expect(configOf(json.stdout).source).toBe(expected);
    const text = runBin([cmd, 'self']);
    expect(text.status).toBe(0);
    expect(text.stderr).toBe(`config from ${expected}\n`);
    // An explicit preset is used as given, silently.
    const preset = runBin([cmd, '--json', '--arch', 'x86_64', 'self']);
    expect(configOf(preset.stdout).source).toBe('preset:x86_64');
    expect(runBin([cmd, '--arch', 'x86_64', 'self']).stderr).toBe('');
  });

  it('inspect self decodes every mnemonic this kernel prints', () => {
    const doc = jsonLines(runBin(['inspect', '--json', 'self']).stdout)[0] as { unknownMnemonics: string[] };
    expect(doc.unknownMnemonics).toEqual([]);
  });
});
