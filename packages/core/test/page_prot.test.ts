import { describe, expect, test } from 'vitest';
import { PRESETS, defineKernelConfig, withNumVmaFlagBits } from '../src/config.js';
import { MmStruct } from '../src/mm_struct.js';
import { protectionMap, vmaGetPageProt } from '../src/page_prot.js';
import { VmAreaStruct } from '../src/vm_area_struct.js';
import { mkVmaFlagsIn } from '../src/vma_flags.js';

const R = 0x1n;
const W = 0x2n;
const X = 0x4n;
const S = 0x8n;

describe('protection_map layout', () => {
  // torvalds/linux @4981f05f arch/x86/mm/pgprot.c: private writable entries are
  // PAGE_COPY(_EXEC), shared ones PAGE_SHARED(_EXEC); WRITE alone reads too.
  test('x86_64 / i386 / generic: copy-on-write private mappings', () => {
    for (const c of [PRESETS.x86_64, PRESETS.i386, PRESETS.riscv64, PRESETS.nommu]) {
      expect(protectionMap(c).map((e) => e.name)).toEqual([
        'PAGE_NONE',
        'PAGE_READONLY',
        'PAGE_COPY',
        'PAGE_COPY',
        'PAGE_READONLY_EXEC',
        'PAGE_READONLY_EXEC',
        'PAGE_COPY_EXEC',
        'PAGE_COPY_EXEC',
        'PAGE_NONE',
        'PAGE_READONLY',
        'PAGE_SHARED',
        'PAGE_SHARED',
        'PAGE_READONLY_EXEC',
        'PAGE_READONLY_EXEC',
        'PAGE_SHARED_EXEC',
        'PAGE_SHARED_EXEC',
      ]);
    }
  });

  // torvalds/linux @044d659a arch/arm64/mm/mmap.c: no PAGE_COPY, a private
  // writable mapping is PAGE_READONLY(_EXEC) until written.
  test('arm64: private writable entries are read-only ones', () => {
    expect(protectionMap(PRESETS.arm64).map((e) => e.name)).toEqual([
      'PAGE_NONE',
      'PAGE_READONLY',
      'PAGE_READONLY',
      'PAGE_READONLY',
      'PAGE_READONLY_EXEC',
      'PAGE_READONLY_EXEC',
      'PAGE_READONLY_EXEC',
      'PAGE_READONLY_EXEC',
      'PAGE_NONE',
      'PAGE_READONLY',
      'PAGE_SHARED',
      'PAGE_SHARED',
      'PAGE_READONLY_EXEC',
      'PAGE_READONLY_EXEC',
      'PAGE_SHARED_EXEC',
      'PAGE_SHARED_EXEC',
    ]);
  });

  test('indexes, frozen entries, bad config', () => {
    const m = protectionMap();
    expect(m.map((e) => e.index)).toEqual([...Array(16).keys()]);
    expect(Object.isFrozen(m) && Object.isFrozen(m[3])).toBe(true);
    expect(() => protectionMap({} as never)).toThrow(TypeError);
  });
});

describe('vmaGetPageProt values', () => {
  // torvalds/linux @009f7738 arch/x86/include/asm/pgtable_types.h: PRESENT 0x1,
  // RW 0x2, USER 0x4, ACCESSED 0x20, PROTNONE = GLOBAL 0x100, NX bit 63 (0 on
  // 32-bit without PAE); PAGE_NONE = PROTNONE|ACCESSED, PAGE_READONLY and
  // PAGE_COPY = PRESENT|USER|ACCESSED|NX, *_EXEC without NX, SHARED adds RW.
  const NX = 1n << 63n;
  test('x86_64', () => {
    const v = (w: bigint) => vmaGetPageProt(w, PRESETS.x86_64).value;
    expect(v(0n)).toBe(0x120n);
    expect(v(R)).toBe(NX | 0x25n);
    expect(v(R | W)).toBe(NX | 0x25n); // PAGE_COPY
    expect(v(R | X)).toBe(0x25n);
    expect(v(R | W | X)).toBe(0x25n);
    expect(v(S)).toBe(0x120n);
    expect(v(S | R | W)).toBe(NX | 0x27n);
    expect(v(S | R | W | X)).toBe(0x27n);
    expect(v(S | X)).toBe(0x25n);
  });

  test('i386 (no PAE): no NX bit', () => {
    expect(vmaGetPageProt(R, PRESETS.i386).value).toBe(0x25n);
    expect(vmaGetPageProt(S | W, PRESETS.i386).value).toBe(0x27n);
    expect(vmaGetPageProt(0n, PRESETS.i386).value).toBe(0x120n);
  });

  // torvalds/linux @4981f05f arch/x86/mm/pgprot.c ORs the four pkey flags into
  // PTE bits 59..62 (_PAGE_BIT_PKEY_BIT0 = 59 in pgtable_types.h).
  test('x86_64 protection keys land in PTE bits 59..62', () => {
    const p = vmaGetPageProt(R | W | (0b1010n << 32n), PRESETS.x86_64);
    expect(p).toEqual({ index: 3, name: 'PAGE_COPY', value: NX | 0x25n | (1n << 60n) | (1n << 62n) });
    // Without pkeys in the config the high bits are not keys and add nothing.
    expect(vmaGetPageProt(R | (0xfn << 32n), defineKernelConfig({ arch: 'x86_64' })).value).toBe(NX | 0x25n);
  });

  // torvalds/linux @0178dc76 arch/arm64/include/asm/pgtable-prot.h (values,
  // with pgtable-hwdef.h: TYPE_PAGE 3, USER bit 6, RDONLY 7, SHARED 3<<8, AF 10,
  // nG 11, DBM/WRITE 51, PXN 53, UXN 54, PROT_NONE 58) and @044d659a
  // arch/arm64/mm/mmap.c (BTI → GP bit 50, MTE → ATTRINDX(NORMAL_TAGGED), POE
  // keys → PO_IDX bits 60..62).
  test('arm64', () => {
    const v = (w: bigint) => vmaGetPageProt(w, PRESETS.arm64).value;
    const user = 0xfc3n | (1n << 53n);
    expect(v(0n)).toBe(0xf82n | (1n << 53n) | (1n << 54n) | (1n << 58n));
    expect(v(R)).toBe(user | (1n << 54n));
    expect(v(R | W)).toBe(user | (1n << 54n));
    expect(v(R | X)).toBe(user);
    expect(v(S | R | W)).toBe(user | (1n << 54n) | (1n << 51n));
    expect(v(S | R | W | X)).toBe(user | (1n << 51n));
    expect(v(R | X | (1n << 24n))).toBe(user | (1n << 50n)); // BTI guarded page
    expect(v(R | (1n << 36n))).toBe(user | (1n << 54n) | 0x4n); // MTE
    expect(v(R | (0b101n << 32n))).toBe(user | (1n << 54n) | (1n << 60n) | (1n << 62n)); // POE keys 0 and 2
  });

  test('generic arches: the entry name, no value', () => {
    expect(vmaGetPageProt(R | W, PRESETS.riscv64)).toEqual({ index: 3, name: 'PAGE_COPY', value: null });
    expect(vmaGetPageProt(S | W | X, PRESETS.ppc64)).toEqual({ index: 14, name: 'PAGE_SHARED_EXEC', value: null });
  });

  test('takes a VMA, a bitmap, a wide bitmap; other flags do not change the index', () => {
    const vma = new VmAreaStruct(new MmStruct(PRESETS.x86_64), { flags: 0x73n });
    expect(vmaGetPageProt(vma)).toEqual({ index: 3, name: 'PAGE_COPY', value: NX | 0x25n });
    expect(vmaGetPageProt(mkVmaFlagsIn(PRESETS.x86_64, 3, 2)).name).toBe('PAGE_READONLY_EXEC');
    const wide = withNumVmaFlagBits(PRESETS.x86_64, 128);
    expect(vmaGetPageProt(mkVmaFlagsIn(wide, 0, 3, 100)).name).toBe('PAGE_READONLY');
    expect(vmaGetPageProt(0xfffff0n).index).toBe(0);
    expect(Object.isFrozen(vmaGetPageProt(0n))).toBe(true);
  });

  test('bad input', () => {
    expect(() => vmaGetPageProt(-1n)).toThrow(/^flags must be/);
    expect(() => vmaGetPageProt('rw' as never)).toThrow(TypeError);
    expect(() => vmaGetPageProt(1n << 32n, PRESETS.i386)).toThrow(RangeError);
    expect(() => vmaGetPageProt(mkVmaFlagsIn(PRESETS.arm64, 0), PRESETS.x86_64)).toThrow(TypeError);
  });
});
