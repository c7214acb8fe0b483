import type { FlagsBackend, KernelConfig } from '@vmaflags/core';
import { binding } from './binding.js';
import { configId } from './config_id.js';

/** A `vma_flags_t` held by the addon: the handle type of `nativeBackend`. */
export type NativeVmaFlags = InstanceType<typeof binding.VmaFlags>;

let singleMaskWarned = false;

// vma_flags_test_single_mask warns (once) when given a mask of several bits,
// exactly like the core helper, then answers as test_any_mask.
function warnSingleMask(): void {
  singleMaskWarned = true;
  process.emitWarning('vmaFlagsTestSingleMask: mask has more than one bit set; testing whether any of them is set', {
    type: 'Warning',
    code: 'VMAFLAGS_SINGLE_MASK',
  });
}

// util.inspect shows a handle's words (cold path; the helpers never use it).
Object.defineProperty(binding.VmaFlags.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: NativeVmaFlags): string {
    return `VmaFlags(native) [${this.words().map((w) => `0x${w.toString(16)}`).join(', ')}]`;
  },
});

const backends = new Map<KernelConfig, FlagsBackend<NativeVmaFlags>>();

/**
 * The vma_flags_t helpers implemented in Rust behind the same contract as
 * `coreBackend`. Bound to one config; bitmaps of another config (or of the
 * core backend) are rejected with a TypeError naming the argument.
 */
export function nativeBackend(config: KernelConfig): FlagsBackend<NativeVmaFlags> {
  let b = backends.get(config);
  if (b === undefined) {
    b = makeBackend(config, configId(config));
    backends.set(config, b);
  }
  return b;
}

function makeBackend(config: KernelConfig, id: number): FlagsBackend<NativeVmaFlags> {
  const n = binding;
  const backend: FlagsBackend<NativeVmaFlags> = {
    name: 'native',
    config,

    mk: (...bits) => n.vmaFlagsMk(id, bits),
    append: (base, ...bits) => n.vmaFlagsAppend(id, base, bits),
    copy: (flags) => n.vmaFlagsCopy(id, flags),
    toWords: (flags) => n.vmaFlagsToWords(id, flags),
    fromWords: (words) => n.vmaFlagsFromWords(id, words),
    fromLegacy: (word) => n.legacyToVmaFlags(id, word),
    toLegacy: (flags) => n.vmaFlagsToLegacy(id, flags),

    clearAll: (flags) => n.vmaFlagsClearAll(id, flags),
    overwriteWord: (flags, word) => n.vmaFlagsOverwriteWord(id, flags, word),
    overwriteWordOnce: (flags, word) => n.vmaFlagsOverwriteWordOnce(id, flags, word),
    setWord: (flags, word) => n.vmaFlagsSetWord(id, flags, word),
    clearWord: (flags, word) => n.vmaFlagsClearWord(id, flags, word),

    test: (flags, bit) => n.vmaFlagsTest(id, flags, bit),
    testAny: (flags, ...bits) => n.vmaFlagsTestAny(id, flags, bits),
    testAnyMask: (flags, mask) => n.vmaFlagsTestAnyMask(id, flags, mask),
    testAll: (flags, ...bits) => n.vmaFlagsTestAll(id, flags, bits),
    testAllMask: (flags, mask) => n.vmaFlagsTestAllMask(id, flags, mask),
    testSingleMask: (flags, mask) => {
      const r = n.vmaFlagsTestSingleMask(id, flags, mask);
      if (!singleMaskWarned && n.vmaFlagsCount(id, mask) > 1) warnSingleMask();
      return r;
    },
    count: (flags) => n.vmaFlagsCount(id, flags),
    empty: (flags) => n.vmaFlagsEmpty(id, flags),
    samePair: (a, b) => n.vmaFlagsSamePair(id, a, b),
    sameMask: (flags, mask) => n.vmaFlagsSameMask(id, flags, mask),
    same: (flags, ...bits) => n.vmaFlagsSame(id, flags, bits),
    diffPair: (a, b) => n.vmaFlagsDiffPair(id, a, b),
    andMask: (flags, mask) => n.vmaFlagsAndMask(id, flags, mask),
    and: (flags, ...bits) => n.vmaFlagsAnd(id, flags, bits),

    setFlag: (flags, bit) => n.vmaFlagsSetFlag(id, flags, bit),
    set: (flags, ...bits) => n.vmaFlagsSet(id, flags, bits),
    setMask: (flags, mask) => n.vmaFlagsSetMask(id, flags, mask),
    clear: (flags, ...bits) => n.vmaFlagsClear(id, flags, bits),
    clearMask: (flags, mask) => n.vmaFlagsClearMask(id, flags, mask),
  };
  return Object.freeze(backend);
}
