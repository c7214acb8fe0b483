import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runExample } from './run_example.js';

describe('decode_smaps_line', () => {
  it('decodes the sample stack line into flags, the word and %pGv', () => {
    expect(runExample('decode_smaps_line')).toBe(
      [
        'line:   "VmFlags: rd wr mr mw me gd ac "',
        'word 0: 0x100173',
        '  bit  0  VM_READ',
        '  bit  1  VM_WRITE',
        '  bit  4  VM_MAYREAD',
        '  bit  5  VM_MAYWRITE',
        '  bit  6  VM_MAYEXEC',
        '  bit  8  VM_GROWSDOWN = VM_STACK',
        '  bit 20  VM_ACCOUNT',
        '%pGv:   read|write|mayread|maywrite|mayexec|growsdown|account',
        'again:  "VmFlags: rd wr mr mw me gd ac" (same line)',
        '',
      ].join('\n'),
    );
  });

  it('decodes a line given on the command line', () => {
    const out = runExample('decode_smaps_line', 'VmFlags: rd ex mr mw me de');
    expect(out).toContain('word 0: 0x40075');
    expect(out).toContain('  bit 18  VM_DONTEXPAND');
    expect(out).toContain('%pGv:   read|exec|mayread|maywrite|mayexec|dontexpand');
  });

  // Linux only: the [stack] line of this very process, as the running kernel
  // printed it, decodes and prints back unchanged.
  it.skipIf(process.platform !== 'linux')("decodes this process's own [stack] line from /proc/self/smaps", () => {
    const smaps = readFileSync('/proc/self/smaps', 'utf8');
    const stack = smaps.slice(smaps.indexOf('[stack]'));
    const line = stack.split('\n').find((l) => l.startsWith('VmFlags:'));
    expect(line).toBeDefined();
    const out = runExample('decode_smaps_line', line as string);
    expect(out).toContain('VM_GROWSDOWN');
    expect(out).toContain('(same line)');
  });
});
