import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, jsonLines, packageDir, runBin } from './run_bin.js';

// The corpus and its recording come from @vmaflags/sim (packages/sim/scenarios):
// what the live kernel answered, recorded with tools/kernel-probe.

const scenarios = join(packageDir, '..', 'sim', 'scenarios');
const merge = join(scenarios, 'merge.jsonl');
const recording = readFileSync(join(scenarios, 'expected-6.18.44-fc-v857.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '');
const recorded = new Map(recording.map((l) => [(JSON.parse(l) as { name: string }).name, l]));

function tmpFile(name: string, text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'vmaflags-')), name);
  writeFileSync(p, text);
  return p;
}

describe('vmaflags replay', () => {
  it.each(['core', 'native'])(
    '--json gives the scenario output format, equal to the kernel recording (%s backend)',
    (backend) => {
      const r = runBin(['replay', '--json', '--backend', backend, merge]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(
        readFileSync(merge, 'utf8')
          .split('\n')
          .filter((l) => l !== '').length,
      );
      for (const line of lines) expect(line).toBe(recorded.get((JSON.parse(line) as { name: string }).name));
    },
  );

  it('reads stdin with -', () => {
    const r = runBin(['replay', '--json', '-'], { input: readFileSync(fixture('two.jsonl'), 'utf8') });
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(2);
  });

  it.each([
    [
      '{"name":"x","ops":[{"op":"mmap","page":0,"pages":0,"prot":[],"flags":["private","anonymous"]}]}',
      /line 2, op 0: pages must be/,
    ],
    ['{"name":"x","ops":[{"op":"frob"}]}', /line 2, op 0: op must be one of/],
    ['not json', /line 2: line must be one JSON object/],
  ])('rejects a malformed line with its line number: %s', (bad, message) => {
    const p = tmpFile('bad.jsonl', `${readFileSync(fixture('two.jsonl'), 'utf8').split('\n')[0]}\n${bad}\n`);
    const r = runBin(['replay', p]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.startsWith(`vmaflags: ${p}: `)).toBe(true);
  });

  it('rejects an unknown backend and a missing file', () => {
    expect(runBin(['replay', '--backend', 'gpu', merge]).stderr).toMatch(/--backend must be one of core, native/);
    const r = runBin(['replay', '/nonexistent.jsonl']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('vmaflags: cannot read /nonexistent.jsonl: no such file\n');
  });
});

describe('vmaflags diff', () => {
  it('agrees with the recording of the live kernel', () => {
    const r = runBin(['diff', '--against', join(scenarios, 'expected-6.18.44-fc-v857.jsonl'), merge]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('compared 43 scenarios: 43 agree, 0 disagree\n');
  });

  it('prints each disagreement side by side and exits 1', () => {
    const lines = readFileSync(fixture('two.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    // A kernel side where the first scenario's mmap failed and its VMA lacks write.
    const doctored = lines.map((l) => recorded.get((JSON.parse(l) as { name: string }).name)!);
    doctored[0] = doctored[0]!.replace('"result":"ok"', '"result":"ENOMEM"').replace('"rw-p"', '"r--p"');
    const against = tmpFile('kernel.jsonl', `${doctored.join('\n')}\n`);
    const r = runBin(['diff', '--against', against, fixture('two.jsonl')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(readFileSync(join(packageDir, 'test', 'golden', 'diff-doctored.txt'), 'utf8'));
    const j = runBin(['diff', '--json', '--against', against, fixture('two.jsonl')]);
    expect(j.status).toBe(1);
    expect(jsonLines(j.stdout)[0]).toEqual({
      scenarios: 2,
      disagreements: [
        {
          name: 'merge_adjacent_anon_same_flags',
          ops: [{ index: 0, op: 'mmap', field: 'result', sim: 'ok', kernel: 'ENOMEM' }],
          vmas: [
            {
              sim: {
                start: 0,
                end: 4,
                perms: 'rw-p',
                anon: true,
                backing: 'anon',
                file: null,
                pgoff: null,
                flags: ['rd', 'wr', 'mr', 'mw', 'me', 'ac'],
              },
              kernel: {
                start: 0,
                end: 4,
                perms: 'r--p',
                anon: true,
                backing: 'anon',
                file: null,
                pgoff: null,
                flags: ['rd', 'wr', 'mr', 'mw', 'me', 'ac'],
              },
            },
          ],
        },
      ],
    });
  });

  it('names a scenario the kernel side lacks, and a probe that is not there', () => {
    const r = runBin(['diff', '--against', tmpFile('empty.jsonl', `${recording[0]}\n`), fixture('two.jsonl')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/scenario "merge_adjacent_anon_same_flags" has no kernel output in /);
    const p = runBin(['diff', '--probe', '/nonexistent/kernel-probe', fixture('two.jsonl')]);
    expect(p.status).toBe(2);
    expect(p.stderr).toBe('vmaflags: --probe /nonexistent/kernel-probe: no such file\n');
  });

  // The probe is the workspace's tools/kernel-probe (built before these tests); touches need x86_64.
  const probe = join(packageDir, '..', '..', 'target', 'release', 'kernel-probe');
  it.skipIf(process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(probe))(
    'runs the kernel probe on the live kernel and agrees (Linux x86_64 with the probe built)',
    () => {
      const r = runBin(['diff', '--probe', probe, merge]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('compared 43 scenarios: 43 agree, 0 disagree\n');
      expect(r.status).toBe(0);
    },
  );
});
