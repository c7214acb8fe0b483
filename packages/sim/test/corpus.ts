import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Scenario directories as the probe records them: every `*.jsonl` except the
// expected files, sorted by name and concatenated, and one
// `expected-<uname -r>.jsonl` per kernel release holding the probe's output
// for those scenarios, line for line.

export interface CorpusCase {
  /** `file.jsonl:line` */
  where: string;
  input: string;
  expected: string;
}

export interface Corpus {
  release: string;
  cases: CorpusCase[];
}

export function loadCorpora(dir: string): Corpus[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).sort();
  const scenarioFiles = names.filter((n) => n.endsWith('.jsonl') && !n.startsWith('expected-'));
  const inputs: { where: string; input: string }[] = [];
  for (const f of scenarioFiles) {
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() !== '') inputs.push({ where: `${f}:${i + 1}`, input: line });
      });
  }
  return names
    .filter((n) => /^expected-.+\.jsonl$/.test(n))
    .map((n) => {
      const expected = readFileSync(join(dir, n), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      if (expected.length !== inputs.length) {
        throw new Error(`${join(dir, n)} has ${expected.length} lines for ${inputs.length} scenarios: re-record it`);
      }
      return {
        release: n.slice('expected-'.length, -'.jsonl'.length),
        cases: inputs.map((c, i) => ({ ...c, expected: expected[i]! })),
      };
    });
}

/** The kernel version ("6.18") of a release string ("6.18.44-fc-v857"). */
export function kernelVersionOf(release: string): string {
  const m = /^(\d+\.\d+)/.exec(release);
  if (m === null) throw new Error(`not a kernel release: ${release}`);
  return m[1]!;
}

/** A readable difference of two output lines: the fields that differ. */
export function describeMismatch(expected: string, got: string): string {
  const e = JSON.parse(expected) as { ops: unknown[]; vmas: unknown[] };
  const g = JSON.parse(got) as { ops: unknown[]; vmas: unknown[] };
  const lines: string[] = [];
  e.ops.forEach((op, i) => {
    const a = JSON.stringify(op);
    const b = JSON.stringify(g.ops[i]);
    if (a !== b) lines.push(`  op ${i}: kernel ${a}\n        sim    ${b}`);
  });
  const n = Math.max(e.vmas.length, g.vmas.length);
  for (let i = 0; i < n; i++) {
    const a = JSON.stringify(e.vmas[i] ?? null);
    const b = JSON.stringify(g.vmas[i] ?? null);
    if (a !== b) lines.push(`  vma ${i}: kernel ${a}\n         sim    ${b}`);
  }
  return lines.join('\n');
}
