import { describe, expect, test } from 'vitest';
import {
  ARCHES,
  DEFAULT_CONFIG,
  MAX_NUM_VMA_FLAG_BITS,
  PRESETS,
  assertKernelConfig,
  defineKernelConfig,
  forcedKernelOptions,
  isKernelConfig,
  withNumVmaFlagBits,
  type Arch,
  type KernelConfigOptions,
} from '../src/config.js';
import { vmaFlagTable } from '../src/flag_table.js';
import { thrown } from './thrown.js';

const define = (arch: Arch, options: Partial<KernelConfigOptions> = {}, numVmaFlagBits?: number) =>
  defineKernelConfig({ arch, options, ...(numVmaFlagBits === undefined ? {} : { numVmaFlagBits }) });

describe('defineKernelConfig: bad input', () => {
  test('a non-object is a TypeError naming config', () => {
    for (const bad of [null, undefined, 1, 'x86_64', true, 1n]) {
      const e = thrown(() => defineKernelConfig(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^config must be an object/);
    }
  });

  test('an unknown or missing arch is a RangeError listing the arches', () => {
    for (const arch of ['x86', 'ia64', '', undefined, 'toString', '__proto__']) {
      const e = thrown(() => defineKernelConfig({ arch } as never));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(/^config\.arch must be one of x86_64, i386, /);
    }
  });

  test('numVmaFlagBits: not a number is a TypeError', () => {
    for (const bad of ['64', 64n, {}, true]) {
      const e = thrown(() => defineKernelConfig({ arch: 'x86_64', numVmaFlagBits: bad as never }));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^config\.numVmaFlagBits must be a number/);
    }
  });

  test('numVmaFlagBits: a number off the allowed grid is a RangeError naming the range', () => {
    const cases: [Arch, number][] = [
      ['x86_64', 32], // below BITS_PER_LONG
      ['x86_64', 0],
      ['x86_64', -64],
      ['x86_64', 96], // not a multiple of 64
      ['x86_64', 64.5],
      ['x86_64', NaN],
      ['x86_64', Infinity],
      ['x86_64', MAX_NUM_VMA_FLAG_BITS + 64],
      ['i386', 16],
      ['i386', 48],
      ['i386', MAX_NUM_VMA_FLAG_BITS + 32],
    ];
    for (const [arch, n] of cases) {
      const e = thrown(() => define(arch, {}, n));
      expect([arch, n, e]).toEqual([arch, n, expect.any(RangeError)]);
      const bpl = arch === 'i386' ? 32 : 64;
      expect(e.message).toBe(
        `config.numVmaFlagBits must be a multiple of BITS_PER_LONG (${bpl}) in [${bpl}, ${MAX_NUM_VMA_FLAG_BITS}]; got ${String(n)}`,
      );
    }
  });

  test('numVmaFlagBits: the edges of the range are accepted', () => {
    expect(define('x86_64', {}, 64).numWords).toBe(1);
    expect(define('x86_64', {}, MAX_NUM_VMA_FLAG_BITS).numWords).toBe(MAX_NUM_VMA_FLAG_BITS / 64);
    expect(define('i386', {}, 32).numLanes).toBe(1);
    expect(define('i386', {}, 96)).toMatchObject({ numWords: 3, numLanes: 3 });
    expect(define('x86_64', {}, 192)).toMatchObject({ numWords: 3, numLanes: 6 });
  });

  test('options: not an object is a TypeError', () => {
    for (const bad of [5, 'MMU', true]) {
      const e = thrown(() => defineKernelConfig({ arch: 'x86_64', options: bad as never }));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^config\.options must be an object/);
    }
  });

  test('an unknown option is a RangeError naming it', () => {
    for (const k of ['FOO', 'CONFIG_MMU', '64BIT', 'PPC32', 'ARCH_HAS_USER_SHADOW_STACK']) {
      const e = thrown(() => define('x86_64', { [k]: true } as never));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(new RegExp(`^config\\.options\\.${k} must be one of the known options \\(MMU, `));
    }
  });

  test('a non-boolean option is a TypeError naming it, ARCH_PKEY_BITS must be a number', () => {
    for (const k of [
      'MMU',
      'MEM_SOFT_DIRTY',
      'ARCH_HAS_PKEYS',
      'USERFAULTFD_RWP',
      'STACK_GROWSUP',
      'MSEAL_SYSTEM_MAPPINGS',
    ]) {
      for (const v of [1, 'true', null, 0]) {
        const e = thrown(() => define('x86_64', { [k]: v } as never));
        expect([k, v, e]).toEqual([k, v, expect.any(TypeError)]);
        expect(e.message).toMatch(new RegExp(`^config\\.options\\.${k} must be a boolean`));
      }
    }
    for (const v of ['4', true, null, 4n]) {
      const e = thrown(() => define('x86_64', { ARCH_PKEY_BITS: v } as never));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^config\.options\.ARCH_PKEY_BITS must be a number/);
    }
  });

  test('an option left undefined takes its default', () => {
    expect(define('x86_64', { MEM_SOFT_DIRTY: undefined } as never)).toBe(define('x86_64'));
  });
});

describe('defineKernelConfig: option rules', () => {
  // Each rule: an option that needs something the arch (or another option) lacks.
  const rejected: [string, Arch, Partial<KernelConfigOptions>, RegExp][] = [
    [
      'pkeys need 64 bits',
      'i386',
      { ARCH_HAS_PKEYS: true },
      /^config\.options\.ARCH_HAS_PKEYS must be false unless 64-bit/,
    ],
    [
      'pkeys need an arch with keys',
      'riscv64',
      { ARCH_HAS_PKEYS: true },
      /^config\.options\.ARCH_HAS_PKEYS must be false unless arch is x86_64, ppc64 or arm64/,
    ],
    ['pkeys on sparc64', 'sparc64', { ARCH_HAS_PKEYS: true }, /ARCH_HAS_PKEYS/],
    ['pkeys on generic64', 'generic64', { ARCH_HAS_PKEYS: true }, /ARCH_HAS_PKEYS/],
    [
      'x86 shadow stack off x86',
      'arm64',
      { X86_USER_SHADOW_STACK: true },
      /^config\.options\.X86_USER_SHADOW_STACK must be false unless 64-bit .* on x86/,
    ],
    ['x86 shadow stack on i386', 'i386', { X86_USER_SHADOW_STACK: true }, /X86_USER_SHADOW_STACK/],
    [
      'riscv CFI off riscv',
      'x86_64',
      { RISCV_USER_CFI: true },
      /^config\.options\.RISCV_USER_CFI must be false unless .* on riscv/,
    ],
    ['MTE off arm64', 'x86_64', { ARM64_MTE: true }, /^config\.options\.ARM64_MTE must be false unless arch is arm64/],
    ['GCS off arm64', 'arm', { ARM64_GCS: true }, /^config\.options\.ARM64_GCS must be false unless arch is arm64/],
    ['BTI off arm64', 'ppc64', { ARM64_BTI: true }, /^config\.options\.ARM64_BTI must be false unless arch is arm64/],
    [
      'uffd minor on 32-bit',
      'arm',
      { HAVE_ARCH_USERFAULTFD_MINOR: true },
      /^config\.options\.HAVE_ARCH_USERFAULTFD_MINOR must be false unless 64-bit .* with MMU/,
    ],
    [
      'uffd minor without MMU',
      'riscv64',
      { MMU: false, HAVE_ARCH_USERFAULTFD_MINOR: true },
      /HAVE_ARCH_USERFAULTFD_MINOR/,
    ],
    [
      'RWP on ppc64',
      'ppc64',
      { USERFAULTFD_RWP: true },
      /^config\.options\.USERFAULTFD_RWP must be false unless arch is x86_64, arm64 or riscv64 with MMU/,
    ],
    ['RWP on i386', 'i386', { USERFAULTFD_RWP: true }, /USERFAULTFD_RWP/],
    ['RWP on generic64', 'generic64', { USERFAULTFD_RWP: true }, /USERFAULTFD_RWP/],
    ['RWP without MMU', 'riscv64', { MMU: false, USERFAULTFD_RWP: true }, /USERFAULTFD_RWP/],
    [
      'grows-up stack off parisc',
      'x86_64',
      { STACK_GROWSUP: true },
      /^config\.options\.STACK_GROWSUP must be false unless arch is parisc/,
    ],
    [
      'soft-dirty without MMU',
      'generic32',
      { MMU: false, MEM_SOFT_DIRTY: true },
      /^config\.options\.MEM_SOFT_DIRTY must be false unless MMU is enabled/,
    ],
  ];
  test.each(rejected)('%s: RangeError naming the option', (_, arch, options, message) => {
    const e = thrown(() => define(arch, options));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`got "true with arch ${arch}"`);
  });

  const accepted: [Arch, Partial<KernelConfigOptions>][] = [
    [
      'x86_64',
      { ARCH_HAS_PKEYS: true, X86_USER_SHADOW_STACK: true, HAVE_ARCH_USERFAULTFD_MINOR: true, USERFAULTFD_RWP: true },
    ],
    ['arm64', { ARCH_HAS_PKEYS: true, ARM64_MTE: true, ARM64_GCS: true, ARM64_BTI: true, USERFAULTFD_RWP: true }],
    [
      'riscv64',
      { RISCV_USER_CFI: true, USERFAULTFD_RWP: true, HAVE_ARCH_USERFAULTFD_MINOR: true, MEM_SOFT_DIRTY: true },
    ],
    ['ppc64', { ARCH_HAS_PKEYS: true, MEM_SOFT_DIRTY: true }],
    ['generic32', { MMU: false }],
    ['arm', { MMU: false }],
    ['riscv64', { MMU: false }],
    ['i386', { MSEAL_SYSTEM_MAPPINGS: true }],
  ];
  test.each(accepted)('%s with %o is accepted', (arch, options) => {
    const c = define(arch, options);
    for (const [k, v] of Object.entries(options))
      expect([k, c.options[k as keyof KernelConfigOptions]]).toEqual([k, v]);
  });

  test('ARCH_HAS_USER_SHADOW_STACK follows any of the three shadow-stack options', () => {
    expect(define('x86_64', { X86_USER_SHADOW_STACK: true }).options.ARCH_HAS_USER_SHADOW_STACK).toBe(true);
    expect(define('riscv64', { RISCV_USER_CFI: true }).options.ARCH_HAS_USER_SHADOW_STACK).toBe(true);
    expect(define('arm64', { ARM64_GCS: true }).options.ARCH_HAS_USER_SHADOW_STACK).toBe(true);
    expect(define('arm64', { ARM64_MTE: true }).options.ARCH_HAS_USER_SHADOW_STACK).toBe(false);
  });

  test('derived arch options', () => {
    const expected: Record<Arch, string[]> = {
      x86_64: ['64BIT', 'X86'],
      i386: ['X86'],
      arm64: ['64BIT', 'ARM64'],
      arm: [],
      riscv64: ['64BIT', 'RISCV'],
      ppc64: ['64BIT', 'PPC64'],
      ppc32: ['PPC32'],
      parisc: ['PARISC'],
      sparc64: ['64BIT', 'SPARC64'],
      generic32: [],
      generic64: ['64BIT'],
    };
    const derived = ['64BIT', 'PPC32', 'PPC64', 'PARISC', 'SPARC64', 'ARM64', 'X86', 'RISCV'] as const;
    for (const arch of ARCHES) {
      const o = define(arch).options;
      expect([arch, derived.filter((k) => o[k])]).toEqual([arch, expected[arch]]);
    }
  });
});

describe('ARCH_PKEY_BITS is fixed by the arch', () => {
  // torvalds/linux @6416f0bf arch/x86/Kconfig, @bd59380c arch/powerpc/Kconfig,
  // @62aa9655 arch/arm64/Kconfig: each declares ARCH_PKEY_BITS as an int with
  // one default (4, 5, 3) and no prompt, so a kernel cannot choose it.
  test('enabling pkeys without a count takes the arch value', () => {
    expect(define('x86_64', { ARCH_HAS_PKEYS: true }).options.ARCH_PKEY_BITS).toBe(4);
    expect(define('ppc64', { ARCH_HAS_PKEYS: true }).options.ARCH_PKEY_BITS).toBe(5);
    expect(define('arm64', { ARCH_HAS_PKEYS: true }).options.ARCH_PKEY_BITS).toBe(3);
    expect(PRESETS.x86_64.options.ARCH_PKEY_BITS).toBe(4);
    expect(PRESETS.ppc64.options.ARCH_PKEY_BITS).toBe(5);
    expect(PRESETS.arm64.options.ARCH_PKEY_BITS).toBe(3);
  });

  test('the arch value given explicitly is the same config', () => {
    expect(define('x86_64', { ARCH_HAS_PKEYS: true, ARCH_PKEY_BITS: 4 })).toBe(
      define('x86_64', { ARCH_HAS_PKEYS: true }),
    );
    expect(define('arm64', { ARCH_HAS_PKEYS: true, ARCH_PKEY_BITS: 3 })).toBe(
      define('arm64', { ARCH_HAS_PKEYS: true }),
    );
  });

  test('a disagreeing value is a RangeError naming the option and the allowed value', () => {
    const cases: [Arch, number, number][] = [
      ['x86_64', 3, 4],
      ['x86_64', 5, 4],
      ['ppc64', 4, 5],
      ['arm64', 4, 3],
      ['arm64', 5, 3],
      ['x86_64', 4.5, 4],
      ['x86_64', NaN, 4],
    ];
    for (const [arch, n, allowed] of cases) {
      const e = thrown(() => define(arch, { ARCH_HAS_PKEYS: true, ARCH_PKEY_BITS: n }));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toBe(
        `config.options.ARCH_PKEY_BITS must be ${allowed} on arch ${arch} (fixed by its Kconfig); got ${String(n)}`,
      );
    }
  });

  test('without pkeys the count is 0; the arch value or 0 may be restated, nothing else', () => {
    expect(define('x86_64').options.ARCH_PKEY_BITS).toBe(0);
    expect(define('x86_64', { ARCH_PKEY_BITS: 4 })).toBe(define('x86_64'));
    expect(define('x86_64', { ARCH_PKEY_BITS: 0 })).toBe(define('x86_64'));
    expect(define('riscv64', { ARCH_PKEY_BITS: 0 })).toBe(define('riscv64'));
    expect(() => define('x86_64', { ARCH_PKEY_BITS: 3 })).toThrow(
      /^config\.options\.ARCH_PKEY_BITS must be 4 on arch x86_64/,
    );
    expect(() => define('riscv64', { ARCH_PKEY_BITS: 3 })).toThrow(
      /^config\.options\.ARCH_PKEY_BITS must be 0 on arch riscv64/,
    );
    // pkeys on with an explicit 0 disagrees too
    expect(() => define('x86_64', { ARCH_HAS_PKEYS: true, ARCH_PKEY_BITS: 0 })).toThrow(
      /must be 4 on arch x86_64.*got 0$/,
    );
  });

  test('the count decides how many pkey masks exist', () => {
    const bits = (arch: Arch) => {
      const t = vmaFlagTable(define(arch, { ARCH_HAS_PKEYS: true }));
      return [t.VM_PKEY_BIT0, t.VM_PKEY_BIT1, t.VM_PKEY_BIT2, t.VM_PKEY_BIT3, t.VM_PKEY_BIT4].filter((m) => m !== 0n)
        .length;
    };
    expect([bits('x86_64'), bits('ppc64'), bits('arm64')]).toEqual([4, 5, 3]);
  });
});

describe('options an arch forces on', () => {
  // torvalds/linux @0181f7a3 arch/parisc/Kconfig: MMU and STACK_GROWSUP are both
  // `def_bool y`. MMU is `def_bool y` on x86 (@6416f0bf arch/x86/Kconfig) and
  // arm64 (@62aa9655 arch/arm64/Kconfig), and a `bool` defaulting to y with no
  // prompt on powerpc (@bd59380c arch/powerpc/Kconfig) and sparc
  // (@dd4efa44 arch/sparc/Kconfig); arm and riscv give MMU a prompt.
  test('the forced list per arch', () => {
    const expected: Record<Arch, string[]> = {
      x86_64: ['MMU'],
      i386: ['MMU'],
      arm64: ['MMU'],
      arm: [],
      riscv64: [],
      ppc64: ['MMU'],
      ppc32: ['MMU'],
      parisc: ['MMU', 'STACK_GROWSUP'],
      sparc64: ['MMU'],
      generic32: [],
      generic64: [],
    };
    for (const arch of ARCHES) expect([arch, forcedKernelOptions(arch)]).toEqual([arch, expected[arch]]);
    expect(() => forcedKernelOptions('ia64' as never)).toThrow(RangeError);
  });

  test('a forced option defaults to true and cannot be switched off', () => {
    for (const arch of ARCHES) {
      for (const k of forcedKernelOptions(arch) as (keyof KernelConfigOptions)[]) {
        expect([arch, k, define(arch).options[k]]).toEqual([arch, k, true]);
        expect([arch, k, define(arch, { [k]: true }).options[k]]).toEqual([arch, k, true]);
        const e = thrown(() => define(arch, { [k]: false }));
        expect(e).toBeInstanceOf(RangeError);
        expect(e.message).toBe(
          `config.options.${k} must be true on arch ${arch} (its Kconfig forces it on); got false`,
        );
      }
    }
  });

  test('every parisc config has VM_STACK = GROWSUP (bit 24) and VM_STACK_EARLY = GROWSDOWN (bit 8)', () => {
    for (const c of [
      define('parisc'),
      define('parisc', { MEM_SOFT_DIRTY: true }),
      define('parisc', {}, 128),
      PRESETS.parisc,
    ]) {
      const t = vmaFlagTable(c);
      expect(c.options.STACK_GROWSUP).toBe(true);
      expect(t.VM_STACK).toBe(1n << 24n);
      expect(t.VM_GROWSUP).toBe(1n << 24n);
      expect(t.VM_STACK_EARLY).toBe(1n << 8n);
      expect(t.VMA_STACK_BIT).toBe(24);
      expect(t.VMA_STACK_EARLY_BIT).toBe(8);
    }
  });
});

describe('config identity: key and interning', () => {
  test('equal input gives the identical frozen object', () => {
    const a = define('x86_64', { MEM_SOFT_DIRTY: true });
    expect(define('x86_64', { MEM_SOFT_DIRTY: true })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.options)).toBe(true);
    expect(isKernelConfig(a)).toBe(true);
  });

  test('configs differing only in one option never share a key', () => {
    const pairs: [Arch, Partial<KernelConfigOptions>][] = [
      ['x86_64', { MEM_SOFT_DIRTY: true }],
      ['x86_64', { ARCH_HAS_PKEYS: true }],
      ['x86_64', { X86_USER_SHADOW_STACK: true }],
      ['x86_64', { HAVE_ARCH_USERFAULTFD_MINOR: true }],
      ['x86_64', { USERFAULTFD_RWP: true }],
      ['x86_64', { MSEAL_SYSTEM_MAPPINGS: true }],
      ['riscv64', { RISCV_USER_CFI: true }],
      ['riscv64', { MMU: false }],
      ['arm64', { ARM64_MTE: true }],
      ['arm64', { ARM64_GCS: true }],
      ['arm64', { ARM64_BTI: true }],
    ];
    const keys = new Set<string>();
    for (const [arch, options] of pairs) {
      const on = define(arch, options);
      const off = define(arch);
      expect([arch, options, on.key === off.key]).toEqual([arch, options, false]);
      expect(on).not.toBe(off);
      keys.add(on.key);
    }
    expect(keys.size).toBe(pairs.length);
  });

  test('the key spells out arch, widths and every non-default option', () => {
    expect(define('generic64').key).toBe('generic64/64/64/');
    expect(define('x86_64', { ARCH_HAS_PKEYS: true, MEM_SOFT_DIRTY: true }, 128).key).toBe(
      'x86_64/64/128/MEM_SOFT_DIRTY,ARCH_HAS_PKEYS,ARCH_PKEY_BITS=4',
    );
    expect(define('generic32', { MMU: false }).key).toBe('generic32/32/32/MMU=false');
    expect(define('parisc').key).toBe('parisc/32/32/STACK_GROWSUP');
    expect(define('x86_64', {}, 128).key).not.toBe(define('x86_64').key);
  });

  test('a name is not identity: same key, different objects, both usable together', () => {
    const a = defineKernelConfig({ arch: 'arm', name: 'one' });
    const b = defineKernelConfig({ arch: 'arm', name: 'two' });
    expect(a).not.toBe(b);
    expect(a.key).toBe(b.key);
    expect(defineKernelConfig({ arch: 'arm' }).name).toBe('custom');
    expect(defineKernelConfig({ arch: 'arm', name: 'one' })).toBe(a);
  });

  test('a lookalike object is not a config', () => {
    const fake = Object.freeze({ ...DEFAULT_CONFIG });
    expect(isKernelConfig(fake)).toBe(false);
    expect(isKernelConfig(null)).toBe(false);
    expect(isKernelConfig('x86_64')).toBe(false);
    expect(() => assertKernelConfig(fake, 'cfg')).toThrow(
      /^cfg must be a KernelConfig from defineKernelConfig\(\) or PRESETS/,
    );
    expect(() => assertKernelConfig(fake, 'cfg')).toThrow(TypeError);
  });

  test('withNumVmaFlagBits keeps name and options, checks its arguments', () => {
    const c = withNumVmaFlagBits(PRESETS.arm64, 192);
    expect(c).toMatchObject({ name: 'arm64', arch: 'arm64', numVmaFlagBits: 192, numWords: 3 });
    expect(c.options).toEqual(PRESETS.arm64.options);
    expect(withNumVmaFlagBits(PRESETS.arm64, 64)).toBe(PRESETS.arm64);
    expect(withNumVmaFlagBits(PRESETS.parisc, 64).options.STACK_GROWSUP).toBe(true);
    expect(() => withNumVmaFlagBits({} as never, 128)).toThrow(TypeError);
    expect(() => withNumVmaFlagBits(PRESETS.arm64, 100)).toThrow(RangeError);
  });
});

describe('a generic64 config', () => {
  const c = define('generic64');
  test('word sizes and options', () => {
    expect(c).toMatchObject({
      name: 'custom',
      arch: 'generic64',
      bitsPerLong: 64,
      numVmaFlagBits: 64,
      numWords: 1,
      numLanes: 2,
    });
    expect(c.options).toEqual({
      MMU: true,
      MEM_SOFT_DIRTY: false,
      ARCH_HAS_PKEYS: false,
      ARCH_PKEY_BITS: 0,
      X86_USER_SHADOW_STACK: false,
      RISCV_USER_CFI: false,
      ARM64_MTE: false,
      ARM64_GCS: false,
      ARM64_BTI: false,
      HAVE_ARCH_USERFAULTFD_MINOR: false,
      USERFAULTFD_RWP: false,
      STACK_GROWSUP: false,
      MSEAL_SYSTEM_MAPPINGS: false,
      '64BIT': true,
      PPC32: false,
      PPC64: false,
      PARISC: false,
      SPARC64: false,
      ARM64: false,
      X86: false,
      RISCV: false,
      ARCH_HAS_USER_SHADOW_STACK: false,
    });
  });

  test('flag table: the kernel defaults with the 64-bit flags', () => {
    const t = vmaFlagTable(c);
    expect(t.VM_DATA_DEFAULT_FLAGS).toBe(0x77n); // generic DATA_FLAGS_EXEC
    expect(t.VM_STACK_FLAGS).toBe(0x10_0177n);
    expect(t.VM_DROPPABLE).toBe(1n << 40n);
    expect(t.VM_SEALED).toBe(1n << 42n);
    expect(t.VM_ALLOW_ANY_UNCACHED).toBe(1n << 39n);
    expect([t.VM_UFFD_MINOR, t.VM_UFFD_RWP, t.VM_SOFTDIRTY, t.VM_SHADOW_STACK, t.VM_ARCH_1 === 1n << 24n]).toEqual([
      0n,
      0n,
      0n,
      0n,
      true,
    ]);
    expect([t.VM_SAO, t.VM_GROWSUP, t.VM_SPARC_ADI, t.VM_ARM64_BTI, t.VM_ARCH_CLEAR, t.VM_MAPPED_COPY]).toEqual([
      0n,
      0n,
      0n,
      0n,
      0n,
      0n,
    ]);
    expect(t.VMA_DROPPABLE_BIT).toBe(40);
    expect(t.VM_PKEY_SHIFT).toBeNull();
  });
});
