import { describe as suite, expect, test } from 'vitest';
import { PRESETS, withNumVmaFlagBits } from '../src/config.js';
import {
  UndeclaredVmaFlagError,
  VmaLockError,
  describe,
  rangeError,
  readObjectArgument,
  typeError,
} from '../src/errors.js';
import { EMPTY_VMA_FLAGS, VmaFlags, isVmaFlags, mkVmaFlags } from '../src/vma_flags.js';

// How a value is shown in a message: bounded, and without running any of the
// value's own code.

suite('describe', () => {
  test('primitives', () => {
    expect(describe(undefined)).toBe('undefined');
    expect(describe(null)).toBe('null');
    expect(describe(-0)).toBe('-0');
    expect(describe(1.5)).toBe('1.5');
    expect(describe(-1n)).toBe('-1n');
    expect(describe('0x1g')).toBe('"0x1g"');
    expect(describe(Symbol('s'))).toBe('Symbol(s)');
  });

  test('a long string shows its first 40 characters and its length', () => {
    expect(describe('y'.repeat(10 * 1024 * 1024))).toBe(`"${'y'.repeat(40)}"… (length 10485760)`);
  });

  test('a huge bigint shows its size', () => {
    expect(describe(2n ** 128n)).toBe('a bigint of 3 64-bit words');
    expect(describe(-(2n ** 4000n))).toBe('a bigint of 63 64-bit words');
    expect(describe(2n ** 127n)).toBe(`${2n ** 127n}n`);
  });

  test('objects by class, arrays by length, functions by name', () => {
    expect(describe({})).toBe('Object');
    expect(describe(Object.create(null))).toBe('object');
    expect(describe(mkVmaFlags(1))).toBe('VmaFlags');
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    expect(describe(sparse)).toBe('Array(length 4294967295)');
    expect(describe(function named() {})).toBe('function named');
    expect(describe(() => 0)).toBe('function (anonymous)');
  });

  test('runs no getter and no Proxy trap', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const traps = new Proxy(
      {},
      {
        get: () => {
          throw new Error('get');
        },
        getPrototypeOf: () => {
          throw new Error('getPrototypeOf');
        },
      },
    );
    const getter = Object.defineProperty({}, 'constructor', {
      get: () => {
        throw new Error('constructor');
      },
    });
    expect(describe(revoked.proxy)).toBe('object');
    expect(describe(traps)).toBe('object');
    expect(describe(getter)).toBe('Object');
  });
});

suite('the error factories check their own inputs', () => {
  test('arg must be a non-empty string, allowed a string', () => {
    expect(() => rangeError('', 'x', 1)).toThrow(new RangeError('arg must be a non-empty string; got ""'));
    expect(() => typeError(Symbol('a') as never, 'x', 1)).toThrow(
      new TypeError('arg must be a non-empty string; got Symbol(a)'),
    );
    expect(() => typeError('a', {} as never, 1)).toThrow(new TypeError('allowed must be a string; got Object'));
  });

  test('the error classes', () => {
    expect(() => new VmaLockError('nope' as never, 'h', 'm')).toThrow(/^rule must be one of mmap_write_locked, /);
    expect(() => new VmaLockError('lock_state', 1 as never, 'm')).toThrow('helper must be a string; got 1');
    expect(() => new UndeclaredVmaFlagError('SAO', 'x', [1] as never)).toThrow(/^declared must be an array of at most/);
    expect(new UndeclaredVmaFlagError('SAO', 'x', ['READ']).message).toBe(
      'name must be a VMA flag bit declared by config x (READ); got "SAO"',
    );
  });
});

suite('readObjectArgument', () => {
  test('reads once; a throwing read is a TypeError naming the object, with the cause', () => {
    expect(readObjectArgument({ a: 1 }, 'init', 'an object', (o: { a: number }) => o.a)).toBe(1);
    expect(() => readObjectArgument(1, 'init', 'an object', () => 0)).toThrow(
      new TypeError('init must be an object; got 1'),
    );
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    let caught: unknown;
    try {
      readObjectArgument(revoked.proxy, 'init', 'an object', (o: { a?: number }) => o.a);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toBe('init must be an object whose fields can be read; got object');
    expect((caught as Error).cause).toBeInstanceOf(TypeError);
  });
});

suite('isVmaFlags', () => {
  test('a brand check', () => {
    expect(isVmaFlags(mkVmaFlags(1))).toBe(true);
    expect(isVmaFlags(EMPTY_VMA_FLAGS)).toBe(true);
    expect(isVmaFlags(new VmaFlags(withNumVmaFlagBits(PRESETS.i386, 96)))).toBe(true);
    expect(isVmaFlags(Object.create(VmaFlags.prototype))).toBe(false);
    expect(isVmaFlags(new Proxy(mkVmaFlags(1), {}))).toBe(false);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(isVmaFlags(revoked.proxy)).toBe(false);
    expect(isVmaFlags(null)).toBe(false);
    expect(isVmaFlags(1n)).toBe(false);
  });
});
