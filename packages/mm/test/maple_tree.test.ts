import { describe, expect, test } from 'vitest';
import {
  MapleTree,
  ULONG_MAX,
  maState,
  masFind,
  masNext,
  masNextRange,
  masPrev,
  masPrevRange,
  masSet,
  masStore,
  masWalk,
  mtreeLoad,
} from '../src/lib/maple_tree.js';
import { prandom as prng } from '../src/lib/prandom.js';

// The range tree behind mm->mm_mt, on its own: stores against a cell-by-cell
// model, and the maple-state walking rules the VMA code relies on.

const N = 160;

/** The tree's ranges as the model sees them: maximal runs of one store, gaps left out. */
function modelRanges(ids: readonly number[], entries: readonly (string | null)[]): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (let i = 0; i < N; ) {
    let j = i;
    while (j + 1 < N && ids[j + 1] === ids[i]) j++;
    if (entries[i] !== null) out.push([i, j, entries[i]!]);
    i = j + 1;
  }
  return out;
}

describe('maple tree store', () => {
  test('random stores match a cell-by-cell model', () => {
    const rnd = prng(0x7ee);
    const tree = new MapleTree<string>();
    const ids = new Array<number>(N).fill(0);
    const entries = new Array<string | null>(N).fill(null);
    for (let op = 1; op <= 5000; op++) {
      const index = Math.floor(rnd() * N);
      const last = Math.min(N - 1, index + Math.floor(rnd() * 24));
      const entry = rnd() < 0.25 ? null : 'abcde'[Math.floor(rnd() * 5)]!;
      tree.store(index, last, entry);
      for (let i = index; i <= last; i++) {
        ids[i] = entry === null ? 0 : op;
        entries[i] = entry;
      }
      // A cleared run merges with the gaps around it, as in the tree.
      for (let i = 0; i < N; i++) if (entries[i] === null) ids[i] = 0;
      expect(tree.validate()).toBeNull();
      const got = [...tree.ranges()].map((r) => [r.index, r.last, r.entry]);
      expect(got).toEqual(modelRanges(ids, entries));
      expect(tree.count).toBe(got.length);
    }
    for (let i = 0; i < N; i++) expect(mtreeLoad(tree, i)).toBe(entries[i]);
  });

  test('a store inside one range leaves both ends of it', () => {
    const tree = new MapleTree<string>();
    tree.store(10, 29, 'a');
    tree.store(15, 19, 'b');
    expect([...tree.ranges()]).toEqual([
      { index: 10, last: 14, entry: 'a' },
      { index: 15, last: 19, entry: 'b' },
      { index: 20, last: 29, entry: 'a' },
    ]);
    tree.store(12, 24, null);
    expect([...tree.ranges()]).toEqual([
      { index: 10, last: 11, entry: 'a' },
      { index: 25, last: 29, entry: 'a' },
    ]);
    expect(tree.count).toBe(2);
  });

  test('an empty range is rejected', () => {
    expect(() => new MapleTree<string>().store(5, 4, 'x')).toThrow(RangeError);
  });
});

describe('maple state walks', () => {
  // [10,19] A, [20,29] B, gap [30,49], [50,59] C; gaps [0,9] and [60, ULONG_MAX].
  const tree = new MapleTree<string>();
  tree.store(10, 19, 'A');
  tree.store(20, 29, 'B');
  tree.store(50, 59, 'C');

  test('walk positions on the entry or the gap around an index', () => {
    const mas = maState(tree, 35);
    expect(masWalk(mas)).toBeNull();
    expect([mas.index, mas.last]).toEqual([30, 49]);
    masSet(mas, 25);
    expect(masWalk(mas)).toBe('B');
    expect([mas.index, mas.last]).toEqual([20, 29]);
    masSet(mas, 70);
    expect(masWalk(mas)).toBeNull();
    expect([mas.index, mas.last]).toEqual([60, ULONG_MAX]);
  });

  test('find from a fresh state includes the entry at the index, then continues past it', () => {
    const mas = maState(tree, 12);
    expect(masFind(mas, ULONG_MAX)).toBe('A');
    expect(masFind(mas, ULONG_MAX)).toBe('B');
    expect(masFind(mas, ULONG_MAX)).toBe('C');
    expect(masFind(mas, ULONG_MAX)).toBeNull();
    expect(mas.status).toBe('overflow');
    // From a gap, find skips to the next entry; a limit below it stops it.
    expect(masFind(maState(tree, 31), ULONG_MAX)).toBe('C');
    expect(masFind(maState(tree, 31), 49)).toBeNull();
  });

  test('next moves past the current range; prev before it', () => {
    const mas = maState(tree, 12);
    expect(masNext(mas, ULONG_MAX)).toBe('B');
    expect(masPrev(mas, 0)).toBe('A');
    expect(masPrev(mas, 0)).toBeNull();
    expect(mas.status).toBe('underflow');
    expect([mas.index, mas.last]).toEqual([0, 9]);
    // After running off the bottom, find starts from where the walk stopped.
    expect(masFind(mas, ULONG_MAX)).toBe('A');
  });

  test('next_range and prev_range stop on gaps', () => {
    const mas = maState(tree, 25);
    expect(masNextRange(mas, ULONG_MAX)).toBeNull();
    expect([mas.index, mas.last]).toEqual([30, 49]);
    expect(masNextRange(mas, ULONG_MAX)).toBe('C');
    expect(masPrevRange(mas, 0)).toBeNull();
    expect(masPrevRange(mas, 0)).toBe('B');
  });

  test('prev after running off the top returns the last entry', () => {
    const mas = maState(tree, 55);
    expect(masFind(mas, ULONG_MAX)).toBe('C');
    expect(masFind(mas, ULONG_MAX)).toBeNull();
    expect(masPrev(mas, 0)).toBe('C');
  });

  test('a store leaves the state on the stored range', () => {
    const t = new MapleTree<string>();
    const mas = maState(t, 0);
    mas.index = 100;
    mas.last = 109;
    masStore(mas, 'X');
    expect([mas.index, mas.last, mas.status]).toEqual([100, 109, 'active']);
    expect(masPrev(mas, 0)).toBeNull();
    expect(masFind(maState(t, 0), ULONG_MAX)).toBe('X');
  });
});

describe('maple tree against a sorted-array model', () => {
  // The model: the stored ranges as a sorted array of [index, last, entry],
  // rebuilt from scratch by every store.
  type Range = [number, number, number];

  function modelStore(model: Range[], index: number, last: number, entry: number | null): Range[] {
    const out: Range[] = [];
    let placed = entry === null;
    for (const [i, l, e] of model) {
      if (!placed && i > last) {
        out.push([index, last, entry!]);
        placed = true;
      }
      if (l < index || i > last) {
        out.push([i, l, e]);
        continue;
      }
      if (i < index) out.push([i, index - 1, e]);
      if (!placed) {
        out.push([index, last, entry!]);
        placed = true;
      }
      if (l > last) out.push([last + 1, l, e]);
    }
    if (!placed) out.push([index, last, entry!]);
    return out;
  }

  /** The range (entry or gap) holding x: [index, last, entry or null]. */
  function modelRangeAt(model: Range[], x: number): [number, number, number | null] {
    let lo = 0;
    let hi = model.length; // first range starting above x
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (model[mid]![0] <= x) lo = mid + 1;
      else hi = mid;
    }
    const below = lo > 0 ? model[lo - 1]! : null;
    if (below !== null && below[1] >= x) return [below[0], below[1], below[2]];
    return [below === null ? 0 : below[1] + 1, lo < model.length ? model[lo]![0] - 1 : ULONG_MAX, null];
  }

  // A maple state in the 'active' status, stepped by the rules masNext() and
  // friends follow: move to the range after (before) the current one, stop on
  // a gap only for the *_range forms, give up at the limit.
  function modelStep(model: Range[], pos: [number, number], forward: boolean, limit: number, gaps: boolean) {
    let [index, last] = pos;
    for (;;) {
      if (forward ? last >= limit || last === ULONG_MAX : index <= limit) {
        return { entry: null, index, last, status: forward ? 'overflow' : 'underflow' };
      }
      const [i, l, e] = modelRangeAt(model, forward ? last + 1 : index - 1);
      index = i;
      last = l;
      if (e !== null || gaps) return { entry: e, index, last, status: 'active' };
    }
  }

  test('random stores, lookups and walks agree with the model', () => {
    const rnd = prng(0xb7ee);
    const int = (n: number): number => Math.floor(rnd() * n);
    const SPACE = 16000;
    const tree = new MapleTree<number>();
    let model: Range[] = [];
    let maxHeight = 0;
    let shrinks = 0;
    // One maple state kept across stores, so a remembered leaf from before a
    // store must never be trusted after it.
    const mas = maState(tree, 0);
    let active = false;
    for (let op = 1; op <= 24000; op++) {
      const r = rnd();
      if (r < 0.45) {
        // Mostly short stores, some clears, now and then a wide one that
        // wipes or covers hundreds of ranges (forcing merges up the tree).
        const kind = rnd();
        const len = kind < 0.93 ? 1 + int(8) : kind < 0.985 ? 1 + int(2500) : 1 + int(SPACE);
        const index = rnd() < 0.002 ? ULONG_MAX - int(3) : int(SPACE);
        const last = Math.min(ULONG_MAX, index + len - 1);
        const entry = rnd() < (len > 8 ? 0.6 : 0.2) ? null : op;
        const before = tree.count;
        tree.store(index, last, entry);
        model = modelStore(model, index, last, entry);
        if (tree.count < before - 50) shrinks++;
        const problem = tree.validate();
        if (problem !== null) expect.fail(`after store #${op} [${index}, ${last}]: ${problem}`);
        expect(tree.count).toBe(model.length);
        maxHeight = Math.max(maxHeight, tree.height);
        if (op % 64 === 0) {
          expect([...tree.ranges()].map((g) => [g.index, g.last, g.entry])).toEqual(model);
        }
      } else if (r < 0.6) {
        const x = rnd() < 0.01 ? ULONG_MAX - int(3) : int(SPACE + 50);
        const want = modelRangeAt(model, x);
        expect(mtreeLoad(tree, x)).toBe(want[2]);
        const fl = tree.floor(x);
        const hi = tree.higher(x);
        const below = model.filter((g) => g[0] <= x).at(-1);
        const above = model.find((g) => g[0] > x);
        expect(fl === null ? null : [fl.index, fl.last, fl.entry]).toEqual(below ?? null);
        expect(hi === null ? null : [hi.index, hi.last, hi.entry]).toEqual(above ?? null);
      } else if (r < 0.7 || !active) {
        // Walk from a fresh position (near the last one half of the time, so
        // a remembered leaf is reused when it is still valid).
        const x = active && rnd() < 0.5 ? Math.max(0, mas.index + int(200) - 100) : int(SPACE + 50);
        masSet(mas, x);
        const got = masWalk(mas);
        const [index, last, entry] = modelRangeAt(model, x);
        expect([got, mas.index, mas.last, mas.status]).toEqual([entry, index, last, 'active']);
        active = true;
      } else {
        const forward = rnd() < 0.5;
        const gaps = rnd() < 0.5;
        const far = rnd() < 0.7;
        const limit = forward ? (far ? ULONG_MAX : mas.last + int(100)) : far ? 0 : Math.max(0, mas.index - int(100));
        const want = modelStep(model, [mas.index, mas.last], forward, limit, gaps);
        const step = forward ? (gaps ? masNextRange : masNext) : gaps ? masPrevRange : masPrev;
        const got = step(mas, limit);
        expect({ entry: got, index: mas.index, last: mas.last, status: mas.status }).toEqual(want);
        if (mas.status !== 'active') active = false;
      }
    }
    expect([...tree.ranges()].map((g) => [g.index, g.last, g.entry])).toEqual(model);
    // The run must have built a tree of several levels and torn parts of it down.
    expect(maxHeight).toBeGreaterThanOrEqual(3);
    expect(shrinks).toBeGreaterThan(10);
  });

  test('stores and lookups around one place agree with the model', () => {
    // The VMA code walks and stores around one address in turn, which a seek
    // serves from the leaf of the seek before when it still can: stores that
    // split, shrink and refill leaves there must never leave a stale path.
    const rnd = prng(0x5eec);
    const int = (n: number): number => Math.floor(rnd() * n);
    const SPACE = 20000;
    const tree = new MapleTree<number>();
    let model: Range[] = [];
    for (let i = 0; i < SPACE; i += 4) {
      tree.store(i, i + 2, i);
      model.push([i, i + 2, i]);
    }
    let cursor = int(SPACE);
    let refills = 0;
    for (let op = 1; op <= 6000; op++) {
      if (rnd() < 0.05) cursor = int(SPACE);
      const index = Math.max(0, cursor + int(64) - 32);
      // Mostly one-cell changes (a split and its merge), sometimes a clear of
      // dozens of ranges that empties leaves and makes their neighbours refill.
      const len = rnd() < 0.9 ? 1 + int(3) : 1 + int(400);
      const last = index + len - 1;
      const entry = rnd() < (len > 3 ? 0.5 : 0.3) ? null : op;
      const height = tree.height;
      const before = tree.count;
      tree.store(index, last, entry);
      model = modelStore(model, index, last, entry);
      if (tree.count < before - 16 || tree.height !== height) refills++;
      const problem = tree.validate();
      if (problem !== null) expect.fail(`after store #${op} [${index}, ${last}]: ${problem}`);
      for (let k = 0; k < 4; k++) {
        const x = Math.max(0, index + int(96) - 48);
        expect(mtreeLoad(tree, x)).toBe(modelRangeAt(model, x)[2]);
        const fl = tree.floor(x);
        const below = model.filter((g) => g[0] <= x).at(-1);
        expect(fl === null ? null : [fl.index, fl.last, fl.entry]).toEqual(below ?? null);
      }
      // Refill the cleared stretch now and then, so leaves split again.
      if (rnd() < 0.1) {
        for (let i = index - (index % 4); i <= last; i += 4) {
          tree.store(i, i + 2, i);
          model = modelStore(model, i, i + 2, i);
        }
        const again = tree.validate();
        if (again !== null) expect.fail(`after refilling #${op}: ${again}`);
      }
    }
    expect([...tree.ranges()].map((g) => [g.index, g.last, g.entry])).toEqual(model);
    expect(tree.height).toBeGreaterThanOrEqual(3);
    expect(refills).toBeGreaterThan(50);
  });

  test('filling and emptying in order splits and merges every level', () => {
    const tree = new MapleTree<number>();
    const n = 5000;
    for (let i = 0; i < n; i++) tree.store(i * 10, i * 10 + 4, i);
    expect(tree.validate()).toBeNull();
    expect(tree.height).toBeGreaterThanOrEqual(4);
    // Walk every range forwards and back through the leaf chain.
    const mas = maState(tree, 0);
    for (let i = 0; i < n; i++) expect(masFind(mas, ULONG_MAX)).toBe(i);
    for (let i = n - 2; i >= 0; i--) expect(masPrev(mas, 0)).toBe(i);
    // Remove from both ends and the middle until nothing is left.
    for (let k = 0; k < n; k++) {
      const i = k % 3 === 0 ? k / 3 : k % 3 === 1 ? n - 1 - (k - 1) / 3 : Math.floor(n / 2) + (k % 7);
      tree.store(i * 10, i * 10 + 4, null);
      if (k % 97 === 0) expect(tree.validate()).toBeNull();
    }
    const left = [...tree.ranges()];
    for (const g of left) tree.store(g.index, g.last, null);
    expect(tree.validate()).toBeNull();
    expect([tree.count, tree.height, tree.root]).toEqual([0, 0, null]);
    const empty = maState(tree, 5);
    expect([masWalk(empty), empty.index, empty.last]).toEqual([null, 0, ULONG_MAX]);
  });
});
