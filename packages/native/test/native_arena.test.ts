import { PRESETS, VmaFlagsArena, mkVmaFlagsIn, withNumVmaFlagBits, type KernelConfig } from '@vmaflags/core';
import { describe, expect, test } from 'vitest';
import { nativeBackend, nativeMask, registerArena } from '../src/index.js';
import { rng } from './rng.js';

const C32 = PRESETS.i386;
const C64 = PRESETS.x86_64;
const C128 = withNumVmaFlagBits(PRESETS.x86_64, 128);

describe('registerArena', () => {
  test('shares memory with the core arena, both ways', () => {
    const a = new VmaFlagsArena(C128, 8);
    const n = registerArena(a);
    expect(registerArena(a)).toBe(n);
    expect(n.capacity).toBe(8);
    n.setBit(3, 100);
    expect(a.testBit(3, 100)).toBe(true);
    a.setWord(5, 0xffff_0000_0000_0001n);
    expect(n.getWord(5)).toBe(0xffff_0000_0000_0001n);
    n.overwriteWord(5, 2n);
    expect(a.getWord(5)).toBe(2n);
    n.clearAll(3);
    expect(a.testBit(3, 100)).toBe(false);
  });

  test('32-bit configs use 32-bit words', () => {
    const a = new VmaFlagsArena(C32, 4);
    const n = registerArena(a);
    n.setWord(1, 0xffff_ffffn);
    expect(a.getWord(1)).toBe(0xffff_ffffn);
    expect(() => n.setWord(1, 0x1_0000_0000n)).toThrow(RangeError);
    n.updateFlagsRange(0, 4, 1n, 0x8000_0000n);
    expect([0, 1, 2, 3].map((i) => a.getWord(i))).toEqual([1n, 0x7fff_ffffn, 1n, 1n]);
  });

  test('works over a SharedArrayBuffer at an offset', () => {
    const sab = new SharedArrayBuffer(8 + 3 * 16);
    const a = new VmaFlagsArena(C128, 3, sab, 8);
    const n = registerArena(a);
    n.updateFlagsRange(0, 3, 0b101n, 0b100n);
    expect(new BigUint64Array(sab, 8)).toEqual(BigUint64Array.of(1n, 0n, 1n, 0n, 1n, 0n));
  });

  test('a transferred (detached) buffer is refused, never read', () => {
    const buf = new ArrayBuffer(8 * 4);
    const a = new VmaFlagsArena(C64, 4, buf);
    const n = registerArena(a);
    n.setWord(0, 1n);
    const moved = structuredClone(buf, { transfer: [buf] });
    expect(new BigUint64Array(moved)[0]).toBe(1n);
    for (const call of [() => n.setWord(0, 1n), () => n.getWord(0), () => n.updateFlagsRange(0, 4, 1n, 0n)]) {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(
        /arena must still have the buffer it was registered with .*detached, transferred or resized/,
      );
    }
    expect(() => registerArena(a)).toThrow(TypeError);
  });

  test('a shrunk resizable buffer is refused', () => {
    // Resizable buffers (ES2024) are newer than the compile target's lib.
    type Resizable = ArrayBuffer & { resize(n: number): void };
    const RArrayBuffer = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable;
    const buf = new RArrayBuffer(8 * 4, { maxByteLength: 8 * 8 });
    const a = new VmaFlagsArena(C64, 4, buf);
    const n = registerArena(a);
    n.setWord(3, 1n);
    buf.resize(8 * 8);
    n.setWord(3, 2n);
    expect(a.getWord(3)).toBe(3n);
    buf.resize(8 * 2);
    expect(() => n.getWord(0)).toThrow(
      /arena must still have the buffer it was registered with .*detached, transferred or resized/,
    );
  });

  test('refuses what is not an attached core arena', () => {
    expect(() => registerArena({} as VmaFlagsArena)).toThrow(/arena must be a VmaFlagsArena/);
    expect(() => registerArena(new Uint32Array(4) as never)).toThrow(TypeError);
  });
});

describe('batch operations', () => {
  test('ranges and lists are checked before anything is written', () => {
    const a = new VmaFlagsArena(C64, 8);
    const n = registerArena(a);
    const before = a.lanes.slice();
    expect(() => n.updateFlagsRange(4, 5, 1n, 0n)).toThrow(/count must be an integer in \[0, 4\]/);
    expect(() => n.updateFlagsList(Uint32Array.of(0, 1, 8), 1n, 0n)).toThrow(
      /indices\[2\] must be an integer in \[0, 7\]; got 8/,
    );
    expect(() => n.overwriteWordRange(9, 0, 1n)).toThrow(/start must be an integer in \[0, 8\]/);
    expect(() => n.updateFlagsList(a.lanes.subarray(0, 2), 1n, 0n)).toThrow(/indices must not share memory/);
    expect(a.lanes).toEqual(before);
  });

  test('mask ops count changes and fill a result bitmap', () => {
    const a = new VmaFlagsArena(C128, 40);
    const n = registerArena(a);
    const nb = nativeBackend(C128);
    n.setMaskRange(0, 40, nb.mk(1));
    expect(n.setMaskRange(0, 40, nb.mk(1, 100))).toBe(40);
    expect(n.setMaskRange(0, 40, nb.mk(1, 100))).toBe(0);
    expect(n.clearMaskRange(10, 5, nb.mk(100))).toBe(5);
    const out = new Uint32Array(2);
    expect(n.testAllMaskRange(0, 40, nb.mk(1, 100), out)).toBe(35);
    expect([...out]).toEqual([~(0b11111 << 10) >>> 0, 0xff]);
    expect(n.testAnyMaskRange(0, 40, nativeMask(mkVmaFlagsIn(C128, 100)))).toBe(35);
    expect(n.testAnyMaskRange(0, 0, nb.mk(1), new Uint32Array(0))).toBe(0);
    expect(() => n.testAnyMaskRange(0, 40, nb.mk(1), new Uint32Array(1))).toThrow(/out must hold at least 2 lanes/);
    expect(() => n.testAnyMaskRange(0, 40, nativeBackend(C64).mk(1) as never)).toThrow(
      /mask must be a VmaFlags of config/,
    );
    expect(() => n.testAnyMaskRange(0, 40, new Uint32Array(2))).toThrow(
      /mask must be a VmaFlags from nativeBackend\(\) or a Uint32Array of 4 lanes/,
    );
    // An entry of the arena itself may serve as the mask (it is copied first):
    // entry 0 holds bits 1 and 100, which entries 10..14 lack.
    expect(n.setMaskRange(0, 40, a.lanes.subarray(0, 4))).toBe(5);
    expect(nativeMask(mkVmaFlagsIn(C128, 0, 100))).toEqual(Uint32Array.of(1, 0, 0, 16));
  });

  const configs: [string, KernelConfig][] = [
    ['32-bit', C32],
    ['64-bit', C64],
    ['128-bit', C128],
  ];

  // Every batch operation against the same work done entry by entry through
  // the core arena's own methods; lanes must match after every step.
  test.each(configs)(
    '%s: random batches match the core arena entry by entry',
    (_n, config) => {
      const r = rng();
      const CAP = 70;
      const fast = new VmaFlagsArena(config, CAP);
      const ref = new VmaFlagsArena(config, CAP);
      const n = registerArena(fast);
      const bits = config.bitsPerLong;
      for (let step = 0; step < 3000; step++) {
        const start = r.int(CAP + 1);
        const count = r.int(CAP - start + 1);
        const set = r.bigWord(bits);
        const unset = r.bigWord(bits);
        const maskBits = Array.from({ length: r.int(3) + (r.bool(0.2) ? 0 : 1) }, () => r.int(config.numVmaFlagBits));
        const where = `seed ${r.seed} step ${step}`;
        const each = (f: (i: number) => void) => {
          for (let i = start; i < start + count; i++) f(i);
        };
        switch (r.int(7)) {
          case 0:
            n.updateFlagsRange(start, count, set, unset);
            each((i) => {
              ref.setWord(i, set);
              ref.clearWord(i, unset);
            });
            break;
          case 1: {
            const list = Uint32Array.from({ length: r.int(20) }, () => r.int(CAP));
            n.updateFlagsList(list, set, unset);
            for (const i of list) {
              ref.setWord(i, set);
              ref.clearWord(i, unset);
            }
            break;
          }
          case 2:
            n.overwriteWordRange(start, count, set);
            each((i) => ref.overwriteWord(i, set));
            break;
          case 3:
          case 4: {
            const mask = mkVmaFlagsIn(config, ...maskBits);
            const isSet = r.bool();
            let changed = 0;
            each((i) => {
              const lanes = () => ref.lanes.subarray(i * ref.stride, (i + 1) * ref.stride).join();
              const before = lanes();
              if (isSet) ref.setMask(i, mask);
              else ref.clearMask(i, mask);
              if (lanes() !== before) changed++;
            });
            const got = isSet
              ? n.setMaskRange(start, count, nativeMask(mask))
              : n.clearMaskRange(start, count, nativeMask(mask));
            expect(got, where).toBe(changed);
            break;
          }
          default: {
            const mask = mkVmaFlagsIn(config, ...maskBits);
            const all = r.bool();
            const out = new Uint32Array(Math.ceil(count / 32) + 1).fill(0xdeadbeef);
            const got = all
              ? n.testAllMaskRange(start, count, nativeMask(mask), out)
              : n.testAnyMaskRange(start, count, nativeMask(mask), out);
            let hits = 0;
            const want = new Uint32Array(out.length).fill(0xdeadbeef);
            for (let j = 0; j < Math.ceil(count / 32); j++) want[j] = 0;
            each((i) => {
              const hit = all ? ref.testAllMask(i, mask) : ref.testAnyMask(i, mask);
              if (hit) {
                hits++;
                want[(i - start) >> 5] = (want[(i - start) >> 5]! | (1 << ((i - start) & 31))) >>> 0;
              }
            });
            expect(got, where).toBe(hits);
            expect([...out], where).toEqual([...want]);
          }
        }
        if (fast.lanes.some((v, k) => v !== ref.lanes[k])) expect([...fast.lanes], where).toEqual([...ref.lanes]);
      }
    },
    120_000,
  );
});
