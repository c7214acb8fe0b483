import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { replayLine, type BackendName, type KernelVersion } from '../src/index.js';
import { describeMismatch, kernelVersionOf, loadCorpora } from './corpus.js';

// The simulator must reproduce the live kernel exactly: every scenario of
// the recorded corpus (scenarios/, written and recorded with
// tools/kernel-probe) and of the development fixtures (test/fixtures/,
// recorded with the same probe), for every kernel release that has an
// expected file, on both flag backends.

const DIRS = [
  fileURLToPath(new URL('../scenarios/', import.meta.url)),
  fileURLToPath(new URL('./fixtures/', import.meta.url)),
].filter((dir) => existsSync(dir));
const BACKENDS: BackendName[] = ['core', 'native'];

describe.each(DIRS)('scenarios in %s', (dir) => {
  const corpora = loadCorpora(dir);
  test('scenarios come with the recorded kernel output', () => expect(corpora.length).toBeGreaterThan(0));
  for (const corpus of corpora) {
    describe.each(BACKENDS)(`kernel ${corpus.release}, %s backend`, (backend) => {
      test(`all ${corpus.cases.length} scenarios match the kernel exactly`, () => {
        const options = { backend, kernelVersion: kernelVersionOf(corpus.release) as KernelVersion };
        const mismatches: string[] = [];
        for (const c of corpus.cases) {
          let got: string;
          try {
            got = replayLine(c.input, undefined, options).trimEnd();
          } catch (err) {
            mismatches.push(`${c.where} ${JSON.parse(c.input).name}: threw ${(err as Error).message}`);
            continue;
          }
          if (got !== c.expected)
            mismatches.push(`${c.where} ${JSON.parse(c.input).name}:\n${describeMismatch(c.expected, got)}`);
        }
        const shown = mismatches.slice(0, 8).join('\n');
        expect(mismatches.length, `${mismatches.length} of ${corpus.cases.length} differ; first ones:\n${shown}`).toBe(
          0,
        );
      });
    });
  }
});
