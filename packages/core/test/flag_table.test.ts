import { describe, expect, test } from 'vitest';
import { PRESETS, defineKernelConfig, withNumVmaFlagBits } from '../src/config.js';
import { VM_COMPOSITE_NAMES, VM_FLAG_NAMES, VMA_FLAGS_NAMES, initVmFlag, vmaFlagTable } from '../src/flag_table.js';
import { vmaFlagsSet } from '../src/bit_helpers.js';
import { vmaFlagsToWords } from '../src/vma_flags.js';
import { ALL_VM_FLAG_NAMES, EXPECTED, PRESET_NAMES } from './kernel_tables.js';

// The VMA_* bitmap of each composite, by hand: same bits as the legacy value.
const VMA_OF: Record<string, string> = {
  VMA_STARTGAP_FLAGS: 'VM_STARTGAP_FLAGS',
  VMA_DATA_FLAGS_TSK_EXEC: 'VM_DATA_FLAGS_TSK_EXEC',
  VMA_DATA_FLAGS_NON_EXEC: 'VM_DATA_FLAGS_NON_EXEC',
  VMA_DATA_FLAGS_EXEC: 'VM_DATA_FLAGS_EXEC',
  VMA_DATA_DEFAULT_FLAGS: 'VM_DATA_DEFAULT_FLAGS',
  VMA_STACK_DEFAULT_FLAGS: 'VM_STACK_DEFAULT_FLAGS',
  VMA_STACK_FLAGS: 'VM_STACK_FLAGS',
  VMA_ACCESS_FLAGS: 'VM_ACCESS_FLAGS',
  VMA_SPECIAL_FLAGS: 'VM_SPECIAL',
  VMA_LOCKED_MASK: 'VM_LOCKED_MASK',
  VMA_STICKY_FLAGS: 'VM_STICKY',
  VMA_IGNORE_MERGE_FLAGS: 'VM_IGNORE_MERGE',
};

describe.each(PRESET_NAMES)('flag table of preset %s', (name) => {
  const config = PRESETS[name];
  const t = vmaFlagTable(config);
  const e = EXPECTED[name];

  test('carries every single-flag VM_* name', () => {
    expect([...VM_FLAG_NAMES].sort()).toEqual([...ALL_VM_FLAG_NAMES].sort());
  });

  test('single-flag masks: enabled ones are 1 << bit, the rest VM_NONE', () => {
    for (const n of ALL_VM_FLAG_NAMES) {
      const bit = e.flags[n];
      expect([n, t[n as (typeof VM_FLAG_NAMES)[number]]]).toEqual([n, bit === undefined ? 0n : 1n << BigInt(bit)]);
    }
    expect(t.VM_NONE).toBe(0n);
  });

  test('MAYSHARE is 0x80 (not the MAYEXEC value)', () => {
    expect(t.VM_MAYSHARE).toBe(0x80n);
    expect(t.VM_MAYEXEC).toBe(0x40n);
  });

  test('composite masks', () => {
    for (const [n, v] of Object.entries(e.composites)) {
      expect([n, t[n as (typeof VM_COMPOSITE_NAMES)[number]]]).toEqual([n, v]);
    }
    expect(Object.keys(e.composites).sort()).toEqual([...VM_COMPOSITE_NAMES].sort());
  });

  test('VMA_REMAP_FLAGS is IO | PFNMAP | DONTEXPAND | DONTDUMP', () => {
    expect(vmaFlagsToWords(t.VMA_REMAP_FLAGS)).toEqual([0x404_4400n]);
  });

  test('VMA_*_FLAGS bitmaps match their legacy values', () => {
    for (const [vmaName, vmName] of Object.entries(VMA_OF)) {
      const bm = t[vmaName as (typeof VMA_FLAGS_NAMES)[number]];
      expect(bm.config).toBe(config);
      expect([vmaName, vmaFlagsToWords(bm)]).toEqual([vmaName, [e.composites[vmName]]]);
    }
  });

  test('VMA_*_FLAGS bitmaps are immutable', () => {
    for (const n of VMA_FLAGS_NAMES) expect(() => vmaFlagsSet(t[n], 0)).toThrow(TypeError);
  });

  test('config-dependent bit numbers', () => {
    expect(t.VMA_STACK_BIT).toBe(e.stackBit);
    expect(t.VMA_STACK_EARLY_BIT).toBe(e.stackEarlyBit);
    expect(t.VMA_SHADOW_STACK_BIT).toBe(e.shadowStackBit);
    expect(t.VMA_DROPPABLE_BIT).toBe(e.droppableBit);
    expect(t.VM_PKEY_SHIFT).toBe(e.flags.VM_PKEY_BIT0 === undefined ? null : 32);
  });

  test('per-bit info covers bits 0..43', () => {
    expect(t.bits).toHaveLength(44);
    t.bits.forEach((info, i) => {
      expect(info.bit).toBe(i);
      expect(info.mask).toBe(i < e.bitsPerLong ? 1n << BigInt(i) : 0n);
      const expectedNames = Object.entries(e.flags)
        .filter(([, b]) => b === i)
        .map(([n]) => n)
        .sort();
      expect([i, [...info.vmNames].sort()]).toEqual([i, expectedNames]);
    });
  });

  test('frozen and cached', () => {
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.bits)).toBe(true);
    expect(Object.isFrozen(t.bits[0])).toBe(true);
    expect(vmaFlagTable(config)).toBe(t);
    expect(vmaFlagTable(config, { readImpliesExec: true })).not.toBe(t);
  });
});

describe('flag table details', () => {
  test('declared names: bit 9 follows MMU, bit 40 is undeclared on PPC32', () => {
    expect(vmaFlagTable(PRESETS.x86_64).bits[9]!.declaredName).toBe('UFFD_MISSING');
    expect(vmaFlagTable(PRESETS.nommu).bits[9]!.declaredName).toBe('MAYOVERLAY');
    expect(vmaFlagTable(PRESETS.x86_64).bits[40]!.declaredName).toBe('DROPPABLE');
    expect(vmaFlagTable(PRESETS.ppc32).bits[40]!.declaredName).toBeNull();
    expect(vmaFlagTable(PRESETS.x86_64).bits[24]!.declaredName).toBe('ARCH_1');
    expect(vmaFlagTable(PRESETS.x86_64).bits[37]!.declaredName).toBe('HIGH_ARCH_5');
    expect(vmaFlagTable(PRESETS.x86_64).bits[42]!.declaredName).toBe('SEALED');
  });

  test('default config is x86_64', () => {
    expect(vmaFlagTable()).toBe(vmaFlagTable(PRESETS.x86_64));
  });

  test('READ_IMPLIES_EXEC makes TASK_EXEC = VM_EXEC and flows into the TSK_EXEC defaults', () => {
    const x = vmaFlagTable(PRESETS.x86_64, { readImpliesExec: true });
    expect(x.TASK_EXEC).toBe(0x4n);
    expect(x.VM_DATA_FLAGS_TSK_EXEC).toBe(0x77n);
    expect(x.VM_DATA_DEFAULT_FLAGS).toBe(0x77n);
    expect(x.VM_STACK_FLAGS).toBe(0x10_0177n);
    expect(vmaFlagsToWords(x.VMA_DATA_FLAGS_TSK_EXEC)).toEqual([0x77n]);
    // riscv's default is NON_EXEC, which the personality does not change.
    const r = vmaFlagTable(PRESETS.riscv64, { readImpliesExec: true });
    expect(r.VM_DATA_FLAGS_TSK_EXEC).toBe(0x77n);
    expect(r.VM_DATA_DEFAULT_FLAGS).toBe(0x73n);
    // arm64 keeps MTE_ALLOWED on top.
    expect(vmaFlagTable(PRESETS.arm64, { readImpliesExec: true }).VM_DATA_DEFAULT_FLAGS).toBe(0x20_0000_0077n);
  });

  test('VM_SEALED_SYSMAP follows CONFIG_MSEAL_SYSTEM_MAPPINGS', () => {
    const c = defineKernelConfig({ arch: 'x86_64', options: { MSEAL_SYSTEM_MAPPINGS: true } });
    expect(vmaFlagTable(c).VM_SEALED_SYSMAP).toBe(0x400_0000_0000n);
    // On 32-bit there is no SEALED flag, so the sysmap mask stays VM_NONE.
    const c32 = defineKernelConfig({ arch: 'i386', options: { MSEAL_SYSTEM_MAPPINGS: true } });
    expect(vmaFlagTable(c32).VM_SEALED_SYSMAP).toBe(0n);
  });

  test('arm64 without MTE: VM_MTE / VM_MTE_ALLOWED are VM_NONE and the default drops bit 37', () => {
    const c = defineKernelConfig({ arch: 'arm64', options: { ARM64_BTI: true } });
    const t = vmaFlagTable(c);
    expect(t.VM_MTE).toBe(0n);
    expect(t.VM_MTE_ALLOWED).toBe(0n);
    expect(t.VM_DATA_DEFAULT_FLAGS).toBe(0x73n);
    expect(t.VM_SHADOW_STACK).toBe(0n);
    expect(t.VMA_SHADOW_STACK_BIT).toBeNull();
  });

  test('pkeys with 3 bits (arm64) leave PKEY_BIT3/4 VM_NONE', () => {
    // torvalds/linux @62aa9655 arch/arm64/Kconfig: ARCH_PKEY_BITS is an int fixed at 3.
    const c = defineKernelConfig({ arch: 'arm64', options: { ARCH_HAS_PKEYS: true } });
    const t = vmaFlagTable(c);
    expect([t.VM_PKEY_BIT0, t.VM_PKEY_BIT2, t.VM_PKEY_BIT3, t.VM_PKEY_BIT4]).toEqual([1n << 32n, 1n << 34n, 0n, 0n]);
    expect(t.ARCH_VM_PKEY_FLAGS).toBe(0x7_0000_0000n);
  });

  test('a 128-bit bitmap config keeps one-word masks and widens the bitmaps', () => {
    const c = withNumVmaFlagBits(PRESETS.x86_64, 128);
    const t = vmaFlagTable(c);
    expect(t.VM_STACK_FLAGS).toBe(0x10_0173n);
    expect(vmaFlagsToWords(t.VMA_STACK_FLAGS)).toEqual([0x10_0173n, 0n]);
    expect(t.VMA_STICKY_FLAGS.config).toBe(c);
  });

  test('the table rejects a non-config and bad options', () => {
    expect(() => vmaFlagTable({} as never)).toThrow(TypeError);
    expect(() => vmaFlagTable(PRESETS.x86_64, { readImpliesExec: 'yes' as never })).toThrow(/options\.readImpliesExec/);
  });
});

describe('initVmFlag (INIT_VM_FLAG)', () => {
  test('is 1 << bit for bits that fit the word', () => {
    expect(initVmFlag(0)).toBe(1n);
    expect(initVmFlag(7)).toBe(0x80n);
    expect(initVmFlag(63)).toBe(0x8000_0000_0000_0000n);
    expect(initVmFlag(31, PRESETS.i386)).toBe(0x8000_0000n);
  });

  test('a bit at or above BITS_PER_LONG is a RangeError naming bit and the range', () => {
    expect(() => initVmFlag(32, PRESETS.i386)).toThrow(RangeError);
    expect(() => initVmFlag(32, PRESETS.i386)).toThrow(/^bit must be an integer in \[0, 32\).*got 32$/);
    expect(() => initVmFlag(42, PRESETS.ppc32)).toThrow(/bit must be .*\[0, 32\)/);
    expect(() => initVmFlag(64)).toThrow(/bit must be an integer in \[0, 64\)/);
  });

  test('negative, fractional and non-number bits are rejected', () => {
    expect(() => initVmFlag(-1)).toThrow(RangeError);
    expect(() => initVmFlag(1.5)).toThrow(RangeError);
    expect(() => initVmFlag('3' as never)).toThrow(TypeError);
    expect(() => initVmFlag(3, {} as never)).toThrow(/config/);
  });
});
