import {
  VMA_ACCOUNT_BIT,
  VMA_EXEC_BIT,
  VMA_IO_BIT,
  VMA_MAYBE_GUARD_BIT,
  VMA_MAYEXEC_BIT,
  VMA_MAYREAD_BIT,
  VMA_MAYSHARE_BIT,
  VMA_MAYWRITE_BIT,
  VMA_NORESERVE_BIT,
  VMA_READ_BIT,
  VMA_SHARED_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import { AnonVma, current, harness, setFailPrealloc, takeWarnings } from './include/custom.js';
import {
  IS_ERR,
  IS_ERR_VALUE,
  MmStruct,
  PAGE_SIZE,
  VMA_ITERATOR,
  VMA_MERGE_ERROR_NOMEM,
  VMG_VMA_STATE,
  copyVma,
  doVmiMunmap,
  findMergeableAnonVma,
  findVmaIntersection,
  forEachVma,
  mmapRegion,
  ref,
  splitVma,
  vmFlagsReset,
  vmaIsSharedMaywrite,
  mappingAllowWritable,
  mappingUnmapWritable,
  vmaFlagMasks,
  vmaIterLoad,
  vmaLookup,
  vmaMergeExistingRange,
  vmaMergeExtend,
  vmaModifyFlags,
  vmaPages,
  vmaPrev,
  vmaSetPageProt,
  vmaShrink,
  type Backend,
  type File,
  type VmAreaStruct,
  type VmOperationsStruct,
  type VmaFlags,
  type VmaIterator,
  prandom,
} from '@vmaflags/mm';
import {
  AnonBinding,
  predictExistingRange,
  predictFaultAnon,
  predictNewRange,
  type MergePrediction,
  type MergeRequest,
  type ModelAnon,
  type PageState,
} from './merge_model.js';
import { mkFile } from './shared.js';

// Randomised sequences of the VMA operations (mmap_region, munmap, split,
// merge, modify, expand, shrink, copy_vma, anon_vma faults, close hooks and
// allocation failures) on one mm, checked after every step against
// validate_mm-style invariants and against a page-by-page model of what each
// address should map. The model knows nothing about VMAs: whether a range is
// one VMA or five, every page must carry the flags (up to the bits merging
// ignores), file and file offset the operations gave it.
//
// On top of that, an independent model of the merge rules (merge_model.ts)
// predicts which sides of each mapped, modified, extended or copied range
// must be joined to a neighbour, and which anon_vma every page must be under
// (faults, fork children, sharing with a neighbour, spreading through
// merges); the port has to agree on both.
//
// The same seed gives the same operations on any backend as long as the
// backends agree, so a digest of every step also compares backends.

/** mulberry32: the sequences' seeded generator (shared with the tree's checks). */
export const prng = prandom;

/** Where the sequences map: pages [0, NPAGES) from BASE. Small, so ranges collide and merge often. */
const BASE = 0x10000000;
const NPAGES = 384;
const MAX_LEN = 16;

const pageAddr = (p: number): number => BASE + p * PAGE_SIZE;
const addrPage = (a: number): number => (a - BASE) / PAGE_SIZE;

export interface SequenceResult {
  seed: number;
  steps: number;
  /** One digest per step (after the step). */
  digests: number[];
  /** Full description of the final state. */
  finalState: string;
  /** How often each operation ran and how often it changed something. */
  opCounts: Record<string, number>;
}

export class SequenceFailure extends Error {
  override readonly name = 'SequenceFailure';
}

const closeOps: VmOperationsStruct = Object.freeze({
  close: () => {
    // Only its presence matters: a VMA with a close hook may not be deleted by a merge.
  },
});

/**
 * Run `steps` random operations from `seed` on a fresh mm of backend b,
 * checking everything after each one. Throws a SequenceFailure naming the
 * seed and step on the first violation.
 */
export function runRandomSequence(b: Backend, seed: number, steps: number): SequenceResult {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const chance = (p: number): boolean => rnd() < p;

  const masks = vmaFlagMasks(b);
  const ignoreWords = b.toWords(masks.VMA_IGNORE_MERGE_FLAGS);
  const keyOf = (flags: VmaFlags): string =>
    b
      .toWords(flags)
      .map((w, i) => (w & ~ignoreWords[i]!).toString(16))
      .join(':');

  const accessWords = b.toWords(masks.VMA_ACCESS_FLAGS);
  /** A page mapping `flags` of `file` at `pgoff`, not faulted yet. */
  const pageOf = (flags: VmaFlags, file: File | null, pgoff: number): PageState => {
    const words = b.toWords(flags).map((w, i) => w & ~ignoreWords[i]!);
    return {
      words,
      key: words.map((w) => w.toString(16)).join(':'),
      file,
      pgoff,
      special: b.testAnyMask(flags, masks.VMA_SPECIAL_FLAGS),
      anon: null,
      close: false,
    };
  };
  const binding = new AnonBinding();

  const wide = b.config.numVmaFlagBits > 64;
  const base = [VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT];
  const palette: number[][] = [
    base,
    base,
    [VMA_READ_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT],
    [...base, VMA_EXEC_BIT],
    [...base, VMA_MAYBE_GUARD_BIT],
    [...base, VMA_SHARED_BIT, VMA_MAYSHARE_BIT],
    [...base, VMA_NORESERVE_BIT],
    [...base, VMA_IO_BIT],
    ...(wide
      ? [
          [...base, 64],
          [...base, 64, 100],
        ]
      : []),
  ];
  const pickFlags = (): VmaFlags => b.mk(...palette[int(palette.length)]!);

  harness.reset();
  const files = [mkFile(), mkFile()];
  const fileIds = new Map<File, number>(files.map((f, i) => [f, i]));
  const model: (PageState | null)[] = new Array<PageState | null>(NPAGES).fill(null);
  const opCounts: Record<string, number> = {};
  const digests: number[] = [];

  const mm = new MmStruct(b, harness);
  current.mm = mm;

  let step = 0;
  let op = '';
  const fail = (msg: string): never => {
    throw new SequenceFailure(
      `seed ${seed} (0x${seed.toString(16)}) step ${step} op ${op}: ${msg}\n` +
        `reproduce with VMA_SEED=${seed} (sequence of ${steps} steps)`,
    );
  };

  const vmas = (): VmAreaStruct[] => [...forEachVma(VMA_ITERATOR(mm, 0))];
  const pickVma = (): VmAreaStruct | null => {
    const all = vmas();
    return all.length === 0 ? null : all[int(all.length)]!;
  };
  /** An iterator resting on the VMA at addr, the way the kernel's callers hold one. */
  const iterOn = (addr: number): VmaIterator => {
    const vmi = VMA_ITERATOR(mm, addr);
    vmaIterLoad(vmi);
    return vmi;
  };
  const prevOf = (vma: VmAreaStruct): VmAreaStruct | null => vmaPrev(iterOn(vma.vmStart));
  /** A random page boundary strictly inside vma, as an offset from its start (vma has 2+ pages). */
  const innerOffset = (vma: VmAreaStruct): number => (1 + int(vmaPages(vma) - 1)) * PAGE_SIZE;
  const setModel = (from: number, to: number, state: (p: number) => PageState | null): void => {
    for (let p = from; p < to; p++) model[p] = state(p);
  };
  const mapped = (from: number, to: number): boolean => model.slice(from, to).some((s) => s !== null);
  const at = (p: number): PageState | null => model[p] ?? null;
  /** A merge request for `pages` pages like page state `like`, starting at offset pgoff. */
  const requestOf = (
    like: PageState,
    pages: number,
    pgoff = like.pgoff,
    anon: ModelAnon | null = like.anon,
  ): MergeRequest => ({
    key: like.key,
    file: like.file,
    pgoff,
    pages,
    special: like.special,
    anon,
  });
  /** Boundaries (page numbers) the step must leave joined (true) or apart (false), where both sides stay mapped. */
  let joins: [number, boolean][] = [];
  const expectJoins = (from: number, to: number, m: MergePrediction): void => {
    joins = [
      [from, m.left],
      [to, m.right],
    ];
  };
  /** A boundary strictly inside a mapped VMA needs a split. */
  const inside = (addr: number): boolean => {
    const v = vmaLookup(mm, addr);
    return v !== null && v.vmStart < addr;
  };

  let injectFailure = false;
  /** An operation failed: fine on a step with an injected allocation failure, a violation otherwise. */
  const failed = (what: string, why: string): void => {
    if (!injectFailure) fail(why);
    joins = [];
    count(opCounts, `${what} failed`);
  };

  for (step = 0; step < steps; step++) {
    injectFailure = chance(0.04);
    joins = [];
    const r = rnd();
    takeWarnings();
    if (injectFailure) setFailPrealloc(true);
    try {
      if (r < 0.3) {
        op = 'mmap';
        const len = 1 + int(MAX_LEN);
        const p = int(NPAGES - len + 1);
        const flags = pickFlags();
        const file = chance(0.35) ? files[int(files.length)]! : null;
        // Anonymous mappings get the page number as offset, as mmap() does; file ones mostly map linearly.
        const pgoff = file === null ? pageAddr(p) / PAGE_SIZE : chance(0.8) ? 1000 + p : int(4096);
        const needsSplit = inside(pageAddr(p)) || inside(pageAddr(p + len));
        const overlapped = mapped(p, p + len);
        const vmaFlags = b.copy(flags);
        // Private writable mappings without NORESERVE are accounted.
        if (b.test(flags, VMA_WRITE_BIT) && !b.test(flags, VMA_SHARED_BIT) && !b.test(flags, VMA_NORESERVE_BIT)) {
          b.set(vmaFlags, VMA_ACCOUNT_BIT);
        }
        const page = pageOf(vmaFlags, file, pgoff);
        // The old mappings in the range go first; the new one meets what is left around it.
        expectJoins(p, p + len, predictNewRange(requestOf(page, len), at(p - 1), at(p + len)));
        const ret = mmapRegion(mm, file, pageAddr(p), len * PAGE_SIZE, flags, pgoff, null);
        if (!IS_ERR_VALUE(ret)) {
          if (ret !== pageAddr(p)) fail(`returned 0x${ret.toString(16)}`);
          setModel(p, p + len, (q) => ({ ...page, pgoff: pgoff + (q - p) }));
          count(opCounts, 'mmap');
        } else {
          failed('mmap', `failed with ${ret}`);
          // Failing after the old mappings were torn down leaves a hole;
          // failing in an up-front split leaves everything as it was.
          if (overlapped && !needsSplit) setModel(p, p + len, () => null);
        }
      } else if (r < 0.4) {
        op = 'munmap';
        const len = 1 + int(MAX_LEN);
        const p = int(NPAGES - len + 1);
        const vmi = VMA_ITERATOR(mm, pageAddr(p));
        const ret = doVmiMunmap(vmi, mm, pageAddr(p), len * PAGE_SIZE, null, false);
        if (ret === 0) {
          setModel(p, p + len, () => null);
          count(opCounts, 'munmap');
        } else {
          failed('munmap', `failed with ${ret}`);
        }
      } else if (r < 0.55) {
        op = 'modify';
        const vma = pickVma();
        if (vma !== null) {
          const pages = vmaPages(vma);
          const s = int(pages);
          const e = s + 1 + int(pages - s);
          const start = vma.vmStart + s * PAGE_SIZE;
          const end = vma.vmStart + e * PAGE_SIZE;
          // Keep the flags now and then, which makes this a plain merge attempt.
          const flags = chance(0.3) ? b.copy(vma.flags) : pickFlags();
          const prev = start > vma.vmStart ? vma : prevOf(vma);
          const [vs, ps, pe, ve] = [vma.vmStart, start, end, vma.vmEnd].map(addrPage) as [
            number,
            number,
            number,
            number,
          ];
          const page = { ...pageOf(flags, at(ps)!.file, at(ps)!.pgoff), anon: at(ps)!.anon };
          const range = { start: ps, end: pe, vmaStart: vs, vmaEnd: ve, vmaClose: at(vs)!.close };
          expectJoins(ps, pe, predictExistingRange(requestOf(page, pe - ps), range, at(ps - 1), at(pe)));
          const ret = vmaModifyFlags(iterOn(start), prev, vma, start, end, flags);
          if (IS_ERR(ret)) {
            failed('modify', `failed with ${ret}`);
          } else {
            if (ret.vmStart > start || ret.vmEnd < end) fail('result does not cover the range');
            // What mprotect() does next: apply the (sticky-updated) flags.
            // Unlike mprotect() the sequence may flip VM_SHARED or VM_MAYWRITE;
            // the file's writable count follows, as it does when the kernel
            // drops VM_MAYWRITE from a shared mapping (mapping_unmap_writable).
            const wasWriter = vmaIsSharedMaywrite(ret);
            vmFlagsReset(ret, flags);
            const mapping = ret.vmFile?.fMapping ?? null;
            if (mapping !== null && wasWriter !== vmaIsSharedMaywrite(ret)) {
              if (wasWriter) mappingUnmapWritable(mapping);
              else mappingAllowWritable(mapping);
            }
            vmaSetPageProt(ret);
            const { words, key, special } = pageOf(flags, null, 0);
            setModel(ps, pe, (q) => ({ ...model[q]!, words, key, special }));
            count(opCounts, 'modify');
          }
        }
      } else if (r < 0.65) {
        op = 'split';
        const vma = pickVma();
        if (vma !== null && vmaPages(vma) > 1) {
          const addr = vma.vmStart + innerOffset(vma);
          const ret = splitVma(iterOn(vma.vmStart), vma, addr, chance(0.5));
          if (ret === 0) count(opCounts, 'split');
          else failed('split', `failed with ${ret}`);
        }
      } else if (r < 0.75) {
        op = 'merge';
        const vma = pickVma();
        if (vma !== null) {
          const [vs, ve] = [addrPage(vma.vmStart), addrPage(vma.vmEnd)];
          const range = { start: vs, end: ve, vmaStart: vs, vmaEnd: ve, vmaClose: at(vs)!.close };
          expectJoins(vs, ve, predictExistingRange(requestOf(at(vs)!, ve - vs), range, at(vs - 1), at(ve)));
          const vmg = VMG_VMA_STATE(iterOn(vma.vmStart), prevOf(vma), vma, vma.vmStart, vma.vmEnd);
          const merged = vmaMergeExistingRange(vmg);
          if (merged === null && vmg.state === VMA_MERGE_ERROR_NOMEM) failed('merge', 'ran out of memory');
          count(opCounts, merged !== null ? 'merge' : 'merge refused');
        }
      } else if (r < 0.82) {
        op = 'expand';
        const vma = pickVma();
        if (vma !== null) {
          const delta = (1 + int(4)) * PAGE_SIZE;
          const end = vma.vmEnd + delta;
          if (end <= pageAddr(NPAGES) && findVmaIntersection(mm, vma.vmEnd, end) === null) {
            const [pv, pe] = [addrPage(vma.vmEnd), addrPage(end)];
            const last = at(pv - 1)!;
            // vma itself plays prev; the new pages take its attributes and anon_vma.
            const m = predictNewRange(requestOf(last, pe - pv, last.pgoff + 1), last, at(pe));
            expectJoins(pv, pe, m);
            const ret = vmaMergeExtend(VMA_ITERATOR(mm, vma.vmEnd), vma, delta);
            if (ret !== null) {
              if (!m.left) fail('extended a VMA the rules do not let grow');
              setModel(pv, pe, (q) => ({ ...last, pgoff: last.pgoff + 1 + (q - pv) }));
              count(opCounts, 'expand');
            } else {
              if (m.left) failed('expand', 'refused to extend a VMA the rules let grow');
              count(opCounts, 'expand refused');
            }
          }
        }
      } else if (r < 0.87) {
        op = 'shrink';
        const vma = pickVma();
        if (vma !== null && vmaPages(vma) > 1) {
          const end = vma.vmStart + innerOffset(vma);
          const gone = vma.vmEnd;
          const ret = vmaShrink(VMA_ITERATOR(mm, vma.vmStart), vma, end);
          if (ret === 0) {
            setModel(addrPage(end), addrPage(gone), () => null);
            count(opCounts, 'shrink');
          } else {
            failed('shrink', `failed with ${ret}`);
          }
        }
      } else if (r < 0.93) {
        op = 'copy';
        const vma = pickVma();
        if (vma !== null) {
          const len = vmaPages(vma);
          // Half the time, move it back behind a VMA whose offsets it continues
          // (as after an earlier move away), where it can merge.
          const behind = vmas().filter(
            (w) =>
              w !== vma &&
              w.vmFile === vma.vmFile &&
              w.vmPgoff + vmaPages(w) === vma.vmPgoff &&
              addrPage(w.vmEnd) + len <= NPAGES &&
              !mapped(addrPage(w.vmEnd), addrPage(w.vmEnd) + len),
          );
          const dest =
            behind.length > 0 && chance(0.7) ? addrPage(behind[int(behind.length)]!.vmEnd) : int(NPAGES - len + 1);
          if (!mapped(dest, dest + len)) {
            const src = addrPage(vma.vmStart);
            const first = at(src)!;
            // An unfaulted anonymous VMA takes the destination's page number as its offset.
            const pgoff = vma.vmOps === null && vma.anonVma === null ? pageAddr(dest) / PAGE_SIZE : vma.vmPgoff;
            expectJoins(dest, dest + len, predictNewRange(requestOf(first, len, pgoff), at(dest - 1), at(dest + len)));
            const copy = copyVma(ref(vma), pageAddr(dest), len * PAGE_SIZE, vma.vmPgoff, ref(false));
            if (copy !== null) {
              setModel(dest, dest + len, (q) => ({ ...first, pgoff: pgoff + (q - dest), close: false }));
              // mremap() then unmaps the source.
              setFailPrealloc(false);
              const vmi = VMA_ITERATOR(mm, pageAddr(src));
              const ret = doVmiMunmap(vmi, mm, pageAddr(src), len * PAGE_SIZE, null, false);
              if (ret !== 0) fail(`unmapping the source failed with ${ret}`);
              setModel(src, src + len, () => null);
              count(opCounts, 'copy');
            } else {
              failed('copy', 'failed');
            }
          }
        }
      } else if (r < 0.96) {
        op = 'fault';
        const vma = pickVma();
        if (vma !== null && vma.anonVma === null) {
          const [first, end] = [addrPage(vma.vmStart), addrPage(vma.vmEnd)];
          const expected = predictFaultAnon(at(first)!, at(end - 1)!, at(first - 1), at(end), accessWords);
          // anon_vma_prepare(): share a neighbour's where that is safe, else a new one.
          const found = findMergeableAnonVma(vma);
          if (found !== (expected === null ? null : binding.port(expected))) {
            fail(
              `find_mergeable_anon_vma gave ${found === null ? 'none' : 'an anon_vma'}, the rules say ${expected === null ? 'none' : "a neighbour's"}`,
            );
          }
          vma.anonVma = found ?? new AnonVma();
          vma.anonVmaChain = [{ anonVma: vma.anonVma }];
          const anon = expected ?? binding.create(vma.anonVma, false);
          setModel(first, end, (q) => ({ ...model[q]!, anon }));
          count(opCounts, 'fault');
        }
      } else if (r < 0.97) {
        op = 'fork';
        const vma = pickVma();
        if (vma !== null && vma.anonVma === null) {
          // A VMA inherited through fork(): chained to the parent's anon_vma and its own.
          vma.anonVma = new AnonVma();
          vma.anonVmaChain = [{ anonVma: vma.anonVma }, { anonVma: new AnonVma() }];
          const anon = binding.create(vma.anonVma, true);
          setModel(addrPage(vma.vmStart), addrPage(vma.vmEnd), (q) => ({ ...model[q]!, anon }));
          count(opCounts, 'fork');
        }
      } else {
        op = 'ops';
        const vma = pickVma();
        if (vma !== null) {
          vma.vmOps = vma.vmOps === closeOps ? null : closeOps;
          count(opCounts, 'close hook toggled');
        }
      }
    } catch (err) {
      if (err instanceof SequenceFailure) throw err;
      fail(`threw ${(err as Error).stack ?? String(err)}`);
    } finally {
      setFailPrealloc(false);
    }
    const warnings = takeWarnings();
    if (warnings.length > 0) fail(`kernel warnings: ${warnings.join('; ')}`);
    // Nothing allocated, referenced or counted may outlive the VMAs in the tree.
    const leaks = harness.leaks();
    if (leaks.length > 0) fail(`leaks: ${leaks.join('; ')}`);
    const state = checkMm(mm, fail);
    checkModel(mm, model, keyOf, fail);
    for (const [p, join] of joins) {
      const [below, above] = [at(p - 1), at(p)];
      if (below === null || above === null) continue;
      const joined = vmaLookup(mm, pageAddr(p - 1)) === vmaLookup(mm, pageAddr(p));
      if (joined !== join) {
        const show = (s: PageState): string =>
          `{flags ${s.key} file ${s.file === null ? '-' : fileIds.get(s.file)} pgoff ${s.pgoff} anon ${s.anon === null ? '-' : `${s.anon.id}${s.anon.forked ? ' forked' : ''}`}${s.close ? ' close' : ''}}`;
        fail(
          `pages 0x${pageAddr(p - 1).toString(16)} ${show(below)} and 0x${pageAddr(p).toString(16)} ${show(above)} ` +
            (join ? 'stayed in two VMAs the rules merge' : 'were merged against the rules'),
        );
      }
    }
    checkAnonVmas(state, model, binding, injectFailure, fail);
    digests.push(fnv1a(describeMm(b, mm, state, fileIds)));
  }

  current.mm = null;
  const finalState = describeMm(b, mm, vmas(), fileIds);
  return { seed, steps, digests, finalState, opCounts };
}

function count(counts: Record<string, number>, what: string): void {
  counts[what] = (counts[what] ?? 0) + 1;
}

/**
 * The validate_mm() invariants, and a few more: the tree is internally
 * consistent, holds each attached VMA exactly at its own non-empty,
 * page-aligned range, in order and without overlap, map_count of them, and
 * the iterator walks the same list. Returns the VMAs in order.
 */
export function checkMm(mm: MmStruct, fail: (msg: string) => never): VmAreaStruct[] {
  const problem = mm.mmMt.validate();
  if (problem !== null) fail(`maple tree: ${problem}`);
  const list: VmAreaStruct[] = [];
  const seen = new Set<VmAreaStruct>();
  let lastEnd = -1;
  for (const { index, last, entry: vma } of mm.mmMt.ranges()) {
    const where = `VMA [0x${vma.vmStart.toString(16)}, 0x${vma.vmEnd.toString(16)})`;
    if (vma.vmStart !== index || vma.vmEnd !== last + 1)
      fail(`${where} stored as [0x${index.toString(16)}, 0x${(last + 1).toString(16)})`);
    if (vma.vmStart >= vma.vmEnd) fail(`${where} is empty`);
    if (vma.vmStart % PAGE_SIZE !== 0 || vma.vmEnd % PAGE_SIZE !== 0) fail(`${where} is not page aligned`);
    if (vma.vmStart < lastEnd) fail(`${where} overlaps the VMA before`);
    if (seen.has(vma)) fail(`${where} is in the tree twice`);
    if (vma.vmRefcnt !== 1) fail(`${where} is in the tree but not attached`);
    if (vma.vmMm !== mm) fail(`${where} belongs to another mm`);
    seen.add(vma);
    list.push(vma);
    lastEnd = vma.vmEnd;
  }
  if (list.length !== mm.mapCount) fail(`map_count ${mm.mapCount} but ${list.length} VMAs in the tree`);
  const walked = [...forEachVma(VMA_ITERATOR(mm, 0))];
  if (walked.length !== list.length || walked.some((v, i) => v !== list[i]))
    fail('for_each_vma disagrees with the tree');
  return list;
}

/**
 * Each VMA's anon_vma is the one the model gave its pages: none if no page
 * was faulted, the single one they share otherwise (two in one VMA means
 * two anon_vmas were merged), and a fork child's VMAs keep a multi-link
 * chain while others have one link. Pages with none take their VMA's,
 * which is how a merge spreads an anon_vma; the close hook is also taken
 * over from the VMA. After an injected allocation failure a half-done
 * merge may leave an anon_vma behind: it is adopted rather than checked.
 */
function checkAnonVmas(
  vmas: readonly VmAreaStruct[],
  model: (PageState | null)[],
  binding: AnonBinding,
  lenient: boolean,
  fail: (msg: string) => never,
): void {
  for (const vma of vmas) {
    const first = addrPage(vma.vmStart);
    const n = (vma.vmEnd - vma.vmStart) / PAGE_SIZE;
    const where = `VMA [0x${vma.vmStart.toString(16)}, 0x${vma.vmEnd.toString(16)})`;
    let anon: ModelAnon | null = null;
    for (let i = 0; i < n; i++) {
      const a = model[first + i]!.anon;
      if (a === null) continue;
      if (anon !== null && a !== anon) fail(`${where} holds pages of two anon_vmas`);
      anon = a;
    }
    const port = vma.anonVma;
    if (anon === null && port !== null) {
      if (!lenient) fail(`${where} has an anon_vma though none of its pages was faulted`);
      anon = binding.model(port) ?? binding.create(port, vma.anonVmaChain.length > 1);
    } else if (anon !== null && port !== binding.port(anon)) {
      fail(`${where} has ${port === null ? 'no anon_vma' : 'another anon_vma'} than its pages were given`);
    }
    if (anon !== null && (vma.anonVmaChain.length !== 1) !== anon.forked) {
      fail(
        `${where} has ${vma.anonVmaChain.length} anon_vma_chain links for a ${anon.forked ? 'forked' : 'private'} anon_vma`,
      );
    }
    const close = vma.vmOps !== null && vma.vmOps.close !== undefined;
    for (let i = 0; i < n; i++) {
      const page = model[first + i]!;
      if (page.anon !== anon || page.close !== close) model[first + i] = { ...page, anon, close };
    }
  }
}

/** Every page maps what the model says, and nothing else is mapped. */
function checkModel(
  mm: MmStruct,
  model: readonly (PageState | null)[],
  keyOf: (f: VmaFlags) => string,
  fail: (msg: string) => never,
): void {
  let mappedPages = 0;
  for (const vma of forEachVma(VMA_ITERATOR(mm, 0))) {
    const first = addrPage(vma.vmStart);
    const n = (vma.vmEnd - vma.vmStart) / PAGE_SIZE;
    const key = keyOf(vma.flags);
    for (let i = 0; i < n; i++) {
      const want = model[first + i];
      const at = `page 0x${pageAddr(first + i).toString(16)}`;
      if (want === null || want === undefined) fail(`${at} is mapped but should not be`);
      if (want.key !== key) fail(`${at} has flags ${key}, expected ${want.key}`);
      if (want.file !== vma.vmFile) fail(`${at} maps the wrong file`);
      if (want.pgoff !== vma.vmPgoff + i) fail(`${at} has offset ${vma.vmPgoff + i}, expected ${want.pgoff}`);
    }
    mappedPages += n;
  }
  const expected = model.reduce((n, s) => n + (s === null ? 0 : 1), 0);
  if (mappedPages !== expected) fail(`${mappedPages} pages mapped, the model has ${expected}`);
}

/** A backend-independent description of the mm (anon_vmas and files by first appearance). */
export function describeMm(
  b: Backend,
  mm: MmStruct,
  vmas: readonly VmAreaStruct[],
  fileIds: ReadonlyMap<File, number>,
): string {
  const anonIds = new Map<object, number>();
  const parts = [`count=${mm.mapCount} total=${mm.totalVm} data=${mm.dataVm} exec=${mm.execVm} stack=${mm.stackVm}`];
  for (const v of vmas) {
    let anon = '-';
    if (v.anonVma !== null) {
      if (!anonIds.has(v.anonVma)) anonIds.set(v.anonVma, anonIds.size);
      anon = String(anonIds.get(v.anonVma));
    }
    const file = v.vmFile === null ? '-' : String(fileIds.get(v.vmFile));
    const ops = v.vmOps === null ? 'anon' : v.vmOps.close !== undefined ? 'close' : 'dummy';
    const words = b
      .toWords(v.flags)
      .map((w) => w.toString(16))
      .join(':');
    parts.push(
      `${v.vmStart.toString(16)}-${v.vmEnd.toString(16)} pgoff=${v.vmPgoff} flags=${words} prot=${v.vmPageProt.toString(16)} file=${file} anon=${anon}/${v.anonVmaChain.length} ops=${ops}`,
    );
  }
  return parts.join('\n');
}

/** FNV-1a over the UTF-16 code units of s. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seed from VMA_SEED (decimal or 0x-hex), or the fixed default. */
export function sequenceSeed(value: string | undefined = process.env.VMA_SEED, fallback = 0x5eed): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new RangeError(`VMA_SEED must be an integer in [0, 2^32); got ${JSON.stringify(value)}`);
  return n;
}

/** The sequence length: VMA_STEPS when set, else `fallback`. */
export function sequenceSteps(value: string | undefined = process.env.VMA_STEPS, fallback = 10_000): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new RangeError(`VMA_STEPS must be an integer in [1, 1000000]; got ${JSON.stringify(value)}`);
  return n;
}
