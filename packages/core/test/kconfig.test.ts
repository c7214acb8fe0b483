import { existsSync, readFileSync } from 'node:fs';
import { machine, release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { PRESETS, type KernelConfig, type PresetName } from '../src/config.js';
import { smapVmaFlagMnemonics } from '../src/flag_names.js';
import { kernelConfigFromKconfig, presetForMachine } from '../src/kconfig.js';
import { parseSmapVmaFlags, showSmapVmaFlags } from '../src/smaps.js';
import { thrown } from './thrown.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const HEADER = ['#', '# Automatically generated file; DO NOT EDIT.', '# Linux Kernel Configuration', '#'];

// Excerpts of distribution-style configs, one per modelled architecture, with the
// symbols a real `make olddefconfig` writes for the options we model. Facts:
// - this machine's /proc/config.gz (Linux 6.18, x86_64): X86_64, MMU, X86_INTEL_MEMORY_PROTECTION_KEYS,
//   ARCH_PKEY_BITS=4, ARCH_HAS_PKEYS, HAVE_ARCH_USERFAULTFD_MINOR, "# CONFIG_MEM_SOFT_DIRTY is not set"
//   and "# CONFIG_X86_USER_SHADOW_STACK is not set" lines, observed, not read from source.
// - torvalds/linux @0181f7a arch/parisc/Kconfig: PARISC, MMU and STACK_GROWSUP are def_bool y; 64BIT is a prompt.
// - torvalds/linux @01112e5 arch/riscv/Kconfig: RISCV def_bool y, MMU a prompt defaulting to y, 64BIT
//   selected by the RV64I base ISA (one RISCV symbol for both widths).
// - "arm64: enable the Permission Overlay Extension" (linux-arm-kernel, 2024): ARM64_POE selects ARCH_HAS_PKEYS;
//   powerpc's PPC_MEM_KEYS and x86's X86_INTEL_MEMORY_PROTECTION_KEYS select it the same way.
const EXCERPTS: Record<Exclude<PresetName, 'nommu'>, string> = {
  x86_64: lines(
    ...HEADER,
    'CONFIG_CC_VERSION_TEXT="gcc (GCC) 15.2.1 20250808 (Red Hat 15.2.1-1)"',
    'CONFIG_64BIT=y',
    'CONFIG_X86_64=y',
    'CONFIG_X86=y',
    'CONFIG_MMU=y',
    'CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS=y',
    'CONFIG_ARCH_PKEY_BITS=4',
    'CONFIG_X86_USER_SHADOW_STACK=y',
    'CONFIG_HAVE_ARCH_SOFT_DIRTY=y',
    'CONFIG_MEM_SOFT_DIRTY=y',
    'CONFIG_ARCH_HAS_PKEYS=y',
    'CONFIG_HAVE_ARCH_USERFAULTFD_WP=y',
    'CONFIG_HAVE_ARCH_USERFAULTFD_MINOR=y',
    'CONFIG_USERFAULTFD=y',
    '# CONFIG_MSEAL_SYSTEM_MAPPINGS is not set',
  ),
  i386: lines(...HEADER, '# CONFIG_64BIT is not set', 'CONFIG_X86_32=y', 'CONFIG_X86=y', 'CONFIG_MMU=y'),
  arm64: lines(
    ...HEADER,
    'CONFIG_ARM64=y',
    'CONFIG_64BIT=y',
    'CONFIG_MMU=y',
    'CONFIG_ARM64_BTI=y',
    'CONFIG_ARM64_MTE=y',
    'CONFIG_ARM64_POE=y',
    'CONFIG_ARCH_PKEY_BITS=3',
    'CONFIG_ARM64_GCS=y',
    'CONFIG_ARCH_HAS_PKEYS=y',
    'CONFIG_HAVE_ARCH_USERFAULTFD_MINOR=y',
    'CONFIG_USERFAULTFD=y',
  ),
  arm: lines(...HEADER, 'CONFIG_ARM=y', 'CONFIG_MMU=y', 'CONFIG_ARCH_MULTI_V7=y'),
  riscv64: lines(
    ...HEADER,
    'CONFIG_64BIT=y',
    'CONFIG_RISCV=y',
    'CONFIG_MMU=y',
    'CONFIG_ARCH_RV64I=y',
    'CONFIG_RISCV_USER_CFI=y',
    'CONFIG_MEM_SOFT_DIRTY=y',
    'CONFIG_HAVE_ARCH_USERFAULTFD_MINOR=y',
  ),
  // ARCH_HAS_PKEYS left out on purpose: PPC_MEM_KEYS alone turns pkeys on.
  ppc64: lines(
    ...HEADER,
    'CONFIG_PPC64=y',
    'CONFIG_64BIT=y',
    'CONFIG_PPC=y',
    'CONFIG_MMU=y',
    'CONFIG_PPC_MEM_KEYS=y',
    'CONFIG_ARCH_PKEY_BITS=5',
    'CONFIG_MEM_SOFT_DIRTY=y',
  ),
  ppc32: lines(...HEADER, '# CONFIG_PPC64 is not set', 'CONFIG_PPC32=y', 'CONFIG_PPC=y', 'CONFIG_MMU=y'),
  parisc: lines(...HEADER, 'CONFIG_PARISC=y', 'CONFIG_MMU=y', 'CONFIG_STACK_GROWSUP=y', '# CONFIG_64BIT is not set'),
  sparc64: lines(...HEADER, 'CONFIG_64BIT=y', 'CONFIG_SPARC=y', 'CONFIG_SPARC64=y', 'CONFIG_MMU=y'),
};

const X86 = EXCERPTS.x86_64;

describe('kernelConfigFromKconfig: one excerpt per architecture', () => {
  test.each(Object.entries(EXCERPTS))('%s gives the preset of that name', (name, text) => {
    const config = kernelConfigFromKconfig(text);
    const preset = PRESETS[name as PresetName];
    expect(config.arch).toBe(preset.arch);
    expect(config.key).toBe(preset.key);
    expect(config.name).toBe(`kconfig:${preset.arch}`);
  });

  test('a no-MMU config of an architecture we do not model is the no-MMU model', () => {
    // m68k ColdFire: MMU is a prompt there and CONFIG_M68K is not one of our arches.
    const config = kernelConfigFromKconfig(lines('CONFIG_M68K=y', '# CONFIG_MMU is not set', 'CONFIG_COLDFIRE=y'));
    expect(config.key).toBe(PRESETS.nommu.key);
    expect(kernelConfigFromKconfig(lines('# CONFIG_MMU is not set', 'CONFIG_64BIT=y')).arch).toBe('generic64');
    // The text already settled the model: the machine it was read on does not change it.
    const onX86 = kernelConfigFromKconfig(lines('CONFIG_M68K=y', '# CONFIG_MMU is not set'), { machine: 'x86_64' });
    expect(onX86.key).toBe(PRESETS.nommu.key);
  });

  test('arm and riscv64 without an MMU keep their architecture', () => {
    const arm = kernelConfigFromKconfig(lines('CONFIG_ARM=y', '# CONFIG_MMU is not set'));
    expect([arm.arch, arm.options.MMU]).toEqual(['arm', false]);
    const k210 = kernelConfigFromKconfig(lines('CONFIG_RISCV=y', 'CONFIG_64BIT=y', '# CONFIG_MMU is not set'));
    expect([k210.arch, k210.options.MMU]).toEqual(['riscv64', false]);
    // No MMU: bit 9 is MAYOVERLAY, and smaps has no uffd mnemonic for it.
    expect(smapVmaFlagMnemonics(k210)).not.toContain('um');
  });

  test('name and NUM_VMA_FLAG_BITS are passed through', () => {
    const wide = kernelConfigFromKconfig(X86, { numVmaFlagBits: 128, name: 'lab box' });
    expect([wide.name, wide.numVmaFlagBits, wide.numWords]).toEqual(['lab box', 128, 2]);
    expect(kernelConfigFromKconfig(X86, { name: 'lab box' })).toBe(kernelConfigFromKconfig(X86, { name: 'lab box' }));
  });
});

describe('kernelConfigFromKconfig: reading the lines', () => {
  test('"# CONFIG_… is not set" and =n turn an option off', () => {
    for (const off of ['# CONFIG_MEM_SOFT_DIRTY is not set', 'CONFIG_MEM_SOFT_DIRTY=n']) {
      const config = kernelConfigFromKconfig(X86.replace('CONFIG_MEM_SOFT_DIRTY=y', off));
      expect(config.options.MEM_SOFT_DIRTY).toBe(false);
      expect(smapVmaFlagMnemonics(config)).not.toContain('sd');
    }
    expect(smapVmaFlagMnemonics(kernelConfigFromKconfig(X86))).toContain('sd');
  });

  test('an option the text does not mention is off', () => {
    const config = kernelConfigFromKconfig(X86.replace('CONFIG_HAVE_ARCH_USERFAULTFD_MINOR=y\n', ''));
    expect(config.options.HAVE_ARCH_USERFAULTFD_MINOR).toBe(false);
    expect(smapVmaFlagMnemonics(config)).not.toContain('ui');
  });

  test('=m counts as set', () => {
    const config = kernelConfigFromKconfig(X86.replace('CONFIG_MEM_SOFT_DIRTY=y', 'CONFIG_MEM_SOFT_DIRTY=m'));
    expect(config.options.MEM_SOFT_DIRTY).toBe(true);
  });

  test('pkeys follow the option that selects ARCH_HAS_PKEYS as well as the symbol itself', () => {
    const select = (text: string) => kernelConfigFromKconfig(text).options.ARCH_HAS_PKEYS;
    expect(select(X86.replace('CONFIG_ARCH_HAS_PKEYS=y\n', ''))).toBe(true);
    expect(select(X86.replace('CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS=y\n', ''))).toBe(true);
    expect(select(EXCERPTS.arm64.replace('CONFIG_ARCH_HAS_PKEYS=y\n', ''))).toBe(true);
    expect(select(EXCERPTS.arm64.replace(/CONFIG_ARCH_HAS_PKEYS=y\n|CONFIG_ARM64_POE=y\n/g, ''))).toBe(false);
    const neither = X86.replace('CONFIG_ARCH_HAS_PKEYS=y\n', '').replace(
      'CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS=y',
      '# CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS is not set',
    );
    expect(select(neither)).toBe(false);
    expect(kernelConfigFromKconfig(neither).options.ARCH_PKEY_BITS).toBe(0);
  });

  test('quoted values may hold =, # and CONFIG_ text without being read as symbols', () => {
    const text = lines(
      'CONFIG_CMDLINE="console=ttyS0 CONFIG_ARM64=y # not a comment"',
      'CONFIG_LOCALVERSION="-\\"lab\\" \\\\ build"',
      X86,
    );
    expect(kernelConfigFromKconfig(text).key).toBe(PRESETS.x86_64.key);
    // A bool given as a string is not a bool value (the kernel's config reader refuses it too).
    const e = thrown(() =>
      kernelConfigFromKconfig(X86.replace('CONFIG_MEM_SOFT_DIRTY=y', 'CONFIG_MEM_SOFT_DIRTY="y"')),
    );
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('text must be y, m or n for CONFIG_MEM_SOFT_DIRTY; got "\\"y\\""');
  });

  test('CRLF line ends and surrounding blanks read the same', () => {
    expect(kernelConfigFromKconfig(X86.replace(/\n/g, '\r\n'))).toBe(kernelConfigFromKconfig(X86));
    expect(kernelConfigFromKconfig(`\n\n  ${X86.replace(/\n/g, '  \n')}`)).toBe(kernelConfigFromKconfig(X86));
  });

  test('unknown symbols and comments are ignored', () => {
    const text = lines(
      X86,
      'CONFIG_NR_CPUS=8192',
      'CONFIG_PHYSICAL_START=0x1000000',
      'CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"',
      'CONFIG_SOME_FUTURE_OPTION=y',
      '# CONFIG_SOME_OTHER_OPTION is not set',
      '# end of Memory Management options',
    );
    expect(kernelConfigFromKconfig(text)).toBe(kernelConfigFromKconfig(X86));
  });

  test('a later line overrides an earlier one', () => {
    const config = kernelConfigFromKconfig(lines(X86, '# CONFIG_MEM_SOFT_DIRTY is not set'));
    expect(config.options.MEM_SOFT_DIRTY).toBe(false);
  });
});

describe('kernelConfigFromKconfig: conflicting and forced options', () => {
  test.each([
    [
      'two architectures',
      lines('CONFIG_X86_64=y', 'CONFIG_ARM64=y'),
      'text must be the config of one architecture; got "CONFIG_ symbols of x86_64 and arm64"',
    ],
    [
      'an arm64 option on x86_64',
      lines(X86, 'CONFIG_ARM64_MTE=y'),
      'text: CONFIG_ARM64_MTE must be false unless arch is arm64; got "true with arch x86_64"',
    ],
    [
      'protection keys on a 32-bit kernel',
      lines(EXCERPTS.i386, 'CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS=y'),
      'text: CONFIG_ARCH_HAS_PKEYS must be false unless 64-bit (bits 32 and up do not fit a 32-bit vm_flags_t); got "true with arch i386"',
    ],
    [
      'a pkey width the architecture does not have',
      X86.replace('CONFIG_ARCH_PKEY_BITS=4', 'CONFIG_ARCH_PKEY_BITS=5'),
      'text: CONFIG_ARCH_PKEY_BITS must be 4 on arch x86_64 (fixed by its Kconfig); got 5',
    ],
    [
      'a pkey width of two digits the architecture does not have',
      X86.replace('CONFIG_ARCH_PKEY_BITS=4', 'CONFIG_ARCH_PKEY_BITS=16'),
      'text: CONFIG_ARCH_PKEY_BITS must be 4 on arch x86_64 (fixed by its Kconfig); got 16',
    ],
    [
      'a pkey width that is not a number',
      X86.replace('CONFIG_ARCH_PKEY_BITS=4', 'CONFIG_ARCH_PKEY_BITS=0x4'),
      'text must be a decimal number for CONFIG_ARCH_PKEY_BITS; got "0x4"',
    ],
    [
      'no MMU on x86_64, which forces it',
      X86.replace('CONFIG_MMU=y', '# CONFIG_MMU is not set'),
      'text: CONFIG_MMU must be true on arch x86_64 (its Kconfig forces it on); got false',
    ],
    [
      'a stack that does not grow up on parisc',
      EXCERPTS.parisc.replace('CONFIG_STACK_GROWSUP=y', '# CONFIG_STACK_GROWSUP is not set'),
      'text: CONFIG_STACK_GROWSUP must be true on arch parisc (its Kconfig forces it on); got false',
    ],
  ])('%s is a RangeError naming the symbol', (_, text, message) => {
    const e = thrown(() => kernelConfigFromKconfig(text));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe(message);
  });

  test('what the architecture forces stays on when the text leaves it out', () => {
    expect(kernelConfigFromKconfig(X86.replace('CONFIG_MMU=y\n', '')).options.MMU).toBe(true);
    const parisc = kernelConfigFromKconfig(lines('CONFIG_PARISC=y'));
    expect(parisc.options.STACK_GROWSUP).toBe(true);
    expect(parisc).toBe(kernelConfigFromKconfig(EXCERPTS.parisc));
  });
});

describe('kernelConfigFromKconfig: the architecture from the machine', () => {
  const noArch = lines('CONFIG_MMU=y', 'CONFIG_ARM64_BTI=y', 'CONFIG_HAVE_ARCH_USERFAULTFD_MINOR=y');

  test('a text naming no architecture takes the machine', () => {
    const config = kernelConfigFromKconfig(noArch, { machine: 'aarch64' });
    expect(config.arch).toBe('arm64');
    // The options are the text's, not the arm64 preset's.
    expect(config.options.ARM64_BTI).toBe(true);
    expect(config.options.ARM64_MTE).toBe(false);
    expect(kernelConfigFromKconfig(lines('CONFIG_MMU=y'), { machine: 'i686' }).arch).toBe('i386');
  });

  test('the text wins over the machine', () => {
    expect(kernelConfigFromKconfig(EXCERPTS.ppc64, { machine: 'x86_64' }).arch).toBe('ppc64');
  });

  test.each([
    [noArch, {}, 'no architecture and no opts.machine'],
    [noArch, { machine: 's390x' }, 'no architecture and machine "s390x"'],
    [lines('CONFIG_RISCV=y', 'CONFIG_MMU=y'), { machine: 'riscv64' }, 'riscv32 (RISCV without 64BIT)'],
  ])('no architecture we model is a RangeError listing the ones we do (%#)', (text, opts, got) => {
    const e = thrown(() => kernelConfigFromKconfig(text, opts));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(
      /^text must be a config naming an architecture we model \(CONFIG_X86_64, CONFIG_X86_32, /,
    );
    expect(e.message).toContain(
      'CONFIG_SPARC64, CONFIG_RISCV with CONFIG_64BIT, or "# CONFIG_MMU is not set" for the no-MMU model',
    );
    expect(e.message).toContain('or come with an opts.machine we map (x86_64, i386 to i686, aarch64,');
    expect(e.message.endsWith(`; got ${JSON.stringify(got)}`)).toBe(true);
  });
});

describe('kernelConfigFromKconfig: bad input', () => {
  test.each([
    [() => kernelConfigFromKconfig(42 as unknown as string), TypeError, /^text must be a string/],
    [() => kernelConfigFromKconfig(X86, null as unknown as object), TypeError, /^opts must be an object/],
    [
      () => kernelConfigFromKconfig(X86, { machine: 64 as unknown as string }),
      TypeError,
      /^opts\.machine must be a string/,
    ],
    [() => kernelConfigFromKconfig(X86, { name: 1 as unknown as string }), TypeError, /^opts\.name must be a string/],
    [
      () => kernelConfigFromKconfig(X86, { numVmaFlagBits: 96 }),
      RangeError,
      /^opts\.numVmaFlagBits must be a multiple of BITS_PER_LONG \(64\)/,
    ],
    [
      () => kernelConfigFromKconfig(lines('CONFIG_X86_64=y', 'VmFlags: rd wr mr mw me ac')),
      RangeError,
      /^text must be a kernel \.config .* at line 2; got "VmFlags: rd wr mr mw me ac"$/,
    ],
    [
      () => kernelConfigFromKconfig(lines('CONFIG_X86_64=yes')),
      RangeError,
      /^text must be y, m or n for CONFIG_X86_64/,
    ],
  ])('%# throws a typed error naming the argument', (fn, cls, message) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(cls);
    expect(e.message).toMatch(message);
  });
});

describe('presetForMachine', () => {
  test.each([
    ['x86_64', 'x86_64'],
    ['i386', 'i386'],
    ['i486', 'i386'],
    ['i586', 'i386'],
    ['i686', 'i386'],
    ['aarch64', 'arm64'],
    ['arm64', 'arm64'],
    ['armv7l', 'arm'],
    ['armv6l', 'arm'],
    ['riscv64', 'riscv64'],
    ['ppc64', 'ppc64'],
    ['ppc64le', 'ppc64'],
    ['ppc', 'ppc32'],
    ['parisc', 'parisc'],
    ['parisc64', 'parisc'],
    ['sparc64', 'sparc64'],
    ['s390x', undefined],
    ['mips', undefined],
    ['riscv32', undefined],
    ['i786', undefined],
    ['arm', undefined],
    ['', undefined],
  ])('%j → %j', (m, preset) => {
    expect(presetForMachine(m)).toBe(preset);
  });

  test('a non-string is a TypeError', () => {
    expect(() => presetForMachine(undefined as unknown as string)).toThrow(/^machine must be a string/);
  });
});

// The running kernel: its own config must describe what its smaps shows.
const linux = process.platform === 'linux';
describe.skipIf(!linux)('the running kernel (Linux only)', () => {
  function hostConfigText(): { source: string; text: string } {
    if (existsSync('/proc/config.gz')) {
      return { source: '/proc/config.gz', text: gunzipSync(readFileSync('/proc/config.gz')).toString('utf8') };
    }
    const boot = `/boot/config-${release()}`;
    if (existsSync(boot)) return { source: boot, text: readFileSync(boot, 'utf8') };
    throw new Error(`this kernel exposes no config: neither /proc/config.gz (CONFIG_IKCONFIG_PROC) nor ${boot}`);
  }
  const smaps = () => readFileSync('/proc/self/smaps', 'utf8').split('\n');
  const vmFlagLines = () => smaps().filter((l) => l.startsWith('VmFlags:'));
  const hostConfig = (): KernelConfig => kernelConfigFromKconfig(hostConfigText().text, { machine: machine() });

  test('its config names the machine this runs on', () => {
    const { text } = hostConfigText();
    const config = hostConfig();
    const preset = presetForMachine(machine());
    expect(preset).toBeDefined();
    expect(config.arch).toBe(PRESETS[preset!].arch);
    // Read from the text itself, not from the machine name.
    expect(kernelConfigFromKconfig(text).arch).toBe(config.arch);
  });

  test('every VmFlags line of this process decodes with it and prints back the same', () => {
    const config = hostConfig();
    const all = vmFlagLines();
    expect(all.length).toBeGreaterThan(10);
    for (const line of all) expect(showSmapVmaFlags(parseSmapVmaFlags(line, config), config)).toBe(`${line}\n`);
  });

  test('soft-dirty is on exactly when new mappings show sd', () => {
    const config = hostConfig();
    // A kernel with MEM_SOFT_DIRTY marks every new VMA soft-dirty; one without has no sd at all.
    const hasSd = vmFlagLines().some((l) => l.split(' ').includes('sd'));
    expect(hasSd).toBe(config.options.MEM_SOFT_DIRTY);
  });

  test('sealed system mappings are on exactly when the vdso shows sl', () => {
    const config = hostConfig();
    const lines = smaps();
    const vdso = lines.findIndex((l) => l.endsWith('[vdso]'));
    expect(vdso).toBeGreaterThanOrEqual(0);
    const flags = lines.slice(vdso).find((l) => l.startsWith('VmFlags:'))!;
    expect(flags.split(' ').includes('sl')).toBe(config.options.MSEAL_SYSTEM_MAPPINGS);
  });

  test('features the config leaves out are absent from smaps', () => {
    const config = hostConfig();
    if (!config.options.ARCH_HAS_PKEYS) expect(smaps().some((l) => l.startsWith('ProtectionKey:'))).toBe(false);
    if (!config.options.ARCH_HAS_USER_SHADOW_STACK) {
      expect(vmFlagLines().some((l) => l.split(' ').includes('ss'))).toBe(false);
    }
  });
});

describe('kernelConfigFromKconfig: edges of the line format and the arguments', () => {
  test('a symbol must start its line; a not-set line with more after it is a comment', () => {
    const e = thrown(() => kernelConfigFromKconfig(lines('CONFIG_X86_64=y', 'x CONFIG_X86_64=y')));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^text must be a kernel \.config .* at line 2/);
    const c = kernelConfigFromKconfig(lines('CONFIG_X86_64=y', '# CONFIG_MMU is not set, on some other machine'));
    expect(c).toBe(kernelConfigFromKconfig(lines('CONFIG_X86_64=y')));
  });

  test('the options of 6.18 and newer trees are read by their own symbols', () => {
    // linux-mm/linux-mm @009857a22860: CONFIG_USERFAULTFD_RWP (64-bit) and
    // CONFIG_MSEAL_SYSTEM_MAPPINGS are plain bool symbols of mm/Kconfig.
    const c = kernelConfigFromKconfig(
      lines('CONFIG_X86_64=y', 'CONFIG_USERFAULTFD_RWP=y', 'CONFIG_MSEAL_SYSTEM_MAPPINGS=y'),
    );
    expect(c.options.USERFAULTFD_RWP).toBe(true);
    expect(c.options.MSEAL_SYSTEM_MAPPINGS).toBe(true);
  });

  test('opts.name is quoted in messages, so it has a length limit', () => {
    const text = lines('CONFIG_X86_64=y');
    expect(kernelConfigFromKconfig(text, { name: 'n'.repeat(128) }).name).toBe('n'.repeat(128));
    const e = thrown(() => kernelConfigFromKconfig(text, { name: 'n'.repeat(129) }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/^opts\.name must be a string of at most 128 characters/);
  });

  test('an i386-class machine name must be the whole name', () => {
    expect(presetForMachine('i586')).toBe('i386');
    expect(presetForMachine('xi686')).toBeUndefined();
    expect(presetForMachine('i686-64')).toBeUndefined();
  });
});
