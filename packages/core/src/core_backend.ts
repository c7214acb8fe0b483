import type { FlagsBackend } from './backend.js';
import {
  vmaFlagsAnd,
  vmaFlagsAndMask,
  vmaFlagsClear,
  vmaFlagsClearMask,
  vmaFlagsCount,
  vmaFlagsDiffPair,
  vmaFlagsEmpty,
  vmaFlagsSame,
  vmaFlagsSameMask,
  vmaFlagsSamePair,
  vmaFlagsSet,
  vmaFlagsSetFlag,
  vmaFlagsSetMask,
  vmaFlagsTest,
  vmaFlagsTestAll,
  vmaFlagsTestAllMask,
  vmaFlagsTestAny,
  vmaFlagsTestAnyMask,
  vmaFlagsTestSingleMask,
} from './bit_helpers.js';
import { configMismatch } from './bitmap.js';
import { assertKernelConfig, type KernelConfig } from './config.js';
import { typeError } from './errors.js';
import {
  type VmaFlags,
  appendVmaFlags,
  isVmaFlags,
  mkVmaFlagsIn,
  vmaFlagsCopy,
  vmaFlagsFromWords,
  vmaFlagsToWords,
} from './vma_flags.js';
import {
  legacyToVmaFlags,
  vmaFlagsClearAll,
  vmaFlagsClearWord,
  vmaFlagsOverwriteWord,
  vmaFlagsOverwriteWordOnce,
  vmaFlagsSetWord,
  vmaFlagsToLegacy,
} from './word_helpers.js';

// The TypeScript core behind the FlagsBackend contract, so harnesses and
// differential tests can run the same code on it and on the native addon. A
// backend is bound to one config: a bitmap of another config is rejected by
// every method, not only by the two-bitmap helpers.

const backends = new Map<KernelConfig, FlagsBackend<VmaFlags>>();

/** The core backend for `config` (one shared, frozen instance per config). */
export function coreBackend(config: KernelConfig): FlagsBackend<VmaFlags> {
  assertKernelConfig(config, 'config');
  let b = backends.get(config);
  if (b === undefined) {
    b = makeBackend(config);
    backends.set(config, b);
  }
  return b;
}

function makeBackend(config: KernelConfig): FlagsBackend<VmaFlags> {
  const own = (f: VmaFlags, arg: string): VmaFlags => {
    if (!isVmaFlags(f)) throw typeError(arg, 'a VmaFlags', f);
    const c = f.config;
    if (c !== config && c.key !== config.key) throw configMismatch(arg, config, 'the backend', c);
    return f;
  };
  const backend: FlagsBackend<VmaFlags> = {
    name: 'core',
    config,

    mk: (...bits) => mkVmaFlagsIn(config, ...bits),
    append: (base, ...bits) => appendVmaFlags(own(base, 'base'), ...bits),
    copy: (flags) => vmaFlagsCopy(own(flags, 'flags')),
    toWords: (flags) => vmaFlagsToWords(own(flags, 'flags')),
    fromWords: (words) => vmaFlagsFromWords(words, config),
    fromLegacy: (word) => legacyToVmaFlags(word, config),
    toLegacy: (flags) => vmaFlagsToLegacy(own(flags, 'flags')),

    clearAll: (flags) => vmaFlagsClearAll(own(flags, 'flags')),
    overwriteWord: (flags, word) => vmaFlagsOverwriteWord(own(flags, 'flags'), word),
    overwriteWordOnce: (flags, word) => vmaFlagsOverwriteWordOnce(own(flags, 'flags'), word),
    setWord: (flags, word) => vmaFlagsSetWord(own(flags, 'flags'), word),
    clearWord: (flags, word) => vmaFlagsClearWord(own(flags, 'flags'), word),

    test: (flags, bit) => vmaFlagsTest(own(flags, 'flags'), bit),
    testAny: (flags, ...bits) => vmaFlagsTestAny(own(flags, 'flags'), ...bits),
    testAnyMask: (flags, mask) => vmaFlagsTestAnyMask(own(flags, 'flags'), mask),
    testAll: (flags, ...bits) => vmaFlagsTestAll(own(flags, 'flags'), ...bits),
    testAllMask: (flags, mask) => vmaFlagsTestAllMask(own(flags, 'flags'), mask),
    testSingleMask: (flags, mask) => vmaFlagsTestSingleMask(own(flags, 'flags'), mask),
    count: (flags) => vmaFlagsCount(own(flags, 'flags')),
    empty: (flags) => vmaFlagsEmpty(own(flags, 'flags')),
    samePair: (a, b) => vmaFlagsSamePair(own(a, 'a'), b),
    sameMask: (flags, mask) => vmaFlagsSameMask(own(flags, 'flags'), mask),
    same: (flags, ...bits) => vmaFlagsSame(own(flags, 'flags'), ...bits),
    diffPair: (a, b) => vmaFlagsDiffPair(own(a, 'a'), b),
    andMask: (flags, mask) => vmaFlagsAndMask(own(flags, 'flags'), mask),
    and: (flags, ...bits) => vmaFlagsAnd(own(flags, 'flags'), ...bits),

    setFlag: (flags, bit) => vmaFlagsSetFlag(own(flags, 'flags'), bit),
    set: (flags, ...bits) => vmaFlagsSet(own(flags, 'flags'), ...bits),
    setMask: (flags, mask) => vmaFlagsSetMask(own(flags, 'flags'), mask),
    clear: (flags, ...bits) => vmaFlagsClear(own(flags, 'flags'), ...bits),
    clearMask: (flags, mask) => vmaFlagsClearMask(own(flags, 'flags'), mask),
  };
  return Object.freeze(backend);
}
