import { describe, expect, test } from 'vitest';
import { PRESETS, defineKernelConfig } from '../src/config.js';
import { SMAPS_UNKNOWN_MNEMONIC, smapVmaFlagMnemonics, vmaflagNames } from '../src/flag_names.js';
import { EXPECTED, PRESET_NAMES, expectedMnemonics } from './kernel_tables.js';

describe.each(PRESET_NAMES)('name tables of preset %s', (name) => {
  const config = PRESETS[name];
  const e = EXPECTED[name];

  test('smaps mnemonics: one per bit of word 0, ?? by default, empty when hidden', () => {
    const m = smapVmaFlagMnemonics(config);
    expect(m).toHaveLength(e.bitsPerLong);
    expect([...m]).toEqual(expectedMnemonics(e));
  });

  test('%pGv names in table order with their masks', () => {
    const got = vmaflagNames(config).map((x) => [x.name, x.mask] as const);
    expect(got).toEqual(e.names.map(([n, bit]) => [n, bit === null ? 0n : 1n << BigInt(bit)]));
  });

  test('cached and frozen', () => {
    expect(smapVmaFlagMnemonics(config)).toBe(smapVmaFlagMnemonics(config));
    expect(vmaflagNames(config)).toBe(vmaflagNames(config));
    expect(Object.isFrozen(smapVmaFlagMnemonics(config))).toBe(true);
    expect(Object.isFrozen(vmaflagNames(config))).toBe(true);
    expect(Object.isFrozen(vmaflagNames(config)[0])).toBe(true);
  });
});

describe('name table details', () => {
  test('the unknown mnemonic is ??', () => {
    expect(SMAPS_UNKNOWN_MNEMONIC).toBe('??');
  });

  test('uffd_minor comes right after uffd_missing, not in bit order', () => {
    const n = vmaflagNames(PRESETS.x86_64).map((x) => x.name);
    expect(n.indexOf('uffd_minor')).toBe(n.indexOf('uffd_missing') + 1);
    expect(n.indexOf('droppable')).toBe(n.indexOf('mergeable') - 1);
  });

  test('on PPC32 bit 24 is named twice and arch_1 comes first', () => {
    const n = vmaflagNames(PRESETS.ppc32);
    const arch1 = n.findIndex((x) => x.name === 'arch_1');
    const dp = n.findIndex((x) => x.name === 'droppable');
    expect(arch1).toBeLessThan(dp);
    expect(n[arch1]!.mask).toBe(n[dp]!.mask);
  });

  test('arm64 BTI needs CONFIG_ARM64_BTI for `bt`; sparc ADI prints `ar`', () => {
    const noBti = defineKernelConfig({ arch: 'arm64' });
    expect(smapVmaFlagMnemonics(noBti)[24]).toBe('ar');
    expect(smapVmaFlagMnemonics(PRESETS.arm64)[24]).toBe('bt');
    expect(smapVmaFlagMnemonics(PRESETS.sparc64)[24]).toBe('ar');
    // %pGv prints arch_1 for both.
    expect(vmaflagNames(PRESETS.arm64).find((x) => x.mask === 1n << 24n)!.name).toBe('arch_1');
  });

  test('pkeys with 5 bits hide bit 36 too; 3 bits leave 35 as ??', () => {
    expect(smapVmaFlagMnemonics(PRESETS.ppc64).slice(32, 38)).toEqual(['', '', '', '', '', '??']);
    expect(smapVmaFlagMnemonics(PRESETS.arm64).slice(32, 36)).toEqual(['', '', '', '??']);
  });

  test('rejects a non-config', () => {
    expect(() => smapVmaFlagMnemonics({} as never)).toThrow(TypeError);
    expect(() => vmaflagNames(null as never)).toThrow(/config/);
  });
});
