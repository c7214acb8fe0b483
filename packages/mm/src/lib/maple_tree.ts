// The address-space index behind mm->mm_mt.
//
// The kernel's maple tree maps every index of [0, ULONG_MAX] to exactly one
// range, holding either an entry or nothing (a gap), and a maple state (`mas`)
// walks those ranges: find/next skip gaps, next_range/prev_range stop on them.
// This is our own structure with that contract: a B+tree of the non-empty
// ranges keyed by their first index, gaps being whatever lies between two
// stored ranges. Like maple nodes, our nodes are wide (SLOTS ranges or
// children each) and keep their indices in packed Float64Arrays, so a lookup
// touches a handful of cache lines instead of one node per level of a binary
// tree. Leaves are linked both ways, so stepping to a neighbouring range is
// O(1) once a maple state knows its leaf. Lookups are O(log n) and allocate
// nothing. A store costs O(log n) per range it creates or removes; it creates
// at most two, so stores are O(log n) amortized. The shape depends only on
// the sequence of stores.
//
// Ranges are inclusive, as in the maple tree ([index, last]); the VMA code
// converts from its exclusive vm_end at the call sites, as the kernel does.

/** Largest index the tree can hold: every address and page offset is an exact JS integer below it. */
export const ULONG_MAX = Number.MAX_SAFE_INTEGER;

/** One stored range, as handed out by `ranges()`, `floor()` and `higher()`. */
export interface MapleRange<T> {
  /** First index of the range (inclusive). */
  index: number;
  /** Last index of the range (inclusive). */
  last: number;
  /** What the range holds. */
  entry: T;
}

/** Ranges per leaf and children per branch (the kernel's range nodes have 16 slots too). */
const SLOTS = 16;
/** Every node but the root keeps at least this many slots in use. */
const MIN_FILL = SLOTS / 2;

/** Ranges sorted by first index; slots [0, n) are in use. */
class Leaf<T> {
  n = 0;
  readonly index = new Float64Array(SLOTS);
  readonly last = new Float64Array(SLOTS);
  readonly entry: (T | null)[] = new Array<T | null>(SLOTS).fill(null);
  prev: Leaf<T> | null = null;
  next: Leaf<T> | null = null;
}

/** Children in index order, with the first index stored under each. */
class Branch<T> {
  n = 0;
  readonly low = new Float64Array(SLOTS);
  readonly child: (Node<T> | null)[] = new Array<Node<T> | null>(SLOTS).fill(null);
}

type Node<T> = Leaf<T> | Branch<T>;

// Each tree's version is unique across all trees, so a maple state can tell
// whether a leaf it remembers still belongs to the tree as it is now.
let lastVersion = 0;

/**
 * struct maple_tree as the VMA code uses it: every index of [0, ULONG_MAX] lies in exactly one range,
 * holding an entry or nothing (a gap). The port's mm->mm_mt.
 */
export class MapleTree<T> {
  /** Root node; null when empty. */
  root: Node<T> | null = null;
  /** Levels from the root to the leaves (0 when empty). */
  height = 0;
  /** Number of stored (non-empty) ranges. */
  count = 0;
  /** Changes on every store or destroy. */
  version = ++lastVersion;
  /**
   * Result of `seek()`: the leaf and slot of the last range starting at or
   * below the index sought; slot -1 (in the first leaf) when there is none.
   */
  seekLeaf: Leaf<T> | null = null;
  /** Slot in `seekLeaf` of the range `seek()` found; -1 when no range starts at or below the index. */
  seekSlot = -1;
  // The branches `seek()` went through and the child taken in each, so an
  // insert or delete in the leaf it found can work its way back up.
  readonly #pathNode: Branch<T>[] = [];
  readonly #pathSlot: number[] = [];
  // Whether the path above still leads to seekLeaf: true after a seek, false
  // once nodes are split, merged, rebalanced or dropped. Slots moving inside
  // one leaf and the low indices #fixLow() corrects leave it valid.
  #pathValid = false;

  /** Find the range with the greatest first index <= x (see seekLeaf). The tree must not be empty. */
  seek(x: number): void {
    // The VMA code walks and stores around one place in turn: when x lies in
    // the leaf of the last seek, only that leaf needs scanning (the leaf's
    // first index <= x < the next leaf's first, so floor(x) is in it).
    const last = this.seekLeaf;
    if (this.#pathValid && last !== null && last.index[0]! <= x && (last.next === null || x < last.next.index[0]!)) {
      let s = 1;
      while (s < last.n && last.index[s]! <= x) s++;
      this.seekSlot = s - 1;
      return;
    }
    let node = this.root!;
    for (let d = 0; d < this.height - 1; d++) {
      const b = node as Branch<T>;
      let c = 1;
      while (c < b.n && b.low[c]! <= x) c++;
      this.#pathNode[d] = b;
      this.#pathSlot[d] = --c;
      node = b.child[c]!;
    }
    const leaf = node as Leaf<T>;
    let s = 0;
    while (s < leaf.n && leaf.index[s]! <= x) s++;
    this.seekLeaf = leaf;
    this.seekSlot = s - 1;
    this.#pathValid = true;
  }

  /** mtree_load: the entry covering index, or null. */
  load(index: number): T | null {
    if (this.root === null) return null;
    this.seek(index);
    const leaf = this.seekLeaf!;
    const s = this.seekSlot;
    return s >= 0 && leaf.last[s]! >= index ? leaf.entry[s]! : null;
  }

  /** The stored range with the greatest first index <= index (a fresh object). */
  floor(index: number): MapleRange<T> | null {
    if (this.root === null) return null;
    this.seek(index);
    return this.seekSlot < 0 ? null : rangeOf(this.seekLeaf!, this.seekSlot);
  }

  /** The stored range with the smallest first index > index (a fresh object). */
  higher(index: number): MapleRange<T> | null {
    if (this.root === null) return null;
    this.seek(index);
    let leaf: Leaf<T> | null = this.seekLeaf!;
    let s = this.seekSlot + 1;
    if (s === leaf.n) {
      leaf = leaf.next;
      s = 0;
    }
    return leaf === null ? null : rangeOf(leaf, s);
  }

  /**
   * Replace whatever covers [index, last] by one range holding `entry` (or by
   * a gap when entry is null). Ranges sticking out on either side are trimmed
   * to the part outside, exactly like a maple tree store.
   */
  store(index: number, last: number, entry: T | null): void {
    if (!(index <= last)) throw new RangeError(`maple tree store: index ${index} > last ${last}`);
    this.version = ++lastVersion;
    if (this.root === null) {
      if (entry === null) return;
      const leaf = new Leaf<T>();
      leafInsert(leaf, 0, index, last, entry);
      this.#pathValid = false;
      this.root = leaf;
      this.height = 1;
      this.count = 1;
      return;
    }
    this.seek(index);
    let leaf = this.seekLeaf!;
    let s = this.seekSlot;
    if (s >= 0 && leaf.index[s]! < index && leaf.last[s]! >= index) {
      // A range starting below index runs into the store: keep its lower part.
      const end = leaf.last[s]!;
      leaf.last[s] = index - 1;
      if (end > last) {
        // The store falls inside it; its upper part becomes a range of its own.
        this.#insertAt(leaf, s + 1, last + 1, end, leaf.entry[s]!);
        if (entry !== null) {
          this.seek(index);
          this.#insertAt(this.seekLeaf!, this.seekSlot + 1, index, last, entry);
        }
        return;
      }
    }
    // Walk the ranges starting inside [index, last]: the first one fully
    // covered is reused for the new entry, the others are removed, and one
    // sticking out above last loses its lower part.
    let placed = entry === null;
    if (s < 0 || leaf.index[s]! < index) s++;
    for (;;) {
      if (s === leaf.n) {
        if (leaf.next === null) break;
        // Carry on in the next leaf, with a path that leads to it.
        this.seek(leaf.next.index[0]!);
        leaf = this.seekLeaf!;
        s = 0;
      }
      const first = leaf.index[s]!;
      if (first > last) break;
      if (leaf.last[s]! > last) {
        leaf.index[s] = last + 1;
        if (s === 0) this.#fixLow(this.height - 1, last + 1);
        break;
      }
      if (!placed) {
        leaf.index[s] = index;
        leaf.last[s] = last;
        leaf.entry[s] = entry;
        if (s === 0 && first !== index) this.#fixLow(this.height - 1, index);
        placed = true;
        s++;
        continue;
      }
      this.count--;
      if (this.#deleteAt(leaf, s)) {
        // Nodes were merged or rebalanced: find the position again.
        if (this.root === null) break;
        this.seek(index);
        leaf = this.seekLeaf!;
        s = this.seekSlot + 1;
      }
    }
    if (!placed) {
      // Nothing was removed (removals only start once the entry is placed), so
      // (leaf, s) is still where the first range above the store is, or the end.
      this.#insertAt(leaf, s, index, last, entry as T);
    }
  }

  /** mtree_destroy: forget every range. */
  destroy(): void {
    this.root = null;
    this.height = 0;
    this.count = 0;
    this.seekLeaf = null;
    this.#pathValid = false;
    this.version = ++lastVersion;
  }

  /** Every stored range in index order (for validation and dumps). */
  *ranges(): Generator<MapleRange<T>> {
    for (let leaf = this.#firstLeaf(); leaf !== null; leaf = leaf.next) {
      for (let s = 0; s < leaf.n; s++) yield rangeOf(leaf, s);
    }
  }

  /**
   * mt_validate: ranges ordered, non-empty and non-overlapping; every leaf at
   * the same depth; nodes filled within bounds; each branch's low index equal
   * to the first index under the child; the leaf chain in order; count right.
   * Returns a description of the first problem, or null.
   */
  validate(): string | null {
    if (this.root === null) {
      return this.height === 0 && this.count === 0
        ? null
        : `empty tree with height ${this.height}, count ${this.count}`;
    }
    let seen = 0;
    let prevLast = -1;
    let prevLeaf: Leaf<T> | null = null;
    const walk = (node: Node<T>, depth: number): string | null => {
      const isRoot = depth === 0;
      if (node.n > SLOTS || node.n < (isRoot ? 1 : MIN_FILL)) return `node at depth ${depth} holds ${node.n} slots`;
      if (depth === this.height - 1) {
        if (!(node instanceof Leaf)) return `branch at leaf depth ${depth}`;
        if (node.prev !== prevLeaf || (prevLeaf !== null && prevLeaf.next !== node))
          return `leaf chain broken at depth ${depth}`;
        for (let s = 0; s < node.n; s++) {
          const index = node.index[s]!;
          const last = node.last[s]!;
          if (last < index) return `range [${index}, ${last}] is empty`;
          if (index <= prevLast) return `range [${index}, ${last}] overlaps the one before`;
          if (node.entry[s] === null) return `range [${index}, ${last}] holds no entry`;
          prevLast = last;
        }
        for (let s = node.n; s < SLOTS; s++) if (node.entry[s] !== null) return `unused leaf slot ${s} holds an entry`;
        seen += node.n;
        prevLeaf = node;
        return null;
      }
      if (!(node instanceof Branch)) return `leaf at branch depth ${depth}`;
      if (isRoot && node.n < 2) return `root branch with ${node.n} child`;
      for (let c = 0; c < node.n; c++) {
        const child = node.child[c]!;
        const low = child instanceof Leaf ? child.index[0] : child.low[0];
        if (node.low[c] !== low) return `branch low ${node.low[c]} but child starts at ${low}`;
        const problem = walk(child, depth + 1);
        if (problem !== null) return problem;
      }
      return null;
    };
    const problem = walk(this.root, 0);
    if (problem !== null) return problem;
    if (prevLeaf!.next !== null) return 'leaf chain runs past the last leaf';
    if (seen !== this.count) return `count ${this.count} but ${seen} ranges stored`;
    return null;
  }

  #firstLeaf(): Leaf<T> | null {
    let node = this.root;
    for (let d = 1; d < this.height; d++) node = (node as Branch<T>).child[0]!;
    return node as Leaf<T> | null;
  }

  // The node at `depth` on the last seek's path now starts at `low`: tell
  // the branches above, as far up as it is their first child.
  #fixLow(depth: number, low: number): void {
    for (let d = depth - 1; d >= 0; d--) {
      const c = this.#pathSlot[d]!;
      this.#pathNode[d]!.low[c] = low;
      if (c !== 0) return;
    }
  }

  // Insert a range at slot pos of the leaf the last seek reached, splitting
  // full nodes on the way up.
  #insertAt(leaf: Leaf<T>, pos: number, index: number, last: number, entry: T): void {
    this.count++;
    const depth = this.height - 1;
    if (leaf.n < SLOTS) {
      leafInsert(leaf, pos, index, last, entry);
      if (pos === 0) this.#fixLow(depth, index);
      return;
    }
    this.#pathValid = false;
    const right = new Leaf<T>();
    leafMove(leaf, MIN_FILL, right, 0, SLOTS - MIN_FILL);
    if (pos <= MIN_FILL) {
      leafInsert(leaf, pos, index, last, entry);
      if (pos === 0) this.#fixLow(depth, index);
    } else {
      leafInsert(right, pos - MIN_FILL, index, last, entry);
    }
    right.next = leaf.next;
    if (right.next !== null) right.next.prev = right;
    right.prev = leaf;
    leaf.next = right;
    this.#addChild(depth - 1, right.index[0]!, right);
  }

  // Put `node` right after the path's child at `depth` (-1: the root split).
  #addChild(depth: number, low: number, node: Node<T>): void {
    if (depth < 0) {
      const root = new Branch<T>();
      const old = this.root!;
      branchInsert(root, 0, old instanceof Leaf ? old.index[0]! : old.low[0]!, old);
      branchInsert(root, 1, low, node);
      this.root = root;
      this.height++;
      return;
    }
    const b = this.#pathNode[depth]!;
    const pos = this.#pathSlot[depth]! + 1;
    if (b.n < SLOTS) {
      branchInsert(b, pos, low, node);
      return;
    }
    const right = new Branch<T>();
    branchMove(b, MIN_FILL, right, 0, SLOTS - MIN_FILL);
    if (pos <= MIN_FILL) branchInsert(b, pos, low, node);
    else branchInsert(right, pos - MIN_FILL, low, node);
    this.#addChild(depth - 1, right.low[0]!, right);
  }

  // Remove slot s of the leaf the last seek reached. Returns true when nodes
  // had to be merged or rebalanced (positions found before are then stale).
  #deleteAt(leaf: Leaf<T>, s: number): boolean {
    leafRemove(leaf, s);
    const depth = this.height - 1;
    if (depth === 0) {
      if (leaf.n > 0) return false;
      this.#pathValid = false;
      this.root = null;
      this.height = 0;
      return true;
    }
    if (s === 0) this.#fixLow(depth, leaf.index[0]!);
    if (leaf.n >= MIN_FILL) return false;
    this.#pathValid = false;
    this.#refill(depth, leaf);
    return true;
  }

  // The path's node at `depth` (> 0) has fallen below MIN_FILL: take a slot
  // from a sibling that can spare one, or merge with it.
  #refill(depth: number, node: Node<T>): void {
    const parent = this.#pathNode[depth - 1]!;
    const c = this.#pathSlot[depth - 1]!;
    if (c > 0) {
      const left = parent.child[c - 1]!;
      if (left.n > MIN_FILL) {
        if (node instanceof Leaf) {
          const l = left as Leaf<T>;
          leafInsert(node, 0, l.index[l.n - 1]!, l.last[l.n - 1]!, l.entry[l.n - 1]!);
          leafRemove(l, l.n - 1);
          parent.low[c] = node.index[0]!;
        } else {
          const l = left as Branch<T>;
          branchInsert(node, 0, l.low[l.n - 1]!, l.child[l.n - 1]!);
          branchRemove(l, l.n - 1);
          parent.low[c] = node.low[0]!;
        }
        return;
      }
      mergeNodes(left, node);
      this.#removeChild(depth - 1, c);
    } else {
      const right = parent.child[1]!;
      if (right.n > MIN_FILL) {
        if (node instanceof Leaf) {
          const r = right as Leaf<T>;
          leafInsert(node, node.n, r.index[0]!, r.last[0]!, r.entry[0]!);
          leafRemove(r, 0);
          parent.low[1] = r.index[0]!;
        } else {
          const r = right as Branch<T>;
          branchInsert(node, node.n, r.low[0]!, r.child[0]!);
          branchRemove(r, 0);
          parent.low[1] = r.low[0]!;
        }
        return;
      }
      mergeNodes(node, right);
      this.#removeChild(depth - 1, 1);
    }
  }

  // Drop child c (> 0, already merged into its left sibling) of the path's branch at `depth`.
  #removeChild(depth: number, c: number): void {
    const b = this.#pathNode[depth]!;
    branchRemove(b, c);
    if (depth === 0) {
      if (b.n === 1) {
        this.root = b.child[0]!;
        this.height--;
      }
      return;
    }
    if (b.n < MIN_FILL) this.#refill(depth, b);
  }
}

function rangeOf<T>(leaf: Leaf<T>, s: number): MapleRange<T> {
  return { index: leaf.index[s]!, last: leaf.last[s]!, entry: leaf.entry[s]! };
}

// Slot shuffling. Nodes are at most SLOTS wide, so plain loops beat copyWithin.

function leafInsert<T>(leaf: Leaf<T>, pos: number, index: number, last: number, entry: T | null): void {
  for (let i = leaf.n; i > pos; i--) {
    leaf.index[i] = leaf.index[i - 1]!;
    leaf.last[i] = leaf.last[i - 1]!;
    leaf.entry[i] = leaf.entry[i - 1]!;
  }
  leaf.index[pos] = index;
  leaf.last[pos] = last;
  leaf.entry[pos] = entry;
  leaf.n++;
}

function leafRemove<T>(leaf: Leaf<T>, pos: number): void {
  const n = --leaf.n;
  for (let i = pos; i < n; i++) {
    leaf.index[i] = leaf.index[i + 1]!;
    leaf.last[i] = leaf.last[i + 1]!;
    leaf.entry[i] = leaf.entry[i + 1]!;
  }
  leaf.entry[n] = null; // let the entry be collected
}

/** Move `count` slots from the end of `from` (starting at slot src) to slot dst of `to`. */
function leafMove<T>(from: Leaf<T>, src: number, to: Leaf<T>, dst: number, count: number): void {
  for (let i = 0; i < count; i++) {
    to.index[dst + i] = from.index[src + i]!;
    to.last[dst + i] = from.last[src + i]!;
    to.entry[dst + i] = from.entry[src + i]!;
    from.entry[src + i] = null;
  }
  from.n -= count;
  to.n += count;
}

function branchInsert<T>(b: Branch<T>, pos: number, low: number, child: Node<T>): void {
  for (let i = b.n; i > pos; i--) {
    b.low[i] = b.low[i - 1]!;
    b.child[i] = b.child[i - 1]!;
  }
  b.low[pos] = low;
  b.child[pos] = child;
  b.n++;
}

function branchRemove<T>(b: Branch<T>, pos: number): void {
  const n = --b.n;
  for (let i = pos; i < n; i++) {
    b.low[i] = b.low[i + 1]!;
    b.child[i] = b.child[i + 1]!;
  }
  b.child[n] = null;
}

function branchMove<T>(from: Branch<T>, src: number, to: Branch<T>, dst: number, count: number): void {
  for (let i = 0; i < count; i++) {
    to.low[dst + i] = from.low[src + i]!;
    to.child[dst + i] = from.child[src + i]!;
    from.child[src + i] = null;
  }
  from.n -= count;
  to.n += count;
}

/** Append every slot of `right` to `left`, its left sibling; right is then unused. */
function mergeNodes<T>(left: Node<T>, right: Node<T>): void {
  if (left instanceof Leaf) {
    const r = right as Leaf<T>;
    leafMove(r, 0, left, left.n, r.n);
    left.next = r.next;
    if (left.next !== null) left.next.prev = left;
  } else {
    const r = right as Branch<T>;
    branchMove(r, 0, left, left.n, r.n);
  }
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

/**
 * enum maple_status (ma_start, ma_active, ma_pause, ma_none, ma_underflow, ma_overflow): what the last
 * move of a maple state left, which decides how the next one starts.
 */
export type MaStatus = 'start' | 'active' | 'pause' | 'none' | 'underflow' | 'overflow';

/**
 * struct ma_state: a cursor on a maple tree. It stands on one range (an entry's or a gap's) and remembers
 * the leaf it found it in, so stepping to a neighbour costs O(1).
 */
export class MaState<T> {
  /** status: where the last move left the state; see MaStatus. */
  status: MaStatus = 'start';
  /**
   * Where the last walk ended, as a hint for the next one: the leaf and slot
   * of the last range starting at or below `index` (slot -1: none), valid
   * while the tree's version is still `version`.
   */
  node: Leaf<T> | null = null;
  /** offset: slot of `node` holding the hinted range; -1 when none starts at or below `index`. */
  offset = -1;
  /** The tree's version when `node` was taken; once the tree changes, the hint is not trusted. */
  version = 0;
  constructor(
    /** tree: the maple tree walked. */
    public tree: MapleTree<T>,
    /** index: first index of the current range, or the index to walk to in the start state. */
    public index: number,
    /** last: last index of the current range (inclusive). */
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
  mas.node = null;
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

// If floor(x) (the last range starting at or below x) is the range mas
// remembers or one next to it, move the hint there and return true. This is
// what makes next/prev steps O(1).
function hintNear<T>(mas: MaState<T>, leaf: Leaf<T>, x: number): boolean {
  let s = mas.offset;
  if (s >= 0 && x < leaf.index[s]!) {
    // Only the range before can be the floor.
    if (s > 0) s--;
    else if (leaf.prev !== null) {
      leaf = leaf.prev;
      s = leaf.n - 1;
    } else s = -1;
    if (s >= 0 && x < leaf.index[s]!) return false;
  } else {
    // The floor is this range or one of the following ones; try the next.
    let next = leaf.next;
    let ns = s + 1;
    if (ns < leaf.n) next = leaf;
    else ns = 0;
    if (next !== null && next.index[ns]! <= x) {
      leaf = next;
      s = ns;
      let after = leaf.next;
      let afterSlot = s + 1;
      if (afterSlot < leaf.n) after = leaf;
      else afterSlot = 0;
      if (after !== null && after.index[afterSlot]! <= x) return false;
    }
  }
  mas.node = leaf;
  mas.offset = s;
  return true;
}

// Position mas on the range containing `x` and return its entry.
function rangeAt<T>(mas: MaState<T>, x: number): T | null {
  const tree = mas.tree;
  mas.status = 'active';
  if (tree.root === null) {
    mas.index = 0;
    mas.last = ULONG_MAX;
    mas.node = null;
    return null;
  }
  const hint = mas.node;
  if (hint === null || mas.version !== tree.version || !hintNear(mas, hint, x)) {
    tree.seek(x);
    mas.node = tree.seekLeaf;
    mas.offset = tree.seekSlot;
    mas.version = tree.version;
  }
  const leaf = mas.node!;
  const s = mas.offset;
  if (s >= 0 && leaf.last[s]! >= x) {
    mas.index = leaf.index[s]!;
    mas.last = leaf.last[s]!;
    return leaf.entry[s]!;
  }
  // A gap, up to the next range if there is one.
  mas.index = s >= 0 ? leaf.last[s]! + 1 : 0;
  if (s + 1 < leaf.n) mas.last = leaf.index[s + 1]! - 1;
  else mas.last = leaf.next === null ? ULONG_MAX : leaf.next.index[0]! - 1;
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
export function masDestroy<T>(_mas: MaState<T>): void {
  // Nodes are never preallocated, so there is nothing to release.
}

/** mtree_load: the entry covering index, or null. */
export function mtreeLoad<T>(tree: MapleTree<T>, index: number): T | null {
  return tree.load(index);
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
