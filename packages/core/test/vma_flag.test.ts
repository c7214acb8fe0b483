import { describe, expect, test } from 'vitest';
import * as core from '../src/index.js';
import { ARCHES, PRESETS, defineKernelConfig, type Arch } from '../src/config.js';
import { UndeclaredVmaFlagError } from '../src/errors.js';
import { vmaFlagBit, vmaFlagTable } from '../src/flag_table.js';
import {
  NUM_DECLARED_VMA_FLAG_BITS,
  VMA_ARCH_1_BIT,
  VMA_ARCH_CLEAR_BIT,
  VMA_EXEC_BIT,
  VMA_READ_BIT,
  VMA_UFFD_RWP_BIT,
  taskExecBit,
} from '../src/vma_flag.js';

// linux-mm include/linux/mm.h @009857a2: the enum declares one name per bit
// 0..42 (bit 9 UFFD_MISSING with an MMU), and the RWP series (linux-mm mm-new,
// May 2026; mmflags.h @35e1f6b6 carries its uffd_rwp) adds UFFD_RWP at 43.
const PRIMARY = [
  'READ',
  'WRITE',
  'EXEC',
  'SHARED',
  'MAYREAD',
  'MAYWRITE',
  'MAYEXEC',
  'MAYSHARE',
  'GROWSDOWN',
  'UFFD_MISSING',
  'PFNMAP',
  'MAYBE_GUARD',
  'UFFD_WP',
  'LOCKED',
  'IO',
  'SEQ_READ',
  'RAND_READ',
  'DONTCOPY',
  'DONTEXPAND',
  'LOCKONFAULT',
  'ACCOUNT',
  'NORESERVE',
  'HUGETLB',
  'SYNC',
  'ARCH_1',
  'WIPEONFORK',
  'DONTDUMP',
  'SOFTDIRTY',
  'MIXEDMAP',
  'HUGEPAGE',
  'NOHUGEPAGE',
  'MERGEABLE',
  'HIGH_ARCH_0',
  'HIGH_ARCH_1',
  'HIGH_ARCH_2',
  'HIGH_ARCH_3',
  'HIGH_ARCH_4',
  'HIGH_ARCH_5',
  'HIGH_ARCH_6',
  'ALLOW_ANY_UNCACHED',
  'DROPPABLE',
  'UFFD_MINOR',
  'SEALED',
  'UFFD_RWP',
];
// Aliases the same enum declares on every config (DECLARE_VMA_BIT_ALIAS outside any #if).
const ALIASES: Record<string, number> = {
  PKEY_BIT0: 32,
  PKEY_BIT1: 33,
  PKEY_BIT2: 34,
  PKEY_BIT3: 35,
  PKEY_BIT4: 36,
  SAO: 24,
  GROWSUP: 24,
  SPARC_ADI: 24,
  ARM64_BTI: 24,
  ARCH_CLEAR: 24,
  MAPPED_COPY: 24,
  MTE: 36,
  MTE_ALLOWED: 37,
};

describe('declared VMA flag bits', () => {
  test('44 bit positions, one primary name each on a 64-bit MMU config', () => {
    expect(NUM_DECLARED_VMA_FLAG_BITS).toBe(44);
    expect(PRIMARY).toHaveLength(44);
    for (const name of ['x86_64', 'arm64', 'riscv64', 'ppc64', 'sparc64'] as const) {
      expect(vmaFlagTable(PRESETS[name]).bits.map((b) => b.declaredName)).toEqual(PRIMARY);
    }
  });

  test('every VMA_<name>_BIT export of the package matches the table of the default config', () => {
    const t = vmaFlagTable(PRESETS.x86_64);
    const exported = Object.entries(core).filter(([k, v]) => /^VMA_.*_BIT$/.test(k) && typeof v === 'number');
    for (const name of [...PRIMARY, ...Object.keys(ALIASES), 'STACK', 'SHADOW_STACK']) {
      const k = `VMA_${name}_BIT`;
      expect([k, (core as Record<string, unknown>)[k]]).toEqual([k, t.declaredBits[name]]);
    }
    // and nothing exported is unknown to the table (bar MAYOVERLAY, an !MMU name)
    for (const [k, v] of exported) {
      const name = k.slice(4, -4);
      if (name === 'MAYOVERLAY') continue;
      expect([k, t.declaredBits[name]]).toEqual([k, v]);
    }
  });

  test('aliases declared on every config', () => {
    for (const arch of ARCHES) {
      const d = vmaFlagTable(defineKernelConfig({ arch })).declaredBits;
      for (const [n, b] of Object.entries(ALIASES)) expect([arch, n, d[n]]).toEqual([arch, n, b]);
    }
  });

  test('config-dependent names: MAYOVERLAY, STACK, STACK_EARLY, SHADOW_STACK', () => {
    const nommu = vmaFlagTable(PRESETS.nommu);
    expect(nommu.bits[9]!.declaredName).toBe('MAYOVERLAY');
    expect(nommu.declaredBits.MAYOVERLAY).toBe(9);
    expect('UFFD_MISSING' in nommu.declaredBits).toBe(false);
    expect(vmaFlagTable(PRESETS.parisc).declaredBits).toMatchObject({ STACK: 24, STACK_EARLY: 8 });
    expect(vmaFlagTable(PRESETS.x86_64).declaredBits).toMatchObject({ STACK: 8, SHADOW_STACK: 37 });
    expect('STACK_EARLY' in vmaFlagTable(PRESETS.x86_64).declaredBits).toBe(false);
    expect(vmaFlagTable(PRESETS.arm64).declaredBits.SHADOW_STACK).toBe(38);
    expect('SHADOW_STACK' in vmaFlagTable(PRESETS.arm).declaredBits).toBe(false);
    expect(Object.isFrozen(nommu.declaredBits)).toBe(true);
  });

  test('VMA_UFFD_RWP_BIT is 43 and declared everywhere; the flag needs CONFIG_USERFAULTFD_RWP', () => {
    expect(VMA_UFFD_RWP_BIT).toBe(43);
    expect(vmaFlagBit('VMA_UFFD_RWP_BIT', PRESETS.i386)).toBe(43);
    expect(vmaFlagTable(PRESETS.x86_64).VM_UFFD_RWP).toBe(0n);
    expect(vmaFlagTable(defineKernelConfig({ arch: 'x86_64', options: { USERFAULTFD_RWP: true } })).VM_UFFD_RWP).toBe(
      1n << 43n,
    );
  });
});

describe('VMA_DROPPABLE_BIT per config', () => {
  // "[PATCH v4 17/25]" (linux-mm, 2026-03-20): PPC32 declares DROPPABLE as an
  // alias of ARCH_1, CONFIG_64BIT as bit 40, and any other config not at all.
  const declared32: Arch[] = ['i386', 'arm', 'parisc', 'generic32'];

  test('64-bit configs: bit 40', () => {
    for (const arch of ARCHES.filter((a) => defineKernelConfig({ arch: a }).bitsPerLong === 64)) {
      const t = vmaFlagTable(defineKernelConfig({ arch }));
      expect([arch, t.VMA_DROPPABLE_BIT, t.bits[40]!.declaredName, vmaFlagBit('DROPPABLE', t.config)]).toEqual([
        arch,
        40,
        'DROPPABLE',
        40,
      ]);
    }
  });

  test('ppc32: bit 24, nothing declared at 40', () => {
    const t = vmaFlagTable(PRESETS.ppc32);
    expect(t.VMA_DROPPABLE_BIT).toBe(24);
    expect(vmaFlagBit('VMA_DROPPABLE_BIT', PRESETS.ppc32)).toBe(VMA_ARCH_1_BIT);
    expect(t.bits[40]!.declaredName).toBeNull();
  });

  test('other 32-bit configs: no entry, and a lookup by name is an UndeclaredVmaFlagError', () => {
    for (const arch of declared32) {
      const config = defineKernelConfig({ arch });
      const t = vmaFlagTable(config);
      expect([arch, t.VMA_DROPPABLE_BIT, t.bits[40]!.declaredName, 'DROPPABLE' in t.declaredBits]).toEqual([
        arch,
        null,
        null,
        false,
      ]);
      let e: unknown;
      try {
        vmaFlagBit('VMA_DROPPABLE_BIT', config);
      } catch (err) {
        e = err;
      }
      expect(e).toBeInstanceOf(UndeclaredVmaFlagError);
      expect(e).toBeInstanceOf(RangeError);
      const u = e as UndeclaredVmaFlagError;
      expect(u).toMatchObject({
        name: 'UndeclaredVmaFlagError',
        code: 'ERR_VMA_FLAG_UNDECLARED',
        flagName: 'VMA_DROPPABLE_BIT',
        configName: 'custom',
      });
      expect(u.message).toMatch(
        /^name must be a VMA flag bit declared by config custom \(READ, WRITE, .*\); got "VMA_DROPPABLE_BIT"$/,
      );
    }
  });

  test('vmaFlagBit: plain or full spelling, bad input', () => {
    expect(vmaFlagBit('READ')).toBe(VMA_READ_BIT);
    expect(vmaFlagBit('VMA_EXEC_BIT')).toBe(VMA_EXEC_BIT);
    expect(vmaFlagBit('HIGH_ARCH_6')).toBe(38);
    expect(() => vmaFlagBit('VMA_READ')).toThrow(UndeclaredVmaFlagError);
    expect(() => vmaFlagBit('READ_BIT')).toThrow(UndeclaredVmaFlagError);
    expect(() => vmaFlagBit('toString')).toThrow(UndeclaredVmaFlagError);
    expect(() => vmaFlagBit('')).toThrow(UndeclaredVmaFlagError);
    expect(() => vmaFlagBit(3 as never)).toThrow(/^name must be a string/);
    expect(() => vmaFlagBit('READ', {} as never)).toThrow(TypeError);
  });
});

describe('VMA_ARCH_CLEAR_BIT and TASK_EXEC_BIT', () => {
  // linux-mm include/linux/mm.h @009857a2: ARCH_CLEAR is an alias of ARCH_1
  // declared on every config, though VM_ARCH_CLEAR is VM_NONE off sparc64/arm64.
  test('ARCH_CLEAR is bit 24 on every config', () => {
    expect(VMA_ARCH_CLEAR_BIT).toBe(24);
    for (const name of Object.keys(PRESETS) as (keyof typeof PRESETS)[]) {
      const t = vmaFlagTable(PRESETS[name]);
      expect([name, t.declaredBits.ARCH_CLEAR]).toEqual([name, 24]);
      expect([name, t.VM_ARCH_CLEAR]).toEqual([name, name === 'arm64' || name === 'sparc64' ? 1n << 24n : 0n]);
    }
  });

  // linux-mm mm.h (2026, VMA_DATA_FLAGS conversion): TASK_EXEC_BIT is EXEC for
  // a READ_IMPLIES_EXEC personality, READ otherwise.
  test('taskExecBit and the table field', () => {
    expect(taskExecBit()).toBe(VMA_READ_BIT);
    expect(taskExecBit(false)).toBe(VMA_READ_BIT);
    expect(taskExecBit(true)).toBe(VMA_EXEC_BIT);
    expect(vmaFlagTable(PRESETS.x86_64).TASK_EXEC_BIT).toBe(0);
    expect(vmaFlagTable(PRESETS.x86_64, { readImpliesExec: true }).TASK_EXEC_BIT).toBe(2);
    expect(() => taskExecBit(1 as never)).toThrow(/^readImpliesExec must be a boolean/);
  });
});
