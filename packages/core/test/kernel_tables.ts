// Expected flag tables, written out by hand from the kernel-vma-flags spec
// (§1.1 per-bit table, §1.2 aliases, §1.3 composites, §2.1 smaps mnemonics,
// §2.2 %pGv names). Deliberately not derived from the code under test.

export type PresetName =
  | 'x86_64'
  | 'i386'
  | 'arm64'
  | 'arm'
  | 'riscv64'
  | 'ppc64'
  | 'ppc32'
  | 'parisc'
  | 'sparc64'
  | 'nommu';

export const PRESET_NAMES: readonly PresetName[] = [
  'x86_64',
  'i386',
  'arm64',
  'arm',
  'riscv64',
  'ppc64',
  'ppc32',
  'parisc',
  'sparc64',
  'nommu',
];

/** Flags that exist with their own bit on every configuration (bit numbers). */
const ALWAYS: Record<string, number> = {
  VM_READ: 0,
  VM_WRITE: 1,
  VM_EXEC: 2,
  VM_SHARED: 3,
  VM_MAYREAD: 4,
  VM_MAYWRITE: 5,
  VM_MAYEXEC: 6,
  VM_MAYSHARE: 7,
  VM_GROWSDOWN: 8,
  VM_PFNMAP: 10,
  VM_MAYBE_GUARD: 11,
  VM_UFFD_WP: 12,
  VM_LOCKED: 13,
  VM_IO: 14,
  VM_SEQ_READ: 15,
  VM_RAND_READ: 16,
  VM_DONTCOPY: 17,
  VM_DONTEXPAND: 18,
  VM_LOCKONFAULT: 19,
  VM_ACCOUNT: 20,
  VM_NORESERVE: 21,
  VM_HUGETLB: 22,
  VM_SYNC: 23,
  VM_ARCH_1: 24,
  VM_WIPEONFORK: 25,
  VM_DONTDUMP: 26,
  VM_MIXEDMAP: 28,
  VM_HUGEPAGE: 29,
  VM_NOHUGEPAGE: 30,
  VM_MERGEABLE: 31,
};

/** Every single-flag name the table must carry (disabled ones are 0n). */
export const ALL_VM_FLAG_NAMES: readonly string[] = [
  ...Object.keys(ALWAYS),
  'VM_UFFD_MISSING',
  'VM_MAYOVERLAY',
  'VM_SOFTDIRTY',
  'VM_STACK',
  'VM_STACK_EARLY',
  'VM_PKEY_BIT0',
  'VM_PKEY_BIT1',
  'VM_PKEY_BIT2',
  'VM_PKEY_BIT3',
  'VM_PKEY_BIT4',
  'VM_SHADOW_STACK',
  'VM_SAO',
  'VM_GROWSUP',
  'VM_SPARC_ADI',
  'VM_ARM64_BTI',
  'VM_ARCH_CLEAR',
  'VM_MAPPED_COPY',
  'VM_MTE',
  'VM_MTE_ALLOWED',
  'VM_UFFD_MINOR',
  'VM_ALLOW_ANY_UNCACHED',
  'VM_SEALED',
  'VM_DROPPABLE',
  'VM_UFFD_RWP',
];

export interface ExpectedTable {
  bitsPerLong: 32 | 64;
  /** Enabled single flags and their bit; every other name in ALL_VM_FLAG_NAMES is VM_NONE. */
  flags: Record<string, number>;
  composites: Record<string, bigint>;
  stackBit: number;
  stackEarlyBit: number | null;
  shadowStackBit: number | null;
  /** VMA_DROPPABLE_BIT: null where the config does not declare it (32-bit other than ppc32). */
  droppableBit: number | null;
  /** smaps mnemonics by bit; unlisted bits below bitsPerLong are '??'. */
  mnemonics: Record<number, string>;
  /** %pGv names in table order with their bit (null: the entry's mask is VM_NONE). */
  names: [string, number | null][];
}

const MNEMONICS_COMMON: Record<number, string> = {
  0: 'rd',
  1: 'wr',
  2: 'ex',
  3: 'sh',
  4: 'mr',
  5: 'mw',
  6: 'me',
  7: 'ms',
  8: 'gd',
  9: 'um',
  10: 'pf',
  11: 'gu',
  12: 'uw',
  13: 'lo',
  14: 'io',
  15: 'sr',
  16: 'rr',
  17: 'dc',
  18: 'de',
  19: 'lf',
  20: 'ac',
  21: 'nr',
  22: 'ht',
  23: 'sf',
  24: 'ar',
  25: 'wf',
  26: 'dd',
  28: 'mm',
  29: 'hg',
  30: 'nh',
  31: 'mg',
};

/** %pGv table of a plain MMU config, before the conditional entries are spliced in. */
function names(opts: {
  uffdMinor?: boolean;
  bit24?: string;
  softdirty?: boolean;
  droppable?: number | null;
  uffdMissingMask?: 'none';
}): [string, number | null][] {
  const out: [string, number | null][] = [
    ['read', 0],
    ['write', 1],
    ['exec', 2],
    ['shared', 3],
    ['mayread', 4],
    ['maywrite', 5],
    ['mayexec', 6],
    ['mayshare', 7],
    ['growsdown', 8],
  ];
  // Without an MMU the entry stays, with VM_UFFD_MISSING = VM_NONE as its mask.
  out.push(['uffd_missing', opts.uffdMissingMask === 'none' ? null : 9]);
  if (opts.uffdMinor) out.push(['uffd_minor', 41]);
  out.push(
    ['pfnmap', 10],
    ['maybe_guard', 11],
    ['uffd_wp', 12],
    ['locked', 13],
    ['io', 14],
    ['seqread', 15],
    ['randread', 16],
    ['dontcopy', 17],
    ['dontexpand', 18],
    ['lockonfault', 19],
    ['account', 20],
    ['noreserve', 21],
    ['hugetlb', 22],
    ['sync', 23],
    [opts.bit24 ?? 'arch_1', 24],
    ['wipeonfork', 25],
    ['dontdump', 26],
  );
  if (opts.softdirty) out.push(['softdirty', 27]);
  out.push(['mixedmap', 28], ['hugepage', 29], ['nohugepage', 30]);
  if (opts.droppable !== undefined && opts.droppable !== null) out.push(['droppable', opts.droppable]);
  out.push(['mergeable', 31]);
  return out;
}

// Shared composite values (hex worked out by hand from the bit table).
const ACCESS = 0x7n;
const SPECIAL = 0x1004_4400n; // IO 0x4000 | DONTEXPAND 0x40000 | PFNMAP 0x400 | MIXEDMAP 0x10000000
const common = {
  VM_ACCESS_FLAGS: ACCESS,
  VM_SPECIAL: SPECIAL,
  VM_NO_KHUGEPAGED: 0x1044_4400n, // SPECIAL | HUGETLB 0x400000
  VM_INIT_DEF_MASK: 0x4000_0000n,
  VM_LOCKED_MASK: 0x8_2000n,
  VM_ATOMIC_SET_ALLOWED: 0x800n,
  VM_COPY_ON_FORK: 0x1000_1c00n, // PFNMAP | MIXEDMAP | UFFD_WP | MAYBE_GUARD
  VM_DATA_FLAGS_NON_EXEC: 0x73n,
  VM_DATA_FLAGS_EXEC: 0x77n,
  VM_DATA_FLAGS_TSK_EXEC: 0x73n,
  TASK_EXEC: 0n,
  VM_SEALED_SYSMAP: 0n,
  VM_STACK_INCOMPLETE_SETUP: 0x1_8000n,
};

export const EXPECTED: Record<PresetName, ExpectedTable> = {
  x86_64: {
    bitsPerLong: 64,
    flags: {
      ...ALWAYS,
      VM_UFFD_MISSING: 9,
      VM_SOFTDIRTY: 27,
      VM_STACK: 8,
      VM_PKEY_BIT0: 32,
      VM_PKEY_BIT1: 33,
      VM_PKEY_BIT2: 34,
      VM_PKEY_BIT3: 35,
      VM_SHADOW_STACK: 37,
      VM_ALLOW_ANY_UNCACHED: 39,
      VM_DROPPABLE: 40,
      VM_UFFD_MINOR: 41,
      VM_SEALED: 42,
    },
    composites: {
      ...common,
      VM_DATA_DEFAULT_FLAGS: 0x73n,
      VM_STACK_DEFAULT_FLAGS: 0x73n,
      VM_STACK_FLAGS: 0x10_0173n,
      VM_STARTGAP_FLAGS: 0x20_0000_0100n,
      ARCH_VM_PKEY_FLAGS: 0xf_0000_0000n,
      VM_FLAGS_CLEAR: 0xf_0000_0000n,
      VM_STICKY: 0x800_0800n,
      VM_IGNORE_MERGE: 0x800_0800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: 37,
    droppableBit: 40,
    mnemonics: {
      ...MNEMONICS_COMMON,
      27: 'sd',
      32: '',
      33: '',
      34: '',
      35: '',
      37: 'ss',
      40: 'dp',
      41: 'ui',
      42: 'sl',
    },
    names: names({ uffdMinor: true, softdirty: true, droppable: 40 }),
  },
  i386: {
    bitsPerLong: 32,
    flags: { ...ALWAYS, VM_UFFD_MISSING: 9, VM_STACK: 8 },
    composites: {
      ...common,
      VM_DATA_DEFAULT_FLAGS: 0x73n,
      VM_STACK_DEFAULT_FLAGS: 0x73n,
      VM_STACK_FLAGS: 0x10_0173n,
      VM_STARTGAP_FLAGS: 0x100n,
      ARCH_VM_PKEY_FLAGS: 0n,
      VM_FLAGS_CLEAR: 0n,
      VM_STICKY: 0x800n,
      VM_IGNORE_MERGE: 0x800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: null,
    droppableBit: null, // 32-bit, not ppc32: not declared
    mnemonics: { ...MNEMONICS_COMMON },
    names: names({ droppable: null }),
  },
  arm64: {
    bitsPerLong: 64,
    flags: {
      ...ALWAYS,
      VM_UFFD_MISSING: 9,
      VM_STACK: 8,
      VM_ARM64_BTI: 24,
      VM_ARCH_CLEAR: 24,
      VM_PKEY_BIT0: 32,
      VM_PKEY_BIT1: 33,
      VM_PKEY_BIT2: 34,
      VM_MTE: 36,
      VM_MTE_ALLOWED: 37,
      VM_SHADOW_STACK: 38,
      VM_ALLOW_ANY_UNCACHED: 39,
      VM_DROPPABLE: 40,
      VM_UFFD_MINOR: 41,
      VM_SEALED: 42,
    },
    composites: {
      ...common,
      // TSK_EXEC | MTE_ALLOWED (bit 37)
      VM_DATA_DEFAULT_FLAGS: 0x20_0000_0073n,
      VM_STACK_DEFAULT_FLAGS: 0x20_0000_0073n,
      VM_STACK_FLAGS: 0x20_0010_0173n,
      VM_STARTGAP_FLAGS: 0x40_0000_0100n,
      ARCH_VM_PKEY_FLAGS: 0x7_0000_0000n,
      VM_FLAGS_CLEAR: 0x7_0100_0000n,
      VM_STICKY: 0x800n,
      VM_IGNORE_MERGE: 0x800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: 38,
    droppableBit: 40,
    mnemonics: {
      ...MNEMONICS_COMMON,
      24: 'bt',
      32: '',
      33: '',
      34: '',
      36: 'mt',
      37: '',
      38: 'ss',
      40: 'dp',
      41: 'ui',
      42: 'sl',
    },
    names: names({ uffdMinor: true, droppable: 40 }),
  },
  arm: {
    bitsPerLong: 32,
    flags: { ...ALWAYS, VM_UFFD_MISSING: 9, VM_STACK: 8 },
    composites: {
      ...common,
      VM_DATA_DEFAULT_FLAGS: 0x73n,
      VM_STACK_DEFAULT_FLAGS: 0x73n,
      VM_STACK_FLAGS: 0x10_0173n,
      VM_STARTGAP_FLAGS: 0x100n,
      ARCH_VM_PKEY_FLAGS: 0n,
      VM_FLAGS_CLEAR: 0n,
      VM_STICKY: 0x800n,
      VM_IGNORE_MERGE: 0x800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: null,
    droppableBit: null, // 32-bit, not ppc32: not declared
    mnemonics: { ...MNEMONICS_COMMON },
    names: names({ droppable: null }),
  },
  riscv64: {
    bitsPerLong: 64,
    flags: {
      ...ALWAYS,
      VM_UFFD_MISSING: 9,
      // riscv64 offers soft-dirty (HAVE_ARCH_SOFT_DIRTY on 64-bit with Svrsw60t59b)
      VM_SOFTDIRTY: 27,
      VM_STACK: 8,
      VM_SHADOW_STACK: 37,
      VM_ALLOW_ANY_UNCACHED: 39,
      VM_DROPPABLE: 40,
      VM_UFFD_MINOR: 41,
      VM_SEALED: 42,
    },
    composites: {
      ...common,
      VM_DATA_DEFAULT_FLAGS: 0x73n,
      VM_STACK_DEFAULT_FLAGS: 0x73n,
      VM_STACK_FLAGS: 0x10_0173n,
      VM_STARTGAP_FLAGS: 0x20_0000_0100n,
      ARCH_VM_PKEY_FLAGS: 0n,
      VM_FLAGS_CLEAR: 0n,
      VM_STICKY: 0x800_0800n,
      VM_IGNORE_MERGE: 0x800_0800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: 37,
    droppableBit: 40,
    mnemonics: { ...MNEMONICS_COMMON, 27: 'sd', 37: 'ss', 40: 'dp', 41: 'ui', 42: 'sl' },
    names: names({ uffdMinor: true, softdirty: true, droppable: 40 }),
  },
  ppc64: {
    bitsPerLong: 64,
    flags: {
      ...ALWAYS,
      VM_UFFD_MISSING: 9,
      VM_SOFTDIRTY: 27,
      VM_STACK: 8,
      VM_SAO: 24,
      VM_PKEY_BIT0: 32,
      VM_PKEY_BIT1: 33,
      VM_PKEY_BIT2: 34,
      VM_PKEY_BIT3: 35,
      VM_PKEY_BIT4: 36,
      VM_ALLOW_ANY_UNCACHED: 39,
      VM_DROPPABLE: 40,
      VM_SEALED: 42,
    },
    composites: {
      ...common,
      VM_DATA_DEFAULT_FLAGS: 0x73n,
      VM_STACK_DEFAULT_FLAGS: 0x73n,
      VM_STACK_FLAGS: 0x10_0173n,
      VM_STARTGAP_FLAGS: 0x100n,
      ARCH_VM_PKEY_FLAGS: 0x1f_0000_0000n,
      VM_FLAGS_CLEAR: 0x1f_0000_0000n,
      VM_STICKY: 0x800_0800n,
      VM_IGNORE_MERGE: 0x800_0800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: null,
    droppableBit: 40,
    mnemonics: { ...MNEMONICS_COMMON, 27: 'sd', 32: '', 33: '', 34: '', 35: '', 36: '', 40: 'dp', 42: 'sl' },
    names: names({ bit24: 'sao', softdirty: true, droppable: 40 }),
  },
  ppc32: {
    bitsPerLong: 32,
    flags: { ...ALWAYS, VM_UFFD_MISSING: 9, VM_STACK: 8, VM_DROPPABLE: 24 },
    composites: {
      ...common,
      VM_DATA_DEFAULT_FLAGS: 0x73n,
      VM_STACK_DEFAULT_FLAGS: 0x73n,
      VM_STACK_FLAGS: 0x10_0173n,
      VM_STARTGAP_FLAGS: 0x100n,
      ARCH_VM_PKEY_FLAGS: 0n,
      VM_FLAGS_CLEAR: 0n,
      VM_STICKY: 0x800n,
      VM_IGNORE_MERGE: 0x800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: null,
    droppableBit: 24,
    mnemonics: { ...MNEMONICS_COMMON, 24: 'dp' },
    names: names({ droppable: 24 }),
  },
  parisc: {
    bitsPerLong: 32,
    flags: { ...ALWAYS, VM_UFFD_MISSING: 9, VM_GROWSUP: 24, VM_STACK: 24, VM_STACK_EARLY: 8 },
    composites: {
      ...common,
      // parisc has no VM_DATA_DEFAULT_FLAGS override: generic DATA_FLAGS_EXEC
      VM_DATA_DEFAULT_FLAGS: 0x77n,
      VM_STACK_DEFAULT_FLAGS: 0x77n,
      // STACK (GROWSUP, bit 24) | 0x77 | ACCOUNT
      VM_STACK_FLAGS: 0x110_0077n,
      VM_STARTGAP_FLAGS: 0x100n,
      VM_STACK_INCOMPLETE_SETUP: 0x1_8100n,
      ARCH_VM_PKEY_FLAGS: 0n,
      VM_FLAGS_CLEAR: 0n,
      VM_STICKY: 0x800n,
      VM_IGNORE_MERGE: 0x800n,
    },
    stackBit: 24,
    stackEarlyBit: 8,
    shadowStackBit: null,
    droppableBit: null, // 32-bit, not ppc32: not declared
    mnemonics: { ...MNEMONICS_COMMON },
    names: names({ bit24: 'growsup', droppable: null }),
  },
  sparc64: {
    bitsPerLong: 64,
    flags: {
      ...ALWAYS,
      VM_UFFD_MISSING: 9,
      VM_STACK: 8,
      VM_SPARC_ADI: 24,
      VM_ARCH_CLEAR: 24,
      VM_ALLOW_ANY_UNCACHED: 39,
      VM_DROPPABLE: 40,
      VM_SEALED: 42,
    },
    composites: {
      ...common,
      // sparc64 has no VM_DATA_DEFAULT_FLAGS override: generic DATA_FLAGS_EXEC
      VM_DATA_DEFAULT_FLAGS: 0x77n,
      VM_STACK_DEFAULT_FLAGS: 0x77n,
      VM_STACK_FLAGS: 0x10_0177n,
      VM_STARTGAP_FLAGS: 0x100n,
      ARCH_VM_PKEY_FLAGS: 0n,
      VM_FLAGS_CLEAR: 0x100_0000n,
      VM_STICKY: 0x800n,
      VM_IGNORE_MERGE: 0x800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: null,
    droppableBit: 40,
    mnemonics: { ...MNEMONICS_COMMON, 40: 'dp', 42: 'sl' },
    names: names({ droppable: 40 }),
  },
  nommu: {
    bitsPerLong: 32,
    flags: { ...ALWAYS, VM_MAYOVERLAY: 9, VM_MAPPED_COPY: 24, VM_STACK: 8 },
    composites: {
      ...common,
      // generic default: DATA_FLAGS_EXEC
      VM_DATA_DEFAULT_FLAGS: 0x77n,
      VM_STACK_DEFAULT_FLAGS: 0x77n,
      VM_STACK_FLAGS: 0x10_0177n,
      VM_STARTGAP_FLAGS: 0x100n,
      ARCH_VM_PKEY_FLAGS: 0n,
      VM_FLAGS_CLEAR: 0n,
      VM_STICKY: 0x800n,
      VM_IGNORE_MERGE: 0x800n,
    },
    stackBit: 8,
    stackEarlyBit: null,
    shadowStackBit: null,
    droppableBit: null, // 32-bit, not ppc32: not declared
    // no smaps um on !MMU (bit 9 is MAYOVERLAY)
    mnemonics: (() => {
      const m: Record<number, string> = { ...MNEMONICS_COMMON };
      delete m[9];
      return m;
    })(),
    names: names({ bit24: 'mappedcopy', droppable: null, uffdMissingMask: 'none' }),
  },
};

/** Bit 0..(bitsPerLong-1) mnemonic array from an ExpectedTable. */
export function expectedMnemonics(e: ExpectedTable): string[] {
  return Array.from({ length: e.bitsPerLong }, (_, i) => e.mnemonics[i] ?? '??');
}
