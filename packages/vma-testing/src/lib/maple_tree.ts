// The address-space index behind mm->mm_mt.
//
// The kernel's maple tree maps every index of [0, ULONG_MAX] to exactly one
// range, holding either an entry or nothing (a gap), and a maple state (`mas`)
// walks those ranges: find/next skip gaps, next_range/prev_range stop on them.
// This is our own structure with that contract: a treap of the non-empty
// ranges keyed by their first index, gaps being whatever lies between two
// stored ranges. Every operation is O(log n) (expected) in the stored ranges;
// priorities come from a per-tree generator with a fixed seed, so the same
// sequence of stores always builds the same shape.
//
// Ranges are inclusive, as in the maple tree ([index, last]); the VMA code
// converts from its exclusive vm_end at the call sites, as the kernel does.

/** Largest index the tree can hold: every address and page offset is an exact JS integer below it. */
export const ULONG_MAX = Number.MAX_SAFE_INTEGER;

class Node<T> {
  left: Node<T> | null = null;
  right: Node<T> | null = null;
  constructor(
    public index: number,
    public last: number,
    public entry: T,
    readonly prio: number,
  ) {}
}

export class MapleTree<T> {
  /** Root of the treap; null when empty. */
  root: Node<T> | null = null;
  /** Number of stored (non-empty) ranges. */
  count = 0;
  #seed = 0x9e3779b9;

  #prio(): number {
    // xorshift32: cheap, deterministic, good enough to balance a treap.
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return this.#seed;
  }

  /** The stored range with the greatest first index <= index. */
  floor(index: number): Node<T> | null {
    let n = this.root;
    let best: Node<T> | null = null;
    while (n !== null) {
      if (n.index <= index) {
        best = n;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return best;
  }

  /** The stored range with the smallest first index > index. */
  higher(index: number): Node<T> | null {
    let n = this.root;
    let best: Node<T> | null = null;
    while (n !== null) {
      if (n.index > index) {
        best = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
    return best;
  }

  /**
   * Replace whatever covers [index, last] by one range holding `entry` (or by
   * a gap when entry is null). Ranges sticking out on either side are trimmed
   * to the part outside, exactly like a maple tree store.
   */
  store(index: number, last: number, entry: T | null): void {
    if (!(index <= last)) throw new RangeError(`maple tree store: index ${index} > last ${last}`);
    const [below, rest] = split(this.root, index);
    const [inside, above] = split(rest, last + 1);
    let tail: Node<T> | null = null;
    const before = maxNode(below);
    if (before !== null && before.last >= index) {
      if (before.last > last) tail = new Node(last + 1, before.last, before.entry, this.#prio());
      before.last = index - 1;
    }
    if (inside !== null) {
      const lastInside = maxNode(inside)!;
      if (lastInside.last > last) tail = new Node(last + 1, lastInside.last, lastInside.entry, this.#prio());
      this.count -= size(inside);
    }
    let right = above;
    if (tail !== null) {
      right = merge(tail, right);
      this.count++;
    }
    if (entry !== null) {
      right = merge(new Node(index, last, entry, this.#prio()), right);
      this.count++;
    }
    this.root = merge(below, right);
  }

  /** mtree_destroy: forget every range. */
  destroy(): void {
    this.root = null;
    this.count = 0;
  }

  /** Every stored range in index order (for validation and dumps). */
  *ranges(): Generator<{ index: number; last: number; entry: T }> {
    const stack: Node<T>[] = [];
    let n = this.root;
    while (n !== null || stack.length > 0) {
      while (n !== null) {
        stack.push(n);
        n = n.left;
      }
      n = stack.pop()!;
      yield { index: n.index, last: n.last, entry: n.entry };
      n = n.right;
    }
  }

  /**
   * mt_validate: ordered, non-overlapping, heap-ordered, count right. Returns
   * a description of the first problem, or null.
   */
  validate(): string | null {
    let seen = 0;
    let prevLast = -1;
    const walk = (n: Node<T> | null, lo: number, hi: number): string | null => {
      if (n === null) return null;
      if (n.index < lo || n.index > hi) return `range [${n.index}, ${n.last}] out of key order`;
      if (n.last < n.index) return `range [${n.index}, ${n.last}] is empty`;
      for (const c of [n.left, n.right]) {
        if (c !== null && c.prio > n.prio) return `heap order broken under [${n.index}, ${n.last}]`;
      }
      const l = walk(n.left, lo, n.index - 1);
      if (l !== null) return l;
      if (n.index <= prevLast) return `range [${n.index}, ${n.last}] overlaps the one before`;
      prevLast = n.last;
      seen++;
      return walk(n.right, n.index + 1, hi);
    };
    const problem = walk(this.root, 0, ULONG_MAX);
    if (problem !== null) return problem;
    if (seen !== this.count) return `count ${this.count} but ${seen} ranges stored`;
    return null;
  }
}

function split<T>(t: Node<T> | null, key: number): [Node<T> | null, Node<T> | null] {
  // [ranges starting below key, ranges starting at or above key]
  if (t === null) return [null, null];
  if (t.index < key) {
    const [l, r] = split(t.right, key);
    t.right = l;
    return [t, r];
  }
  const [l, r] = split(t.left, key);
  t.left = r;
  return [l, t];
}

function merge<T>(a: Node<T> | null, b: Node<T> | null): Node<T> | null {
  // Every key of a is below every key of b.
  if (a === null) return b;
  if (b === null) return a;
  if (a.prio >= b.prio) {
    a.right = merge(a.right, b);
    return a;
  }
  b.left = merge(a, b.left);
  return b;
}

function maxNode<T>(t: Node<T> | null): Node<T> | null {
  if (t === null) return null;
  while (t.right !== null) t = t.right;
  return t;
}

function size<T>(t: Node<T> | null): number {
  return t === null ? 0 : 1 + size(t.left) + size(t.right);
}

// ---------------------------------------------------------------------------
// The maple state. Its position is a range [index, last] (an entry's or a
// gap's) plus a status saying how the next move should start:
//   start     - only `index` is meaningful; the next call walks to it first
//   active    - positioned on [index, last]
//   pause     - resume after `last`
//   none      - nothing found last time
//   underflow - a backwards move ran off the bottom (positioned on what it reached)
//   overflow  - a forwards move ran past its limit (positioned on what it reached)

export type MaStatus = 'start' | 'active' | 'pause' | 'none' | 'underflow' | 'overflow';

export class MaState<T> {
  status: MaStatus = 'start';
  constructor(
    public tree: MapleTree<T>,
    public index: number,
    public last: number = index,
  ) {}
}

/** MA_STATE */
export function maState<T>(tree: MapleTree<T>, index: number, last = index): MaState<T> {
  return new MaState(tree, index, last);
}

/** mas_init */
export function masInit<T>(mas: MaState<T>, tree: MapleTree<T>, addr: number): void {
  mas.tree = tree;
  mas.index = mas.last = addr;
  mas.status = 'start';
}

/** mas_reset: forget the position, keep index/last. */
export function masReset<T>(mas: MaState<T>): void {
  mas.status = 'start';
}

/** mas_set: restart at one index. */
export function masSet<T>(mas: MaState<T>, index: number): void {
  mas.index = mas.last = index;
  mas.status = 'start';
}

/** mas_set_range: restart on [start, last]. */
export function masSetRange<T>(mas: MaState<T>, start: number, last: number): void {
  mas.index = start;
  mas.last = last;
  mas.status = 'start';
}

/** __mas_set_range: set the range for the next store without resetting the walk. */
export function __masSetRange<T>(mas: MaState<T>, start: number, last: number): void {
  mas.index = start;
  mas.last = last;
}

/** mas_pause: drop the position; the next walk resumes after `last`. */
export function masPause<T>(mas: MaState<T>): void {
  mas.status = 'pause';
}

// Position mas on the range containing `index` and return its entry.
function rangeAt<T>(mas: MaState<T>, index: number): T | null {
  const n = mas.tree.floor(index);
  mas.status = 'active';
  if (n !== null && n.last >= index) {
    mas.index = n.index;
    mas.last = n.last;
    return n.entry;
  }
  const after = mas.tree.higher(index);
  mas.index = n === null ? 0 : n.last + 1;
  mas.last = after === null ? ULONG_MAX : after.index - 1;
  return null;
}

/** mas_walk: the entry at mas->index (null in a gap); positions on that range. */
export function masWalk<T>(mas: MaState<T>): T | null {
  return rangeAt(mas, mas.index);
}

// Forwards from the current range to the next one; `empty` also stops on gaps.
function nextSlot<T>(mas: MaState<T>, max: number, empty: boolean): T | null {
  for (;;) {
    if (mas.last >= max || mas.last === ULONG_MAX) {
      mas.status = 'overflow';
      return null;
    }
    const entry = rangeAt(mas, mas.last + 1);
    if (entry !== null || empty) return entry;
  }
}

// Backwards from the current range to the previous one; `empty` also stops on gaps.
function prevSlot<T>(mas: MaState<T>, min: number, empty: boolean): T | null {
  for (;;) {
    if (mas.index <= min) {
      mas.status = 'underflow';
      return null;
    }
    const entry = rangeAt(mas, mas.index - 1);
    if (entry !== null || empty) return entry;
  }
}

/**
 * mas_find: the first entry at or after the position, up to `max`. From a
 * fresh (start) state this includes the entry at `index` itself; from an
 * active state it continues after the current range.
 */
export function masFind<T>(mas: MaState<T>, max: number): T | null {
  switch (mas.status) {
    case 'active':
      if (mas.last >= max) return null;
      break;
    case 'pause':
      if (mas.last >= max) return null;
      mas.index = mas.last = mas.last + 1;
      mas.status = 'start';
      break;
    case 'none':
      if (mas.last >= max) return null;
      mas.index = mas.last;
      mas.status = 'start';
      break;
    case 'underflow': {
      if (mas.index >= max) {
        mas.status = 'overflow';
        return null;
      }
      const entry = masWalk(mas);
      if (entry !== null) return entry;
      break;
    }
    case 'overflow': {
      if (mas.last >= max) return null;
      const entry = masWalk(mas);
      if (entry !== null) return entry;
      break;
    }
    case 'start':
      break;
  }
  if (mas.status === 'start') {
    if (mas.index > max) return null;
    const entry = masWalk(mas);
    if (entry !== null) return entry;
  }
  return nextSlot(mas, max, false);
}

function nextSetup<T>(mas: MaState<T>): { done: boolean; entry: T | null } {
  switch (mas.status) {
    case 'active':
      break;
    case 'pause':
    case 'none':
    case 'start':
      masWalk(mas);
      break;
    case 'overflow':
      mas.status = 'active';
      break;
    case 'underflow': {
      // The caller expects to continue from one before where the state is.
      const entry = masWalk(mas);
      if (entry !== null) return { done: true, entry };
      break;
    }
  }
  return { done: false, entry: null };
}

/** mas_next: the next entry after the current range, up to `max`. */
export function masNext<T>(mas: MaState<T>, max: number): T | null {
  const s = nextSetup(mas);
  if (s.done) return s.entry;
  return nextSlot(mas, max, false);
}

/** mas_next_range: move to the next range, gap or not, up to `max`. */
export function masNextRange<T>(mas: MaState<T>, max: number): T | null {
  const s = nextSetup(mas);
  if (s.done) return s.entry;
  return nextSlot(mas, max, true);
}

function prevSetup<T>(mas: MaState<T>, min: number): boolean {
  if (mas.index <= min) {
    mas.status = 'underflow';
    return true;
  }
  switch (mas.status) {
    case 'active':
      return false;
    case 'start':
    case 'none':
    case 'pause':
      masWalk(mas);
      return false;
    case 'underflow':
      return true;
    case 'overflow':
      mas.status = 'active';
      return false;
  }
}

/** mas_prev: the previous entry before the current range, down to `min`. */
export function masPrev<T>(mas: MaState<T>, min: number): T | null {
  if (prevSetup(mas, min)) return null;
  return prevSlot(mas, min, false);
}

/** mas_prev_range: move to the previous range, gap or not, down to `min`. */
export function masPrevRange<T>(mas: MaState<T>, min: number): T | null {
  if (prevSetup(mas, min)) return null;
  return prevSlot(mas, min, true);
}

/** mas_store / mas_store_prealloc / mas_store_gfp: write entry (or a gap) over [index, last]. */
export function masStore<T>(mas: MaState<T>, entry: T | null): void {
  mas.tree.store(mas.index, mas.last, entry);
  mas.status = 'active';
}

/**
 * mas_preallocate: nodes are allocated on demand here, so there is nothing to
 * reserve. (The harness makes vma_iter_prealloc() fail on request instead.)
 */
export function masPreallocate<T>(_mas: MaState<T>, _entry: T | null): number {
  return 0;
}

/** mas_destroy: release preallocated nodes (none here). */
export function masDestroy<T>(_mas: MaState<T>): void {}

/** mtree_load: the entry covering index, or null. */
export function mtreeLoad<T>(tree: MapleTree<T>, index: number): T | null {
  const n = tree.floor(index);
  return n !== null && n.last >= index ? n.entry : null;
}

/** mt_find: the first entry intersecting [*index, max]; advances index past it. */
export function mtFind<T>(tree: MapleTree<T>, index: { value: number }, max: number): T | null {
  const mas = maState(tree, index.value);
  const entry = masFind(mas, max);
  if (entry !== null) index.value = mas.last + 1;
  return entry;
}

/** mtree_destroy */
export function mtreeDestroy<T>(tree: MapleTree<T>): void {
  tree.destroy();
}
