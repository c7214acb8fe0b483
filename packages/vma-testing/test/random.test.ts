import { describe, expect, test } from 'vitest';
import { HARNESS_CONFIGS, harnessTargets, type HarnessTarget } from '../src/backends.js';
import { runRandomSequence, sequenceSeed, sequenceSteps, type SequenceResult } from '../src/random_sequence.js';

// Randomised operation sequences, checked after every step (see
// random_sequence.ts), then the backends compared step by step. The seed is
// fixed so runs are reproducible and cacheable; VMA_SEED picks another and
// VMA_STEPS another length (mutation runs use a shorter one).

const STEPS = sequenceSteps();
const seed = sequenceSeed();
const targets = await harnessTargets();
const results = new Map<HarnessTarget, SequenceResult>();

function sequenceOf(t: HarnessTarget): SequenceResult {
  let r = results.get(t);
  if (r === undefined) {
    r = runRandomSequence(t.backend, seed, STEPS);
    results.set(t, r);
  }
  return r;
}

/** Operations every run must have performed, successfully or as injected failures. */
const EXERCISED = [
  'mmap',
  'munmap',
  'modify',
  'split',
  'merge',
  'merge refused',
  'expand',
  'shrink',
  'copy',
  'fault',
  'fork',
  'close hook toggled',
  'mmap failed',
  'split failed',
];

describe.each(targets.map((t) => [t.label, t] as const))('%s', (_label, t) => {
  test(`${STEPS} random steps from seed 0x${seed.toString(16)} keep every invariant`, () => {
    const r = sequenceOf(t);
    expect(r.digests).toHaveLength(STEPS);
    for (const op of EXERCISED) expect(r.opCounts[op], op).toBeGreaterThan(0);
  });
});

const byWidth = HARNESS_CONFIGS.map((config) => ({
  bits: config.numVmaFlagBits,
  pair: targets.filter((t) => t.config === config),
})).filter((w) => w.pair.length === 2);

// Registered only when both backends are selected (VMA_BACKEND=all).
describe.each(byWidth.map((w) => [w.bits, w.pair] as const))('core vs native, %i-bit vma_flags_t', (_bits, pair) => {
  test(`identical state after each of ${STEPS} steps from seed 0x${seed.toString(16)}`, () => {
    const [a, b] = pair.map(sequenceOf) as [SequenceResult, SequenceResult];
    const diverged = a.digests.findIndex((d, i) => d !== b.digests[i]);
    expect(diverged, `first step with different states (seed ${seed})`).toBe(-1);
    expect(b.finalState).toBe(a.finalState);
    expect(b.opCounts).toEqual(a.opCounts);
  });
});
