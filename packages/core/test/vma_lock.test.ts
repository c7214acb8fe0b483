import { describe, expect, test } from 'vitest';
import { PRESETS } from '../src/config.js';
import {
  MmStruct,
  mmapReadLock,
  mmapReadUnlock,
  mmapWriteDowngrade,
  mmapWriteLock,
  mmapWriteUnlock,
} from '../src/mm_struct.js';
import { VmAreaStruct } from '../src/vm_area_struct.js';
import {
  UINT_MAX,
  __isVmaWriteLocked,
  mmapAssertLocked,
  mmapAssertWriteLocked,
  vmaAssertAttached,
  vmaAssertCanModify,
  vmaAssertDetached,
  vmaAssertLocked,
  vmaAssertStabilised,
  vmaAssertWriteLocked,
  vmaEndRead,
  vmaEndWriteAll,
  vmaIsAttached,
  vmaLockInit,
  vmaMarkAttached,
  vmaMarkDetached,
  vmaStartRead,
  vmaStartReadLocked,
  vmaStartWrite,
  vmaStartWriteKillable,
} from '../src/vma_lock.js';
import { attachedVma, detachedVma, expectLockError, snapshot } from './vma_fixtures.js';

describe('mmap lock assertions', () => {
  test('mmapAssertLocked accepts read or write, rejects none', () => {
    const mm = new MmStruct();
    expectLockError(() => mmapAssertLocked(mm), 'mmap_locked', 'mmap_assert_locked');
    mmapReadLock(mm);
    mmapAssertLocked(mm);
    mmapReadUnlock(mm);
    mmapWriteLock(mm);
    mmapAssertLocked(mm);
  });

  test('mmapAssertWriteLocked rejects a read lock', () => {
    const mm = new MmStruct();
    mmapReadLock(mm);
    const e = expectLockError(() => mmapAssertWriteLocked(mm, 'some_helper'), 'mmap_write_locked', 'some_helper');
    expect(e.message).toMatch(/only a read lock/);
  });
});

describe('VMA write lock', () => {
  test('a new VMA is detached and never write-locked', () => {
    const vma = detachedVma();
    expect(vma.vmLockSeq).toBe(UINT_MAX);
    expect(vma.vmRefcnt).toBe(0);
    expect(vmaIsAttached(vma)).toBe(false);
    expect(__isVmaWriteLocked(vma)).toBe(false);
  });

  test('vmaStartWrite needs the mmap write lock', () => {
    const vma = detachedVma();
    const before = snapshot(vma);
    expectLockError(() => vmaStartWrite(vma), 'mmap_write_locked', 'vma_start_write');
    mmapReadLock(vma.vmMm);
    expectLockError(() => vmaStartWrite(vma), 'mmap_write_locked', 'vma_start_write');
    expect(snapshot(vma)).toEqual(before);
  });

  test('vmaStartWrite records mm_lock_seq and is idempotent in a sequence', () => {
    const vma = detachedVma();
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    expect(vma.vmLockSeq).toBe(vma.vmMm.mmLockSeq);
    expect(__isVmaWriteLocked(vma)).toBe(true);
    vmaStartWrite(vma);
    expect(vmaStartWriteKillable(vma)).toBe(0);
    expect(vma.vmLockSeq).toBe(vma.vmMm.mmLockSeq);
  });

  test('dropping or downgrading the mmap write lock releases every VMA write lock', () => {
    const mm = new MmStruct();
    const a = new VmAreaStruct(mm, { start: 0, end: 0x1000 });
    const b = new VmAreaStruct(mm, { start: 0x1000, end: 0x2000 });
    mmapWriteLock(mm);
    vmaStartWrite(a);
    vmaStartWrite(b);
    mmapWriteUnlock(mm);
    mmapWriteLock(mm);
    expect(__isVmaWriteLocked(a)).toBe(false);
    expectLockError(() => vmaAssertWriteLocked(a), 'vma_write_locked', 'vma_assert_write_locked');
    vmaStartWrite(a);
    mmapWriteDowngrade(mm);
    expect(__isVmaWriteLocked(a)).toBe(false);
    expectLockError(() => vmaAssertWriteLocked(a), 'vma_write_locked', 'vma_assert_write_locked');
  });

  test('vmaEndWriteAll keeps the mmap write lock but drops VMA write locks', () => {
    const vma = detachedVma();
    expectLockError(() => vmaEndWriteAll(vma.vmMm), 'mmap_write_locked', 'vma_end_write_all');
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    vmaEndWriteAll(vma.vmMm);
    expect(vma.vmMm.mmapLock.writeLocked).toBe(true);
    expect(__isVmaWriteLocked(vma)).toBe(false);
    mmapWriteUnlock(vma.vmMm);
  });

  test('vmaAssertWriteLocked explains what is missing', () => {
    const vma = detachedVma();
    expect(
      expectLockError(() => vmaAssertWriteLocked(vma), 'vma_write_locked', 'vma_assert_write_locked').message,
    ).toMatch(/mmap lock is not held/);
    mmapWriteLock(vma.vmMm);
    expect(expectLockError(() => vmaAssertWriteLocked(vma, 'x'), 'vma_write_locked', 'x').message).toMatch(
      /vmaStartWrite/,
    );
    vmaStartWrite(vma);
    vmaAssertWriteLocked(vma);
  });

  test('a writer with VMA readers present would wait forever', () => {
    const vma = attachedVma();
    expect(vmaStartRead(vma)).toBe(true);
    mmapWriteLock(vma.vmMm);
    const before = snapshot(vma);
    expectLockError(() => vmaStartWrite(vma), 'lock_state', 'vma_start_write');
    expect(snapshot(vma)).toEqual(before);
  });
});

describe('attach / detach', () => {
  test('attaching needs the VMA write lock and a detached VMA', () => {
    const vma = detachedVma();
    expectLockError(() => vmaMarkAttached(vma), 'vma_write_locked', 'vma_mark_attached');
    mmapWriteLock(vma.vmMm);
    expectLockError(() => vmaMarkAttached(vma), 'vma_write_locked', 'vma_mark_attached');
    vmaStartWrite(vma);
    vmaMarkAttached(vma);
    expect(vmaIsAttached(vma)).toBe(true);
    expect(vma.vmRefcnt).toBe(1);
    expectLockError(() => vmaMarkAttached(vma), 'vma_detached', 'vma_mark_attached');
  });

  test('detaching needs the write lock, an attached VMA and no readers', () => {
    const vma = attachedVma();
    expectLockError(() => vmaMarkDetached(vma), 'vma_write_locked', 'vma_mark_detached');
    vmaStartRead(vma);
    mmapWriteLock(vma.vmMm);
    // vma_start_write itself refuses while a reader holds the VMA
    expectLockError(() => vmaStartWrite(vma), 'lock_state', 'vma_start_write');
    vmaEndRead(vma);
    vmaStartWrite(vma);
    vmaMarkDetached(vma);
    expect(vmaIsAttached(vma)).toBe(false);
    expectLockError(() => vmaMarkDetached(vma), 'lock_state', 'vma_mark_detached');
  });

  test('vmaMarkDetached with a VMA reader present (taken under the mmap lock) throws and changes nothing', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    // vma_start_read_locked only needs the mmap lock, so a reader can coexist
    // with the VMA write lock; detaching would then wait for it forever.
    expect(vmaStartReadLocked(vma)).toBe(true);
    const before = snapshot(vma);
    const e = expectLockError(() => vmaMarkDetached(vma), 'lock_state', 'vma_mark_detached');
    expect(e.message).toMatch(/has 1 VMA reader\(s\)/);
    expect(snapshot(vma)).toEqual(before);
    expect(vmaIsAttached(vma)).toBe(true);
    vmaEndRead(vma);
    vmaMarkDetached(vma);
    expect(vma.vmRefcnt).toBe(0);
  });

  test('vmaMarkDetached without MMU is a no-op, with or without locks', () => {
    const vma = detachedVma(PRESETS.nommu);
    const before = snapshot(vma);
    vmaMarkDetached(vma);
    expect(snapshot(vma)).toEqual(before);
    mmapWriteLock(vma.vmMm);
    vmaMarkAttached(vma);
    vmaMarkDetached(vma);
    expect(vma.vmRefcnt).toBe(0);
    expect(() => vmaMarkDetached({} as never)).toThrow(TypeError);
  });

  test('attached / detached assertions', () => {
    const d = detachedVma();
    vmaAssertDetached(d);
    expectLockError(() => vmaAssertAttached(d), 'lock_state', 'vma_assert_attached');
    const a = attachedVma();
    vmaAssertAttached(a);
    expectLockError(() => vmaAssertDetached(a), 'vma_detached', 'vma_assert_detached');
  });

  test('vmaAssertCanModify: free while detached, write lock once attached', () => {
    vmaAssertCanModify(detachedVma());
    const a = attachedVma();
    expectLockError(() => vmaAssertCanModify(a, 'h'), 'vma_write_locked', 'h');
    mmapWriteLock(a.vmMm);
    vmaStartWrite(a);
    vmaAssertCanModify(a);
  });

  test('vmaLockInit forgets the write lock and can reset the refcount', () => {
    const vma = attachedVma();
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    vmaLockInit(vma, false);
    expect(vma.vmLockSeq).toBe(UINT_MAX);
    expect(vma.vmRefcnt).toBe(1);
    vmaLockInit(vma, true);
    expect(vma.vmRefcnt).toBe(0);
  });
});

describe('VMA read lock', () => {
  test('vmaStartRead fails on a detached or write-locked VMA', () => {
    const d = detachedVma();
    expect(vmaStartRead(d)).toBe(false);
    const a = attachedVma();
    mmapWriteLock(a.vmMm);
    vmaStartWrite(a);
    expect(vmaStartRead(a)).toBe(false);
    mmapWriteUnlock(a.vmMm);
    expect(vmaStartRead(a)).toBe(true);
    expect(vmaStartRead(a)).toBe(true);
    expect(a.vmRefcnt).toBe(3);
    vmaEndRead(a);
    vmaEndRead(a);
    expect(a.vmRefcnt).toBe(1);
    expectLockError(() => vmaEndRead(a), 'lock_state', 'vma_end_read');
  });

  test('a VMA reader coexists with an mmap writer that has not locked this VMA', () => {
    const a = attachedVma();
    mmapWriteLock(a.vmMm);
    expect(vmaStartRead(a)).toBe(true);
    vmaEndRead(a);
  });

  test('vmaStartReadLocked needs the mmap lock', () => {
    const a = attachedVma();
    expectLockError(() => vmaStartReadLocked(a), 'mmap_locked', 'vma_start_read_locked');
    mmapReadLock(a.vmMm);
    expect(vmaStartReadLocked(a)).toBe(true);
    mmapReadUnlock(a.vmMm);
    vmaAssertLocked(a);
    vmaEndRead(a);
    const d = detachedVma();
    mmapReadLock(d.vmMm);
    expect(vmaStartReadLocked(d)).toBe(false);
  });
});

describe('vmaAssertLocked / vmaAssertStabilised', () => {
  test('vmaAssertLocked: a VMA reader, or the VMA write lock, on an attached VMA', () => {
    const a = attachedVma();
    expectLockError(() => vmaAssertLocked(a), 'vma_locked', 'vma_assert_locked');
    vmaStartRead(a);
    vmaAssertLocked(a);
    vmaEndRead(a);
    mmapWriteLock(a.vmMm);
    vmaStartWrite(a);
    vmaAssertLocked(a);
    const d = detachedVma();
    expect(expectLockError(() => vmaAssertLocked(d), 'vma_locked', 'vma_assert_locked').message).toMatch(/detached/);
  });

  test('vmaAssertStabilised: any mmap lock, or a VMA lock', () => {
    const a = attachedVma();
    expectLockError(() => vmaAssertStabilised(a), 'vma_stabilised', 'vma_assert_stabilised');
    mmapReadLock(a.vmMm);
    vmaAssertStabilised(a);
    mmapReadUnlock(a.vmMm);
    vmaStartRead(a);
    vmaAssertStabilised(a);
    vmaEndRead(a);
    const d = detachedVma();
    expectLockError(() => vmaAssertStabilised(d), 'vma_stabilised', 'vma_assert_stabilised');
    mmapWriteLock(d.vmMm);
    vmaAssertStabilised(d);
  });
});

describe('without MMU (no per-VMA locks)', () => {
  test('VMA write lock means mmap write lock; VMAs never attach; reads always fail', () => {
    const vma = detachedVma(PRESETS.nommu);
    expectLockError(() => vmaStartWrite(vma), 'mmap_write_locked', 'vma_start_write');
    expectLockError(() => vmaAssertWriteLocked(vma), 'vma_write_locked', 'vma_assert_write_locked');
    mmapWriteLock(vma.vmMm);
    vmaStartWrite(vma);
    expect(vma.vmLockSeq).toBe(UINT_MAX);
    vmaAssertWriteLocked(vma);
    vmaAssertLocked(vma);
    vmaMarkAttached(vma);
    expect(vmaIsAttached(vma)).toBe(false);
    vmaAssertAttached(vma);
    expect(vmaStartRead(vma)).toBe(false);
    mmapWriteUnlock(vma.vmMm);
    expectLockError(() => vmaAssertLocked(vma), 'vma_locked', 'vma_assert_locked');
  });
});

describe('argument checks', () => {
  test('a non-VMA is a TypeError naming vma', () => {
    expect(() => vmaStartWrite({} as never)).toThrow(/^vma must be a VmAreaStruct/);
    expect(() => vmaAssertLocked(null as never)).toThrow(TypeError);
    expect(() => mmapAssertLocked({} as never)).toThrow(/^mm must be/);
  });
});
