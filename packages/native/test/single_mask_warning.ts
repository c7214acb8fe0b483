import { afterAll, beforeAll, expect, vi } from 'vitest';

/**
 * Random calls hit `testSingleMask` with masks of several bits, which warns
 * once per process and backend. Capture those warnings instead of letting them
 * reach the test output, and check after the file that each one was that
 * warning and that at least one was seen.
 */
export function expectSingleMaskWarnings(): void {
  const warn = vi.spyOn(process, 'emitWarning');
  beforeAll(() => {
    warn.mockImplementation(() => undefined);
  });
  afterAll(() => {
    const calls = warn.mock.calls;
    warn.mockRestore();
    expect(calls.length).toBeGreaterThan(0);
    for (const [, options] of calls) expect(options).toMatchObject({ code: 'VMAFLAGS_SINGLE_MASK' });
  });
}
