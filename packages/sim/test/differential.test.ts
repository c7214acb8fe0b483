import { release } from 'node:os';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { replayLine, type BackendName, type KernelVersion } from '../src/index.js';
import { describeMismatch, kernelVersionOf } from './corpus.js';
import { fuzzScale, fuzzSeed, liveKernelUnavailable, runProbe } from './env.js';
import { scenarioArbitrary } from './scenario_arbitrary.js';

// The simulator against the live kernel on random op sequences: thousands of
// seeded scenarios go through the probe in one run, then through the
// simulator on both backends, and every output line must be identical. A
// disagreement is shrunk by fast-check, asking the probe again about each
// candidate, and the smallest scenario is printed as a JSONL line with both
// outputs (add it to test/fixtures/ once the simulator is fixed).

const unavailable = liveKernelUnavailable();
const RUNS = Math.max(1, Math.round(2000 * fuzzScale()));
const SEED = fuzzSeed();
const BACKENDS: BackendName[] = ['core', 'native'];

function simLines(input: string): Record<BackendName, string> {
  const kernelVersion = kernelVersionOf(release()) as KernelVersion;
  const out = {} as Record<BackendName, string>;
  for (const backend of BACKENDS) out[backend] = replayLine(input, undefined, { backend, kernelVersion }).trimEnd();
  return out;
}

function disagreement(input: string, kernel: string): string | null {
  const sim = simLines(input);
  for (const backend of BACKENDS)
    if (sim[backend] !== kernel)
      return `${backend} backend:\nscenario ${input}\nkernel   ${kernel}\nsim      ${sim[backend]}\n${describeMismatch(kernel, sim[backend])}`;
  return null;
}

describe.skipIf(unavailable !== null)(`simulator vs live kernel (${unavailable ?? release()})`, () => {
  test(`${RUNS} random scenarios (seed ${SEED}) agree on both backends`, { timeout: 600_000 }, () => {
    const arbitrary = scenarioArbitrary();
    const scenarios = fc
      .sample(arbitrary, { seed: SEED, numRuns: RUNS })
      .map((s, i) => ({ ...s, name: `random-${SEED}-${i}` }));
    const inputs = scenarios.map((s) => JSON.stringify(s));
    const kernel = runProbe(`${inputs.join('\n')}\n`);
    expect(kernel.length).toBe(inputs.length);

    const failing: number[] = [];
    inputs.forEach((input, i) => {
      if (disagreement(input, kernel[i]!) !== null) failing.push(i);
    });
    if (failing.length === 0) return;

    // Shrink the first disagreement: fast-check replays run `i` of the same
    // seed and walks its shrink tree, asking the probe about each candidate.
    const first = failing[0]!;
    const details = fc.check(
      fc.property(arbitrary, (s) => {
        const input = JSON.stringify({ ...s, name: 'shrunk' });
        return disagreement(input, runProbe(`${input}\n`)[0]!) === null;
      }),
      { seed: SEED, path: String(first), numRuns: RUNS },
    );
    const minimal = details.counterexample?.[0];
    const report =
      minimal === undefined
        ? `(did not reproduce alone)\n${disagreement(inputs[first]!, kernel[first]!)}`
        : (() => {
            const input = JSON.stringify({ ...minimal, name: 'shrunk' });
            return disagreement(input, runProbe(`${input}\n`)[0]!);
          })();
    console.log(`minimal disagreement after ${details.numShrinks} shrinks:\n${report}`);
    expect.fail(
      `${failing.length} of ${RUNS} scenarios disagree (first: random-${SEED}-${first}); minimal:\n${report}`,
    );
  });
});
