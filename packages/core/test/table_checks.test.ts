import { describe, expect, test } from 'vitest';
import { PRESETS, defineKernelConfig, withNumVmaFlagBits, type PresetName } from '../src/config.js';
import { smapVmaFlagMnemonics, vmaflagNames } from '../src/flag_names.js';
import { vmaFlagBit, vmaFlagTable } from '../src/flag_table.js';
import { parseVmaFlagNames } from '../src/format_flags.js';
import { protectionMap } from '../src/page_prot.js';
import { parseSmapVmaFlags } from '../src/smaps.js';
import { vmaFlagsToLegacy } from '../src/word_helpers.js';

// Edges of the table and codec entry points: their own argument checks (not
// an engine error from a missing property), memoisation, and whitespace.

const NOT_CONFIG = /^config must be a KernelConfig from defineKernelConfig\(\) or PRESETS/;

describe('every table entry point checks its config first', () => {
  const calls: [string, (c: never) => unknown][] = [
    ['withNumVmaFlagBits', (c) => withNumVmaFlagBits(c, 128)],
    ['vmaFlagTable', (c) => vmaFlagTable(c)],
    ['vmaFlagBit', (c) => vmaFlagBit('READ', c)],
    ['smapVmaFlagMnemonics', (c) => smapVmaFlagMnemonics(c)],
    ['vmaflagNames', (c) => vmaflagNames(c)],
    ['parseVmaFlagNames', (c) => parseVmaFlagNames('read', c)],
    ['parseSmapVmaFlags', (c) => parseSmapVmaFlags('rd', c)],
    ['protectionMap', (c) => protectionMap(c)],
  ];
  test.each(calls)('%s', (_, call) => {
    for (const bad of [null, {}, 'x86_64', 64, Object.freeze({ ...PRESETS.x86_64 })])
      expect(() => call(bad as never)).toThrow(NOT_CONFIG);
  });

  test('vmaFlagTable options must be an object', () => {
    for (const bad of [null, 5, 'x', true])
      expect(() => vmaFlagTable(PRESETS.x86_64, bad as never)).toThrow(/^options must be an object/);
    expect(vmaFlagTable(PRESETS.x86_64, {})).toBe(vmaFlagTable(PRESETS.x86_64));
  });
});

describe('presets and memoised tables', () => {
  test('each preset is named after its key', () => {
    for (const k of Object.keys(PRESETS) as PresetName[]) expect(PRESETS[k].name).toBe(k);
  });

  test('name tables are built once per config', () => {
    const c = defineKernelConfig({ arch: 'sparc64', name: 'memo' });
    expect(smapVmaFlagMnemonics(c)).toBe(smapVmaFlagMnemonics(c));
    expect(vmaflagNames(c)).toBe(vmaflagNames(c));
    expect(Object.isFrozen(vmaflagNames(c))).toBe(true);
  });

  test('a config that declares nothing at bit 40 has no stray key for it', () => {
    for (const c of [PRESETS.i386, PRESETS.ppc32, PRESETS.nommu]) {
      const keys = Object.keys(vmaFlagTable(c).declaredBits);
      expect(keys).not.toContain('null');
      expect(keys.every((k) => /^[A-Z0-9_]+$/.test(k))).toBe(true);
    }
  });

  test('protectionMap carries the values of modelled arches', () => {
    expect(protectionMap(PRESETS.x86_64)[1]!.value).toBe((1n << 63n) | 0x25n);
    expect(protectionMap(PRESETS.i386)[10]!.value).toBe(0x27n);
    expect(protectionMap(PRESETS.arm64)[0]!.value).toBe(0xf82n | (1n << 53n) | (1n << 54n) | (1n << 58n));
    expect(protectionMap(PRESETS.riscv64)[1]!.value).toBeNull();
  });
});

describe('codec whitespace and ??', () => {
  test('surrounding whitespace is ignored by both parsers', () => {
    expect(vmaFlagsToLegacy(parseVmaFlagNames('  read|write \n'))).toBe(0x3n);
    expect(vmaFlagsToLegacy(parseSmapVmaFlags('  \tVmFlags: rd wr \n'))).toBe(0x3n);
    expect(vmaFlagsToLegacy(parseVmaFlagNames(' none '))).toBe(0n);
  });

  test('?? is rejected on a config whose tables are built here first', () => {
    const c = defineKernelConfig({ arch: 'arm', name: 'fresh-smaps' });
    expect(() => parseSmapVmaFlags('VmFlags: ??', c)).toThrow(/cannot be parsed back\); got "\?\?"$/);
    expect(() => parseSmapVmaFlags('VmFlags: zz', c)).toThrow(
      /^line must be a VmFlags line of mnemonics known to config fresh-smaps/,
    );
  });
});
