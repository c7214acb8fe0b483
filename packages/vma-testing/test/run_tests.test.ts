import { describe, expect, test } from 'vitest';
import { selectedBackendNames } from '../src/backends.js';
import { WARN_ON, harness, setFailPrealloc } from '../src/include/custom.js';
import { countingRunner, summaryLine, type RunCounts } from '../src/run_tests.js';
import { ASSERT_EQ, ASSERT_TRUE, AssertionFailure } from '../src/shared.js';

// The CLI's runner: counting, failure reports, the closing line, and the
// backend selection it shares with the vitest files.

describe('countingRunner', () => {
  test('counts passes and failures and reports each failure like TEST()', () => {
    const counts: RunCounts = { run: 0, passed: 0, failed: 0 };
    const log: string[] = [];
    const TEST = countingRunner(counts, (l) => log.push(l));
    TEST('passes', () => ASSERT_EQ(0x1000, 0x1000));
    TEST('fails', () => ASSERT_EQ(0x1000, 0x2000));
    TEST('throws', () => {
      throw new Error('boom');
    });
    expect(counts).toEqual({ run: 3, passed: 1, failed: 2 });
    expect(log).toContain('Test fails FAILED');
    expect(log).toContain('Test throws FAILED');
    expect(log.find((l) => l.startsWith('Assert FAILED'))).toMatch(
      /run_tests\.test\.ts:\d+:.*ASSERT_EQ is FALSE \(0x1000 != 0x2000\)\.$/,
    );
    expect(summaryLine(counts)).toBe('3 tests run, 1 passed, 2 failed.');
  });

  test('a case that leaves kernel warnings behind fails', () => {
    const counts: RunCounts = { run: 0, passed: 0, failed: 0 };
    const log: string[] = [];
    countingRunner(counts, (l) => log.push(l))('warns', () => {
      WARN_ON(true, 'something odd');
    });
    expect(counts.failed).toBe(1);
    expect(log[0]).toContain('something odd');
  });

  test('fail_prealloc does not leak out of a case', () => {
    const counts: RunCounts = { run: 0, passed: 0, failed: 0 };
    countingRunner(counts, () => undefined)('sets it', () => setFailPrealloc(true));
    expect(harness.failPrealloc).toBe(false);
  });

  test('ASSERT_TRUE throws an AssertionFailure', () => {
    expect(() => ASSERT_TRUE(false)).toThrow(AssertionFailure);
  });
});

describe('selectedBackendNames (VMA_BACKEND)', () => {
  test.each([
    ['', ['core', 'native']],
    [' all ', ['core', 'native']],
    ['all', ['core', 'native']],
    ['core', ['core']],
    ['native', ['native']],
    ['native,core', ['core', 'native']],
  ])('%j selects %j', (value, names) => {
    expect(selectedBackendNames(value)).toEqual(names);
  });

  test('an unknown name is a RangeError naming VMA_BACKEND', () => {
    expect(() => selectedBackendNames('rust')).toThrow(/VMA_BACKEND must be/);
    expect(() => selectedBackendNames('rust')).toThrow(RangeError);
  });
});
