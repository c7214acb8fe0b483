import {
  PRESETS,
  VmaFlags,
  defineKernelConfig,
  mkVmaFlagsIn,
  vmaFlagsFromWords,
  vmaFlagsToWords,
  withNumVmaFlagBits,
  type KernelConfig,
} from '@vmaflags/core';
import { describe, expect, test } from 'vitest';
import { binding } from '../src/binding.js';
import { VmaMixedMap, VmaNew, VmaRef, flags, virtFlags } from '../src/index.js';

const C64 = PRESETS.x86_64;
const C128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
const C32 = PRESETS.i386;
const C96 = withNumVmaFlagBits(PRESETS.i386, 96);

function einval(f: () => void): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected EINVAL');
}

describe('flags constants', () => {
  test('MAYSHARE is the C value 0x80, not the upstream binding 0x40', () => {
    expect(flags.MAYSHARE).toBe(0x80n);
    expect(flags.MAYEXEC).toBe(0x40n);
  });

  test('the TypeScript table matches the Rust constants, in order', () => {
    expect(Object.entries(flags)).toEqual(binding.virtFlags());
    expect(Object.isFrozen(flags)).toBe(true);
  });

  test('virtFlags follows CONFIG_MEM_SOFT_DIRTY', () => {
    expect(virtFlags(C64).SOFTDIRTY).toBe(0x8000000n);
    expect(virtFlags(C32).SOFTDIRTY).toBe(0n);
    expect(virtFlags(C32).IO).toBe(flags.IO);
  });
});

describe('VmaNew', () => {
  test('setters OR their flag into the hardware word', () => {
    const v = new VmaNew(mkVmaFlagsIn(C64, 0, 4), 0x1000n, 0x3000n);
    v.setIo();
    v.setDontexpand();
    v.setDontcopy();
    v.setDontdump();
    expect(v.flags()).toBe(flags.READ | flags.MAYREAD | flags.IO | flags.DONTEXPAND | flags.DONTCOPY | flags.DONTDUMP);
    expect([v.start(), v.end()]).toEqual([0x1000n, 0x3000n]);
    expect(v.readable()).toBe(true);
    expect(v.writable()).toBe(false);
    expect(v.executable()).toBe(false);
  });

  test.each([
    ['tryClearMayread', flags.READ, flags.MAYREAD],
    ['tryClearMaywrite', flags.WRITE, flags.MAYWRITE],
    ['tryClearMayexec', flags.EXEC, flags.MAYEXEC],
  ] as const)('%s refuses with EINVAL while the access bit is set', (method, access, may) => {
    const all = flags.READ | flags.WRITE | flags.EXEC | flags.MAYREAD | flags.MAYWRITE | flags.MAYEXEC;
    const blocked = new VmaNew(vmaFlagsFromWords([all], C64));
    const err = einval(() => blocked[method]());
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TypeError);
    expect(err.code).toBe('EINVAL');
    expect(blocked.flags()).toBe(all);

    const ok = new VmaNew(vmaFlagsFromWords([all & ~access], C64));
    ok[method]();
    expect(ok.flags()).toBe(all & ~access & ~may);
  });

  test('setMixedmap returns a VmaMixedMap over the same VMA', () => {
    const v = new VmaNew(mkVmaFlagsIn(C64), 0n, 4096n);
    expect(v.asMixedmapVma()).toBeNull();
    const m = v.setMixedmap();
    expect(m).toBeInstanceOf(VmaMixedMap);
    expect(m).toBeInstanceOf(VmaRef);
    expect(m.flags()).toBe(flags.MIXEDMAP);
    v.setIo();
    expect(m.flags()).toBe(flags.MIXEDMAP | flags.IO);
    expect(v.asMixedmapVma()?.end()).toBe(4096n);
    expect(Object.prototype.toString.call(m)).toBe('[object VmaMixedMap]');
  });

  test('asVmaRef is a live read-only view', () => {
    const v = new VmaNew(mkVmaFlagsIn(C64));
    const r = v.asVmaRef();
    v.setIo();
    expect(r.flags()).toBe(flags.IO);
  });

  test('only the setup-phase type can change flags, and nothing sets PFNMAP', () => {
    const mutators = [
      'setMixedmap',
      'setIo',
      'setDontexpand',
      'setDontcopy',
      'setDontdump',
      'tryClearMayread',
      'tryClearMaywrite',
      'tryClearMayexec',
    ];
    const r = new VmaRef(mkVmaFlagsIn(C64));
    const m = new VmaNew(mkVmaFlagsIn(C64)).setMixedmap();
    for (const name of mutators) {
      expect(name in r, name).toBe(false);
      expect(name in m, name).toBe(false);
      expect(name in new VmaNew(mkVmaFlagsIn(C64)), name).toBe(true);
    }
    const names = (o: object) => Object.getOwnPropertyNames(Object.getPrototypeOf(o));
    for (const o of [r, m, new VmaNew(mkVmaFlagsIn(C64))]) {
      expect(names(o).some((n) => /pfnmap|update|overwrite|setWord/i.test(n))).toBe(false);
    }
    expect(() => new VmaMixedMap(mkVmaFlagsIn(C64, 28))).toThrow(TypeError);
  });
});

describe('interop with core VmaFlags', () => {
  const configs: [string, KernelConfig][] = [
    ['32-bit', C32],
    ['32-bit x3', C96],
    ['64-bit', C64],
    ['128-bit', C128],
    ['192-bit', withNumVmaFlagBits(PRESETS.arm64, 192)],
  ];

  test.each(configs)('%s: every word survives VmaNew → VmaFlags', (_n, config) => {
    const max = (1n << BigInt(config.bitsPerLong)) - 1n;
    // Every bit but PFNMAP, which a VMA in setup never has.
    const words = Array.from(
      { length: config.numWords },
      (_, i) => (max - BigInt(i * 7)) & ~(i === 0 ? flags.PFNMAP : 0n),
    );
    const v = VmaNew.fromVmaFlags(vmaFlagsFromWords(words, config), 1n, 2n);
    expect(v.config).toBe(config);
    const back = v.toVmaFlags();
    expect(back).toBeInstanceOf(VmaFlags);
    expect(back.config).toBe(config);
    expect(vmaFlagsToWords(back)).toEqual(words);
    v.setIo();
    expect(vmaFlagsToWords(v.toVmaFlags()).slice(1)).toEqual(words.slice(1));
    expect(new VmaRef(back).flags()).toBe(words[0]);
  });

  test('higher words are untouched by update_flags', () => {
    const f = mkVmaFlagsIn(C128, 64, 127);
    const v = new VmaNew(f);
    v.setDontdump();
    v.tryClearMayexec();
    expect(vmaFlagsToWords(v.toVmaFlags())).toEqual([flags.DONTDUMP, (1n << 63n) | 1n]);
    expect(vmaFlagsToWords(f)).toEqual([0n, (1n << 63n) | 1n]);
  });

  test('a 32-bit VMA keeps 32-bit addresses and words', () => {
    expect(() => new VmaNew(mkVmaFlagsIn(C32), 0n, 1n << 32n)).toThrow(RangeError);
    expect(() => new VmaNew(mkVmaFlagsIn(C32), 5n, 4n)).toThrow(/end must be at least start/);
    const v = new VmaNew(mkVmaFlagsIn(C32, 31), 0n, 0xffff_ffffn);
    v.setIo();
    expect(v.flags()).toBe((1n << 31n) | flags.IO);
  });

  test('bad arguments name themselves', () => {
    expect(() => new VmaNew({} as VmaFlags)).toThrow(/flags must be a VmaFlags/);
    expect(() => new VmaNew(mkVmaFlagsIn(C64), -1n)).toThrow(RangeError);
    expect(() => new VmaNew(mkVmaFlagsIn(C64), 'x' as never)).toThrow(/start must be/);
    expect(() => new VmaRef(mkVmaFlagsIn(C64), 0, 1.5)).toThrow(/end must be/);
    const custom = defineKernelConfig({ arch: 'generic64', numVmaFlagBits: 256 });
    expect(new VmaRef(mkVmaFlagsIn(custom, 255)).toVmaFlags().config).toBe(custom);
  });
});
