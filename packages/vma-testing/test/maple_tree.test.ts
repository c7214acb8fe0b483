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
import { prng } from '../src/random_sequence.js';

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
