import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, fixture, jsonLines, runBin } from './run_bin.js';

interface InspectVma {
  start: string;
  end: string;
  sizeKb: number;
  rssKb: number | null;
  perms: string;
  offset: string;
  dev: string;
  inode: string;
  path: string;
  backing: string;
  flags: string[] | null;
  word: string;
  pgv: string;
  unknown: string[];
}
interface InspectJson {
  source: string;
  pid: string | null;
  vmas: InspectVma[];
  totals: { vmas: number; sizeKb: number; rssKb: number };
  unknownMnemonics: string[];
}

const inspectJson = (...args: string[]) => {
  const r = runBin(['inspect', '--json', ...args]);
  return { ...r, doc: jsonLines(r.stdout)[0] as InspectJson };
};

const linux = process.platform === 'linux';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('vmaflags inspect (saved smaps)', () => {
  const file = fixture('bash.smaps');

  it('lists every VMA with its decoded flags and totals', () => {
    const { status, doc } = inspectJson('--file', file);
    expect(status).toBe(0);
    const headers = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l));
    expect(doc.vmas).toHaveLength(headers.length);
    expect(doc.vmas.map((v) => `${v.start.slice(2)}-${v.end.slice(2)}`)).toEqual(headers.map((h) => h.split(' ')[0]));
    const stack = doc.vmas.find((v) => v.path === '[stack]')!;
    // VmFlags "rd wr mr mw me gd ac" = VM_READ|VM_WRITE|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC|VM_GROWSDOWN|VM_ACCOUNT.
    expect(stack).toMatchObject({
      perms: 'rw-p',
      backing: 'stack',
      word: '0x100173',
      pgv: 'read|write|mayread|maywrite|mayexec|growsdown|account',
    });
    expect(doc.vmas.find((v) => v.path === '[vvar]')!.flags).toEqual(['rd', 'mr', 'pf', 'io', 'de', 'dd']);
    expect(doc.totals.vmas).toBe(headers.length);
    expect(doc.totals.sizeKb).toBe(doc.vmas.reduce((s, v) => s + v.sizeKb, 0));
    expect(doc.totals.rssKb).toBe(doc.vmas.reduce((s, v) => s + (v.rssKb ?? 0), 0));
    expect(doc.vmas.find((v) => v.path.endsWith('gconv-modules.cache'))!.backing).toBe('file');
    expect(doc.vmas.filter((v) => v.backing === 'anon')).toHaveLength(4);
  });

  it('filters by flag, path and range, and sorts', () => {
    expect(inspectJson('--file', file, '--filter', 'gd').doc.vmas.map((v) => v.path)).toEqual(['[stack]']);
    expect(inspectJson('--file', file, '--filter', 'flag:VM_IO').doc.vmas.map((v) => v.path)).toEqual([
      '[vvar]',
      '[vvar_vclock]',
    ]);
    expect(
      inspectJson('--file', file, '--filter', 'path:libtinfo', '--filter', 'ex').doc.vmas.map((v) => v.start),
    ).toEqual(['0x7f2d28c5e000']);
    expect(inspectJson('--file', file, '--filter', '0x7f2d28c93100').doc.vmas.map((v) => v.path)).toEqual(['[vdso]']);
    expect(
      inspectJson('--file', file, '--filter', 'range:7f2d28c8d000-7f2d28c95000').doc.vmas.map((v) => v.path),
    ).toEqual(['[vvar]', '[vvar_vclock]', '[vdso]']);
    const bySize = inspectJson('--file', file, '--sort', 'size').doc.vmas.map((v) => v.sizeKb);
    expect(bySize).toEqual([...bySize].sort((a, b) => b - a));
    const byRss = inspectJson('--file', file, '--sort', 'rss').doc.vmas.map((v) => v.rssKb ?? 0);
    expect(byRss).toEqual([...byRss].sort((a, b) => b - a));
  });

  it('reports mnemonics the configuration does not know instead of failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmaflags-'));
    const p = join(dir, 'smaps');
    writeFileSync(p, '00400000-00401000 r--p 00000000 00:00 0 \nRss: 4 kB\nVmFlags: rd mr zz \n');
    const { status, doc } = inspectJson('--file', p);
    expect(status).toBe(0);
    expect(doc.vmas[0]).toMatchObject({ word: '0x11', unknown: ['zz'] });
    expect(doc.unknownMnemonics).toEqual(['zz']);
  });

  it('rejects a malformed smaps naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmaflags-'));
    const p = join(dir, 'smaps');
    writeFileSync(p, '00400000-00401000 r--p 00000000 00:00 0 \nRss: 4 kB\nthis is not smaps\n');
    const r = runBin(['inspect', '--file', p]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`vmaflags: ${p}: line 3: not a smaps header or field: "this is not smaps"\n`);
  });

  it.each([
    [['inspect'], /give a pid, "self", or --file <smaps>/],
    [['inspect', 'abc'], /pid must be a process id or "self"; got "abc"/],
    [['inspect', '--file', '/nonexistent/smaps'], /cannot read \/nonexistent\/smaps: no such file/],
    [['inspect', '--file', fixture('bash.smaps'), '--sort', 'colour'], /--sort must be one of addr, size, rss, path/],
    [
      ['inspect', '--file', fixture('bash.smaps'), '--filter', 'range:zz'],
      /--filter range: must be START\[-END\] in hex/,
    ],
  ])('rejects %j with exit 2', (args, message) => {
    const r = runBin(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!linux)('vmaflags inspect (live /proc; Linux only)', () => {
  it('inspect self reads the bin process itself', () => {
    const { status, doc } = inspectJson('self');
    expect(status).toBe(0);
    expect(doc.source).toBe('/proc/self/smaps');
    // The child is the same node executable as this test process.
    const exe = realpathSync(process.execPath);
    expect(doc.vmas.some((v) => v.path === exe && v.perms.includes('x'))).toBe(true);
    const stack = doc.vmas.find((v) => v.path === '[stack]')!;
    expect(stack.flags).toContain('gd');
    expect(doc.totals.vmas).toBe(doc.vmas.length);
  });

  it('inspect <this test process> matches its own /proc/self/smaps', () => {
    const { status, doc } = inspectJson(String(process.pid));
    expect(status).toBe(0);
    const own = readFileSync('/proc/self/smaps', 'utf8');
    // The executable's mappings do not move while the process runs; compare them exactly.
    const exe = realpathSync(process.execPath);
    const mine: string[] = [];
    let header: string | null = null;
    for (const line of own.split('\n')) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) header = line.trim().endsWith(exe) ? line : null;
      else if (header !== null && line.startsWith('VmFlags:')) {
        const [range, perms, offset] = header.split(/\s+/) as [string, string, string];
        const [start, end] = range.split('-').map((a) => BigInt(`0x${a}`).toString(16));
        mine.push(`${start}-${end} ${perms} ${BigInt(`0x${offset}`).toString(16)} ${line.slice(8).trim()}`);
      }
    }
    const theirs = doc.vmas
      .filter((v) => v.path === exe)
      .map((v) => `${v.start.slice(2)}-${v.end.slice(2)} ${v.perms} ${v.offset.slice(2)} ${v.flags!.join(' ')}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(theirs).toEqual(mine);
  });

  it('explains a missing pid in one line', () => {
    const r = runBin(['inspect', '4194304999']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('vmaflags: no process with pid 4194304999: /proc/4194304999/smaps does not exist\n');
  });

  // As root, the bin runs as nobody and reads this (root-owned) process; otherwise it reads pid 1's.
  // Running as nobody needs a checkout that nobody can read.
  const nobodyCanRun =
    !isRoot ||
    spawnSync(process.execPath, ['-e', 'require("node:fs").accessSync(process.argv[1])', binPath], {
      uid: 65534,
      gid: 65534,
    }).status === 0;
  it.skipIf(!nobodyCanRun)(
    "explains a permission problem in one line (another user's process; skipped when nobody cannot read the checkout)",
    () => {
      const target = isRoot ? process.pid : 1;
      const r = runBin(['inspect', String(target)], isRoot ? { uid: 65534, gid: 65534 } : {});
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `vmaflags: cannot read /proc/${target}/smaps: permission denied; reading another process's smaps needs ptrace read access to it (the same user and a dumpable process, or CAP_SYS_PTRACE)\n`,
      );
    },
  );
});
