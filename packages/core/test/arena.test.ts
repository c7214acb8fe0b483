import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { VmaFlagsArena } from '../src/arena.js';
import { vmaFlagsClear, vmaFlagsSet, vmaFlagsSetFlag, vmaFlagsTest } from '../src/bit_helpers.js';
import { DEFAULT_CONFIG, PRESETS, withNumVmaFlagBits } from '../src/config.js';
import { constVmaFlags, emptyVmaFlags, mkVmaFlags, mkVmaFlagsIn, vmaFlagsToWords } from '../src/vma_flags.js';
import { vmaFlagsClearAll, vmaFlagsOverwriteWord, vmaFlagsSetWord } from '../src/word_helpers.js';

const X128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
const X192 = withNumVmaFlagBits(PRESETS.x86_64, 192);
const I96 = withNumVmaFlagBits(PRESETS.i386, 96);

describe('layout', () => {
  it('exposes config, capacity, stride, buffer, byteOffset and lanes', () => {
    const a = new VmaFlagsArena(X192, 10);
    expect(a.config).toBe(X192);
    expect(a.capacity).toBe(10);
    expect(a.stride).toBe(6);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer).toBeInstanceOf(ArrayBuffer);
    expect(a.buffer.byteLength).toBe(10 * 6 * 4);
    expect(a.lanes.length).toBe(60);
    expect(VmaFlagsArena.byteLength(X192, 10)).toBe(240);
  });

  it('entry i is lanes [i*stride, (i+1)*stride), little-endian halves of u64 words', () => {
    const a = new VmaFlagsArena(X128, 3);
    a.overwriteWord(1, 0x1122_3344_5566_7788n);
    a.setBit(1, 64 + 33);
    expect(Array.from(a.lanes.subarray(4, 8))).toEqual([0x5566_7788, 0x1122_3344, 0, 2]);
    const u64 = new BigUint64Array(a.buffer, a.byteOffset, 6);
    expect(u64[2]).toBe(0x1122_3344_5566_7788n);
    expect(u64[3]).toBe(1n << 33n);
    expect([...a.lanes.subarray(0, 4), ...a.lanes.subarray(8)]).toEqual(Array(8).fill(0));
  });

  it('is frozen: public fields cannot be reassigned', () => {
    const a = new VmaFlagsArena(DEFAULT_CONFIG, 2);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { capacity: number }).capacity = 100;
    }).toThrow(TypeError);
  });

  it('methods need no receiver (they can be passed around detached)', () => {
    const a = new VmaFlagsArena(X128, 2);
    const { setBit, testBit, setWord, getWord } = a;
    setBit(1, 70);
    setWord(0, 5n);
    expect([testBit(1, 70), a.testBit(1, 70), getWord(0)]).toEqual([true, true, 5n]);
    const b = new VmaFlagsArena(X128, 2);
    expect(b.testBit(1, 70)).toBe(false); // each arena has its own methods
    expect(b.setBit).not.toBe(a.setBit);
  });

  it('can live inside a larger buffer at an 8-byte aligned offset, and reopen it', () => {
    const buf = new ArrayBuffer(64);
    const a = new VmaFlagsArena(DEFAULT_CONFIG, 4, buf, 16);
    a.setBit(3, 63);
    expect(new Uint32Array(buf)[4 + 3 * 2 + 1]).toBe(0x8000_0000);
    const again = new VmaFlagsArena(DEFAULT_CONFIG, 4, buf, 16);
    expect(again.testBit(3, 63)).toBe(true);
  });

  it('validates its arguments', () => {
    expect(() => new VmaFlagsArena({} as never, 1)).toThrow(/^config must be a KernelConfig/);
    expect(() => new VmaFlagsArena(DEFAULT_CONFIG, -1)).toThrow('capacity must be a non-negative safe integer; got -1');
    expect(() => new VmaFlagsArena(DEFAULT_CONFIG, 1.5)).toThrow(RangeError);
    expect(() => new VmaFlagsArena(DEFAULT_CONFIG, 1, new Uint8Array(8) as never)).toThrow(
      'buffer must be an ArrayBuffer or SharedArrayBuffer; got Uint8Array',
    );
    expect(() => new VmaFlagsArena(DEFAULT_CONFIG, 1, new ArrayBuffer(16), 4)).toThrow(
      'byteOffset must be a non-negative multiple of 8; got 4',
    );
    expect(() => new VmaFlagsArena(DEFAULT_CONFIG, 2, new ArrayBuffer(16), 8)).toThrow(
      /^buffer must be at least 24 bytes long/,
    );
    expect(new VmaFlagsArena(DEFAULT_CONFIG, 0).lanes.length).toBe(0);
  });
});

describe('index and bit validation', () => {
  const a = new VmaFlagsArena(X128, 4);
  const mask = mkVmaFlagsIn(X128, 1);

  const byIndex: [string, (i: number) => unknown][] = [
    ['setWord', (i) => a.setWord(i, 1n)],
    ['clearWord', (i) => a.clearWord(i, 1n)],
    ['overwriteWord', (i) => a.overwriteWord(i, 1n)],
    ['clearAll', (i) => a.clearAll(i)],
    ['getWord', (i) => a.getWord(i)],
    ['testBit', (i) => a.testBit(i, 1)],
    ['setBit', (i) => a.setBit(i, 1)],
    ['clearBit', (i) => a.clearBit(i, 1)],
    ['testAnyMask', (i) => a.testAnyMask(i, mask)],
    ['testAllMask', (i) => a.testAllMask(i, mask)],
    ['setMask', (i) => a.setMask(i, mask)],
    ['clearMask', (i) => a.clearMask(i, mask)],
    ['load', (i) => a.load(i, mask)],
    ['store', (i) => a.store(i)],
    ['at', (i) => a.at(i)],
  ];

  for (const [name, call] of byIndex) {
    it(`${name} rejects indices outside [0, capacity)`, () => {
      expect(() => call(4)).toThrow('index must be an integer in [0, 4); got 4');
      expect(() => call(-1)).toThrow(RangeError);
      expect(() => call(0.5)).toThrow(RangeError);
      expect(() => call('0' as never)).toThrow(TypeError);
      expect(Array.from(a.lanes)).toEqual(Array(16).fill(0));
    });
  }

  it('bit methods reject bits outside [0, NUM_VMA_FLAG_BITS)', () => {
    expect(() => a.testBit(0, 128)).toThrow('bit must be an integer in [0, 128); got 128');
    expect(() => a.setBit(0, -1)).toThrow(RangeError);
    expect(() => a.clearBit(0, '1' as never)).toThrow(TypeError);
  });

  it('word methods reject bad values', () => {
    expect(() => a.setWord(0, 1n << 64n)).toThrow(/^value must be a bigint in \[0, 2\^64\)/);
    expect(() => a.overwriteWord(0, -1)).toThrow(RangeError);
    const b = new VmaFlagsArena(I96, 1);
    expect(() => b.setWord(0, 1n << 32n)).toThrow(/^value must be a bigint or integer number in \[0, 2\^32\)/);
    expect(Array.from(a.lanes)).toEqual(Array(16).fill(0));
  });

  it('mask methods reject bitmaps of another config', () => {
    expect(() => a.setMask(0, mkVmaFlags(1))).toThrow(
      /^mask must be a VmaFlags of config x86_64 \[x86_64\/64\/128\/.*\(the config of the arena\)/,
    );
    expect(() => a.load(0, mkVmaFlags(1))).toThrow(/^flags must be a VmaFlags of config/);
    expect(() => a.testAnyMask(0, {} as never)).toThrow('mask must be a VmaFlags; got Object');
  });
});

describe('operations', () => {
  it('word ops act on word 0 of one entry only', () => {
    for (const config of [DEFAULT_CONFIG, X192, I96, PRESETS.i386]) {
      const a = new VmaFlagsArena(config, 3);
      const top = config.numVmaFlagBits - 1;
      for (let i = 0; i < 3; i++) a.setBit(i, top);
      const max = config.bitsPerLong === 64 ? 0xffff_ffff_ffff_ffffn : 0xffff_ffffn;
      a.setWord(1, max);
      expect(a.getWord(1)).toBe(max);
      a.clearWord(1, 0xf0n);
      expect(a.getWord(1)).toBe(max ^ 0xf0n);
      a.overwriteWord(1, 0x33);
      expect(a.getWord(1)).toBe(0x33n);
      expect(a.getWord(0)).toBe(config.numWords === 1 ? 1n << BigInt(top) : 0n);
      expect(a.getWord(2)).toBe(a.getWord(0));
      expect(a.testBit(1, top)).toBe(config.numWords > 1);
      a.clearAll(1);
      expect(vmaFlagsToWords(a.store(1))).toEqual(Array(config.numWords).fill(0n));
      expect(a.testBit(0, top)).toBe(true);
      expect(a.testBit(2, top)).toBe(true);
    }
  });

  it('bit and mask ops agree with the bitmap helpers', () => {
    const a = new VmaFlagsArena(X192, 2);
    a.setBit(0, 5);
    a.setBit(0, 150);
    a.clearBit(0, 5);
    expect(a.testBit(0, 150)).toBe(true);
    expect(a.testBit(0, 5)).toBe(false);
    a.setMask(0, mkVmaFlagsIn(X192, 1, 64, 191));
    expect(vmaFlagsToWords(a.store(0))).toEqual(vmaFlagsToWords(mkVmaFlagsIn(X192, 1, 64, 150, 191)));
    expect(a.testAnyMask(0, mkVmaFlagsIn(X192, 2, 191))).toBe(true);
    expect(a.testAnyMask(0, mkVmaFlagsIn(X192, 2, 190))).toBe(false);
    expect(a.testAnyMask(0, emptyVmaFlags(X192))).toBe(false);
    expect(a.testAllMask(0, mkVmaFlagsIn(X192, 1, 191))).toBe(true);
    expect(a.testAllMask(0, mkVmaFlagsIn(X192, 1, 190))).toBe(false);
    expect(a.testAllMask(0, emptyVmaFlags(X192))).toBe(true);
    a.clearMask(0, mkVmaFlagsIn(X192, 1, 150));
    expect(vmaFlagsToWords(a.store(0))).toEqual(vmaFlagsToWords(mkVmaFlagsIn(X192, 64, 191)));
    expect(vmaFlagsToWords(a.store(1))).toEqual([0n, 0n, 0n]);
  });

  it('constants can be used as masks and loaded', () => {
    const a = new VmaFlagsArena(X128, 1);
    const c = constVmaFlags(X128, [3, 99]);
    a.load(0, c);
    expect(a.testAllMask(0, c)).toBe(true);
    a.setBit(0, 4);
    expect(vmaFlagsToWords(c)).toEqual([8n, 1n << 35n]);
  });

  it('load copies in, store copies out', () => {
    const a = new VmaFlagsArena(X128, 2);
    const f = mkVmaFlagsIn(X128, 7, 77);
    a.load(1, f);
    vmaFlagsSetFlag(f, 8);
    expect(a.testBit(1, 8)).toBe(false);
    const g = a.store(1);
    a.setBit(1, 9);
    expect(vmaFlagsTest(g, 9)).toBe(false);
    expect(vmaFlagsToWords(g)).toEqual(vmaFlagsToWords(mkVmaFlagsIn(X128, 7, 77)));
    vmaFlagsSetFlag(g, 10); // store() gives a mutable bitmap
    expect(g.config).toBe(X128);
  });
});

describe('live views', () => {
  it('at(i) reads and writes the arena memory, both ways', () => {
    const a = new VmaFlagsArena(X128, 4);
    const v = a.at(2);
    expect(v.config).toBe(X128);
    vmaFlagsSet(v, 1, 127);
    expect(a.testBit(2, 1)).toBe(true);
    expect(a.testBit(2, 127)).toBe(true);
    a.setBit(2, 64);
    expect(vmaFlagsTest(v, 64)).toBe(true);
    a.overwriteWord(2, 0n);
    expect(vmaFlagsToWords(v)).toEqual([0n, (1n << 63n) | 1n]);
    vmaFlagsSetWord(v, 0xffn);
    expect(a.getWord(2)).toBe(0xffn);
    vmaFlagsClearAll(v);
    expect(Array.from(a.lanes)).toEqual(Array(16).fill(0));
  });

  it('two views of one entry see each other, neighbours are untouched', () => {
    const a = new VmaFlagsArena(I96, 3);
    const v1 = a.at(1);
    const v2 = a.at(1);
    vmaFlagsSetFlag(v1, 95);
    vmaFlagsOverwriteWord(v1, 0xffff_ffff);
    expect(vmaFlagsTest(v2, 95)).toBe(true);
    expect(vmaFlagsToWords(v2)).toEqual([0xffff_ffffn, 0n, 1n << 31n]);
    vmaFlagsClear(v2, 0);
    expect(vmaFlagsTest(v1, 0)).toBe(false);
    expect(vmaFlagsToWords(a.store(0))).toEqual([0n, 0n, 0n]);
    expect(vmaFlagsToWords(a.store(2))).toEqual([0n, 0n, 0n]);
  });

  it('views are bounded to their entry', () => {
    const a = new VmaFlagsArena(DEFAULT_CONFIG, 2);
    const v = a.at(0);
    expect(() => vmaFlagsSetFlag(v, 64)).toThrow('bit must be an integer in [0, 64); got 64');
    expect(a.getWord(1)).toBe(0n);
  });

  it('views reveal no storage', () => {
    const v = new VmaFlagsArena(DEFAULT_CONFIG, 1).at(0);
    expect(Reflect.ownKeys(v)).toEqual([]);
    expect(JSON.stringify(v)).toBe('{}');
  });
});

describe('SharedArrayBuffer', () => {
  it('works over a SharedArrayBuffer, and another arena over it sees the same entries', () => {
    const sab = new SharedArrayBuffer(VmaFlagsArena.byteLength(X128, 8));
    const a = new VmaFlagsArena(X128, 8, sab);
    const b = new VmaFlagsArena(X128, 8, sab);
    expect(a.buffer).toBe(sab);
    a.setWord(5, 0xabcd_0000_0000_1234n);
    vmaFlagsSetFlag(b.at(5), 100);
    expect(b.getWord(5)).toBe(0xabcd_0000_0000_1234n);
    expect(a.testBit(5, 100)).toBe(true);
  });

  it('a worker thread writing through its own arena is seen here', async () => {
    const sab = new SharedArrayBuffer(VmaFlagsArena.byteLength(X128, 4));
    const a = new VmaFlagsArena(X128, 4, sab);
    a.setBit(0, 1);
    // The worker only needs the layout (entry 3, word 0 = lanes 12-13), which is
    // the contract native code relies on too.
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const lanes = new Uint32Array(workerData);
      Atomics.store(lanes, 3 * 4 + 0, 0x89abcdef);
      Atomics.store(lanes, 3 * 4 + 1, 0x01234567);
      Atomics.store(lanes, 3 * 4 + 3, 0x80000000);
      parentPort.postMessage(Atomics.load(lanes, 0));
    `;
    const seen = await new Promise<number>((resolve, reject) => {
      const w = new Worker(source, { eval: true, workerData: sab });
      w.once('message', resolve);
      w.once('error', reject);
    });
    expect(seen).toBe(2);
    expect(a.getWord(3)).toBe(0x0123_4567_89ab_cdefn);
    expect(a.testBit(3, 127)).toBe(true);
    expect(vmaFlagsTest(a.at(3), 127)).toBe(true);
  });
});
