import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PRESETS, withNumVmaFlagBits } from '../src/config.js';
import { MmStruct } from '../src/mm_struct.js';
import { parseSmapVmaFlags, showSmapVmaFlags } from '../src/smaps.js';
import { VmAreaStruct } from '../src/vm_area_struct.js';
import { mkVmaFlagsIn, vmaFlagsToWords } from '../src/vma_flags.js';
import { legacyToVmaFlags } from '../src/word_helpers.js';
import { EXPECTED, PRESET_NAMES, expectedMnemonics } from './kernel_tables.js';

describe('showSmapVmaFlags', () => {
  test('a stack VMA on x86_64', () => {
    expect(showSmapVmaFlags(0x10_0173n)).toBe('VmFlags: rd wr mr mw me gd ac \n');
  });

  test('zero prints just the prefix and newline', () => {
    expect(showSmapVmaFlags(0n)).toBe('VmFlags: \n');
  });

  test('unnamed set bits print ??; hidden ones print nothing', () => {
    // bit 39 ALLOW_ANY_UNCACHED has no mnemonic; bit 63 nothing at all
    expect(showSmapVmaFlags((1n << 39n) | (1n << 63n) | 1n)).toBe('VmFlags: rd ?? ?? \n');
    // pkey bits 32..35 are shown on ProtectionKey:, never here
    expect(showSmapVmaFlags(0xf_0000_0001n)).toBe('VmFlags: rd \n');
    expect(showSmapVmaFlags((1n << 37n) | (1n << 42n) | (1n << 41n) | (1n << 40n))).toBe('VmFlags: ss dp ui sl \n');
  });

  test('bit 24 per arch: ar, bt (arm64 BTI), dp (PPC32)', () => {
    expect(showSmapVmaFlags(1n << 24n)).toBe('VmFlags: ar \n');
    expect(showSmapVmaFlags(1n << 24n, PRESETS.arm64)).toBe('VmFlags: bt \n');
    expect(showSmapVmaFlags(1n << 24n, PRESETS.ppc32)).toBe('VmFlags: dp \n');
    expect(showSmapVmaFlags(1n << 24n, PRESETS.parisc)).toBe('VmFlags: ar \n');
  });

  test('arm64 MTE shows mt, hides MTE_ALLOWED, shows ss at 38', () => {
    expect(showSmapVmaFlags((1n << 36n) | (1n << 37n) | (1n << 38n), PRESETS.arm64)).toBe('VmFlags: mt ss \n');
  });

  test('soft-dirty only with CONFIG_MEM_SOFT_DIRTY', () => {
    expect(showSmapVmaFlags(1n << 27n)).toBe('VmFlags: sd \n');
    expect(showSmapVmaFlags(1n << 27n, PRESETS.arm64)).toBe('VmFlags: ?? \n');
  });

  test('takes a bitmap or a VMA, whose config wins', () => {
    expect(showSmapVmaFlags(legacyToVmaFlags(1n << 24n, PRESETS.ppc32))).toBe('VmFlags: dp \n');
    const mm = new MmStruct(PRESETS.arm64);
    const vma = new VmAreaStruct(mm, { start: 0x1000, end: 0x2000, flags: 0x1000003n });
    expect(showSmapVmaFlags(vma)).toBe('VmFlags: rd wr bt \n');
    expect(showSmapVmaFlags(vma, PRESETS.arm64)).toBe('VmFlags: rd wr bt \n');
    expect(() => showSmapVmaFlags(vma, PRESETS.x86_64)).toThrow(TypeError);
  });

  test('only word 0 is shown', () => {
    const c = withNumVmaFlagBits(PRESETS.x86_64, 128);
    expect(showSmapVmaFlags(mkVmaFlagsIn(c, 0, 64, 100))).toBe('VmFlags: rd \n');
  });

  test('rejects bad input, naming the argument', () => {
    expect(() => showSmapVmaFlags(-1n)).toThrow(/flagsOrVma/);
    expect(() => showSmapVmaFlags(1n << 32n, PRESETS.i386)).toThrow(RangeError);
    expect(() => showSmapVmaFlags('rd' as never)).toThrow(TypeError);
  });
});

describe('parseSmapVmaFlags', () => {
  test('parses a full line, with or without prefix and newline', () => {
    expect(vmaFlagsToWords(parseSmapVmaFlags('VmFlags: rd wr mr mw me gd ac \n'))).toEqual([0x10_0173n]);
    expect(vmaFlagsToWords(parseSmapVmaFlags('rd  wr'))).toEqual([0x3n]);
    expect(vmaFlagsToWords(parseSmapVmaFlags('VmFlags: \n'))).toEqual([0n]);
    expect(vmaFlagsToWords(parseSmapVmaFlags(''))).toEqual([0n]);
  });

  test('uses the config mnemonics', () => {
    const f = parseSmapVmaFlags('VmFlags: bt mt ss', PRESETS.arm64);
    expect(f.config).toBe(PRESETS.arm64);
    expect(vmaFlagsToWords(f)).toEqual([(1n << 24n) | (1n << 36n) | (1n << 38n)]);
    expect(vmaFlagsToWords(parseSmapVmaFlags('dp', PRESETS.ppc32))).toEqual([1n << 24n]);
    expect(() => parseSmapVmaFlags('bt')).toThrow(RangeError);
  });

  test('an unknown token is a RangeError naming it', () => {
    expect(() => parseSmapVmaFlags('VmFlags: rd zz \n')).toThrow(RangeError);
    expect(() => parseSmapVmaFlags('VmFlags: rd zz \n')).toThrow(/^line must be .*; got "zz"$/);
    expect(() => parseSmapVmaFlags('rd sd', PRESETS.arm64)).toThrow(/got "sd"/);
  });

  test('?? names no single bit and is rejected', () => {
    expect(() => parseSmapVmaFlags('VmFlags: rd ?? \n')).toThrow(/cannot be parsed.*got "\?\?"/);
  });

  test('rejects a non-string', () => {
    expect(() => parseSmapVmaFlags(3 as never)).toThrow(TypeError);
    expect(() => parseSmapVmaFlags(3 as never)).toThrow(/^line must be a string/);
  });
});

describe.each(PRESET_NAMES)('smaps round trip on %s', (name) => {
  const config = PRESETS[name];
  const e = EXPECTED[name];
  const mnemonics = expectedMnemonics(e);
  let named = 0n;
  let hidden = 0n;
  mnemonics.forEach((m, i) => {
    if (m === '') hidden |= 1n << BigInt(i);
    else if (m !== '??') named |= 1n << BigInt(i);
  });
  const word = fc.bigInt({ min: 0n, max: (1n << BigInt(e.bitsPerLong)) - 1n });

  test('parse(show(w)) === w for words of named bits', () => {
    fc.assert(
      fc.property(word, (w) => {
        const v = w & named;
        expect(vmaFlagsToWords(parseSmapVmaFlags(showSmapVmaFlags(v, config), config))[0]).toBe(v);
      }),
      { numRuns: 200 },
    );
  });

  test('hidden bits drop out of the round trip', () => {
    fc.assert(
      fc.property(word, (w) => {
        const v = w & (named | hidden);
        expect(vmaFlagsToWords(parseSmapVmaFlags(showSmapVmaFlags(v, config), config))[0]).toBe(v & named);
      }),
      { numRuns: 100 },
    );
  });

  test('every named mnemonic parses to its own bit', () => {
    mnemonics.forEach((m, i) => {
      if (m === '' || m === '??') return;
      expect([m, vmaFlagsToWords(parseSmapVmaFlags(m, config))[0]]).toEqual([m, 1n << BigInt(i)]);
    });
  });
});
