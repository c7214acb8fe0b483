import { legacyToVmaFlags, vmaFlagTable, type KernelConfig, type VmaFlags as CoreVmaFlags } from '@vmaflags/core';
import { vmaMergeBlockers, type MergeBlockerCode, type VmaFlags } from '@vmaflags/mm';
import { describeFlags, hex } from './flag_bits.js';
import type { SmapsVma } from './smaps_file.js';
import type { SmapsVmaModel } from './smaps_mm.js';

// Why neighbouring VMAs of a live process did not merge. The visible causes
// come from @vmaflags/mm's merge predicates (vmaMergeBlockers) run on the
// VMAs rebuilt from smaps; when none applies, the causes smaps cannot show
// are listed with what the visible fields suggest.

export interface ExplainedBlocker {
  code: MergeBlockerCode;
  text: string;
  /** For 'flags' and 'special': the smaps mnemonics (or VM_* names when smaps has none) of the bits involved. */
  flags?: string[];
}

export type HiddenCause = 'anon_vma' | 'fork_child' | 'open_file' | 'anon_pgoff' | 'mempolicy' | 'uffd_ctx';

export interface HiddenExplanation {
  cause: HiddenCause;
  evidence: string;
}

export interface PairExplanation {
  first: SmapsVma;
  second: SmapsVma;
  blockers: ExplainedBlocker[];
  /** Only when no visible cause applies: what smaps cannot show. */
  hidden: HiddenExplanation[];
  /** With exact VMAs (a simulated scenario) and no cause: why they are still two. */
  note?: string;
}

const kb = (bytes: bigint) => `${bytes / 1024n} kB`;
const label = (v: SmapsVma) => (v.path === '' ? '[anon]' : v.path);

function flagNames(flags: CoreVmaFlags): string[] {
  return describeFlags(flags).bits.map((b) =>
    b.smaps !== null && b.smaps !== '' && b.smaps !== '??' ? b.smaps : (b.vm[0] ?? `bit ${b.bit}`),
  );
}

function wordOf(m: SmapsVmaModel): bigint {
  return m.vma.vmFlags;
}

function explainBlocker(
  code: MergeBlockerCode,
  bits: VmaFlags | null,
  a: SmapsVmaModel,
  b: SmapsVmaModel,
  config: KernelConfig,
): ExplainedBlocker {
  const wa = wordOf(a);
  const wb = wordOf(b);
  const flagsOf = (w: bigint) => flagNames(legacyToVmaFlags(w, config));
  switch (code) {
    case 'gap':
      return { code, text: `not adjacent: ${kb(b.smaps.start - a.smaps.end)} unmapped between them` };
    case 'special': {
      const w = a.vma.vmMm.backend.toLegacy(bits!);
      const names = flagsOf(w);
      return {
        code,
        text: `special mapping (VM_SPECIAL): ${names.join(' ')} set; such VMAs never merge`,
        flags: names,
      };
    }
    case 'flags': {
      const diff = a.vma.vmMm.backend.toLegacy(bits!);
      const onlyA = flagsOf(diff & wa);
      const onlyB = flagsOf(diff & wb);
      const parts: string[] = [];
      if (onlyA.length > 0) parts.push(`only the first has ${onlyA.join(' ')}`);
      if (onlyB.length > 0) parts.push(`only the second has ${onlyB.join(' ')}`);
      return { code, text: `flags differ: ${parts.join('; ')}`, flags: [...onlyA, ...onlyB] };
    }
    case 'file': {
      const fa = a.vma.vmFile !== null;
      const fb = b.vma.vmFile !== null;
      if (fa && fb && a.smaps.inode === b.smaps.inode && a.smaps.dev === b.smaps.dev) {
        const what = `two different open files of ${label(a.smaps)}`;
        return { code, text: `${what}: each open() (or shared anonymous mapping) is its own struct file` };
      }
      if (fa && fb) {
        const first = `${label(a.smaps)} (${a.smaps.dev} inode ${a.smaps.inode})`;
        return {
          code,
          text: `different files: ${first} and ${label(b.smaps)} (${b.smaps.dev} inode ${b.smaps.inode})`,
        };
      }
      return {
        code,
        text: `one is backed by ${label(fa ? a.smaps : b.smaps)}, the other is not file-backed (${label(fa ? b.smaps : a.smaps)})`,
      };
    }
    case 'pgoff': {
      if (a.vma.vmFile !== null && b.vma.vmFile !== null) {
        const end = a.smaps.offset + (a.smaps.end - a.smaps.start);
        return {
          code,
          text: `file offsets not contiguous: the first maps up to offset ${hex(end)}, the second starts at ${hex(b.smaps.offset)}`,
        };
      }
      return { code, text: 'page offsets (vm_pgoff) not contiguous' };
    }
    case 'anon_vma':
      return {
        code,
        text: 'different anon_vmas: each side had anonymous memory of its own before they became neighbours',
      };
    case 'fork_child':
      return {
        code,
        text: 'an anon_vma that came through fork (its chain has more than one link), which the kernel keeps apart',
      };
    default:
      // mempolicy, uffd_ctx, anon_name: neither smaps nor the simulator carries them.
      return { code, text: code };
  }
}

function hiddenCauses(a: SmapsVmaModel, b: SmapsVmaModel, uffdMask: bigint): HiddenExplanation[] {
  const out: HiddenExplanation[] = [];
  const sa = a.smaps;
  const sb = b.smaps;
  const anonA = sa.fields.Anonymous ?? 0;
  const anonB = sb.fields.Anonymous ?? 0;
  const isPrivate = sa.perms[3] === 'p' && sb.perms[3] === 'p';
  if (isPrivate) {
    if (anonA > 0 && anonB > 0) {
      out.push({
        cause: 'anon_vma',
        evidence: `both have anonymous pages (${anonA} kB and ${anonB} kB), so each has an anon_vma; if they are different anon_vmas (faulted before the two became neighbours, e.g. moved next to each other by mremap) they never merge`,
      });
    } else if (anonA > 0 || anonB > 0) {
      out.push({
        cause: 'fork_child',
        evidence: `only the ${anonA > 0 ? 'first' : 'second'} has anonymous pages; the kernel would share its anon_vma with the other unless it came through fork (a fork child's anon_vma chain has more than one link)`,
      });
    } else {
      out.push({
        cause: 'anon_vma',
        evidence:
          'neither has anonymous pages now; an anon_vma outlives the pages it was made for, so different anon_vmas are still possible',
      });
    }
  }
  if (a.vma.vmFile !== null && a.vma.vmFile === b.vma.vmFile) {
    out.push({
      cause: 'open_file',
      evidence: `both map ${label(sa)} (inode ${sa.inode}); two opens of one file are different struct files, which never merge, and smaps shows only the inode`,
    });
  }
  if (a.vma.vmFile === null && b.vma.vmFile === null && isPrivate) {
    out.push({
      cause: 'anon_pgoff',
      evidence:
        'anonymous memory moved by mremap keeps its original page offset (vm_pgoff), which smaps prints as 0; offsets that do not continue keep VMAs apart',
    });
  }
  out.push({
    cause: 'mempolicy',
    evidence:
      'a different NUMA memory policy (mbind, set_mempolicy) keeps VMAs apart; /proc/PID/numa_maps shows each policy',
  });
  if (((wordOf(a) | wordOf(b)) & uffdMask) !== 0n) {
    out.push({
      cause: 'uffd_ctx',
      evidence:
        'registered with userfaultfd; two different userfaultfd contexts keep VMAs apart and smaps does not show which context',
    });
  }
  return out;
}

/**
 * Every neighbouring pair, in address order. `exact`: the VMAs carry their
 * real anon_vmas and files (a simulated scenario), so nothing is hidden.
 */
export function explainMerges(
  models: readonly SmapsVmaModel[],
  config: KernelConfig,
  exact = false,
): PairExplanation[] {
  const t = vmaFlagTable(config);
  const uffdMask = t.VM_UFFD_MISSING | t.VM_UFFD_WP | t.VM_UFFD_MINOR;
  const out: PairExplanation[] = [];
  for (let i = 1; i < models.length; i++) {
    const a = models[i - 1]!;
    const b = models[i]!;
    let found = vmaMergeBlockers(a.vma, b.vma);
    // Nothing else matters for VMAs that do not touch.
    if (found.some((x) => x.code === 'gap')) found = found.filter((x) => x.code === 'gap');
    const blockers = found.map((x) => explainBlocker(x.code, x.flags, a, b, config));
    if (exact) {
      // Every cause is known: an empty list means nothing keeps them apart.
      const pair: PairExplanation = { first: a.smaps, second: b.smaps, blockers, hidden: [] };
      if (blockers.length === 0)
        pair.note =
          'nothing keeps these apart: no operation since they became neighbours asked the kernel to merge them';
      out.push(pair);
    } else {
      out.push({
        first: a.smaps,
        second: b.smaps,
        blockers,
        hidden: blockers.length === 0 ? hiddenCauses(a, b, uffdMask) : [],
      });
    }
  }
  return out;
}
