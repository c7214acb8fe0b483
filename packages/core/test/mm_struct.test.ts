import { describe, expect, test } from 'vitest';
import { PRESETS, withNumVmaFlagBits } from '../src/config.js';
import { VmaLockError } from '../src/errors.js';
import {
  MmStruct,
  mmapReadLock,
  mmapReadTrylock,
  mmapReadUnlock,
  mmapWriteDowngrade,
  mmapWriteLock,
  mmapWriteTrylock,
  mmapWriteUnlock,
} from '../src/mm_struct.js';
import { mkVmaFlagsIn, vmaFlagsToWords } from '../src/vma_flags.js';

function lockError(fn: () => void): VmaLockError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VmaLockError);
    return e as VmaLockError;
  }
  throw new Error('expected a VmaLockError');
}

describe('MmStruct', () => {
  test('defaults: DEFAULT_CONFIG, empty def flags, unlocked, seq 0', () => {
    const mm = new MmStruct();
    expect(mm.config).toBe(PRESETS.x86_64);
    expect(mm.defFlags).toBe(0n);
    expect(vmaFlagsToWords(mm.defVmaFlags)).toEqual([0n]);
    expect(mm.mmLockSeq).toBe(0);
    expect(mm.mmapLock.locked).toBe(false);
  });

  test('def flags from a word or a bitmap (copied)', () => {
    expect(new MmStruct(PRESETS.x86_64, { defFlags: 0x4000_0000n }).defFlags).toBe(0x4000_0000n);
    const src = mkVmaFlagsIn(PRESETS.arm64, 30);
    const mm = new MmStruct(PRESETS.arm64, { defFlags: src });
    expect(mm.defVmaFlags).not.toBe(src);
    expect(mm.defFlags).toBe(0x4000_0000n);
  });

  test('def flags of another config are a TypeError', () => {
    expect(() => new MmStruct(PRESETS.x86_64, { defFlags: mkVmaFlagsIn(PRESETS.arm64, 1) })).toThrow(/init\.defFlags/);
    expect(() => new MmStruct({} as never)).toThrow(TypeError);
    expect(() => new MmStruct(PRESETS.i386, { defFlags: 1n << 32n })).toThrow(RangeError);
  });

  test('defFlags is a view of word 0: assigning leaves higher words alone', () => {
    const c = withNumVmaFlagBits(PRESETS.x86_64, 128);
    const mm = new MmStruct(c, { defFlags: mkVmaFlagsIn(c, 1, 100) });
    mm.defFlags = 0x4000_0000n;
    expect(vmaFlagsToWords(mm.defVmaFlags)).toEqual([0x4000_0000n, 1n << 36n]);
  });
});

describe('mmap lock (rwsem model)', () => {
  test('many readers, no writer while read-held', () => {
    const mm = new MmStruct();
    mmapReadLock(mm);
    mmapReadLock(mm);
    expect(mm.mmapLock.readers).toBe(2);
    expect(mmapWriteTrylock(mm)).toBe(false);
    const e = lockError(() => mmapWriteLock(mm));
    expect(e.rule).toBe('lock_state');
    expect(e.helper).toBe('mmap_write_lock');
    mmapReadUnlock(mm);
    mmapReadUnlock(mm);
    expect(mm.mmapLock.locked).toBe(false);
  });

  test('a writer excludes readers and other writers', () => {
    const mm = new MmStruct();
    mmapWriteLock(mm);
    expect(mm.mmapLock.writeLocked).toBe(true);
    expect(mmapReadTrylock(mm)).toBe(false);
    expect(lockError(() => mmapReadLock(mm)).helper).toBe('mmap_read_lock');
    expect(lockError(() => mmapWriteLock(mm)).rule).toBe('lock_state');
    mmapWriteUnlock(mm);
    expect(mmapReadTrylock(mm)).toBe(true);
    mmapReadUnlock(mm);
  });

  test('mm_lock_seq: bumped on write lock and on release/downgrade', () => {
    const mm = new MmStruct();
    mmapWriteLock(mm);
    expect(mm.mmLockSeq).toBe(1);
    mmapWriteUnlock(mm);
    expect(mm.mmLockSeq).toBe(2);
    mmapReadLock(mm);
    mmapReadUnlock(mm);
    expect(mm.mmLockSeq).toBe(2);
    expect(mmapWriteTrylock(mm)).toBe(true);
    expect(mm.mmLockSeq).toBe(3);
    mmapWriteDowngrade(mm);
    expect(mm.mmLockSeq).toBe(4);
    expect(mm.mmapLock.readers).toBe(1);
    expect(mm.mmapLock.writeLocked).toBe(false);
    mmapReadUnlock(mm);
  });

  test('unlocking what is not held is a lock_state error', () => {
    const mm = new MmStruct();
    expect(lockError(() => mmapReadUnlock(mm)).helper).toBe('mmap_read_unlock');
    const w = lockError(() => mmapWriteUnlock(mm));
    expect(w.helper).toBe('mmap_write_unlock');
    expect(w.rule).toBe('mmap_write_locked');
    expect(lockError(() => mmapWriteDowngrade(mm)).helper).toBe('mmap_write_downgrade');
    mmapReadLock(mm);
    expect(lockError(() => mmapWriteUnlock(mm)).message).toMatch(/not held for write/);
  });

  test('non-mm arguments are TypeErrors naming mm', () => {
    expect(() => mmapReadLock({} as never)).toThrow(/^mm must be an MmStruct/);
  });
});
