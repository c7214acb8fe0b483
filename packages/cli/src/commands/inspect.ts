import { formatVmaFlags, vmaFlagsTestAllMask, vmaFlagsToLegacy, type KernelConfig } from '@vmaflags/core';
import { collect, type CommandSpec } from '../command_spec.js';
import type { CommandContext } from '../context.js';
import { EXIT_OK, UsageError } from '../exit_codes.js';
import { hex } from '../flag_bits.js';
import { flagVocabulary, lookupFlagName } from '../flag_vocabulary.js';
import { configJson, label } from '../flags_report.js';
import {
  kernelConfigOf,
  reportConfigSource,
  liveArchDefault,
  LIVE_ARCH_HELP,
  type KernelConfigFlags,
} from '../kernel_config_option.js';
import { loadSmaps } from '../proc_smaps.js';
import { backingOf, type SmapsVma } from '../smaps_file.js';
import { smapsVmaFlags } from '../smaps_vma_flags.js';
import { renderTable } from '../table.js';

interface InspectOptions extends KernelConfigFlags {
  file?: string;
  filter?: string[];
  sort: string;
  pgv?: boolean;
}

const SORT_KEYS = ['addr', 'size', 'rss', 'path'] as const;
type SortKey = (typeof SORT_KEYS)[number];

type Filter = (v: SmapsVma) => boolean;

const RANGE = /^(0x)?([0-9a-f]+)(?:-(0x)?([0-9a-f]+))?$/i;

/** `flag:NAME`, `path:TEXT`, `range:START[-END]`, or bare: a flag name, then an address range, else a path fragment. */
export function parseFilter(spec: string, config: KernelConfig): Filter {
  const m = /^(flag|path|range):(.*)$/.exec(spec);
  const kind = m?.[1];
  const body = m ? m[2]! : spec;
  if (kind === 'flag' || (kind === undefined && lookupFlagName(flagVocabulary(config), body) !== undefined)) {
    const name = lookupFlagName(flagVocabulary(config), body);
    if (name === undefined) throw new UsageError(`--filter flag:${body}: unknown flag name`);
    return (v) => vmaFlagsTestAllMask(smapsVmaFlags(v.vmFlags ?? [], config).flags, name.flags);
  }
  const r = RANGE.exec(body);
  if (kind === 'range' || (kind === undefined && r && (r[1] !== undefined || r[3] !== undefined))) {
    if (!r) throw new UsageError(`--filter range: must be START[-END] in hex; got ${JSON.stringify(body)}`);
    const start = BigInt(`0x${r[2]}`);
    const end = r[4] !== undefined ? BigInt(`0x${r[4]}`) : start + 1n;
    if (end <= start) throw new UsageError(`--filter range: end must be above start; got ${JSON.stringify(body)}`);
    return (v) => v.start < end && start < v.end;
  }
  return (v) => v.path.includes(body);
}

function compare(key: SortKey): (a: SmapsVma, b: SmapsVma) => number {
  switch (key) {
    case 'addr':
      return (a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
    case 'size':
      return (a, b) => Number(b.end - b.start - (a.end - a.start)) || compare('addr')(a, b);
    case 'rss':
      return (a, b) => (b.fields.Rss ?? 0) - (a.fields.Rss ?? 0) || compare('addr')(a, b);
    case 'path':
      return (a, b) => a.path.localeCompare(b.path) || compare('addr')(a, b);
  }
}

const kb = (bytes: bigint) => Number(bytes / 1024n);

export async function inspectAction(
  ctx: CommandContext,
  pid: string | undefined,
  opts: InspectOptions,
): Promise<number> {
  const resolved = await kernelConfigOf(opts, liveArchDefault(opts));
  const { config, source } = resolved;
  if (!(SORT_KEYS as readonly string[]).includes(opts.sort)) {
    throw new UsageError(`--sort must be one of ${SORT_KEYS.join(', ')}; got ${JSON.stringify(opts.sort)}`);
  }
  const filters = (opts.filter ?? []).map((f) => parseFilter(f, config));
  const { path, vmas: all } = await loadSmaps(pid, opts.file);
  const vmas = all.filter((v) => filters.every((f) => f(v))).sort(compare(opts.sort as SortKey));

  const rows = vmas.map((v) => {
    const { flags, unknown } = smapsVmaFlags(v.vmFlags ?? [], config);
    return { v, flags, unknown };
  });
  const totals = {
    vmas: rows.length,
    sizeKb: rows.reduce((s, r) => s + kb(r.v.end - r.v.start), 0),
    rssKb: rows.reduce((s, r) => s + (r.v.fields.Rss ?? 0), 0),
  };
  const unknownAll = [...new Set(rows.flatMap((r) => r.unknown))];

  reportConfigSource(ctx, resolved);
  if (ctx.json) {
    const body = {
      source: path,
      pid: pid ?? null,
      config: configJson(config, source),
      vmas: rows.map(({ v, flags, unknown }) => ({
        start: hex(v.start),
        end: hex(v.end),
        sizeKb: kb(v.end - v.start),
        rssKb: v.fields.Rss ?? null,
        perms: v.perms,
        offset: hex(v.offset),
        dev: v.dev,
        inode: v.inode,
        path: v.path,
        backing: backingOf(v),
        flags: v.vmFlags,
        word: hex(vmaFlagsToLegacy(flags)),
        pgv: formatVmaFlags(flags),
        unknown,
      })),
      totals,
      unknownMnemonics: unknownAll,
    };
    ctx.io.stdout(`${JSON.stringify(body)}\n`);
    return EXIT_OK;
  }
  const { c } = ctx;
  const head = ['Address', 'Kbytes', 'RSS', 'Perm', 'Offset', 'Mapping', opts.pgv ? '%pGv' : 'VmFlags'];
  const table = rows.map(({ v, flags }) => [
    `${v.start.toString(16).padStart(12, '0')}-${v.end.toString(16).padStart(12, '0')}`,
    String(kb(v.end - v.start)),
    v.fields.Rss === undefined ? '-' : String(v.fields.Rss),
    v.perms,
    v.offset.toString(16).padStart(8, '0'),
    v.path === '' ? c.dim('[anon]') : v.path,
    opts.pgv ? formatVmaFlags(flags) : (v.vmFlags ?? []).join(' '),
  ]);
  table.push(
    [
      'total',
      String(totals.sizeKb),
      String(totals.rssKb),
      '',
      '',
      `${totals.vmas} VMA${totals.vmas === 1 ? '' : 's'}`,
      '',
    ].map((s) => c.bold(s)),
  );
  let out = label(c, 'source', path) + label(c, 'config', `${config.name} (flags decoded with this configuration)`);
  out += `${renderTable(
    head.map((h) => c.bold(h)),
    table,
    ['left', 'right', 'right'],
  )}\n`;
  if (unknownAll.length > 0)
    out += label(c, 'unknown', c.yellow(`mnemonics config ${config.name} does not name: ${unknownAll.join(' ')}`));
  ctx.io.stdout(out);
  return EXIT_OK;
}

export const INSPECT: CommandSpec<string | undefined, InspectOptions> = {
  name: 'inspect',
  description:
    "print a process's VMAs from /proc/PID/smaps like pmap -X: range, size, RSS, perms, offset, mapping, flags",
  argument: ['[pid]', 'a process id, or "self" (this vmaflags process)'],
  options: (cmd) =>
    cmd
      .option('--file <smaps>', 'read a saved smaps file instead of a live process')
      .option(
        '--filter <expr>',
        'keep VMAs matching flag:NAME, path:TEXT or range:START[-END] (bare: flag name, hex range, else path); repeatable, all must match',
        collect,
      )
      .option('--sort <key>', `order by ${SORT_KEYS.join(', ')} (size and rss largest first)`, 'addr')
      .option('--pgv', 'show the flags as %pGv names instead of smaps mnemonics'),
  archHelp: LIVE_ARCH_HELP,
  examples: [
    'vmaflags inspect self',
    'vmaflags inspect 1234 --filter ac --sort rss',
    'vmaflags inspect self --filter path:libc --pgv',
    'vmaflags inspect --file saved-smaps.txt --json',
    'vmaflags inspect --file saved-smaps.txt --kconfig config-6.18.gz',
  ],
  action: inspectAction,
};
