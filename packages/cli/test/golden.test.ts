import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { golden, packageDir, runBin } from './run_bin.js';

// Golden output of every command on fixed input. The files were checked by
// hand against the kernel's tables (see the comments); UPDATE_GOLDEN=1
// rewrites them after a deliberate change, to be reviewed in the diff.
//
// Facts used below:
// torvalds/linux @002ae70 mm/debug.c: dump_vma prints "flags: %#lx(%pGv)", dump_mm "def_flags: %#lx(%pGv)".
// torvalds/linux @8e1817b include/linux/mm.h: VM_READ 0x1, VM_WRITE 0x2, VM_EXEC 0x4, VM_MAYREAD 0x10,
//   VM_MAYWRITE 0x20, VM_MAYEXEC 0x40, VM_GROWSDOWN 0x100, VM_ACCOUNT 0x100000, VM_SOFTDIRTY 0x8000000.
// fs/proc/task_mmu.c show_smap_vma_flags: rd wr ex mr mw me gd ac sd …; arm64 BTI prints bit 24 as "bt".
const CASES: [file: string, args: string[], status: number][] = [
  ['decode-word.txt', ['decode', '0x100073'], 0],
  ['decode-decimal.txt', ['decode', '1048691'], 0],
  ['decode-pgv.txt', ['decode', 'read|write|0x800000000'], 0],
  ['decode-smaps.txt', ['decode', 'VmFlags:', 'rd', 'wr', 'mr', 'mw', 'me', 'gd', 'ac', 'sd'], 0],
  ['decode-mnemonics.txt', ['decode', 'rd', 'ex', 'mr', 'me'], 0],
  ['decode-log-agree.txt', ['decode', '[  12.345] flags: 0x100073(read|write|mayread|maywrite|mayexec|account)'], 0],
  [
    'decode-log-disagree.txt',
    ['decode', 'def_flags: 0x100077(read|write|mayread|maywrite|mayexec|account|softdirty)'],
    1,
  ],
  ['decode-arm64.txt', ['decode', '--arch', 'arm64', 'VmFlags: rd ex mr mw me bt'], 0],
  ['decode-wide.txt', ['decode', '--bits', '128', '0x73', '0x10'], 0],
  ['encode.txt', ['encode', 'rd', 'wr', 'mr', 'mw', 'me', 'ac'], 0],
  ['encode-mixed.txt', ['encode', 'read|write', 'VM_MAYREAD,vma_account_bit', 'VM_STACK'], 0],
  ['encode-wide.txt', ['encode', '--arch', 'i386', '--bits', '64', 'VMA_READ_BIT', 'VMA_SEALED_BIT'], 0],
  ['inspect-file.txt', ['inspect', '--file', 'test/fixtures/bash.smaps'], 0],
  ['explain-causes.txt', ['explain', '--file', 'test/fixtures/merge_causes.smaps'], 0],
  ['explain-bash.txt', ['explain', '--file', 'test/fixtures/bash.smaps', '--touching'], 0],
  ['replay-two.txt', ['replay', 'test/fixtures/two.jsonl'], 0],
  [
    'inspect-filter.txt',
    ['inspect', '--file', 'test/fixtures/bash.smaps', '--filter', 'path:libc', '--sort', 'size', '--pgv'],
    0,
  ],
];

describe('golden output', () => {
  it.each(CASES)('%s', (file, args, status) => {
    const r = runBin(args);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(status);
    if (process.env.UPDATE_GOLDEN) writeFileSync(join(packageDir, 'test', 'golden', file), r.stdout);
    expect(r.stdout).toBe(golden(file));
  });
});
