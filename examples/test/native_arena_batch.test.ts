import { describe, expect, it } from 'vitest';
import { runExample } from './run_example.js';

describe('native_arena_batch', () => {
  it('batch-updates an arena natively and reads the result through core', () => {
    expect(runExample('native_arena_batch')).toBe(
      [
        'entries: 1024, writable: 768, read-only: 256',
        'entries 256..287 writable: none',
        'entry   0: VmFlags: rd wr mr mw',
        'entry   3: VmFlags: rd wr mr mw dd',
        'entry 300: VmFlags: rd mr mw dd',
        '',
      ].join('\n'),
    );
  });
});
