import {
  PRESETS,
  VMA_DONTEXPAND_BIT,
  VMA_EXEC_BIT,
  VMA_IO_BIT,
  VMA_MAYREAD_BIT,
  VMA_MAYWRITE_BIT,
  VMA_READ_BIT,
  VMA_SOFTDIRTY_BIT,
  VMA_WRITE_BIT,
  coreBackend,
} from '@vmaflags/core';
import { describe, expect, test } from 'vitest';
import {
  AnonVma,
  FMODE_READ,
  MmStruct,
  PAGE_SIZE,
  VmAreaStruct,
  isMergeableAnonVmaBlocker,
  isMergeableVmaBlocker,
  vmaMergeBlockers,
  type Backend,
  type File,
} from '../src/index.js';
import { environment } from './environment.js';

// torvalds/linux @8e1817b mm/vma.c: is_mergeable_vma compares policy, flags
// (less VM_IGNORE_MERGE), vm_file, userfaultfd ctx and anon_vma_name;
// is_mergeable_anon_vma refuses different anon_vmas and fork children (an
// anon_vma_chain of more than one link); can_vma_merge_after needs prev's
// pgoff + pages == the range's pgoff; VM_SPECIAL ranges never merge.

const b = coreBackend(PRESETS.x86_64) as unknown as Backend;
const mm = new MmStruct(b, environment());
const file = (): File => ({ fMapping: null, fOp: {}, fMode: FMODE_READ, fInode: { iSize: 0 }, pathNoexec: false });
const BASE = 0x7f0000000000;

function vma(startPage: number, pages: number, bits: number[], init: Partial<VmAreaStruct> = {}): VmAreaStruct {
  const v = new VmAreaStruct(mm, b.mk(...bits));
  v.vmStart = BASE + startPage * PAGE_SIZE;
  v.vmEnd = v.vmStart + pages * PAGE_SIZE;
  v.vmPgoff = v.vmStart / PAGE_SIZE;
  return Object.assign(v, init);
}

const RW = [VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT];
const codes = (prev: VmAreaStruct, next: VmAreaStruct) => vmaMergeBlockers(prev, next).map((x) => x.code);
const bits = (f: unknown) => b.toWords(f as never)[0];

describe('vmaMergeBlockers', () => {
  test('two neighbours with the same attributes would merge', () => {
    expect(codes(vma(0, 2, RW), vma(2, 3, RW))).toEqual([]);
  });

  test('a gap', () => {
    expect(codes(vma(0, 2, RW), vma(3, 1, RW))).toEqual(['gap', 'pgoff']);
  });

  test('different flags, naming the bits; soft-dirty alone does not count', () => {
    const blockers = vmaMergeBlockers(vma(0, 2, RW), vma(2, 1, [...RW, VMA_EXEC_BIT, VMA_SOFTDIRTY_BIT]));
    expect(blockers.map((x) => x.code)).toEqual(['flags']);
    expect(bits(blockers[0]!.flags)).toBe(1n << 2n);
    expect(codes(vma(0, 2, RW), vma(2, 1, [...RW, VMA_SOFTDIRTY_BIT]))).toEqual([]);
  });

  test('VM_SPECIAL on either side', () => {
    const blockers = vmaMergeBlockers(vma(0, 1, [...RW, VMA_IO_BIT]), vma(1, 1, [...RW, VMA_DONTEXPAND_BIT]));
    expect(blockers.map((x) => x.code)).toEqual(['special', 'flags']);
    expect(bits(blockers[0]!.flags)).toBe((1n << 14n) | (1n << 18n));
  });

  test('different files, and a file next to anonymous memory', () => {
    const f = file();
    expect(codes(vma(0, 2, RW, { vmFile: f, vmPgoff: 0 }), vma(2, 1, RW, { vmFile: f, vmPgoff: 2 }))).toEqual([]);
    expect(codes(vma(0, 2, RW, { vmFile: f, vmPgoff: 0 }), vma(2, 1, RW, { vmFile: file(), vmPgoff: 2 }))).toEqual([
      'file',
    ]);
    expect(codes(vma(0, 2, RW, { vmFile: f, vmPgoff: 0 }), vma(2, 1, RW))).toEqual(['file', 'pgoff']);
  });

  test('pgoff not contiguous', () => {
    const f = file();
    expect(codes(vma(0, 2, RW, { vmFile: f, vmPgoff: 0 }), vma(2, 1, RW, { vmFile: f, vmPgoff: 7 }))).toEqual([
      'pgoff',
    ]);
  });

  test('different anon_vmas; one unfaulted side is fine', () => {
    const a = new AnonVma();
    const chain = (anon: AnonVma) => ({ anonVma: anon, anonVmaChain: [{ anonVma: anon }] });
    expect(codes(vma(0, 1, RW, chain(a)), vma(1, 1, RW, chain(new AnonVma())))).toEqual(['anon_vma']);
    expect(codes(vma(0, 1, RW, chain(a)), vma(1, 1, RW, chain(a)))).toEqual([]);
    expect(codes(vma(0, 1, RW, chain(a)), vma(1, 1, RW))).toEqual([]);
    expect(codes(vma(0, 1, RW), vma(1, 1, RW, chain(a)))).toEqual([]);
  });

  test('a fork child on either side', () => {
    const parent = new AnonVma();
    const own = new AnonVma();
    const forked = { anonVma: own, anonVmaChain: [{ anonVma: own }, { anonVma: parent }] };
    expect(codes(vma(0, 1, RW), vma(1, 1, RW, forked))).toEqual(['fork_child']);
    expect(codes(vma(0, 1, RW, forked), vma(1, 1, RW))).toEqual(['fork_child']);
  });

  test('every reason at once, in the kernel order', () => {
    const a = { anonVma: new AnonVma(), anonVmaChain: [] };
    const prev = vma(0, 1, [...RW, VMA_IO_BIT], { vmFile: file(), ...a });
    const next = vma(5, 1, RW, { anonVma: new AnonVma(), anonVmaChain: [] });
    expect(codes(prev, next)).toEqual(['gap', 'special', 'flags', 'file', 'anon_vma', 'pgoff']);
  });
});

describe('the predicates vma.ts decides with', () => {
  test('isMergeableVmaBlocker gives the first failing attribute', () => {
    const prev = vma(0, 1, RW, { vmFile: file() });
    expect(
      isMergeableVmaBlocker(prev, {
        policy: null,
        vmaFlags: b.mk(...RW),
        file: prev.vmFile,
        uffdCtx: {},
        anonName: null,
      }),
    ).toBeNull();
    expect(
      isMergeableVmaBlocker(prev, {
        policy: null,
        vmaFlags: b.mk(VMA_READ_BIT),
        file: null,
        uffdCtx: {},
        anonName: null,
      }),
    ).toBe('flags');
    expect(
      isMergeableVmaBlocker(prev, { policy: null, vmaFlags: b.mk(...RW), file: null, uffdCtx: {}, anonName: null }),
    ).toBe('file');
  });

  test('isMergeableAnonVmaBlocker checks the copy_vma() original too', () => {
    const own = new AnonVma();
    const child = vma(9, 1, RW, { anonVma: own, anonVmaChain: [{ anonVma: own }, { anonVma: new AnonVma() }] });
    const tgt = vma(0, 1, RW);
    expect(isMergeableAnonVmaBlocker(tgt, own, null, null)).toBeNull();
    expect(isMergeableAnonVmaBlocker(tgt, own, null, child)).toBe('fork_child');
  });
});
