import type { AnonVma, File } from '@vmaflags/mm';

// The merge rules of mm/vma.c restated over a page-by-page model, for the
// randomized checker to predict what each operation must merge and which
// anon_vma each VMA must end up with. Written from the rules, not from the
// port: nothing here calls vma.ts, and the model's anon_vma identities are
// its own objects, bound to the port's only to compare them.
//
// linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384 mm/vma.c:
// is_mergeable_vma(), is_mergeable_anon_vma(), can_vma_merge_before/after(),
// can_vma_merge_right() (prev's and next's anon_vmas in a three-way join),
// vma_merge_new_range(), vma_merge_existing_range() (a removed VMA may not
// have a close hook; a close hook on next downgrades to a left merge),
// anon_vma_compatible()/reusable_anon_vma()/find_mergeable_anon_vma().

/** One anon_vma as the model knows it: created by a fault, or inherited through fork(). */
export interface ModelAnon {
  readonly id: number;
  /** Inherited from a parent: its VMAs have more than one anon_vma_chain link. */
  readonly forked: boolean;
}

/** What the model says one page maps. */
export interface PageState {
  /** Flag words with the merge-ignored bits cleared. */
  words: readonly bigint[];
  /** `words` as text, for comparisons and messages. */
  key: string;
  file: File | null;
  pgoff: number;
  /** Whether the flags hold a bit that rules out merging (VMA_SPECIAL_FLAGS). */
  special: boolean;
  anon: ModelAnon | null;
  /** The page's VMA has a close hook (so it may not be removed by a merge). */
  close: boolean;
}

/** The attributes a merge request brings for a range (its first page's offset). */
export interface MergeRequest {
  key: string;
  file: File | null;
  pgoff: number;
  pages: number;
  special: boolean;
  anon: ModelAnon | null;
}

/** One side may take the other's anon_vma: the same one, or none on one side and no fork on the other. */
export function anonMergeable(a: ModelAnon | null, c: ModelAnon | null): boolean {
  if (a === c) return true;
  if (a === null) return !c!.forked;
  if (c === null) return !a.forked;
  return false;
}

/** Page `left` may be followed by `right` within one VMA (right's offset continues left's). */
function joinable(left: Omit<PageState, 'close' | 'words'>, right: Omit<PageState, 'close' | 'words'>): boolean {
  return (
    !left.special &&
    left.key === right.key &&
    left.file === right.file &&
    right.pgoff === left.pgoff + 1 &&
    anonMergeable(left.anon, right.anon)
  );
}

/** The request's page at index i (0-based) as a page state. */
function requestPage(req: MergeRequest, i: number): Omit<PageState, 'close' | 'words'> {
  return { key: req.key, file: req.file, pgoff: req.pgoff + i, special: req.special, anon: req.anon };
}

/** Which sides of the range the kernel joins. */
export interface MergePrediction {
  left: boolean;
  right: boolean;
}

/**
 * vma_merge_new_range() for a free range between `prev` (the page just below
 * it, if mapped) and `next` (the page just above, if mapped).
 */
export function predictNewRange(req: MergeRequest, prev: PageState | null, next: PageState | null): MergePrediction {
  if (req.special) return { left: false, right: false };
  const left = prev !== null && joinable(prev, requestPage(req, 0));
  let right = next !== null && joinable(requestPage(req, req.pages - 1), next);
  if (left && right) {
    // A three-way join keeps one anon_vma: prev's and next's may not differ.
    if (prev.anon !== null && next!.anon !== null && prev.anon !== next!.anon) right = false;
    // Joining both removes next, which a close hook forbids.
    else if (next!.close) right = false;
  }
  return { left, right };
}

/**
 * vma_merge_existing_range() for [start, end) of a VMA covering
 * [vmaStart, vmaEnd) (as page numbers) that is given `req`'s attributes.
 */
export function predictExistingRange(
  req: MergeRequest,
  range: { start: number; end: number; vmaStart: number; vmaEnd: number; vmaClose: boolean },
  prev: PageState | null,
  next: PageState | null,
): MergePrediction {
  const none = { left: false, right: false };
  const leftSide = range.start === range.vmaStart;
  const rightSide = range.end === range.vmaEnd;
  if (req.special || (!leftSide && !rightSide)) return none;
  const left = leftSide && prev !== null && joinable(prev, requestPage(req, 0));
  let right = rightSide && next !== null && joinable(requestPage(req, req.pages - 1), next);
  if (right && left && prev.anon !== null && next!.anon !== null && prev.anon !== next!.anon) right = false;
  if (!left && !right) return none;
  // All of the VMA joins a neighbour: it is removed, which a close hook forbids.
  if (leftSide && rightSide && range.vmaClose) return none;
  if (left && right && next!.close) right = false;
  return { left, right };
}

/**
 * find_mergeable_anon_vma(): the anon_vma a first fault in a VMA whose pages
 * are `first`..`last` may share with the page just above (checked first) or
 * just below, or null for a new one. Flags may differ in access bits only;
 * the neighbour's chain must be singular (not forked).
 */
export function predictFaultAnon(
  first: PageState,
  last: PageState,
  prev: PageState | null,
  next: PageState | null,
  accessWords: readonly bigint[],
): ModelAnon | null {
  const compatible = (a: PageState, c: PageState): boolean =>
    a.file === c.file &&
    c.pgoff === a.pgoff + 1 &&
    a.words.every((w, i) => ((w ^ c.words[i]!) & ~accessWords[i]!) === 0n);
  if (next !== null && next.anon !== null && !next.anon.forked && compatible(last, next)) return next.anon;
  if (prev !== null && prev.anon !== null && !prev.anon.forked && compatible(prev, first)) return prev.anon;
  return null;
}

/** The two-way binding between the model's anon_vmas and the port's. */
export class AnonBinding {
  private readonly toPort = new Map<ModelAnon, AnonVma>();
  private readonly toModel = new Map<AnonVma, ModelAnon>();
  private nextId = 0;

  /** A new model anon_vma standing for `port`. */
  create(port: AnonVma, forked: boolean): ModelAnon {
    const anon: ModelAnon = { id: this.nextId++, forked };
    this.toPort.set(anon, port);
    this.toModel.set(port, anon);
    return anon;
  }

  port(anon: ModelAnon): AnonVma | undefined {
    return this.toPort.get(anon);
  }

  model(port: AnonVma): ModelAnon | undefined {
    return this.toModel.get(port);
  }
}
