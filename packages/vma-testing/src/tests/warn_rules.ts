import { VMA_EXEC_BIT, VMA_GROWSDOWN_BIT, VMA_READ_BIT } from '@vmaflags/core';
import {
  MmStruct,
  VMA_ITERATOR,
  VMG_STATE,
  __splitVma,
  doVmiMunmap,
  vmaExpand,
  vmaIterSet,
  vmaMergeExistingRange,
  vmaMergeNewRange,
  vmaShrink,
  type Backend,
  type VmaFlags,
  type VmaIterator,
} from '@vmaflags/mm';
import { AnonVma, harness, takeWarnings } from '../include/custom.js';
import { ASSERT_EQ, ASSERT_TRUE, allocAndLinkVma, baseFlags, dummyClose, type TestRegistrar } from '../shared.js';

// The VMA code's own sanity checks (VM_WARN_ON and friends) are part of its
// contract with callers: each misuse below must be reported, and the same
// call one step inside the allowed range must not be. Each scenario runs on
// a fresh mm, since code that carries on after a warning may leave it
// inconsistent. The checks are those of linux-mm/linux-mm
// @009857a22860ec279c1d75b4546a54dcac4c1384 mm/vma.c
// (vma_merge_existing_range(), vma_merge_new_range(), vma_expand(),
// __split_vma(), vma_shrink(), init_multi_vma_prep(),
// is_mergeable_anon_vma(), vms_complete_munmap_vmas()).

interface Scene {
  b: Backend;
  flags: VmaFlags;
  mm: MmStruct;
  vmi: VmaIterator;
}

/** Run `misuse` on a fresh mm and return the warnings it raised (a BUG or a crash after them is tolerated). */
function warningsOf(b: Backend, misuse: (s: Scene) => void): string[] {
  const mm = new MmStruct(b, harness);
  const s: Scene = { b, flags: baseFlags(b), mm, vmi: VMA_ITERATOR(mm, 0) };
  takeWarnings();
  try {
    misuse(s);
  } catch {
    // Carrying on after a failed check may trip over the state it left.
  }
  // So may what it allocated: the leak check has nothing sound to say about it.
  harness.reset();
  return takeWarnings();
}

/** `misuse` raises the warning `what`; `allowed` (the nearest correct call) raises none. */
function expectWarning(b: Backend, what: string, misuse: (s: Scene) => void, allowed?: (s: Scene) => void): void {
  const got = warningsOf(b, misuse);
  ASSERT_TRUE(got.includes(what), `warning "${what}" (got ${JSON.stringify(got)})`);
  if (allowed !== undefined)
    ASSERT_EQ(warningsOf(b, allowed).length, 0, `no warning for the allowed form of "${what}"`);
}

/**
 * P [0,3) and V [3,6) with a merge request for [start, end) of V (P as prev
 * unless said otherwise) and the iterator at `iter`.
 */
function mergeExisting(
  s: Scene,
  start: number,
  end: number,
  opts: { iter?: number; prevIsMiddle?: boolean; tweak?: (vmg: ReturnType<typeof VMG_STATE>) => void } = {},
): void {
  const prev = allocAndLinkVma(s.mm, 0, 0x3000, 0, s.flags)!;
  const vma = allocAndLinkVma(s.mm, 0x3000, 0x6000, 3, s.flags)!;
  const vmg = VMG_STATE(s.mm, s.vmi, start, end, s.flags, start >> 12);
  vmg.prev = opts.prevIsMiddle ? vma : prev;
  vmg.middle = vma;
  vmaIterSet(s.vmi, opts.iter ?? 0x3000);
  opts.tweak?.(vmg);
  vmaMergeExistingRange(vmg);
}

function testMergeExistingWarns(b: Backend): void {
  expectWarning(
    b,
    'merge existing: no middle',
    (s) => mergeExisting(s, 0x3000, 0x6000, { tweak: (vmg) => (vmg.middle = null) }),
    (s) => mergeExisting(s, 0x3000, 0x6000),
  );
  expectWarning(b, 'merge existing: next given by the caller', (s) =>
    mergeExisting(s, 0x3000, 0x6000, { tweak: (vmg) => (vmg.next = vmg.prev) }),
  );
  // prev must lie wholly below the range: a range starting at prev's start is inside it.
  expectWarning(b, 'merge existing: range starts inside prev', (s) =>
    mergeExisting(s, 0x3000, 0x6000, { tweak: (vmg) => (vmg.start = vmg.prev!.vmStart) }),
  );
  expectWarning(b, 'merge existing: empty range', (s) => mergeExisting(s, 0x3000, 0x3000));
  // Starting inside V needs prev === V; ending past V is never allowed.
  expectWarning(
    b,
    'merge existing: range not within middle',
    (s) => mergeExisting(s, 0x4000, 0x6000),
    (s) => mergeExisting(s, 0x4000, 0x6000, { prevIsMiddle: true, iter: 0x4000 }),
  );
  expectWarning(b, 'merge existing: range not within middle', (s) => mergeExisting(s, 0x3000, 0x7000));
  // The iterator must rest within V: V's end is already outside.
  expectWarning(
    b,
    'merge existing: iterator not within middle',
    (s) => mergeExisting(s, 0x3000, 0x6000, { iter: 0x6000 }),
    (s) => mergeExisting(s, 0x3000, 0x6000, { iter: 0x5fff }),
  );
  expectWarning(b, 'merge existing: iterator not within middle', (s) =>
    mergeExisting(s, 0x3000, 0x6000, { iter: 0x2fff }),
  );
  expectWarning(b, 'merge existing: used for a copy', (s) =>
    mergeExisting(s, 0x3000, 0x6000, { tweak: (vmg) => (vmg.copiedFrom = vmg.middle) }),
  );
  // The request's anon_vma must be middle's; a left merge then rewires an
  // adjusted middle whose anon_vma differs from prev's.
  expectWarning(b, "is_mergeable_anon_vma: vmg anon_vma is not middle's", (s) =>
    mergeExisting(s, 0x3000, 0x4000, { tweak: (vmg) => (vmg.anonVma = new AnonVma()) }),
  );
  expectWarning(b, 'init_multi_vma_prep: adjusted VMA has a different anon_vma', (s) =>
    mergeExisting(s, 0x3000, 0x4000, {
      tweak: (vmg) => {
        const a = new AnonVma();
        vmg.prev!.anonVma = a;
        vmg.prev!.anonVmaChain = [{ anonVma: a }];
        vmg.middle!.anonVma = new AnonVma();
        vmg.middle!.anonVmaChain = [{ anonVma: vmg.middle!.anonVma }];
        vmg.anonVma = a;
      },
    }),
  );
}

function testMergeNewWarns(b: Backend): void {
  /** P [0,3), gap [3,5), N [5,7); a new-range merge of the gap with the iterator at `iter`. */
  const mergeNew = (s: Scene, iter: number, tweak?: (vmg: ReturnType<typeof VMG_STATE>) => void): void => {
    const prev = allocAndLinkVma(s.mm, 0, 0x3000, 0, s.flags)!;
    const next = allocAndLinkVma(s.mm, 0x5000, 0x7000, 5, s.flags)!;
    const vmg = VMG_STATE(s.mm, s.vmi, 0x3000, 0x5000, s.flags, 3);
    vmg.prev = prev;
    vmg.next = next;
    vmaIterSet(s.vmi, iter);
    tweak?.(vmg);
    vmaMergeNewRange(vmg);
  };
  expectWarning(
    b,
    'merge new: iterator beyond the gap',
    (s) => mergeNew(s, 0x5001),
    (s) => mergeNew(s, 0x5000),
  );
  expectWarning(b, 'merge new: middle given', (s) => mergeNew(s, 0x3000, (vmg) => (vmg.middle = vmg.prev)));
  expectWarning(b, 'merge new: target given', (s) => mergeNew(s, 0x3000, (vmg) => (vmg.target = vmg.prev)));
}

function testExpandWarns(b: Backend): void {
  /** T [3,5) expanded to [start, end), with N [7,9) as next. */
  const expand = (s: Scene, start: number, end: number, nextClose = false): void => {
    const target = allocAndLinkVma(s.mm, 0x3000, 0x5000, 3, s.flags)!;
    const next = allocAndLinkVma(s.mm, 0x7000, 0x9000, 7, s.flags)!;
    if (nextClose) next.vmOps = { close: dummyClose };
    const vmg = VMG_STATE(s.mm, s.vmi, start, end, s.flags, start >> 12);
    vmg.target = target;
    vmg.next = next;
    vmaIterSet(s.vmi, start);
    vmaExpand(vmg);
  };
  expectWarning(
    b,
    'vma_expand: would shrink the target',
    (s) => expand(s, 0x4000, 0x6000),
    (s) => expand(s, 0x3000, 0x6000),
  );
  expectWarning(
    b,
    'vma_expand: would shrink the target',
    (s) => expand(s, 0x3000, 0x4000),
    (s) => expand(s, 0x3000, 0x7000),
  );
  expectWarning(
    b,
    'vma_expand: partial overlap of next',
    (s) => expand(s, 0x3000, 0x8000),
    (s) => expand(s, 0x3000, 0x9000),
  );
  expectWarning(b, 'vma_expand: next cannot be removed', (s) => expand(s, 0x3000, 0x9000, true));
}

function testSplitAndShrinkWarns(b: Backend): void {
  const split = (s: Scene, addr: number): void => {
    const vma = allocAndLinkVma(s.mm, 0x3000, 0x6000, 3, s.flags)!;
    vmaIterSet(s.vmi, 0x3000);
    __splitVma(s.vmi, vma, addr, false);
  };
  expectWarning(
    b,
    '__split_vma: addr at or below vm_start',
    (s) => split(s, 0x3000),
    (s) => split(s, 0x4000),
  );
  expectWarning(
    b,
    '__split_vma: addr at or above vm_end',
    (s) => split(s, 0x6000),
    (s) => split(s, 0x5000),
  );

  const shrink = (s: Scene, end: number): void => {
    const vma = allocAndLinkVma(s.mm, 0x3000, 0x6000, 3, s.flags)!;
    vmaIterSet(s.vmi, 0x3000);
    vmaShrink(s.vmi, vma, end);
  };
  expectWarning(
    b,
    'vma_shrink: end outside the VMA',
    (s) => shrink(s, 0x3000),
    (s) => shrink(s, 0x4000),
  );
  expectWarning(
    b,
    'vma_shrink: end outside the VMA',
    (s) => shrink(s, 0x7000),
    (s) => shrink(s, 0x6000),
  );
}

/** Unmapping more exec, stack or data pages than the mm counted is reported; exactly as many is fine. */
function testMunmapCounterWarns(b: Backend): void {
  const kinds: [string, number[], 'execVm' | 'stackVm' | 'dataVm'][] = [
    ['munmap: exec_vm underflow', [VMA_READ_BIT, VMA_EXEC_BIT], 'execVm'],
    ['munmap: stack_vm underflow', [VMA_READ_BIT, VMA_GROWSDOWN_BIT], 'stackVm'],
    ['munmap: data_vm underflow', [], 'dataVm'],
  ];
  for (const [what, bits, counter] of kinds) {
    const unmap = (counted: number) => (s: Scene) => {
      const flags = bits.length === 0 ? s.flags : s.b.mk(...bits);
      allocAndLinkVma(s.mm, 0x3000, 0x5000, 3, flags);
      s.mm[counter] = counted;
      doVmiMunmap(s.vmi, s.mm, 0x3000, 0x2000, null, false);
    };
    expectWarning(b, what, unmap(1), unmap(2));
  }
}

/** The scenarios above, in the kernel's TEST() style. */
export function runWarnRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('merge_existing_warns', () => testMergeExistingWarns(b));
  TEST('merge_new_warns', () => testMergeNewWarns(b));
  TEST('vma_expand_warns', () => testExpandWarns(b));
  TEST('split_and_shrink_warn', () => testSplitAndShrinkWarns(b));
  TEST('munmap_counter_warns', () => testMunmapCounterWarns(b));
}
