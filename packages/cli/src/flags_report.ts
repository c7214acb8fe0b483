import type { KernelConfig } from '@vmaflags/core';
import type { Colors } from './color.js';
import type { FlagBit, FlagsDescription } from './flag_bits.js';
import { describeConfig } from './kernel_config_option.js';
import { renderTable } from './table.js';

// The human-readable body shared by `decode` and `encode`: the words, one row
// per set bit in every vocabulary, and the two kernel text renderings.

/** The `config` object of every `--json` document; `source` says where it was read (see SourcedKernelConfig). */
export function configJson(config: KernelConfig, source: string) {
  return {
    source,
    name: config.name,
    arch: config.arch,
    bitsPerLong: config.bitsPerLong,
    numVmaFlagBits: config.numVmaFlagBits,
  };
}

export function label(c: Colors, name: string, value: string): string {
  return `${c.bold(name.padEnd(8))} ${value}\n`;
}

function smapsCell(b: FlagBit): string {
  if (b.smaps === null) return '-';
  return b.smaps === '' ? '(hidden)' : b.smaps;
}

export function renderFlagsReport(c: Colors, config: KernelConfig, d: FlagsDescription): string {
  let out = label(c, 'config', describeConfig(config));
  if (d.words.length === 1) out += label(c, 'word', c.cyan(d.words[0]!));
  else for (const [i, w] of d.words.entries()) out += label(c, `word ${i}`, c.cyan(w));
  if (d.bits.length === 0) {
    out += label(c, 'bits', 'none set');
  } else {
    const rows = d.bits.map((b) => [
      String(b.bit),
      b.vmaBit.join(' ') || '-',
      b.unnamed ? c.yellow('(unnamed)') : b.vm.join(' '),
      smapsCell(b),
      b.pgv ?? (b.smaps === null ? '-' : '(hex)'),
    ]);
    out += `${renderTable(
      ['bit', 'VMA_*_BIT', 'VM_*', 'smaps', '%pGv'].map((h) => c.bold(h)),
      rows,
      ['right'],
    )}\n`;
  }
  out += label(c, '%pGv', d.pgv === '' ? '(empty)' : d.pgv);
  out += label(c, 'smaps', d.smaps);
  if (d.unnamed.length > 0) {
    out += label(
      c,
      'unnamed',
      c.yellow(`bit${d.unnamed.length > 1 ? 's' : ''} ${d.unnamed.join(', ')}: no VM_* name on config ${config.name}`),
    );
  }
  return out;
}
