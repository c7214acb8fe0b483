import { describe, expect, test } from 'vitest';
import { VMA_ITERATOR, forEachVma } from '@vmaflags/mm';
import { AddressSpace, type VmaView } from '../src/index.js';

// One kernel fact per test, each on a small address space. Sources are
// torvalds/linux v6.18 (the release this machine runs, 6.18.44); every fact
// was also observed on the live kernel with tools/kernel-probe, and where
// the two disagreed the live kernel won (said below).

const rw = ['read', 'write'] as const;
const anon = (page: number, pages: number, prot: readonly string[] = rw, extra: string[] = []) =>
  ({ page, pages, prot: [...prot], flags: ['private', 'anonymous', 'fixed', ...extra] }) as Parameters<
    AddressSpace['mmap']
  >[0];
const spans = (vmas: VmaView[]) => vmas.map((v) => `${v.start}-${v.end} ${v.perms} ${v.flags.join(' ')}`);

describe('mmap', () => {
  test('private writable anonymous memory is charged (VM_ACCOUNT, "ac"); MAP_NORESERVE is not ("nr")', () => {
    // torvalds/linux v6.18 mm/vma.c: accountable_mapping(); mm/mmap.c do_mmap(): MAP_NORESERVE -> VM_NORESERVE
    const as = new AddressSpace();
    as.mmap(anon(0, 2));
    as.mmap(anon(4, 2, rw, ['noreserve']));
    expect(spans(as.vmas())).toEqual(['0-2 rw-p rd wr mr mw me ac', '4-6 rw-p rd wr mr mw me nr']);
  });

  test('MAP_FIXED_NOREPLACE over a mapping fails with EEXIST and changes nothing', () => {
    // torvalds/linux v6.18 mm/mmap.c do_mmap(): find_vma_intersection() -> -EEXIST
    const as = new AddressSpace();
    as.mmap(anon(0, 4));
    expect(as.mmap({ page: 2, pages: 4, prot: ['read'], flags: ['private', 'anonymous', 'fixed_noreplace'] })).toBe(
      'EEXIST',
    );
    expect(spans(as.vmas())).toEqual(['0-4 rw-p rd wr mr mw me ac']);
  });

  test('MAP_DROPPABLE is wipe-on-fork, not dumped and never charged', () => {
    // torvalds/linux v6.18 mm/mmap.c do_mmap() case MAP_DROPPABLE; the live kernel also sets VM_NORESERVE ("nr")
    const as = new AddressSpace();
    as.mmap({ page: 0, pages: 2, prot: [...rw], flags: ['droppable', 'anonymous', 'fixed'] });
    expect(spans(as.vmas())).toEqual(['0-2 rw-p rd wr mr mw me nr wf dd dp']);
  });

  test('a shared mapping of a read-only open drops VM_MAYWRITE and VM_SHARED but keeps VM_MAYSHARE', () => {
    // torvalds/linux v6.18 mm/mmap.c do_mmap(): !(f_mode & FMODE_WRITE) clears VM_MAYWRITE | VM_SHARED
    const as = new AddressSpace();
    as.createFile({ file: 'file0', pages: 4 });
    as.open({ fd: 'a', file: 'file0', mode: 'rdonly' });
    expect(as.mmap({ page: 0, pages: 4, prot: ['read'], flags: ['shared', 'fixed'], fd: 'a', offset_pages: 0 })).toBe(
      'ok',
    );
    expect(as.mmap({ page: 8, pages: 4, prot: [...rw], flags: ['shared', 'fixed'], fd: 'a', offset_pages: 0 })).toBe(
      'EACCES',
    );
    expect(spans(as.vmas())).toEqual(['0-4 r--s rd mr me ms']);
  });
});

describe('mprotect', () => {
  test('changing the middle splits in three; changing it back merges again', () => {
    // torvalds/linux v6.18 mm/mprotect.c mprotect_fixup() -> vma_modify_flags()
    const as = new AddressSpace();
    as.mmap(anon(0, 6));
    as.mprotect({ page: 2, pages: 2, prot: ['read'] });
    expect(as.vmas().length).toBe(3);
    as.mprotect({ page: 2, pages: 2, prot: [...rw] });
    expect(spans(as.vmas())).toEqual(['0-6 rw-p rd wr mr mw me ac']);
  });

  test('an unfaulted private VMA made read-only gives its charge back; a faulted one keeps it', () => {
    // torvalds/linux v6.18 mm/mprotect.c mprotect_fixup(): VM_ACCOUNT dropped when vma_is_anonymous && !anon_vma
    const a = new AddressSpace();
    a.mmap(anon(0, 2));
    a.mprotect({ page: 0, pages: 2, prot: ['read'] });
    const b = new AddressSpace();
    b.mmap(anon(0, 2));
    b.touch({ page: 0, pages: 1 });
    b.mprotect({ page: 0, pages: 2, prot: ['read'] });
    expect(spans(a.vmas())).toEqual(['0-2 r--p rd mr mw me']);
    expect(spans(b.vmas())).toEqual(['0-2 r--p rd mr mw me ac']);
  });

  test('a hole ends mprotect with ENOMEM after the VMAs before it changed', () => {
    // torvalds/linux v6.18 mm/mprotect.c do_mprotect_pkey(): vma->vm_start != tmp -> -ENOMEM
    const as = new AddressSpace();
    as.mmap(anon(0, 2));
    as.mmap(anon(3, 2));
    expect(as.mprotect({ page: 0, pages: 5, prot: ['read'] })).toBe('ENOMEM');
    expect(as.vmas().map((v) => v.perms)).toEqual(['r--p', 'rw-p']);
  });
});

describe('faults', () => {
  test('two faulted anonymous VMAs do not merge across a new mapping between them (different anon_vmas)', () => {
    // torvalds/linux v6.18 mm/vma.c is_mergeable_anon_vma(); mm/rmap.c __anon_vma_prepare()
    const as = new AddressSpace();
    as.mmap(anon(0, 2));
    as.touch({ page: 0, pages: 1 });
    as.mmap(anon(4, 2));
    as.touch({ page: 4, pages: 1 });
    as.mmap(anon(2, 2));
    expect(as.vmas().map((v) => `${v.start}-${v.end}`)).toEqual(['0-4', '4-6']);
  });

  test('SIGSEGV on PROT_NONE and on unmapped pages, SIGBUS past the end of a file', () => {
    // torvalds/linux v6.18 arch/x86/mm/fault.c access_error(); mm/filemap.c filemap_fault() past i_size -> VM_FAULT_SIGBUS
    const as = new AddressSpace();
    as.mmap(anon(0, 1, []));
    expect(as.touch({ page: 0, pages: 1 })).toEqual({ result: 'SIGSEGV', fault_page: 0 });
    expect(as.touchRead({ page: 5, pages: 1 })).toEqual({ result: 'SIGSEGV', fault_page: 5 });
    as.createFile({ file: 'file0', pages: 1 });
    as.open({ fd: 'a', file: 'file0', mode: 'rdwr' });
    as.mmap({ page: 10, pages: 3, prot: [...rw], flags: ['shared', 'fixed'], fd: 'a', offset_pages: 0 });
    expect(as.touch({ page: 10, pages: 3 })).toEqual({ result: 'SIGBUS', fault_page: 11 });
  });

  test('a growsdown VMA grows to a touch below it, keeping the stack guard gap', () => {
    // torvalds/linux v6.18 mm/mmap.c expand_downwards(): stack_guard_gap to an accessible non-stack VMA below
    const as = new AddressSpace();
    as.mmap(anon(500, 4, ['read']));
    as.mmap(anon(1000, 4, rw, ['growsdown']));
    expect(as.touch({ page: 700, pages: 1 })).toEqual({ result: 'SIGSEGV', fault_page: 700 });
    expect(as.touch({ page: 800, pages: 1 }).result).toBe('ok');
    expect(as.vmas()[1]!.start).toBe(800);
  });
});

describe('fork', () => {
  test('the child drops MADV_DONTFORK VMAs and lock bits', () => {
    // torvalds/linux v6.18 mm/mmap.c dup_mmap(): VM_DONTCOPY skipped, VM_LOCKED_MASK cleared
    const as = new AddressSpace();
    as.mmap(anon(0, 4, rw, ['locked']));
    as.madvise({ page: 1, pages: 1, advice: 'dontfork' });
    const child = as.fork();
    expect(spans(child.vmas())).toEqual(['0-1 rw-p rd wr mr mw me ac', '2-4 rw-p rd wr mr mw me ac']);
    expect(spans(as.vmas())).toEqual([
      '0-1 rw-p rd wr mr mw me lo ac',
      '1-2 rw-p rd wr mr mw me lo dc ac',
      '2-4 rw-p rd wr mr mw me lo ac',
    ]);
  });

  test('a VMA split after faulting does not merge back in the child (each copy gets its own anon_vma)', () => {
    // torvalds/linux v6.18 mm/rmap.c anon_vma_fork()
    const as = new AddressSpace();
    as.mmap(anon(0, 4));
    as.touch({ page: 0, pages: 4 });
    as.mprotect({ page: 2, pages: 2, prot: ['read'] });
    const child = as.fork();
    child.mprotect({ page: 2, pages: 2, prot: [...rw] });
    expect(child.vmas().length).toBe(2);
  });
});

describe('madvise, mlock, mseal, guard regions', () => {
  test('guard regions: SIGSEGV on the marked page, "gu" on the VMA, gone after removal', () => {
    // torvalds/linux v6.18 mm/madvise.c madvise_guard_install(); VM_MAYBE_GUARD seen in smaps on the live kernel
    const as = new AddressSpace();
    as.mmap(anon(0, 4));
    expect(as.madvise({ page: 1, pages: 1, advice: 'guard_install' })).toBe('ok');
    expect(as.touch({ page: 0, pages: 4 })).toEqual({ result: 'SIGSEGV', fault_page: 1 });
    as.madvise({ page: 1, pages: 1, advice: 'guard_remove' });
    expect(as.touch({ page: 0, pages: 4 }).result).toBe('ok');
    expect(as.vmas()[0]!.flags).toContain('gu');
  });

  test('MADV_WIPEONFORK is for private anonymous memory only', () => {
    // torvalds/linux v6.18 mm/madvise.c madvise_vma_behavior(): vm_file || VM_SHARED -> -EINVAL
    const as = new AddressSpace();
    as.mmap({ page: 0, pages: 2, prot: [...rw], flags: ['shared', 'anonymous', 'fixed'] });
    expect(as.madvise({ page: 0, pages: 2, advice: 'wipeonfork' })).toBe('EINVAL');
  });

  test('mlock2(MLOCK_ONFAULT) sets "lo lf" on the range only', () => {
    // torvalds/linux v6.18 mm/mlock.c apply_vma_lock_flags()
    const as = new AddressSpace();
    as.mmap(anon(0, 6));
    as.mlock2Onfault({ page: 2, pages: 2 });
    expect(spans(as.vmas())[1]).toBe('2-4 rw-p rd wr mr mw me lo lf ac');
  });

  test('a sealed range cannot be unmapped or re-protected (EPERM)', () => {
    // torvalds/linux v6.18 mm/mseal.c; mm/vma.c vms_gather_munmap_vmas(); mm/mprotect.c
    const as = new AddressSpace();
    as.mmap(anon(0, 6));
    expect(as.mseal({ page: 2, pages: 2 })).toBe('ok');
    expect(as.munmap({ page: 0, pages: 6 })).toBe('EPERM');
    expect(as.mprotect({ page: 2, pages: 1, prot: ['read'] })).toBe('EPERM');
    expect(spans(as.vmas())[1]).toBe('2-4 rw-p rd wr mr mw me ac sl');
  });

  test('mremap grows in place when the room is free, else moves with MREMAP_MAYMOVE, else ENOMEM', () => {
    // torvalds/linux v6.18 mm/mremap.c expand_vma(): vma_expandable(), then move_vma() only with MREMAP_MAYMOVE
    const as = new AddressSpace();
    as.mmap(anon(0, 2));
    expect(as.mremap({ page: 0, pages: 2, new_pages: 4, flags: [] })).toEqual({ result: 'ok', ret_page: 0 });
    as.mmap(anon(5, 1, ['read']));
    expect(as.mremap({ page: 0, pages: 4, new_pages: 6, flags: [] })).toEqual({ result: 'ENOMEM' });
    expect(as.mremap({ page: 0, pages: 4, new_pages: 6, flags: ['maymove'] })).toEqual({
      result: 'ok',
      ret_page: 'outside',
    });
    expect(spans(as.vmas())).toEqual(['5-6 r--p rd mr mw me']);
  });

  test('MREMAP_DONTUNMAP leaves the source mapped, unlocked, still charged', () => {
    // torvalds/linux v6.18 mm/mremap.c dontunmap_complete(); the source keeping VM_ACCOUNT is what the live kernel shows
    const as = new AddressSpace();
    as.mmap(anon(0, 2, rw, ['locked']));
    expect(
      as.mremap({ page: 0, pages: 2, new_pages: 2, flags: ['maymove', 'fixed', 'dontunmap'], new_page: 10 }),
    ).toEqual({ result: 'ok', ret_page: 10 });
    expect(spans(as.vmas())).toEqual(['0-2 rw-p rd wr mr mw me ac', '10-12 rw-p rd wr mr mw me lo ac']);
  });

  test('kernel-version gates: no VM_MAYBE_GUARD before 6.18, single-VMA fixed moves before 6.17', () => {
    // VM_MAYBE_GUARD seen on the live 6.18 kernel; multi-VMA moves: torvalds/linux v6.17 mm/mremap.c remap_move()
    const scenario = (as: AddressSpace) => {
      as.mmap(anon(0, 2));
      as.mmap(anon(2, 2, ['read']));
      as.madvise({ page: 0, pages: 1, advice: 'guard_install' });
      return as.mremap({ page: 0, pages: 4, new_pages: 4, flags: ['maymove', 'fixed'], new_page: 10 });
    };
    const v618 = new AddressSpace({ kernelVersion: '6.18' });
    const v617 = new AddressSpace({ kernelVersion: '6.17' });
    const v616 = new AddressSpace({ kernelVersion: '6.16' });
    expect(scenario(v618)).toEqual({ result: 'ok', ret_page: 10 });
    expect(scenario(v617)).toEqual({ result: 'ok', ret_page: 10 });
    expect(scenario(v616)).toEqual({ result: 'EFAULT' });
    expect(v618.vmas()[0]!.flags).toContain('gu');
    expect(v617.vmas()[0]!.flags).not.toContain('gu');
  });

  test('without CAP_IPC_LOCK, RLIMIT_MEMLOCK bounds mlock (ENOMEM) and MAP_LOCKED (EAGAIN)', () => {
    // torvalds/linux v6.18 mm/mlock.c do_mlock(), mm/mmap.c mlock_future_ok(); observed with the probe run
    // as an unprivileged user under `ulimit -l 64` (16 pages), with these very results.
    const as = new AddressSpace({ capIpcLock: false, rlimitMemlock: 64 * 1024 });
    as.mmap(anon(0, 8));
    expect(as.mlock({ page: 0, pages: 8 })).toBe('ok');
    expect(as.mlock({ page: 0, pages: 4 })).toBe('ok'); // already locked pages do not count twice
    expect(as.mlock({ page: 0, pages: 16 })).toBe('ENOMEM');
    expect(as.mlock2Onfault({ page: 4, pages: 8 })).toBe('ENOMEM');
    const fresh = new AddressSpace({ capIpcLock: false, rlimitMemlock: 64 * 1024 });
    expect(fresh.mmap(anon(0, 32, rw, ['locked']))).toBe('EAGAIN');
    expect(fresh.mmap(anon(40, 8, rw, ['locked']))).toBe('ok');
  });
});

describe('file references', () => {
  test('each VMA of a file holds a reference and, shared and writable, one writer of its mapping; unmapping returns both', () => {
    // torvalds/linux v6.18 mm/vma.c __split_vma() get_file(), __vma_link_file() mapping_allow_writable(),
    // remove_vma() fput(); mm/memory.c free_pgtables() unlinks each file VMA (__remove_shared_vm_struct());
    // kernel/fork.c dup_mmap() get_file() and mapping_allow_writable() for the child's copy. Not visible from user
    // space (so not probed on the live kernel): read from the source.
    const as = new AddressSpace();
    as.createFile({ file: 'file0', pages: 4 });
    as.open({ fd: 'a', file: 'file0', mode: 'rdwr' });
    as.mmap({ page: 0, pages: 4, prot: [...rw], flags: ['shared', 'fixed'], fd: 'a', offset_pages: 0 });
    as.mprotect({ page: 1, pages: 2, prot: ['read'] });
    const vmas = [...forEachVma(VMA_ITERATOR(as.mm, 0))];
    expect(vmas).toHaveLength(3);
    const file = vmas[0]!.vmFile!;
    expect(as.internal.fileReferences(file)).toBe(3);
    expect(file.fMapping!.iMmapWritable).toBe(3);

    const child = as.fork();
    expect(child.internal.fileReferences(file)).toBe(3);
    expect(file.fMapping!.iMmapWritable).toBe(6);
    child.munmap({ page: 0, pages: 4 });
    expect(child.internal.fileReferences(file)).toBe(0);
    expect(file.fMapping!.iMmapWritable).toBe(3);

    // [0,1) goes, [1,3) is split at 2 and its lower half goes: [2,3) and [3,4) are left.
    as.munmap({ page: 0, pages: 2 });
    expect(as.internal.fileReferences(file)).toBe(2);
    expect(file.fMapping!.iMmapWritable).toBe(2);
    as.munmap({ page: 2, pages: 2 });
    expect(as.internal.fileReferences(file)).toBe(0);
    expect(file.fMapping!.iMmapWritable).toBe(0);
  });
});
