import { DEFAULT_CONFIG, assertKernelConfig, type Arch, type KernelConfig } from './config.js';
import { vmaFlagTable } from './flag_table.js';
import { legacyWordOf } from './legacy_word_of.js';
import type { VmAreaStruct } from './vm_area_struct.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlagsInput } from './vm_word.js';

// vm_get_page_prot / vma_get_page_prot: the page-table protection bits a VMA's
// flags map to. Each arch keeps `protection_map[16]`, indexed by the four
// access bits READ (1), WRITE (2), EXEC (4), SHARED (8); some then OR in bits
// derived from other flags (x86 protection keys; arm64 BTI, MTE, POE keys).
//
// Values are the ones the arch sources compile in, before boot-time
// adjustments the model cannot know: x86 masks with __supported_pte_mask
// (drops NX on CPUs without it) and may add the memory-encryption bit; arm64
// may switch exec-only entries to PAGE_EXECONLY (Enhanced PAN), drop the
// shareability bits (LPA2) and set nG for KPTI. Flag-derived bits assume the
// CPU has the feature the config enables (pkeys / POE, BTI, MTE).

/** The `PAGE_*` names a protection_map entry can hold. */
export type PageProtName =
  | 'PAGE_NONE'
  | 'PAGE_READONLY'
  | 'PAGE_READONLY_EXEC'
  | 'PAGE_COPY'
  | 'PAGE_COPY_EXEC'
  | 'PAGE_SHARED'
  | 'PAGE_SHARED_EXEC';

/** `pgprot_t` of one access combination. */
export interface PageProt {
  /** `vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)`: the protection_map index. */
  readonly index: number;
  /** The protection_map entry at `index`. */
  readonly name: PageProtName;
  /**
   * The arch's pgprot value: the entry plus flag-derived bits. null where the
   * arch's page-table encoding is not modelled (the name still is).
   */
  readonly value: bigint | null;
}

type Map16 = readonly PageProtName[];

// Most arches (x86, and the layout the generic __P/__S tables used): a private
// writable mapping starts read-only and is copied on write (PAGE_COPY).
const COPY_ON_WRITE_MAP: Map16 = [
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
];

// arm64 has no PAGE_COPY: private writable entries are plain read-only ones.
const ARM64_MAP: Map16 = [
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
];

// x86 PTE bits (arch/x86/include/asm/pgtable_types.h).
const X86_PRESENT = 1n << 0n;
const X86_RW = 1n << 1n;
const X86_USER = 1n << 2n;
const X86_ACCESSED = 1n << 5n;
const X86_PROTNONE = 1n << 8n; // the GLOBAL bit, reused while not present
const X86_PKEY_SHIFT = 59n;

function x86Values(nx: bigint): Readonly<Record<PageProtName, bigint>> {
  const ro = X86_PRESENT | X86_USER | X86_ACCESSED;
  return {
    PAGE_NONE: X86_PROTNONE | X86_ACCESSED,
    PAGE_READONLY: ro | nx,
    PAGE_READONLY_EXEC: ro,
    PAGE_COPY: ro | nx,
    PAGE_COPY_EXEC: ro,
    PAGE_SHARED: ro | X86_RW | nx,
    PAGE_SHARED_EXEC: ro | X86_RW,
  };
}

// arm64 PTE bits (arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h).
const A64_VALID = 1n << 0n;
const A64_TYPE_PAGE = 3n;
const A64_USER = 1n << 6n;
const A64_RDONLY = 1n << 7n;
const A64_SHARED = 3n << 8n;
const A64_AF = 1n << 10n;
const A64_NG = 1n << 11n;
const A64_GP = 1n << 50n;
const A64_WRITE = 1n << 51n; // DBM
const A64_PXN = 1n << 53n;
const A64_UXN = 1n << 54n;
const A64_PROT_NONE = 1n << 58n;
const A64_ATTRINDX_NORMAL_TAGGED = 1n << 2n; // PTE_ATTRINDX(MT_NORMAL_TAGGED = 1)
const A64_PO_IDX_SHIFT = 60n;

function arm64Values(): Readonly<Record<PageProtName, bigint>> {
  const dflt = A64_TYPE_PAGE | A64_AF | A64_SHARED; // _PAGE_DEFAULT, MT_NORMAL = index 0
  const user = dflt | A64_USER | A64_RDONLY | A64_NG | A64_PXN;
  return {
    PAGE_NONE: (dflt & ~A64_VALID) | A64_PROT_NONE | A64_RDONLY | A64_NG | A64_PXN | A64_UXN,
    PAGE_READONLY: user | A64_UXN,
    PAGE_READONLY_EXEC: user,
    PAGE_COPY: user | A64_UXN, // not in arm64's map; same as READONLY
    PAGE_COPY_EXEC: user,
    PAGE_SHARED: user | A64_UXN | A64_WRITE,
    PAGE_SHARED_EXEC: user | A64_WRITE,
  };
}

interface ArchProt {
  map: Map16;
  values: Readonly<Record<PageProtName, bigint>> | null;
  /** Bits vm_get_page_prot adds from flags beyond the access bits. */
  extra(word: bigint, config: KernelConfig): bigint;
}

const none = (): bigint => 0n;

function x86Extra(word: bigint, config: KernelConfig): bigint {
  const t = vmaFlagTable(config);
  let v = 0n;
  const keys = [t.VM_PKEY_BIT0, t.VM_PKEY_BIT1, t.VM_PKEY_BIT2, t.VM_PKEY_BIT3];
  keys.forEach((m, i) => {
    if ((word & m) !== 0n) v |= 1n << (X86_PKEY_SHIFT + BigInt(i));
  });
  return v;
}

function arm64Extra(word: bigint, config: KernelConfig): bigint {
  const t = vmaFlagTable(config);
  let v = 0n;
  if ((word & t.VM_ARM64_BTI) !== 0n) v |= A64_GP;
  if ((word & t.VM_MTE) !== 0n) v |= A64_ATTRINDX_NORMAL_TAGGED;
  [t.VM_PKEY_BIT0, t.VM_PKEY_BIT1, t.VM_PKEY_BIT2].forEach((m, i) => {
    if ((word & m) !== 0n) v |= 1n << (A64_PO_IDX_SHIFT + BigInt(i));
  });
  return v;
}

const X86_64: ArchProt = { map: COPY_ON_WRITE_MAP, values: x86Values(1n << 63n), extra: x86Extra };
// i386 without PAE has no NX bit (_PAGE_NX is 0 there) and no protection keys.
const I386: ArchProt = { map: COPY_ON_WRITE_MAP, values: x86Values(0n), extra: none };
const ARM64: ArchProt = { map: ARM64_MAP, values: arm64Values(), extra: arm64Extra };
const GENERIC: ArchProt = { map: COPY_ON_WRITE_MAP, values: null, extra: none };

const ARCH_PROT: Readonly<Record<Arch, ArchProt>> = {
  x86_64: X86_64,
  i386: I386,
  arm64: ARM64,
  arm: GENERIC,
  riscv64: GENERIC,
  ppc64: GENERIC,
  ppc32: GENERIC,
  parisc: GENERIC,
  sparc64: GENERIC,
  generic32: GENERIC,
  generic64: GENERIC,
};

/** The protection_map of `config`'s arch: 16 entries indexed by READ|WRITE|EXEC|SHARED. */
export function protectionMap(config: KernelConfig = DEFAULT_CONFIG): readonly PageProt[] {
  assertKernelConfig(config, 'config');
  const arch = ARCH_PROT[config.arch];
  return Object.freeze(
    arch.map.map((name, index) =>
      Object.freeze({ index, name, value: arch.values === null ? null : arch.values[name] }),
    ),
  );
}

/**
 * `vma_get_page_prot` (`vm_get_page_prot` on a legacy word): the protection
 * of a VMA, a bitmap (its config) or a word (`config`, default DEFAULT_CONFIG).
 * Only word 0 matters, as every flag it reads lives there.
 */
export function vmaGetPageProt(flags: VmAreaStruct | VmaFlags | VmFlagsInput, config?: KernelConfig): PageProt {
  const { word, config: c } = legacyWordOf(flags, config, 'flags');
  const arch = ARCH_PROT[c.arch];
  const index = Number(word & 0xfn);
  const name = arch.map[index]!;
  const value = arch.values === null ? null : arch.values[name] | arch.extra(word, c);
  return Object.freeze({ index, name, value });
}
