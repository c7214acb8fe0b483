import {
  NUM_DECLARED_VMA_FLAG_BITS,
  VMA_FLAGS_NAMES,
  VM_COMPOSITE_NAMES,
  VM_FLAG_NAMES,
  legacyToVmaFlags,
  mkVmaFlagsIn,
  smapVmaFlagMnemonics,
  vmaFlagTable,
  vmaFlagsCopy,
  vmaflagNames,
  type KernelConfig,
  type VmaFlags,
} from '@vmaflags/core';
import { distance } from 'fastest-levenshtein';

// Every name a user may give for flags under one configuration, each resolved
// to a bitmap through @vmaflags/core's tables: smaps mnemonics, %pGv names,
// VM_* masks (single and composite), VMA_*_BIT numbers and VMA_*_FLAGS bitmaps.

export type FlagNameKind = 'smaps' | 'pgv' | 'vm' | 'vm_composite' | 'vma_bit' | 'vma_flags';

export interface FlagName {
  readonly name: string;
  readonly kind: FlagNameKind;
  /** What the name stands for in this configuration (empty when it is VM_NONE here). */
  readonly flags: VmaFlags;
  /** Set when the name exists but means nothing here, with the reason. */
  readonly unavailable: string | null;
}

export interface FlagVocabulary {
  readonly config: KernelConfig;
  readonly byName: ReadonlyMap<string, FlagName>;
}

const cache = new WeakMap<KernelConfig, FlagVocabulary>();

export function flagVocabulary(config: KernelConfig): FlagVocabulary {
  let hit = cache.get(config);
  if (!hit) {
    hit = build(config);
    cache.set(config, hit);
  }
  return hit;
}

/** The `VMA_*_BIT` spellings of a bit under a config: the declared one first, then aliases of its VM_* names. */
export function vmaBitNames(config: KernelConfig, bit: number): string[] {
  if (bit >= NUM_DECLARED_VMA_FLAG_BITS) return [];
  const info = vmaFlagTable(config).bits[bit]!;
  const names: string[] = [];
  if (info.declaredName !== null) names.push(`VMA_${info.declaredName}_BIT`);
  for (const vm of info.vmNames) {
    const alias = `VMA_${vm.slice(3)}_BIT`;
    if (!names.includes(alias)) names.push(alias);
  }
  return names;
}

function build(config: KernelConfig): FlagVocabulary {
  const table = vmaFlagTable(config);
  const byName = new Map<string, FlagName>();
  const add = (name: string, kind: FlagNameKind, flags: VmaFlags, unavailable: string | null = null) => {
    if (!byName.has(name)) byName.set(name, Object.freeze({ name, kind, flags, unavailable }));
  };
  const word = (mask: bigint) => legacyToVmaFlags(mask, config);
  const none = word(0n);

  smapVmaFlagMnemonics(config).forEach((m, bit) => {
    if (m !== '' && m !== '??') add(m, 'smaps', word(1n << BigInt(bit)));
  });
  for (const { name, mask } of vmaflagNames(config)) add(name, 'pgv', word(mask));
  for (const name of VM_FLAG_NAMES) {
    const mask = table[name];
    add(name, 'vm', word(mask), mask === 0n ? `${name} is VM_NONE on config ${config.name}` : null);
  }
  for (const name of VM_COMPOSITE_NAMES) add(name, 'vm_composite', word(table[name]));
  const addBit = (name: string, bit: number) => {
    if (bit < config.numVmaFlagBits) add(name, 'vma_bit', mkVmaFlagsIn(config, bit));
    else
      add(
        name,
        'vma_bit',
        none,
        `${name} is bit ${bit}, outside NUM_VMA_FLAG_BITS ${config.numVmaFlagBits} of config ${config.name} (try --bits ${2 * config.numVmaFlagBits})`,
      );
  };
  for (let bit = 0; bit < NUM_DECLARED_VMA_FLAG_BITS; bit++)
    for (const name of vmaBitNames(config, bit)) addBit(name, bit);
  for (const extra of ['VMA_STACK_BIT', 'VMA_STACK_EARLY_BIT', 'VMA_SHADOW_STACK_BIT', 'VMA_DROPPABLE_BIT'] as const) {
    const bit = table[extra];
    if (bit === null) add(extra, 'vma_bit', none, `${extra} is not declared on config ${config.name}`);
    else addBit(extra, bit);
  }
  for (const name of VMA_FLAGS_NAMES) add(name, 'vma_flags', vmaFlagsCopy(table[name]));
  return { config, byName };
}

/** Resolve one name; VM_/VMA_ names are matched case-insensitively. */
export function lookupFlagName(vocab: FlagVocabulary, token: string): FlagName | undefined {
  return (
    vocab.byName.get(token) ??
    (/^vma?_/i.test(token) ? vocab.byName.get(token.toUpperCase()) : undefined) ??
    vocab.byName.get(token.toLowerCase())
  );
}

/** The valid names closest to `token` (edit distance), best first. */
export function closestFlagNames(vocab: FlagVocabulary, token: string, limit = 4): string[] {
  const t = token.toLowerCase();
  const scored = [...vocab.byName.keys()].map((name) => ({ name, d: distance(t, name.toLowerCase()) }));
  scored.sort((a, b) => a.d - b.d || a.name.length - b.name.length || a.name.localeCompare(b.name));
  const best = scored[0]?.d ?? 0;
  const cutoff = Math.max(best, Math.min(3, Math.ceil(t.length / 2)));
  return scored
    .filter((s) => s.d <= cutoff)
    .slice(0, limit)
    .map((s) => s.name);
}
