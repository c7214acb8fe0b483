import { smapVmaFlagMnemonics, vmaflagNames, PRESETS } from '@vmaflags/core';
import { describe, expect, it } from 'vitest';
import { jsonLines, runBin } from './run_bin.js';

interface EncodeJson {
  names: string[];
  word: string;
  words: string[];
  bits: { bit: number }[];
  pgv: string;
  smaps: string;
}

const encodeJson = (...args: string[]) => {
  const r = runBin(['encode', '--json', ...args]);
  return { ...r, doc: jsonLines(r.stdout)[0] as EncodeJson };
};

describe('vmaflags encode', () => {
  it('takes every vocabulary and returns the word', () => {
    // torvalds/linux @8e1817b include/linux/mm.h: VM_GROWSDOWN 0x100, VM_STACK = VM_GROWSDOWN without STACK_GROWSUP.
    const { status, doc } = encodeJson('rd', 'write|mayread', 'VM_MAYWRITE,vma_mayexec_bit', 'VM_ACCOUNT', 'VM_STACK');
    expect(status).toBe(0);
    expect(doc.word).toBe('0x100173');
    expect(doc.words).toEqual(['0x100173']);
    expect(doc.names).toEqual(['rd', 'write', 'mayread', 'VM_MAYWRITE', 'vma_mayexec_bit', 'VM_ACCOUNT', 'VM_STACK']);
    expect(doc.smaps).toBe('VmFlags: rd wr mr mw me gd ac');
  });

  it('expands composites and VMA_*_FLAGS bitmaps', () => {
    // VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP (bits 14, 18, 10, 28).
    expect(encodeJson('VM_SPECIAL').doc.bits.map((b) => b.bit)).toEqual([10, 14, 18, 28]);
    expect(encodeJson('VMA_SPECIAL_FLAGS').doc.word).toBe(encodeJson('VM_SPECIAL').doc.word);
  });

  it('round-trips every smaps mnemonic and %pGv name of the preset', () => {
    const mnemonics = smapVmaFlagMnemonics(PRESETS.x86_64).filter((m) => m !== '' && m !== '??');
    const names = vmaflagNames(PRESETS.x86_64).map((n) => n.name);
    const a = encodeJson(...mnemonics).doc;
    const b = encodeJson(names.join('|')).doc;
    expect(a.smaps).toBe(`VmFlags: ${mnemonics.join(' ')}`);
    const back = runBin(['decode', '--json', b.word]);
    expect((jsonLines(back.stdout)[0] as EncodeJson).pgv).toBe(names.join('|'));
  });

  it('prints every word of a wider bitmap', () => {
    const { doc } = encodeJson('--arch', 'i386', '--bits', '64', 'VMA_READ_BIT', 'VMA_SEALED_BIT');
    expect(doc.words).toEqual(['0x1', '0x400']);
    const text = runBin(['encode', '--bits', '192', 'VMA_READ_BIT']);
    expect(text.stdout).toMatch(/word 0 +0x1\nword 1 +0x0\nword 2 +0x0\n/);
  });

  it.each([
    [['rdd'], /unknown flag name "rdd" on config x86_64; closest: .*\brd\b/],
    [['VM_REED'], /closest: VM_READ/],
    [['VM_SAO'], /VM_SAO is VM_NONE on config x86_64/],
    [
      ['--arch', 'i386', 'VMA_SEALED_BIT'],
      /VMA_SEALED_BIT is bit 42, outside NUM_VMA_FLAG_BITS 32 of config i386 \(try --bits 64\)/,
    ],
  ])('rejects %j with exit 2', (args, message) => {
    const r = runBin(['encode', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('notes names that are 0 on the configuration', () => {
    // TASK_EXEC is VM_EXEC only for READ_IMPLIES_EXEC tasks, 0 otherwise.
    const r = runBin(['encode', 'rd', 'TASK_EXEC']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('note: TASK_EXEC is 0 on config x86_64\n');
  });
});
