import {
  VMA_DONTDUMP_BIT,
  VMA_DONTEXPAND_BIT,
  VMA_EXEC_BIT,
  VMA_IO_BIT,
  VMA_MAYBE_GUARD_BIT,
  VMA_MAYEXEC_BIT,
  VMA_MAYREAD_BIT,
  VMA_MAYWRITE_BIT,
  VMA_PFNMAP_BIT,
  VMA_RAND_READ_BIT,
  VMA_READ_BIT,
  VMA_SEQ_READ_BIT,
  VMA_WRITE_BIT,
  vmaFlagTable,
} from '@vmaflags/core';
import {
  MmStruct,
  VMA_ITERATOR,
  copyVma,
  ref,
  vmAreaDesc,
  vmaAssertAttached,
  vmaClearFlags,
  vmaClearFlagsMask,
  vmaDescClearFlags,
  vmaDescClearFlagsMask,
  vmaDescSetFlags,
  vmaDescSetFlagsMask,
  vmaDescTest,
  vmaDescTestAny,
  vmaFlagMasks,
  vmaSetFlags,
  vmaSetFlagsMask,
  vmaTest,
  vmaTestAll,
  vmaTestAllMask,
  vmaTestAny,
  vmaTestSingleMask,
  type Backend,
  type VmAreaDesc,
  VmAreaStruct,
  type VmaFlags,
} from '@vmaflags/mm';
import { harness } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_FLAGS_EMPTY,
  ASSERT_FLAGS_NONEMPTY,
  ASSERT_FLAGS_SAME,
  ASSERT_FLAGS_SAME_MASK,
  ASSERT_NE,
  ASSERT_TRUE,
  allocAndLinkVma,
  cleanupMm,
  type TestRegistrar,
} from '../shared.js';

// The cases of tools/testing/vma/tests/vma.c: copy_vma() and the
// vma_flags_t helpers, run through the backend under test. Checks on bits 64
// and up are made only when the bitmap is wider than 64 bits, matching the
// kernel's NUM_VMA_FLAG_BITS > 64 sections. Ranges in comments are in pages.

const wide = (b: Backend): boolean => b.config.numVmaFlagBits > 64;

/** READ, WRITE, EXEC, and bits 64 and 65 when the bitmap has them. */
function bFlags(b: Backend): number[] {
  return wide(b) ? [VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64, 65] : [VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT];
}

/** A VMA and a descriptor (of a scratch mm) carrying a copy of flags. */
function vmaAndDesc(b: Backend, flags: VmaFlags): { vma: VmAreaStruct; desc: VmAreaDesc } {
  const mm = new MmStruct(b, harness);
  // On the stack in the kernel's test: not one from the VMA allocator.
  const vma = new VmAreaStruct(mm, b.copy(flags));
  return { vma, desc: vmAreaDesc(mm, { vmaFlags: b.copy(flags) }) };
}

/**
 * compare_legacy_flags: word 0 of flags is exactly legacy, every higher word
 * is zero, and the legacy conversions agree both ways.
 */
function compareLegacyFlags(b: Backend, legacy: bigint, flags: VmaFlags): boolean {
  const words = b.toWords(flags);
  for (let i = 1; i < words.length; i++) if (words[i] !== 0n) return false;
  ASSERT_FLAGS_SAME_MASK(b, b.fromLegacy(legacy), flags);
  ASSERT_EQ(b.toLegacy(flags), legacy);
  return words[0] === legacy;
}

function testCopyVma(b: Backend): void {
  const vmaFlags = b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT);
  const mm = new MmStruct(b, harness);
  const needLocks = ref(false);
  const vmi = VMA_ITERATOR(mm, 0);

  // [3,5) copied down to [0,2), where nothing adjoins: a new VMA.
  let vma = ref(allocAndLinkVma(mm, 0x3000, 0x5000, 3, vmaFlags)!);
  let vmaNew = copyVma(vma, 0, 0x2000, 0, needLocks);
  ASSERT_NE(vmaNew, vma.value);
  ASSERT_EQ(vmaNew!.vmStart, 0);
  ASSERT_EQ(vmaNew!.vmEnd, 0x2000);
  ASSERT_EQ(vmaNew!.vmPgoff, 0);
  vmaAssertAttached(vmaNew!);
  cleanupMm(mm, vmi);

  // [0,2) copied to [4,6), right before N [6,8) with matching offsets: the copy joins N.
  vma = ref(allocAndLinkVma(mm, 0, 0x2000, 0, vmaFlags)!);
  const vmaNext = allocAndLinkVma(mm, 0x6000, 0x8000, 6, vmaFlags)!;
  vmaNew = copyVma(vma, 0x4000, 0x2000, 4, needLocks);
  vmaAssertAttached(vmaNew!);
  ASSERT_EQ(vmaNew, vmaNext);
  cleanupMm(mm, vmi);
}

function testVmaFlagsUnchanged(b: Backend): void {
  const flags = b.mk();
  let legacy = 0n;
  const { vma, desc } = vmaAndDesc(b, flags);

  for (let bit = 0; bit < b.config.bitsPerLong; bit++) {
    const mask = b.mk(bit);
    legacy |= 1n << BigInt(bit);

    // Setting bit by bit or by mask, on a bare bitmap, a VMA and a
    // descriptor, must keep word 0 equal to the legacy word.
    b.set(flags, bit);
    ASSERT_TRUE(compareLegacyFlags(b, legacy, flags));
    b.setMask(flags, mask);
    ASSERT_TRUE(compareLegacyFlags(b, legacy, flags));

    vmaSetFlags(vma, bit);
    ASSERT_TRUE(compareLegacyFlags(b, legacy, vma.flags));
    vmaSetFlagsMask(vma, mask);
    ASSERT_TRUE(compareLegacyFlags(b, legacy, vma.flags));

    vmaDescSetFlags(desc, bit);
    ASSERT_TRUE(compareLegacyFlags(b, legacy, desc.vmaFlags));
    vmaDescSetFlagsMask(desc, mask);
    ASSERT_TRUE(compareLegacyFlags(b, legacy, desc.vmaFlags));
  }
}

function testVmaFlagsCleared(b: Backend): void {
  const empty = b.mk();
  // Start from a bitmap with 0x01 in every byte (the kernel case memsets it).
  const pattern = b.config.bitsPerLong === 64 ? 0x0101010101010101n : 0x01010101n;
  const flags = b.fromWords(Array.from({ length: b.config.numWords }, () => pattern));

  b.clearAll(flags);
  // Nothing may survive, in the mask comparison or in any single word.
  ASSERT_FLAGS_SAME_MASK(b, flags, empty);
  for (const word of b.toWords(flags)) ASSERT_EQ(word, 0n);
}

function sameWords(b: Backend, a: VmaFlags, c: VmaFlags): boolean {
  const wa = b.toWords(a);
  const wc = b.toWords(c);
  return wa.length === wc.length && wa.every((w, i) => w === wc[i]);
}

/** Only with NUM_VMA_FLAG_BITS > 64: the word helpers touch word 0 only. */
function testVmaFlagsWord(b: Backend): void {
  const { VM_READ, VM_WRITE, VM_EXEC } = vmaFlagTable(b.config);
  const comparison = b.mk(VMA_READ_BIT, VMA_WRITE_BIT, 64, 65);

  // Each variant starts from bits 64 and 65 and must end at READ|WRITE|64|65:
  // changing word 0 may never disturb the words above it.
  let flags = b.mk();
  b.set(flags, 64, 65);
  b.overwriteWord(flags, VM_READ | VM_WRITE);
  ASSERT_TRUE(sameWords(b, flags, comparison));

  flags = b.mk();
  b.set(flags, 64, 65);
  b.overwriteWordOnce(flags, VM_READ | VM_WRITE);
  ASSERT_TRUE(sameWords(b, flags, comparison));

  flags = b.mk();
  b.set(flags, 64, 65);
  b.set(flags, VMA_WRITE_BIT);
  b.setWord(flags, VM_READ);
  ASSERT_TRUE(sameWords(b, flags, comparison));

  flags = b.mk();
  b.set(flags, 64, 65);
  b.set(flags, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  b.clearWord(flags, VM_EXEC);
  ASSERT_TRUE(sameWords(b, flags, comparison));
}

function testVmaFlagsTest(b: Backend): void {
  const flags = b.mk(...bFlags(b));
  const { vma, desc } = vmaAndDesc(b, flags);

  /** Every single-bit test form, on the bitmap, the VMA and the descriptor, agrees that bit is (or is not) set. */
  const expectBit = (bit: number, set: boolean): void => {
    const expect = set ? ASSERT_TRUE : ASSERT_FALSE;
    expect(b.test(flags, bit));
    expect(vmaTest(vma, bit));
    expect(vmaDescTest(desc, bit));
    expect(b.testSingleMask(flags, b.mk(bit)));
    expect(vmaTestSingleMask(vma, b.mk(bit)));
  };
  const doTest = (bit: number): void => expectBit(bit, true);
  const doTestFalse = (bit: number): void => expectBit(bit, false);

  for (const bit of bFlags(b)) doTest(bit);
  doTestFalse(VMA_MAYWRITE_BIT);
  if (wide(b)) doTestFalse(66);

  // testSingleMask() with no bit at all is false, on full and on empty flags.
  const empty = b.mk();
  ASSERT_FALSE(b.testSingleMask(flags, empty));
  ASSERT_FALSE(vmaTestSingleMask(vma, empty));
  b.clearAll(flags);
  b.clearAll(vma.flags);
  ASSERT_FALSE(b.testSingleMask(flags, empty));
  ASSERT_FALSE(vmaTestSingleMask(vma, empty));
}

function testVmaFlagsTestAny(b: Backend): void {
  const flags = b.mk(...bFlags(b));
  const { vma, desc } = vmaAndDesc(b, flags);

  const doTest = (...bits: number[]): void => {
    ASSERT_TRUE(b.testAny(flags, ...bits));
    ASSERT_TRUE(vmaDescTestAny(desc, ...bits));
    ASSERT_TRUE(vmaTestAny(vma, ...bits));
  };
  const doTestAllTrue = (...bits: number[]): void => {
    ASSERT_TRUE(b.testAll(flags, ...bits));
    ASSERT_TRUE(vmaTestAll(vma, ...bits));
  };
  const doTestAllFalse = (...bits: number[]): void => {
    ASSERT_FALSE(b.testAll(flags, ...bits));
    ASSERT_FALSE(vmaTestAll(vma, ...bits));
  };

  // READ is set, MAYREAD and SEQ_READ are not: enough for any-of, not for all-of.
  doTest(VMA_READ_BIT, VMA_MAYREAD_BIT, VMA_SEQ_READ_BIT);
  doTestAllFalse(VMA_READ_BIT, VMA_MAYREAD_BIT, VMA_SEQ_READ_BIT);
  // All-of holds for the full set and for any part of it.
  if (wide(b)) {
    doTestAllTrue(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64, 65);
    doTestAllTrue(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64);
  }
  doTestAllTrue(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  doTestAllTrue(VMA_READ_BIT, VMA_WRITE_BIT);
  doTestAllTrue(VMA_READ_BIT);
  // The mask forms underlie the bit forms, so a light check suffices; an
  // empty mask is trivially contained.
  ASSERT_TRUE(b.testAnyMask(flags, flags));
  ASSERT_TRUE(b.testAllMask(flags, flags));
  ASSERT_TRUE(b.testAllMask(flags, b.mk()));
  ASSERT_TRUE(vmaTestAllMask(vma, b.mk()));

  // Any-of over growing subsets of the set bits, argument order varied.
  for (const bit of bFlags(b)) doTest(bit);

  doTest(VMA_READ_BIT, VMA_WRITE_BIT);
  doTest(VMA_READ_BIT, VMA_EXEC_BIT);
  doTest(VMA_WRITE_BIT, VMA_EXEC_BIT);
  doTest(VMA_WRITE_BIT, VMA_READ_BIT);
  doTest(VMA_EXEC_BIT, VMA_READ_BIT);
  doTest(VMA_EXEC_BIT, VMA_WRITE_BIT);
  if (wide(b)) {
    doTest(VMA_READ_BIT, 64);
    doTest(VMA_WRITE_BIT, 64);
    doTest(64, VMA_READ_BIT);
    doTest(64, VMA_WRITE_BIT);
    doTest(VMA_READ_BIT, 65);
    doTest(VMA_WRITE_BIT, 65);
    doTest(65, VMA_READ_BIT);
    doTest(65, VMA_WRITE_BIT);
  }
  doTest(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  if (wide(b)) {
    doTest(VMA_READ_BIT, VMA_WRITE_BIT, 64);
    doTest(VMA_READ_BIT, VMA_WRITE_BIT, 65);
    doTest(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64);
    doTest(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 65);
    doTest(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64, 65);
  }
}

function testVmaFlagsClear(b: Backend): void {
  const flags = b.mk(...bFlags(b));
  const mask = wide(b) ? b.mk(VMA_EXEC_BIT, 64) : b.mk(VMA_EXEC_BIT);
  const { vma, desc } = vmaAndDesc(b, flags);

  // Clearing by mask, briefly: the bit forms below are built on it.
  b.clearMask(flags, mask);
  b.clearMask(vma.flags, mask);
  vmaDescClearFlagsMask(desc, mask);
  if (wide(b)) {
    vmaClearFlagsMask(vma, mask);
    ASSERT_FALSE(b.testAny(flags, VMA_EXEC_BIT, 64));
    ASSERT_FALSE(vmaTestAny(vma, VMA_EXEC_BIT, 64));
    ASSERT_FALSE(vmaDescTestAny(desc, VMA_EXEC_BIT, 64));
    // Put EXEC and 64 back for the per-bit checks.
    b.set(flags, VMA_EXEC_BIT, 64);
    vmaSetFlags(vma, VMA_EXEC_BIT, 64);
    vmaDescSetFlags(desc, VMA_EXEC_BIT, 64);
  }

  /** Clear bits on the bitmap, the VMA and the descriptor, see them gone, then restore them. */
  const doTestAndReset = (...bits: number[]): void => {
    b.clear(flags, ...bits);
    vmaClearFlags(vma, ...bits);
    vmaDescClearFlags(desc, ...bits);
    ASSERT_FALSE(b.testAny(flags, ...bits));
    ASSERT_FALSE(vmaTestAny(vma, ...bits));
    ASSERT_FALSE(vmaDescTestAny(desc, ...bits));
    b.set(flags, ...bits);
    vmaSetFlags(vma, ...bits);
    vmaDescSetFlags(desc, ...bits);
  };

  // One bit, then every ordered pair of set bits.
  doTestAndReset(VMA_READ_BIT);
  doTestAndReset(VMA_WRITE_BIT);
  doTestAndReset(VMA_EXEC_BIT);
  if (wide(b)) {
    doTestAndReset(64);
    doTestAndReset(65);
  }

  doTestAndReset(VMA_READ_BIT, VMA_WRITE_BIT);
  doTestAndReset(VMA_READ_BIT, VMA_EXEC_BIT);
  if (wide(b)) {
    doTestAndReset(VMA_READ_BIT, 64);
    doTestAndReset(VMA_READ_BIT, 65);
  }
  doTestAndReset(VMA_WRITE_BIT, VMA_READ_BIT);
  doTestAndReset(VMA_WRITE_BIT, VMA_EXEC_BIT);
  if (wide(b)) {
    doTestAndReset(VMA_WRITE_BIT, 64);
    doTestAndReset(VMA_WRITE_BIT, 65);
  }
  doTestAndReset(VMA_EXEC_BIT, VMA_READ_BIT);
  doTestAndReset(VMA_EXEC_BIT, VMA_WRITE_BIT);
  if (wide(b)) {
    doTestAndReset(VMA_EXEC_BIT, 64);
    doTestAndReset(VMA_EXEC_BIT, 65);
    doTestAndReset(64, VMA_READ_BIT);
    doTestAndReset(64, VMA_WRITE_BIT);
    doTestAndReset(64, VMA_EXEC_BIT);
    doTestAndReset(64, 65);
    doTestAndReset(65, VMA_READ_BIT);
    doTestAndReset(65, VMA_WRITE_BIT);
    doTestAndReset(65, VMA_EXEC_BIT);
    doTestAndReset(65, 64);
  }
}

function testVmaFlagsEmpty(b: Backend): void {
  const flags = b.mk(...bFlags(b));

  ASSERT_FLAGS_NONEMPTY(b, flags);
  b.clear(flags, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  if (wide(b)) {
    ASSERT_FLAGS_NONEMPTY(b, flags);
    b.clear(flags, 64, 65);
  }
  ASSERT_FLAGS_EMPTY(b, flags);
}

function testVmaFlagsDiff(b: Backend): void {
  const flags1 = b.mk(...bFlags(b));
  let flags2 = wide(b)
    ? b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT, 64, 65, 66, 67)
    : b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT);
  const expected = wide(b) ? [VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT, 66, 67] : [VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT];

  let diff = b.diffPair(flags1, flags2);
  ASSERT_FLAGS_SAME(b, diff, ...expected);
  // diffPair() is symmetric.
  diff = b.diffPair(flags2, flags1);
  ASSERT_FLAGS_SAME(b, diff, ...expected);

  // A bitmap never differs from itself.
  diff = b.diffPair(flags1, flags1);
  ASSERT_FLAGS_EMPTY(b, diff);
  diff = b.diffPair(flags2, flags2);
  ASSERT_FLAGS_EMPTY(b, diff);

  // Diffed with an empty bitmap, the result is the bitmap itself.
  flags2 = b.mk();
  diff = b.diffPair(flags1, flags2);
  ASSERT_FLAGS_SAME_MASK(b, diff, flags1);

  // Diffed with a subset, the result is what the subset lacks.
  flags2 = b.mk(VMA_READ_BIT, VMA_WRITE_BIT);
  diff = b.diffPair(flags1, flags2);
  if (wide(b)) ASSERT_FLAGS_SAME(b, diff, VMA_EXEC_BIT, 64, 65);
  else ASSERT_FLAGS_SAME(b, diff, VMA_EXEC_BIT);
}

function testVmaFlagsAnd(b: Backend): void {
  const flags1 = b.mk(...bFlags(b));
  const flags2 = wide(b)
    ? b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT, 64, 65, 66, 67)
    : b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, VMA_MAYWRITE_BIT, VMA_MAYEXEC_BIT);
  const flags3 = wide(b) ? b.mk(VMA_IO_BIT, VMA_MAYBE_GUARD_BIT, 68, 69) : b.mk(VMA_IO_BIT, VMA_MAYBE_GUARD_BIT);

  let and = b.andMask(flags1, flags2);
  ASSERT_FLAGS_SAME(b, and, ...bFlags(b));

  and = b.andMask(flags1, flags1);
  ASSERT_FLAGS_SAME_MASK(b, and, flags1);
  and = b.andMask(flags2, flags2);
  ASSERT_FLAGS_SAME_MASK(b, and, flags2);

  and = b.andMask(flags1, flags3);
  ASSERT_FLAGS_EMPTY(b, and);
  and = b.andMask(flags2, flags3);
  ASSERT_FLAGS_EMPTY(b, and);

  and = b.and(flags1, VMA_READ_BIT);
  ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT);
  and = b.and(flags1, VMA_READ_BIT, VMA_WRITE_BIT);
  ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT, VMA_WRITE_BIT);
  and = b.and(flags1, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  if (wide(b)) {
    and = b.and(flags1, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64);
    ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64);
    and = b.and(flags1, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64, 65);
    ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, 64, 65);
  }

  // Asking for bits that are not set only yields the ones that are.
  and = b.and(flags1, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, VMA_IO_BIT);
  ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  and = b.and(flags1, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, VMA_IO_BIT, VMA_RAND_READ_BIT);
  ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  if (wide(b)) {
    and = b.and(flags1, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT, VMA_IO_BIT, VMA_RAND_READ_BIT, 69);
    ASSERT_FLAGS_SAME(b, and, VMA_READ_BIT, VMA_WRITE_BIT, VMA_EXEC_BIT);
  }
}

function testAppendVmaFlags(b: Backend): void {
  const { VMA_REMAP_FLAGS } = vmaFlagMasks(b);
  const high = wide(b) ? [64, 65] : [];

  let flags = b.append(VMA_REMAP_FLAGS, VMA_READ_BIT, VMA_WRITE_BIT, ...high);
  ASSERT_FLAGS_SAME(
    b,
    flags,
    VMA_IO_BIT,
    VMA_PFNMAP_BIT,
    VMA_DONTEXPAND_BIT,
    VMA_DONTDUMP_BIT,
    VMA_READ_BIT,
    VMA_WRITE_BIT,
    ...high,
  );

  flags = b.append(b.mk(), VMA_READ_BIT, VMA_WRITE_BIT);
  ASSERT_FLAGS_SAME(b, flags, VMA_READ_BIT, VMA_WRITE_BIT);
}

function testVmaFlagsCount(b: Backend): void {
  const flags = b.mk(...bFlags(b));

  if (wide(b)) {
    ASSERT_EQ(b.count(flags), 5);
    b.clear(flags, 64);
    ASSERT_EQ(b.count(flags), 4);
    b.clear(flags, 65);
  }
  ASSERT_EQ(b.count(flags), 3);
  b.clear(flags, VMA_EXEC_BIT);
  ASSERT_EQ(b.count(flags), 2);
  b.clear(flags, VMA_WRITE_BIT);
  ASSERT_EQ(b.count(flags), 1);
  b.clear(flags, VMA_READ_BIT);
  ASSERT_EQ(b.count(flags), 0);
}

/** run_vma_tests */
export function runVmaTests(b: Backend, TEST: TestRegistrar): void {
  TEST('copy_vma', () => testCopyVma(b));
  TEST('vma_flags_unchanged', () => testVmaFlagsUnchanged(b));
  TEST('vma_flags_cleared', () => testVmaFlagsCleared(b));
  if (wide(b)) TEST('vma_flags_word', () => testVmaFlagsWord(b));
  TEST('vma_flags_test', () => testVmaFlagsTest(b));
  TEST('vma_flags_test_any', () => testVmaFlagsTestAny(b));
  TEST('vma_flags_clear', () => testVmaFlagsClear(b));
  TEST('vma_flags_empty', () => testVmaFlagsEmpty(b));
  TEST('vma_flags_diff', () => testVmaFlagsDiff(b));
  TEST('vma_flags_and', () => testVmaFlagsAnd(b));
  TEST('append_vma_flags', () => testAppendVmaFlags(b));
  TEST('vma_flags_count', () => testVmaFlagsCount(b));
}
