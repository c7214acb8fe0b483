import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, jsonLines, packageDir, runBin } from './run_bin.js';

// Merge rules: torvalds/linux @8e1817b mm/vma.c (is_mergeable_vma, is_mergeable_anon_vma,
// can_vma_merge_after, VM_SPECIAL); the live cases below were observed on this machine's
// Linux 6.18 kernel, which kept each pair apart exactly as described.

interface PairJson {
  first: { start: string; end: string; perms: string; path: string };
  second: { start: string; end: string; perms: string; path: string };
  blockers: { code: string; text: string; flags?: string[] }[];
  hidden: { cause: string; evidence: string }[];
}
interface ExplainJson {
  source: string;
  pid: string | null;
  pairs: PairJson[];
  summary: { vmas: number; pairs: number; gaps: number; hiddenOnly: number };
}

const explainJson = (...args: string[]) => {
  const r = runBin(['explain', '--json', ...args]);
  return { ...r, doc: jsonLines(r.stdout)[0] as ExplainJson };
};
const codes = (p: PairJson) => p.blockers.map((b) => b.code);
const causes = (p: PairJson) => p.hidden.map((h) => h.cause);

describe('vmaflags explain (saved smaps, one pair per cause)', () => {
  const { status, doc } = explainJson('--file', fixture('merge_causes.smaps'));
  const pair = (start: string) => doc.pairs.find((p) => p.first.start === start)!;

  it('covers every neighbouring pair', () => {
    expect(status).toBe(0);
    expect(doc.summary).toEqual({ vmas: 16, pairs: 15, gaps: 2, hiddenOnly: 5 });
    expect(doc.pairs).toHaveLength(15);
  });

  it('flags that differ, by name', () => {
    expect(codes(pair('0x400000'))).toEqual(['flags']);
    expect(pair('0x400000').blockers[0]!.flags).toEqual(['ex']);
    expect(codes(pair('0x505000'))).toEqual(['flags']);
    expect(pair('0x505000').blockers[0]!.flags).toEqual(['um']);
  });

  it('protection keys from the ProtectionKey line, which VmFlags hides', () => {
    expect(codes(pair('0x506000'))).toEqual(['flags']);
    expect(pair('0x506000').blockers[0]!.flags).toEqual(['VM_PKEY_BIT0']);
  });

  it('file offsets that do not continue', () => {
    expect(codes(pair('0x401000'))).toEqual(['pgoff']);
    expect(pair('0x401000').blockers[0]!.text).toBe(
      'file offsets not contiguous: the first maps up to offset 0x2000, the second starts at 0x5000',
    );
  });

  it('a different file, and a file next to anonymous memory', () => {
    expect(codes(pair('0x402000'))).toEqual(['file', 'pgoff']);
    expect(codes(pair('0x403000'))).toEqual(['file', 'pgoff']);
    expect(pair('0x403000').blockers[0]!.text).toBe('one is backed by /bin/b, the other is not file-backed ([anon])');
  });

  it('a gap, and nothing else for VMAs that do not touch', () => {
    expect(codes(pair('0x404000'))).toEqual(['gap']);
    expect(pair('0x404000').blockers[0]!.text).toBe('not adjacent: 1004 kB unmapped between them');
  });

  it('a special mapping', () => {
    expect(codes(pair('0x502000'))).toEqual(['special', 'flags']);
    expect(pair('0x502000').blockers[0]!.flags).toEqual(['pf', 'io', 'de']);
  });

  it('hidden: different anon_vmas when both sides have anonymous pages', () => {
    expect(codes(pair('0x500000'))).toEqual([]);
    expect(causes(pair('0x500000'))).toEqual(['anon_vma', 'anon_pgoff', 'mempolicy']);
    expect(pair('0x500000').hidden[0]!.evidence).toMatch(/^both have anonymous pages \(4 kB and 4 kB\)/);
  });

  it('hidden: a fork child when only one side has anonymous pages', () => {
    expect(causes(pair('0x501000'))).toEqual(['fork_child', 'anon_pgoff', 'mempolicy']);
  });

  it('hidden: two opens of one file, and userfaultfd contexts', () => {
    expect(causes(pair('0x504000'))).toEqual(['open_file', 'mempolicy']);
    expect(causes(pair('0x507000'))).toEqual(['open_file', 'mempolicy', 'uffd_ctx']);
  });

  it('soft-dirty alone keeps nothing apart (VM_IGNORE_MERGE)', () => {
    expect(codes(pair('0x600000'))).toEqual([]);
  });

  it('--touching leaves out the pairs with a gap', () => {
    const t = explainJson('--file', fixture('merge_causes.smaps'), '--touching').doc;
    expect(t.pairs).toHaveLength(13);
    expect(t.pairs.some((p) => codes(p).includes('gap'))).toBe(false);
  });

  it('rejects bad input like inspect does', () => {
    expect(runBin(['explain']).status).toBe(2);
    const r = runBin(['explain', '--file', '/nonexistent/smaps']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('vmaflags: cannot read /nonexistent/smaps: no such file\n');
  });
});

const python = spawnSync('python3', ['--version']).status === 0;

// Needs python3 (ctypes) to place mappings at chosen addresses on the live kernel.
describe.skipIf(process.platform !== 'linux' || !python)('vmaflags explain (live kernel; Linux with python3)', () => {
  let child: ChildProcess;
  let layout: Record<string, [number, number]>;
  let forked: { pid: number; fork_child: [number, number] };

  beforeAll(async () => {
    child = spawn('python3', [fixture('unmerged_neighbours.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    layout = JSON.parse((await lines.next()).value as string) as typeof layout;
    forked = JSON.parse((await lines.next()).value as string) as typeof forked;
  });
  afterAll(() => {
    child.stdin!.end();
    if (child.exitCode === null) child.kill();
    try {
      process.kill(forked.pid);
    } catch {
      // already gone with its parent's stdin
    }
  });

  const hex = (n: number) => `0x${n.toString(16)}`;
  const pairAt = (doc: ExplainJson, [a, b]: [number, number]) => {
    const p = doc.pairs.find((x) => x.first.start === hex(a));
    expect(p, `a pair starting at ${hex(a)}`).toBeDefined();
    expect(p!.second.start).toBe(hex(b));
    return p!;
  };

  it('explains each pair the kernel kept apart', () => {
    const { status, doc } = explainJson(String(child.pid), '--touching');
    expect(status).toBe(0);
    // mremap moved a faulted mapping next to another faulted one: different anon_vmas.
    const anon = pairAt(doc, layout.anon_vma!);
    expect(codes(anon)).toEqual([]);
    expect(causes(anon)[0]).toBe('anon_vma');
    // One file opened twice, contiguous offsets: different struct files.
    const file = pairAt(doc, layout.open_file!);
    expect(codes(file)).toEqual([]);
    expect(causes(file)[0]).toBe('open_file');
    // mprotect of the second page: flags differ (write, and the accounting that goes with it).
    const flags = pairAt(doc, layout.flags!);
    expect(codes(flags)).toEqual(['flags']);
    expect(flags.blockers[0]!.flags).toContain('wr');
    // One open file, offsets 2-3 then 0-1.
    expect(codes(pairAt(doc, layout.pgoff!))).toEqual(['pgoff']);
  });

  it('agrees with the kernel where it would merge: two unfaulted neighbours became one VMA', () => {
    const r = runBin([
      'inspect',
      '--json',
      String(child.pid),
      '--filter',
      `range:${layout.merged![0].toString(16)}-${layout.merged![1].toString(16)}`,
    ]);
    const vmas = (jsonLines(r.stdout)[0] as { vmas: { start: string; end: string }[] }).vmas;
    expect(vmas).toEqual([expect.objectContaining({ start: hex(layout.merged![0]), end: hex(layout.merged![1]) })]);
  });

  it('points at fork when only the inherited side has anonymous pages', () => {
    const { doc } = explainJson(String(forked.pid), '--touching');
    const p = pairAt(doc, forked.fork_child);
    expect(codes(p)).toEqual([]);
    expect(causes(p)[0]).toBe('fork_child');
  });
});

describe('vmaflags explain (scenario file, on the simulator)', () => {
  // packages/sim/scenarios: the corpus the simulator matches the live kernel on.
  const scenarios = join(packageDir, '..', 'sim', 'scenarios');
  interface ScenarioExplainJson {
    scenarios: {
      name: string;
      pairs: { first: number; second: number; blockers: { code: string }[]; note?: string }[];
    }[];
  }
  const run = (file: string) => {
    const r = runBin(['explain', '--json', '--touching', join(scenarios, file)]);
    expect(r.status).toBe(0);
    const doc = jsonLines(r.stdout)[0] as ScenarioExplainJson;
    return (name: string) =>
      doc.scenarios.find((s) => s.name === name)!.pairs.map((p) => p.blockers.map((b) => b.code));
  };

  it('gives the exact cause, including what smaps cannot show', () => {
    const merge = run('merge.jsonl');
    expect(merge('merge_adjacent_anon_same_flags')).toEqual([]);
    expect(merge('merge_fill_the_hole_both_touched_different_anon_vma')).toEqual([['anon_vma']]);
    expect(merge('merge_not_two_opens_of_one_file')).toEqual([['file']]);
    expect(merge('merge_not_two_files')).toEqual([['file']]);
    expect(merge('merge_not_file_pgoff_gap')).toEqual([['pgoff']]);
    expect(merge('merge_not_different_prot')).toEqual([['flags']]);
    expect(merge('merge_not_anon_next_to_file')).toEqual([['file', 'pgoff']]);
    const fork = run('fork.jsonl');
    // Both sides touched after fork: each has its own anon_vma now.
    expect(fork('fork_child_new_mapping_does_not_merge_with_inherited')).toEqual([['anon_vma']]);
    // An inherited faulted VMA next to an unfaulted one: only the fork rule keeps them apart (besides the flags).
    expect(fork('fork_wipeonfork_keeps_the_vma')).toEqual([['flags', 'fork_child']]);
  });

  it('names the two opens of one file in words', () => {
    const r = runBin(['explain', '--touching', join(scenarios, 'merge.jsonl')]);
    expect(r.stdout).toMatch(
      /scenario +merge_not_two_opens_of_one_file\n\npages 0-2 r--s file0\npages 2-4 r--s file0\n {2}file +two different open files of file0/,
    );
  });

  it('rejects a malformed scenario line with its line number', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'vmaflags-')), 'bad.jsonl');
    writeFileSync(
      p,
      '{"name":"x","ops":[{"op":"mmap","page":-1,"pages":1,"prot":[],"flags":["private","anonymous"]}]}\n',
    );
    const r = runBin(['explain', p]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^vmaflags: ${p}: line 1, op 0: page must be`));
  });
});
