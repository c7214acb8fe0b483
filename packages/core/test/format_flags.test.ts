import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PRESETS, withNumVmaFlagBits } from '../src/config.js';
import { formatVmaFlags, parseVmaFlagNames, showVmaFlags } from '../src/format_flags.js';
import { MmStruct } from '../src/mm_struct.js';
import { VmAreaStruct } from '../src/vm_area_struct.js';
import { mkVmaFlagsIn, vmaFlagsToWords } from '../src/vma_flags.js';
import { legacyToVmaFlags, vmaFlagsToLegacy } from '../src/word_helpers.js';
import { EXPECTED, PRESET_NAMES } from './kernel_tables.js';

describe('formatVmaFlags (%pGv)', () => {
  test('names joined by | in table order', () => {
    expect(formatVmaFlags(0x10_0173n)).toBe('read|write|mayread|maywrite|mayexec|growsdown|account');
    expect(formatVmaFlags(1n)).toBe('read');
  });

  test('zero prints nothing; the tracepoint form prints none', () => {
    expect(formatVmaFlags(0n)).toBe('');
    expect(showVmaFlags(0n)).toBe('none');
    expect(showVmaFlags(0x3n)).toBe('read|write');
  });

  test('unnamed bits come out as one trailing lowercase hex number', () => {
    expect(formatVmaFlags((1n << 42n) | 1n)).toBe('read|0x40000000000');
    expect(formatVmaFlags(0xf_0000_0000n)).toBe('0xf00000000');
    expect(formatVmaFlags((1n << 37n) | (1n << 39n) | 0x2n)).toBe('write|0xa000000000');
    // every bit: 0..31, 40 and 41 are named on x86_64
    expect(formatVmaFlags(0xffff_ffff_ffff_ffffn)).toMatch(
      /^read\|write\|exec\|.*\|droppable\|mergeable\|0xfffffcff00000000$/,
    );
  });

  test('uffd_minor follows uffd_missing; droppable precedes mergeable', () => {
    expect(formatVmaFlags((1n << 41n) | (1n << 9n) | 1n)).toBe('read|uffd_missing|uffd_minor');
    expect(formatVmaFlags((1n << 40n) | (1n << 31n))).toBe('droppable|mergeable');
  });

  test('bit 24 per arch', () => {
    expect(formatVmaFlags(1n << 24n)).toBe('arch_1');
    expect(formatVmaFlags(1n << 24n, PRESETS.ppc64)).toBe('sao');
    expect(formatVmaFlags(1n << 24n, PRESETS.parisc)).toBe('growsup');
    // No MMU: the zero-mask uffd_missing entry matches first (see below).
    expect(formatVmaFlags(1n << 24n, PRESETS.nommu)).toBe('uffd_missing|mappedcopy');
    expect(formatVmaFlags(1n << 24n, PRESETS.arm64)).toBe('arch_1');
    expect(formatVmaFlags(1n << 24n, PRESETS.sparc64)).toBe('arch_1');
  });

  test('a DROPPABLE VMA on PPC32 prints arch_1', () => {
    expect(formatVmaFlags(1n << 24n, PRESETS.ppc32)).toBe('arch_1');
  });

  test('softdirty only with CONFIG_MEM_SOFT_DIRTY', () => {
    expect(formatVmaFlags(1n << 27n)).toBe('softdirty');
    expect(formatVmaFlags(1n << 27n, PRESETS.arm64)).toBe('0x8000000');
  });

  // linux-mm include/trace/events/mmflags.h @35e1f6b6 keeps {VM_UFFD_MISSING,
  // "uffd_missing"} on every config, and include/linux/mm.h @009857a2 makes
  // VM_UFFD_MISSING VM_NONE without CONFIG_MMU. lib/vsprintf.c format_flags
  // (torvalds/linux) prints an entry when (flags & mask) == mask, which a zero
  // mask always passes, and clears no bit doing so.
  test('no MMU: uffd_missing (mask VM_NONE) prints for any value with bits left at its entry', () => {
    // Bits 0..8 are consumed before the entry is reached: nothing extra.
    expect(formatVmaFlags(0x1n, PRESETS.nommu)).toBe('read');
    expect(formatVmaFlags(0x1ffn, PRESETS.nommu)).toBe(
      'read|write|exec|shared|mayread|maywrite|mayexec|mayshare|growsdown',
    );
    // Anything from bit 9 up reaches it; MAYOVERLAY (bit 9) has no name and stays hex.
    expect(formatVmaFlags(0x201n, PRESETS.nommu)).toBe('read|uffd_missing|0x200');
    expect(formatVmaFlags(0x400n, PRESETS.nommu)).toBe('uffd_missing|pfnmap');
    expect(showVmaFlags(0x8000_0001n, PRESETS.nommu)).toBe('read|uffd_missing|mergeable');
    expect(formatVmaFlags(0n, PRESETS.nommu)).toBe('');
    // With an MMU the entry has its bit and behaves like any other.
    expect(formatVmaFlags(0x400n, PRESETS.arm)).toBe('pfnmap');
    // The name parses back to nothing, so parse(format(w)) still gives w.
    expect(vmaFlagsToLegacy(parseVmaFlagNames('uffd_missing|pfnmap', PRESETS.nommu))).toBe(0x400n);
  });

  test('takes a bitmap (word 0 only) or a VMA', () => {
    expect(formatVmaFlags(legacyToVmaFlags(0x5n))).toBe('read|exec');
    const c = withNumVmaFlagBits(PRESETS.x86_64, 128);
    expect(formatVmaFlags(mkVmaFlagsIn(c, 1, 64))).toBe('write');
    const vma = new VmAreaStruct(new MmStruct(PRESETS.ppc64), { flags: 0x1000001n });
    expect(showVmaFlags(vma)).toBe('read|sao');
    expect(() => formatVmaFlags(vma, PRESETS.x86_64)).toThrow(TypeError);
  });

  test('bad input names the argument', () => {
    expect(() => formatVmaFlags(-1)).toThrow(/^flags must be/);
    expect(() => formatVmaFlags(1n << 32n, PRESETS.i386)).toThrow(RangeError);
    expect(() => showVmaFlags({} as never)).toThrow(TypeError);
  });
});

describe('parseVmaFlagNames: malformed tokens', () => {
  test('a bad hex token is a RangeError quoting it, never a SyntaxError', () => {
    for (const token of [
      '0x1g',
      '0x',
      '0xg',
      '0x-1',
      '0x 1',
      '0X1',
      '0x1.5',
      '0x1n',
      '1',
      '-0x1',
      '0b1',
      '0o7',
      '0x1_0',
      'read,write',
      'READ',
      'x 1',
    ]) {
      let e: unknown;
      try {
        parseVmaFlagNames(`read|${token}`);
      } catch (err) {
        e = err;
      }
      expect([token, e]).toEqual([token, expect.any(RangeError)]);
      expect((e as Error).message).toMatch(
        /^str must be '\|'-separated flag names of config x86_64 \(read, write, .*\) or 0x hex words; got /,
      );
      expect((e as Error).message.endsWith(`got ${JSON.stringify(token)}`)).toBe(true);
    }
  });

  test('empty tokens between separators are rejected too', () => {
    expect(() => parseVmaFlagNames('read||write')).toThrow(/got ""$/);
    expect(() => parseVmaFlagNames('|read')).toThrow(RangeError);
  });

  test('hex words: case, leading zeros, the width limit', () => {
    expect(vmaFlagsToLegacy(parseVmaFlagNames('0xABC|0x0001'))).toBe(0xabdn);
    expect(vmaFlagsToLegacy(parseVmaFlagNames('0xffffffffffffffff'))).toBe(0xffff_ffff_ffff_ffffn);
    expect(() => parseVmaFlagNames('0x10000000000000000')).toThrow(
      /^str must be hex words below 2\^64 \(config x86_64\); got "0x10000000000000000"$/,
    );
    expect(() => parseVmaFlagNames('0x100000000', PRESETS.i386)).toThrow(/below 2\^32/);
    expect(vmaFlagsToLegacy(parseVmaFlagNames('0xffffffff', PRESETS.i386))).toBe(0xffff_ffffn);
  });

  test('non-string input and non-config are TypeErrors', () => {
    expect(() => parseVmaFlagNames(1 as never)).toThrow(/^str must be a string/);
    expect(() => parseVmaFlagNames('read', {} as never)).toThrow(TypeError);
  });
});

describe('parseVmaFlagNames', () => {
  test('names and hex', () => {
    expect(vmaFlagsToWords(parseVmaFlagNames('read|write|0x40000000000'))).toEqual([(1n << 42n) | 3n]);
    expect(vmaFlagsToWords(parseVmaFlagNames('sao', PRESETS.ppc64))).toEqual([1n << 24n]);
    expect(vmaFlagsToWords(parseVmaFlagNames('droppable', PRESETS.ppc32))).toEqual([1n << 24n]);
    expect(parseVmaFlagNames('read', PRESETS.arm64).config).toBe(PRESETS.arm64);
  });

  test('empty and none are zero', () => {
    expect(vmaFlagsToWords(parseVmaFlagNames(''))).toEqual([0n]);
    expect(vmaFlagsToWords(parseVmaFlagNames('none'))).toEqual([0n]);
  });

  test('an unknown token is a RangeError naming it', () => {
    expect(() => parseVmaFlagNames('read|bogus')).toThrow(RangeError);
    expect(() => parseVmaFlagNames('read|bogus')).toThrow(/^str must be .*; got "bogus"$/);
    expect(() => parseVmaFlagNames('read||write')).toThrow(/got ""$/);
    expect(() => parseVmaFlagNames('softdirty', PRESETS.arm64)).toThrow(/got "softdirty"/);
    expect(() => parseVmaFlagNames('read|none')).toThrow(/got "none"/);
  });

  test('a hex word must fit the config', () => {
    expect(() => parseVmaFlagNames('0x100000000', PRESETS.i386)).toThrow(/got "0x100000000"/);
    expect(vmaFlagsToWords(parseVmaFlagNames('0xffffffff', PRESETS.i386))).toEqual([0xffff_ffffn]);
  });

  test('rejects a non-string', () => {
    expect(() => parseVmaFlagNames(5 as never)).toThrow(/^str must be a string/);
  });
});

describe.each(PRESET_NAMES)('%%pGv round trip on %s', (name) => {
  const config = PRESETS[name];
  const bits = EXPECTED[name].bitsPerLong;
  const word = fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });

  test('parse(format(w)) === w for every word', () => {
    fc.assert(
      fc.property(word, (w) => {
        expect(vmaFlagsToWords(parseVmaFlagNames(formatVmaFlags(w, config), config))[0]).toBe(w);
        expect(vmaFlagsToWords(parseVmaFlagNames(showVmaFlags(w, config), config))[0]).toBe(w);
      }),
      { numRuns: 200 },
    );
  });

  test('every single bit round-trips', () => {
    for (let b = 0; b < bits; b++) {
      const w = 1n << BigInt(b);
      expect([b, vmaFlagsToWords(parseVmaFlagNames(formatVmaFlags(w, config), config))[0]]).toEqual([b, w]);
    }
  });
});
