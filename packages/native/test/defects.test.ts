import { PRESETS, VmaFlagsArena, coreBackend, vmaFlagsFromWords, withNumVmaFlagBits } from '@vmaflags/core';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { VmaNew, VmaRef, flags, nativeBackend, registerArena } from '../src/index.js';

// Inputs that once crashed, corrupted or misreported. Each case checks the
// outcome a caller sees; the ones that could take the process down run in a
// child process so the test runner survives a regression.

const C128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
const BINDING = fileURLToPath(new URL('../binding.cjs', import.meta.url));

/** Runs `body` (CommonJS, with `b` = the raw binding) in a fresh Node process. */
function inChild(body: string): { status: number | null; out: string } {
  const script = `const b = require(${JSON.stringify(BINDING)});\n${body}`;
  try {
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, out };
  } catch (e) {
    const err = e as { status: number | null; stdout?: string; stderr?: string };
    return { status: err.status, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('buffers sized from caller input', () => {
  test('a sparse array of length 2^32-1 is a RangeError, not an abort', () => {
    const r = inChild(`
      const ops = b.flagsOps(b.internConfig('x86_64/64/64/test', 64, 64));
      const a = []; a.length = 2 ** 32 - 1;
      try { ops.fromWords(a); console.log('no error'); }
      catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    `);
    expect(r.status).toBe(0);
    expect(r.out.trim()).toBe('RangeError: words must be an array of at most 1 words; got length 4294967295');
  });

  test('the same array through nativeBackend and coreBackend: same class and kind of message', () => {
    const a: bigint[] = [];
    a.length = 2 ** 32 - 1;
    for (const b of [nativeBackend(C128), coreBackend(C128)]) {
      expect(() => b.fromWords(a)).toThrow(RangeError);
      expect(() => b.fromWords(a)).toThrow(/^words must be an array of at most 2 words.*; got "?length 4294967295"?$/);
    }
  });
});

describe('no JS runs while the addon holds a bitmap', () => {
  test('a setter on Array.prototype neither runs nor breaks toWords', () => {
    const b = nativeBackend(C128);
    const f = b.mk(1, 70);
    let calls = 0;
    Object.defineProperty(Array.prototype, '0', {
      configurable: true,
      set(this: unknown, _v: unknown) {
        calls++;
        b.setFlag(f, 3);
      },
      get() {
        return undefined;
      },
    });
    try {
      const words = b.toWords(f);
      expect(Object.getOwnPropertyDescriptor(words, 0)?.value).toBe(2n);
      expect(words[1]).toBe(1n << 6n);
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['0'];
    }
    expect(calls).toBe(0);
    expect(b.toWords(f)).toEqual([2n, 1n << 6n]);
  });
});

describe('error messages', () => {
  test('a huge string is quoted by its first characters only', () => {
    const b = nativeBackend(PRESETS.x86_64);
    const f = b.mk();
    const huge = 'y'.repeat(2 ** 26);
    let message = '';
    try {
      b.test(f, huge as unknown as number);
    } catch (e) {
      expect(e).toBeInstanceOf(TypeError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^bit must be a bit number \(integer\) in \[0, 63\]; got "y{40}"… \(length 67108864\)$/);
  });

  test('a huge bigint is described by size, not printed', () => {
    const b = nativeBackend(PRESETS.x86_64);
    expect(() => b.setWord(b.mk(), 1n << 100_000n)).toThrow(
      /^value must be a bigint in .*; got a bigint of 1563 64-bit words$/,
    );
  });
});

describe('arena arguments over detached or mismatched memory', () => {
  test('a detached index list or mask is a TypeError naming it, like a detached arena', () => {
    const a = new VmaFlagsArena(PRESETS.x86_64, 4);
    const n = registerArena(a);
    const list = Uint32Array.of(1, 2);
    const mask = Uint32Array.of(1, 0);
    structuredClone(list.buffer, { transfer: [list.buffer] });
    structuredClone(mask.buffer, { transfer: [mask.buffer] });
    expect(() => n.updateFlagsList(list, 1n, 0n)).toThrow(TypeError);
    expect(() => n.updateFlagsList(list, 1n, 0n)).toThrow(/^indices must be a Uint32Array over an attached buffer/);
    expect(() => n.setMaskRange(0, 4, mask)).toThrow(/^mask must be a Uint32Array over an attached buffer/);
    expect(() => n.testAnyMaskRange(0, 4, Uint32Array.of(1, 0), list)).toThrow(
      /^out must be a Uint32Array over an attached buffer/,
    );
    expect(a.getWord(1)).toBe(0n);
    // An empty list that is not detached is still fine.
    n.updateFlagsList(new Uint32Array(0), 1n, 0n);
    const buf = a.buffer as ArrayBuffer;
    structuredClone(buf, { transfer: [buf] });
    expect(() => n.getWord(0)).toThrow(TypeError);
    expect(() => n.getWord(0)).toThrow(
      /^arena must still have the buffer it was registered with \(8 lanes\); got 0 lanes/,
    );
    expect(() => registerArena(a)).toThrow(/^arena must be an arena whose buffer is still attached/);
  });

  test('an arena whose capacity does not describe its lanes is a RangeError, not "detached"', () => {
    const a = new VmaFlagsArena(PRESETS.x86_64, 4);
    const forged = Object.create(VmaFlagsArena.prototype, {
      ...Object.getOwnPropertyDescriptors(a),
      capacity: { value: 5 },
    }) as VmaFlagsArena;
    expect(() => registerArena(forged)).toThrow(RangeError);
    expect(() => registerArena(forged)).toThrow(
      /^arena\.lanes must be capacity × stride = 10 lanes long; got "8 lanes"$/,
    );
  });
});

describe('PFNMAP never meets MIXEDMAP', () => {
  // torvalds/linux @v6.18 rust/kernel/mm/virt.rs: VmaNew::set_mixedmap is
  // sound only because nothing can set VM_PFNMAP on a VMA in setup.
  test('a VmaNew over flags with PFNMAP is refused at construction', () => {
    const f = vmaFlagsFromWords([flags.PFNMAP | flags.READ], PRESETS.x86_64);
    expect(() => new VmaNew(f)).toThrow(RangeError);
    expect(() => new VmaNew(f)).toThrow(/^flags must be a VmaFlags without PFNMAP/);
    expect(() => VmaNew.fromVmaFlags(f)).toThrow(RangeError);
    // A read-only view may still describe such a VMA.
    expect(new VmaRef(f).flags()).toBe(flags.PFNMAP | flags.READ);
    expect(new VmaRef(f).asMixedmapVma()).toBeNull();
  });
});

describe('strings read whole are bounded first', () => {
  test('a huge configuration key is a RangeError, not a 256 MiB copy registered as a key', () => {
    const r = inChild(`
      try { b.internConfig('k'.repeat(2 ** 28), 64, 64); console.log('no error'); }
      catch (e) { console.log(e.constructor.name + ': ' + e.message); }
    `);
    expect(r.out.trim()).toBe(
      'RangeError: config.key must be a string of at most 4096 characters; got "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"… (length 268435456)',
    );
  });
});
