#!/usr/bin/env node
// Writes the agreement corpus, packages/sim/scenarios/<family>.jsonl: the
// systematic matrices (every mmap type x prot, every advice, every mremap flag
// combination, ...) and the individual stories, one scenario per line.
// Run it after editing, then re-record with record-expected.mjs.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

// ---- op builders (vocabulary of scenarios/README.md) ----

const MAP_MODIFIERS = [
  'anonymous',
  'fixed',
  'fixed_noreplace',
  'noreserve',
  'growsdown',
  'locked',
  'populate',
  'stack',
];
const NONE = [];
const R = ['read'];
const W = ['write'];
const X = ['exec'];
const RW = ['read', 'write'];
const RX = ['read', 'exec'];
const RWX = ['read', 'write', 'exec'];
const WX = ['write', 'exec'];

function mapFlags(type, modifiers) {
  const unknown = modifiers.filter((m) => !MAP_MODIFIERS.includes(m));
  if (unknown.length) throw new Error(`unknown mmap flag ${unknown}`);
  return [type, ...MAP_MODIFIERS.filter((m) => modifiers.includes(m))];
}

/** Anonymous mmap; `fixed_noreplace` unless `place` says otherwise. */
function anonMap(type, page, pages, prot = RW, more = [], place = 'fixed_noreplace') {
  const placement = place === 'hint' ? [] : [place];
  return { op: 'mmap', page, pages, prot, flags: mapFlags(type, ['anonymous', ...placement, ...more]) };
}
const anon = (page, pages, prot = RW, more = []) => anonMap('private', page, pages, prot, more);
const shanon = (page, pages, prot = RW, more = []) => anonMap('shared', page, pages, prot, more);

/** File mmap of fd at offset_pages; fixed_noreplace unless `place` says otherwise. */
function fmap(fd, page, pages, prot, type, offsetPages = 0, more = [], place = 'fixed_noreplace') {
  const placement = place === 'hint' ? [] : [place];
  return {
    op: 'mmap',
    page,
    pages,
    prot,
    flags: mapFlags(type, [...placement, ...more]),
    fd,
    offset_pages: offsetPages,
  };
}
const createFile = (file, pages) => ({ op: 'create_file', file, pages });
const open = (fd, file, mode = 'rdwr') => ({ op: 'open', fd, file, mode });
/** create_file + open rdwr under the fd label `f<N>`. */
const fileWithFd = (n, pages, mode = 'rdwr') => [createFile(`file${n}`, pages), open(`f${n}`, `file${n}`, mode)];

const range = (op) => (page, pages) => ({ op, page, pages });
const munmap = range('munmap');
const mlock = range('mlock');
const mlock2 = range('mlock2_onfault');
const munlock = range('munlock');
const mseal = range('mseal');
const touch = range('touch');
const touchRead = range('touch_read');
const mprotect = (page, pages, prot) => ({ op: 'mprotect', page, pages, prot });
const madvise = (page, pages, advice) => ({ op: 'madvise', page, pages, advice });
const mlockall = (...flags) => ({ op: 'mlockall', flags });
const munlockall = () => ({ op: 'munlockall' });
const fork = () => ({ op: 'fork' });
function mremap(page, pages, newPages, flags, newPage) {
  const op = { op: 'mremap', page, pages, new_pages: newPages, flags };
  if (newPage !== undefined) op.new_page = newPage;
  return op;
}

const files = new Map();
function add(family, name, ...ops) {
  if (!files.has(family)) files.set(family, []);
  files.get(family).push({ name, ops: ops.flat(Infinity) });
}
const protName = (prot) => (prot.length ? prot.map((p) => p[0]).join('') : 'none');

// ---- mmap ----
{
  const f = 'mmap';
  for (const type of ['private', 'shared', 'shared_validate', 'droppable']) {
    for (const prot of [NONE, R, W, X, RW, RX, WX, RWX]) {
      add(f, `mmap_anon_${type}_${protName(prot)}`, anonMap(type, 0, 4, prot));
    }
  }
  for (const type of ['private', 'shared', 'shared_validate']) {
    for (const prot of [NONE, R, RW, RX, RWX]) {
      add(f, `mmap_file_${type}_${protName(prot)}_rdwr_fd`, fileWithFd(0, 4), fmap('f0', 0, 4, prot, type));
    }
  }
  for (const type of ['private', 'shared']) {
    for (const prot of [R, RW, RX]) {
      add(f, `mmap_file_${type}_${protName(prot)}_rdonly_fd`, fileWithFd(0, 4, 'rdonly'), fmap('f0', 0, 4, prot, type));
    }
  }
  add(f, 'mmap_file_droppable_is_einval', fileWithFd(0, 4), fmap('f0', 0, 4, RW, 'droppable'));
  for (const more of [
    ['noreserve'],
    ['growsdown'],
    ['locked'],
    ['populate'],
    ['stack'],
    ['growsdown', 'stack'],
    ['noreserve', 'locked', 'populate'],
  ]) {
    add(f, `mmap_anon_private_${more.join('_')}`, anon(64, 4, RW, more));
  }
  for (const more of [['noreserve'], ['growsdown'], ['locked'], ['populate'], ['stack']]) {
    add(f, `mmap_anon_shared_${more.join('_')}`, shanon(64, 4, RW, more));
  }
  for (const more of [['noreserve'], ['growsdown'], ['locked'], ['populate']]) {
    add(f, `mmap_anon_droppable_${more.join('_')}`, anonMap('droppable', 64, 4, RW, more));
  }
  for (const more of [['locked'], ['populate'], ['noreserve'], ['growsdown']]) {
    add(f, `mmap_file_private_rw_${more.join('_')}`, fileWithFd(0, 4), fmap('f0', 8, 4, RW, 'private', 0, more));
    add(f, `mmap_file_shared_rw_${more.join('_')}`, fileWithFd(0, 4), fmap('f0', 8, 4, RW, 'shared', 0, more));
  }
  add(f, 'mmap_populate_prot_none', anon(0, 4, NONE, ['populate']));
  add(f, 'mmap_locked_prot_none', anon(0, 4, NONE, ['locked']));
  add(f, 'mmap_hint_free_is_honoured', anonMap('private', 100, 4, RW, [], 'hint'));
  add(f, 'mmap_hint_occupied_goes_outside_the_window', anon(100, 4), anonMap('private', 102, 4, R, [], 'hint'));
  add(f, 'mmap_hint_file_free_is_honoured', fileWithFd(0, 4), fmap('f0', 100, 4, R, 'shared', 0, [], 'hint'));
  add(f, 'mmap_fixed_replaces_the_middle_of_a_mapping', anon(0, 6), anonMap('private', 2, 2, R, [], 'fixed'));
  add(
    f,
    'mmap_fixed_over_two_mappings_and_a_hole',
    anon(0, 2),
    anon(4, 2, R),
    anonMap('private', 1, 4, RWX, [], 'fixed'),
  );
  add(
    f,
    'mmap_fixed_same_flags_over_a_mapping_merges_back',
    anon(0, 6),
    touch(0, 6),
    anonMap('private', 2, 2, RW, [], 'fixed'),
  );
  add(
    f,
    'mmap_fixed_and_fixed_noreplace_over_a_mapping',
    anon(0, 4),
    anonMap('private', 2, 4, RW, ['fixed_noreplace'], 'fixed'),
  );
  add(f, 'mmap_fixed_noreplace_into_a_hole_exactly', anon(0, 2), anon(4, 2), anon(2, 2));
  add(f, 'mmap_fixed_noreplace_overlapping_is_eexist', anon(0, 4), anon(2, 4, R));
  add(f, 'mmap_file_offset_into_the_file', fileWithFd(0, 8), fmap('f0', 0, 4, R, 'shared', 3));
  add(f, 'mmap_file_longer_than_the_file', fileWithFd(0, 2), fmap('f0', 0, 6, R, 'private', 0), touchRead(0, 6));
  add(f, 'mmap_file_offset_beyond_eof', fileWithFd(0, 2), fmap('f0', 0, 2, R, 'shared', 10), touchRead(0, 1));
  add(
    f,
    'mmap_file_offset_beyond_max_file_size_is_eoverflow',
    fileWithFd(0, 1),
    fmap('f0', 0, 1, R, 'shared', 2 ** 51 - 1),
  );
  add(f, 'mmap_file_shared_rw_of_rdonly_fd_is_eacces', fileWithFd(0, 4, 'rdonly'), fmap('f0', 0, 4, RW, 'shared'));
  add(f, 'mmap_without_anonymous_or_fd_is_ebadf', {
    op: 'mmap',
    page: 0,
    pages: 1,
    prot: R,
    flags: ['private', 'fixed_noreplace'],
  });
  add(f, 'mmap_fd_of_a_failed_open_is_ebadf', open('f0', 'file9'), fmap('f0', 0, 1, R, 'private'));
  add(
    f,
    'mmap_two_fds_same_file',
    fileWithFd(0, 4),
    open('g0', 'file0', 'rdonly'),
    fmap('f0', 0, 2, RW, 'shared'),
    fmap('g0', 2, 2, R, 'shared', 2),
  );
  for (const [what, ops] of [
    ['file', [fileWithFd(0, 4), fmap('f0', 0, 4, RW, 'shared_validate', 0, [], 'fixed')]],
    ['anon', [anonMap('shared_validate', 0, 4, RW, [], 'fixed')]],
  ]) {
    add(f, `mmap_shared_validate_${what}_with_legacy_fixed`, ops);
  }
  add(f, 'mmap_shared_validate_file_hint', fileWithFd(0, 4), fmap('f0', 100, 4, R, 'shared_validate', 0, [], 'hint'));
  add(
    f,
    'mmap_shared_validate_file_with_every_legacy_flag',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, RW, 'shared_validate', 0, ['noreserve', 'locked', 'populate', 'stack'], 'fixed'),
  );
  add(f, 'mmap_last_page_of_the_window', anon(1048575, 1));
  add(f, 'mmap_whole_window_noreserve', anon(0, 1048576, NONE, ['noreserve']));
}

// ---- munmap ----
{
  const f = 'munmap';
  add(f, 'munmap_whole_mapping', anon(0, 4), munmap(0, 4));
  add(f, 'munmap_first_page', anon(0, 4), munmap(0, 1));
  add(f, 'munmap_last_page', anon(0, 4), munmap(3, 1));
  add(f, 'munmap_middle_splits_in_two', anon(0, 4), touch(0, 4), munmap(1, 2));
  add(f, 'munmap_empty_range_is_ok', munmap(0, 16));
  add(f, 'munmap_range_larger_than_the_mapping', anon(4, 4), munmap(0, 16));
  add(f, 'munmap_across_a_hole_and_three_mappings', anon(0, 2), anon(3, 2, R), shanon(6, 2), munmap(1, 6));
  add(f, 'munmap_file_middle_keeps_right_pgoff', fileWithFd(0, 8), fmap('f0', 0, 8, R, 'shared'), munmap(2, 3));
  add(f, 'munmap_shmem_middle_keeps_right_pgoff', shanon(0, 8), munmap(2, 3));
  add(f, 'munmap_locked_middle', anon(0, 4, RW, ['locked']), munmap(1, 1));
  add(f, 'munmap_then_touch_the_hole', anon(0, 4), munmap(1, 1), touch(0, 4));
  add(f, 'munmap_then_remap_merges', anon(0, 4), munmap(1, 1), anon(1, 1));
  add(f, 'munmap_then_remap_after_touch_merges', anon(0, 4), touch(0, 4), munmap(1, 1), anon(1, 1));
  add(f, 'munmap_whole_window', anon(0, 4), anon(1048570, 6), munmap(0, 1048576));
}

// ---- mprotect ----
{
  const f = 'mprotect';
  const prots = [NONE, R, W, X, RW, RX, RWX];
  for (const from of [RW, R, NONE]) {
    for (const to of prots) {
      if (to === from) continue;
      add(f, `mprotect_anon_${protName(from)}_to_${protName(to)}_middle`, anon(0, 4, from), mprotect(1, 2, to));
    }
  }
  add(f, 'mprotect_whole_mapping', anon(0, 4), mprotect(0, 4, R));
  add(f, 'mprotect_and_back_merges_untouched', anon(0, 4), mprotect(1, 2, R), mprotect(1, 2, RW));
  add(f, 'mprotect_and_back_merges_touched', anon(0, 4), touch(0, 4), mprotect(1, 2, R), mprotect(1, 2, RW));
  add(f, 'mprotect_over_a_hole_applies_the_part_before', anon(0, 2), anon(3, 2), mprotect(0, 5, R));
  add(f, 'mprotect_starting_in_a_hole_is_enomem', anon(2, 2), mprotect(0, 4, R));
  add(f, 'mprotect_two_mappings_same_flags_merge', anon(0, 2), anon(2, 2, R), mprotect(2, 2, RW));
  add(
    f,
    'mprotect_shared_file_write_from_rdonly_fd_is_eacces',
    fileWithFd(0, 4, 'rdonly'),
    fmap('f0', 0, 4, R, 'shared'),
    mprotect(0, 4, RW),
  );
  add(
    f,
    'mprotect_private_file_write_from_rdonly_fd',
    fileWithFd(0, 4, 'rdonly'),
    fmap('f0', 0, 4, R, 'private'),
    mprotect(0, 4, RW),
  );
  add(
    f,
    'mprotect_shared_file_write_from_rdwr_fd',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, R, 'shared'),
    mprotect(1, 2, RW),
  );
  add(f, 'mprotect_shared_anon_to_read', shanon(0, 4), mprotect(0, 2, R));
  add(f, 'mprotect_locked_range_to_none', anon(0, 4, RW, ['locked']), mprotect(1, 1, NONE));
  add(f, 'mprotect_then_write_faults', anon(0, 2), mprotect(0, 2, R), touch(0, 2), touchRead(0, 2));
  add(f, 'mprotect_growsdown_mapping', anon(64, 4, RW, ['growsdown']), mprotect(64, 4, R));
  add(f, 'mprotect_droppable_to_read', anonMap('droppable', 0, 4), mprotect(0, 2, R));
}

// ---- madvise ----
const ADVICE = [
  'normal',
  'random',
  'sequential',
  'willneed',
  'dontneed',
  'free',
  'remove',
  'dontfork',
  'dofork',
  'mergeable',
  'unmergeable',
  'hugepage',
  'nohugepage',
  'dontdump',
  'dodump',
  'wipeonfork',
  'keeponfork',
  'cold',
  'pageout',
  'populate_read',
  'populate_write',
  'guard_install',
  'guard_remove',
];
{
  const f = 'madvise';
  for (const advice of ADVICE) {
    add(f, `madvise_${advice}_anon_private_middle`, anon(0, 4), touch(0, 4), madvise(1, 2, advice));
  }
  for (const advice of ADVICE) {
    add(f, `madvise_${advice}_anon_shared`, shanon(0, 4), touch(0, 4), madvise(0, 4, advice));
  }
  for (const advice of ADVICE) {
    add(
      f,
      `madvise_${advice}_file_private_read`,
      fileWithFd(0, 4),
      fmap('f0', 0, 4, R, 'private'),
      madvise(0, 4, advice),
    );
  }
  for (const advice of [
    'dontneed',
    'free',
    'remove',
    'pageout',
    'cold',
    'populate_write',
    'guard_install',
    'wipeonfork',
    'mergeable',
    'hugepage',
  ]) {
    add(
      f,
      `madvise_${advice}_file_shared_rw`,
      fileWithFd(0, 4),
      fmap('f0', 0, 4, RW, 'shared'),
      touch(0, 4),
      madvise(0, 4, advice),
    );
  }
  for (const advice of ['dontneed', 'free', 'populate_read', 'populate_write', 'guard_install', 'remove']) {
    add(f, `madvise_${advice}_locked_anon`, anon(0, 4, RW, ['locked']), madvise(0, 4, advice));
  }
  for (const advice of ['populate_read', 'populate_write', 'dontneed', 'guard_install']) {
    add(f, `madvise_${advice}_prot_none`, anon(0, 4, NONE), madvise(0, 4, advice));
    add(f, `madvise_${advice}_read_only`, anon(0, 4, R), madvise(0, 4, advice));
  }
  add(f, 'madvise_dontfork_then_dofork_merges', anon(0, 4), madvise(1, 2, 'dontfork'), madvise(1, 2, 'dofork'));
  add(
    f,
    'madvise_random_then_sequential_then_normal',
    anon(0, 4),
    madvise(1, 2, 'random'),
    madvise(1, 1, 'sequential'),
    madvise(0, 4, 'normal'),
  );
  add(
    f,
    'madvise_hugepage_then_nohugepage',
    anon(0, 1024),
    madvise(0, 512, 'hugepage'),
    madvise(256, 512, 'nohugepage'),
  );
  add(f, 'madvise_mergeable_then_unmergeable', anon(0, 4), madvise(0, 4, 'mergeable'), madvise(2, 2, 'unmergeable'));
  add(f, 'madvise_dontdump_then_dodump', anon(0, 4), madvise(0, 4, 'dontdump'), madvise(0, 2, 'dodump'));
  add(f, 'madvise_wipeonfork_then_keeponfork', anon(0, 4), madvise(0, 4, 'wipeonfork'), madvise(1, 1, 'keeponfork'));
  add(f, 'madvise_over_a_hole_applies_every_vma_and_reports_enomem', anon(0, 2), anon(3, 2), madvise(0, 5, 'dontfork'));
  add(f, 'madvise_starting_in_a_hole_is_enomem', anon(2, 2), madvise(0, 4, 'random'));
  add(f, 'madvise_willneed_over_a_hole', anon(0, 2), anon(3, 2), madvise(0, 5, 'willneed'));
  add(f, 'madvise_dontneed_over_a_hole', anon(0, 2), anon(3, 2), madvise(0, 5, 'dontneed'));
  add(
    f,
    'madvise_dontneed_then_touch_reads_zero_page',
    anon(0, 2),
    touch(0, 2),
    madvise(0, 2, 'dontneed'),
    touch(0, 2),
  );
  add(
    f,
    'madvise_dontdump_on_two_mappings_merges_them',
    anon(0, 2),
    anon(2, 2, R),
    mprotect(2, 2, RW),
    madvise(0, 4, 'dontdump'),
  );
  add(
    f,
    'madvise_populate_write_then_free',
    anon(0, 4),
    madvise(0, 4, 'populate_write'),
    madvise(0, 4, 'free'),
    touchRead(0, 4),
  );
}

// ---- mlock ----
{
  const f = 'mlock';
  add(f, 'mlock_whole_mapping', anon(0, 4), mlock(0, 4));
  add(f, 'mlock_middle_splits', anon(0, 4), mlock(1, 2));
  add(f, 'mlock_then_munlock_merges', anon(0, 4), mlock(1, 2), munlock(1, 2));
  add(f, 'mlock2_onfault_middle', anon(0, 4), mlock2(1, 2));
  add(f, 'mlock2_onfault_then_touch', anon(0, 4), mlock2(0, 4), touch(0, 2));
  add(f, 'mlock_then_mlock2_onfault', anon(0, 4), mlock(0, 4), mlock2(0, 2));
  add(f, 'mlock2_onfault_then_mlock', anon(0, 4), mlock2(0, 4), mlock(0, 2));
  add(f, 'mlock_over_a_hole', anon(0, 2), anon(3, 2), mlock(0, 5));
  add(f, 'mlock_starting_in_a_hole', anon(2, 2), mlock(0, 4));
  add(f, 'munlock_over_a_hole', anon(0, 2, RW, ['locked']), anon(3, 2, RW, ['locked']), munlock(0, 5));
  add(f, 'munlock_unlocked_is_ok', anon(0, 4), munlock(0, 4));
  add(f, 'mlock_prot_none', anon(0, 4, NONE), mlock(0, 4));
  add(f, 'mlock_read_only_file', fileWithFd(0, 4), fmap('f0', 0, 4, R, 'private'), mlock(0, 4));
  add(f, 'mlock_file_shorter_than_mapping', fileWithFd(0, 2), fmap('f0', 0, 4, R, 'shared'), mlock(0, 4));
  add(f, 'mlock_shared_anon', shanon(0, 4), mlock(0, 2));
  add(f, 'mlock_droppable', anonMap('droppable', 0, 4), mlock(0, 4));
  add(f, 'mlock_beyond_rlimit_memlock_as_root', anon(0, 4096), mlock(0, 4096));
  add(f, 'mlockall_current', anon(0, 4), shanon(8, 2), mlockall('current'));
  add(f, 'mlockall_future_then_mmap', mlockall('future'), anon(0, 4), shanon(8, 2));
  add(f, 'mlockall_future_onfault_then_mmap', mlockall('future', 'onfault'), anon(0, 4));
  add(f, 'mlockall_current_onfault', anon(0, 4), mlockall('current', 'onfault'));
  add(f, 'mlockall_all_flags', anon(0, 4), mlockall('current', 'future', 'onfault'), anon(8, 4));
  add(f, 'mlockall_onfault_alone_is_einval', anon(0, 4), mlockall('onfault'));
  add(f, 'mlockall_no_flags_is_einval', anon(0, 4), mlockall());
  add(f, 'munlockall_clears_locks_and_future', anon(0, 4), mlockall('current', 'future'), munlockall(), anon(8, 4));
  add(f, 'mlockall_future_then_mremap_grow', mlockall('future'), anon(0, 2), mremap(0, 2, 4, []));
  add(
    f,
    'mlockall_current_skips_droppable_and_prot_none',
    anon(0, 2, NONE),
    anonMap('droppable', 4, 2),
    mlockall('current'),
  );
  add(f, 'mlock_then_fork_child_is_unlocked', anon(0, 4), mlock(0, 4), fork());
  add(f, 'mlockall_future_then_fork_then_mmap', mlockall('future'), fork(), anon(0, 4));
}

// ---- mremap ----
{
  const f = 'mremap';
  const combos = [
    [],
    ['maymove'],
    ['fixed'],
    ['dontunmap'],
    ['maymove', 'fixed'],
    ['maymove', 'dontunmap'],
    ['fixed', 'dontunmap'],
    ['maymove', 'fixed', 'dontunmap'],
  ];
  for (const flags of combos) {
    const tag = flags.length ? flags.join('_') : 'noflags';
    const target = flags.includes('fixed') ? 32 : undefined;
    for (const [what, newPages] of [
      ['same', 4],
      ['grow', 6],
      ['shrink', 2],
    ]) {
      // A neighbour at page 6 leaves room to grow in place by exactly 2.
      add(
        f,
        `mremap_${tag}_${what}_with_room`,
        anon(0, 4),
        touch(0, 4),
        anon(6, 2, R),
        mremap(0, 4, newPages, flags, target),
      );
    }
    add(f, `mremap_${tag}_grow_blocked`, anon(0, 4), touch(0, 4), anon(4, 2, R), mremap(0, 4, 6, flags, target));
  }
  add(f, 'mremap_grow_in_place_merges_nothing_new', anon(0, 2), mremap(0, 2, 4, []));
  add(f, 'mremap_grow_in_place_up_to_a_neighbour_merges', anon(0, 2), anon(4, 2), mremap(0, 2, 4, []));
  add(f, 'mremap_shrink_file_mapping', fileWithFd(0, 8), fmap('f0', 0, 8, R, 'shared', 2), mremap(0, 8, 3, []));
  add(
    f,
    'mremap_grow_file_mapping_in_place',
    fileWithFd(0, 8),
    fmap('f0', 0, 4, R, 'shared'),
    mremap(0, 4, 8, []),
    touchRead(0, 8),
  );
  add(
    f,
    'mremap_move_file_mapping_fixed',
    fileWithFd(0, 8),
    fmap('f0', 0, 4, RW, 'shared', 2),
    mremap(0, 4, 4, ['maymove', 'fixed'], 40),
  );
  add(f, 'mremap_move_shmem_fixed', shanon(0, 4), touch(0, 4), mremap(1, 2, 2, ['maymove', 'fixed'], 40));
  add(f, 'mremap_dontunmap_shmem', shanon(0, 4), mremap(0, 4, 4, ['maymove', 'dontunmap']));
  add(
    f,
    'mremap_dontunmap_file',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, R, 'private'),
    mremap(0, 4, 4, ['maymove', 'fixed', 'dontunmap'], 40),
  );
  add(f, 'mremap_part_of_a_mapping_fixed', anon(0, 8), touch(0, 8), mremap(2, 2, 2, ['maymove', 'fixed'], 40));
  add(
    f,
    'mremap_fixed_onto_another_mapping_replaces_it',
    anon(0, 4),
    anon(40, 8, R),
    mremap(0, 4, 4, ['maymove', 'fixed'], 42),
  );
  add(f, 'mremap_fixed_overlapping_itself_is_einval', anon(0, 8), mremap(0, 4, 4, ['maymove', 'fixed'], 2));
  add(f, 'mremap_across_two_mappings_is_efault', anon(0, 2), anon(2, 2, R), mremap(0, 4, 8, ['maymove']));
  add(f, 'mremap_of_a_hole_is_efault', mremap(0, 4, 8, ['maymove']));
  add(f, 'mremap_range_beyond_the_mapping_is_efault', anon(0, 2), mremap(0, 4, 8, ['maymove']));
  add(
    f,
    'mremap_moved_untouched_next_to_same_flags_merges',
    anon(0, 4),
    anon(40, 4),
    mremap(0, 4, 4, ['maymove', 'fixed'], 44),
  );
  add(
    f,
    'mremap_moved_touched_next_to_untouched_same_flags',
    anon(0, 4),
    touch(0, 4),
    anon(40, 4),
    mremap(0, 4, 4, ['maymove', 'fixed'], 44),
  );
  add(
    f,
    'mremap_moved_touched_next_to_touched',
    anon(0, 4),
    touch(0, 4),
    anon(40, 4),
    touch(40, 4),
    mremap(0, 4, 4, ['maymove', 'fixed'], 44),
  );
  add(
    f,
    'mremap_move_back_to_where_it_was_split_from',
    anon(0, 8),
    touch(0, 8),
    mremap(4, 4, 4, ['maymove', 'fixed'], 40),
    mremap(40, 4, 4, ['maymove', 'fixed'], 4),
  );
  add(f, 'mremap_locked_grow_in_place', anon(0, 2, RW, ['locked']), mremap(0, 2, 4, []));
  add(f, 'mremap_locked_move', anon(0, 2, RW, ['locked']), mremap(0, 2, 2, ['maymove', 'fixed'], 40));
  add(f, 'mremap_growsdown_grow', anon(64, 4, RW, ['growsdown']), mremap(64, 4, 6, []));
  add(
    f,
    'mremap_dontunmap_source_stays_mapped_and_accounted',
    anon(0, 4),
    touch(0, 4),
    mremap(0, 4, 4, ['maymove', 'fixed', 'dontunmap'], 40),
    touch(0, 4),
  );
  add(f, 'mremap_shmem_grow_in_place', shanon(0, 2), mremap(0, 2, 4, []), touch(0, 4));
  add(
    f,
    'mremap_file_grow_past_eof',
    fileWithFd(0, 2),
    fmap('f0', 0, 2, RW, 'shared'),
    mremap(0, 2, 4, []),
    touch(0, 4),
  );
  add(
    f,
    'mremap_dontunmap_locked_source_is_unlocked',
    anon(0, 4, RW, ['locked']),
    mremap(0, 4, 4, ['maymove', 'fixed', 'dontunmap'], 40),
  );
  add(f, 'mremap_droppable_move', anonMap('droppable', 0, 4), mremap(0, 4, 4, ['maymove', 'fixed'], 40));
  add(
    f,
    'mremap_wipeonfork_move_keeps_flag',
    anon(0, 4),
    madvise(0, 4, 'wipeonfork'),
    mremap(0, 4, 4, ['maymove', 'fixed'], 40),
  );
}

// ---- mseal ----
{
  const f = 'mseal';
  add(f, 'mseal_whole_mapping', anon(0, 4), mseal(0, 4));
  add(f, 'mseal_middle_splits', anon(0, 4), mseal(1, 2));
  add(f, 'mseal_twice_is_ok', anon(0, 4), mseal(0, 4), mseal(1, 2));
  add(f, 'mseal_over_a_hole_is_enomem_and_seals_nothing', anon(0, 2), anon(3, 2), mseal(0, 5));
  add(f, 'mseal_of_a_hole_is_enomem', mseal(0, 4));
  add(f, 'mseal_two_mappings_same_flags_merge', anon(0, 2), anon(2, 2, R), mprotect(2, 2, RW), mseal(0, 4));
  add(f, 'mseal_blocks_munmap', anon(0, 4), mseal(1, 1), munmap(0, 4));
  add(f, 'mseal_blocks_mprotect_of_the_whole_range', anon(0, 4), mseal(1, 1), mprotect(0, 4, R));
  add(f, 'mseal_blocks_mmap_fixed_over_it', anon(0, 4), mseal(0, 4), anonMap('private', 2, 4, R, [], 'fixed'));
  add(f, 'mseal_blocks_mremap_move', anon(0, 4), mseal(0, 4), mremap(0, 4, 4, ['maymove', 'fixed'], 40));
  add(f, 'mseal_blocks_mremap_grow', anon(0, 4), mseal(0, 4), mremap(0, 4, 6, []));
  add(f, 'mseal_blocks_mremap_shrink', anon(0, 4), mseal(0, 4), mremap(0, 4, 2, []));
  add(
    f,
    'mseal_blocks_mremap_onto_it',
    anon(0, 4),
    mseal(0, 4),
    anon(40, 4),
    mremap(40, 4, 4, ['maymove', 'fixed'], 0),
  );
  add(f, 'mseal_blocks_dontneed_on_read_only_anon', anon(0, 4, R), mseal(0, 4), madvise(0, 4, 'dontneed'));
  add(f, 'mseal_allows_dontneed_on_writable_anon', anon(0, 4), mseal(0, 4), madvise(0, 4, 'dontneed'));
  add(f, 'mseal_blocks_free_on_read_only_anon', anon(0, 4, R), mseal(0, 4), madvise(0, 4, 'free'));
  add(
    f,
    'mseal_allows_dontneed_on_read_only_file',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, R, 'private'),
    mseal(0, 4),
    madvise(0, 4, 'dontneed'),
  );
  add(f, 'mseal_allows_flag_advice', anon(0, 4), mseal(0, 4), madvise(0, 2, 'dontfork'), madvise(2, 2, 'random'));
  add(f, 'mseal_allows_mlock', anon(0, 4), mseal(0, 4), mlock(0, 2));
  add(f, 'mseal_allows_guard_install', anon(0, 4), mseal(0, 4), madvise(1, 1, 'guard_install'), touch(0, 4));
  add(f, 'mseal_allows_touch', anon(0, 4), mseal(0, 4), touch(0, 4));
  add(f, 'mseal_survives_fork', anon(0, 4), mseal(0, 4), fork(), munmap(0, 4));
  add(f, 'mseal_unmap_beside_a_sealed_mapping', anon(0, 4), anon(4, 4, R), mseal(0, 4), munmap(4, 4));
  add(f, 'mseal_prot_none_mapping', anon(0, 4, NONE), mseal(0, 4), mprotect(0, 4, R));
}

// ---- fork ----
{
  const f = 'fork';
  add(
    f,
    'fork_copies_every_mapping',
    anon(0, 4),
    shanon(8, 4),
    fileWithFd(0, 4),
    fmap('f0', 16, 4, R, 'private'),
    fork(),
  );
  add(f, 'fork_drops_dontfork', anon(0, 4), madvise(1, 2, 'dontfork'), fork());
  add(f, 'fork_keeps_dofork', anon(0, 4), madvise(0, 4, 'dontfork'), madvise(0, 4, 'dofork'), fork());
  add(f, 'fork_dontfork_shared_anon', shanon(0, 4), madvise(0, 4, 'dontfork'), fork());
  add(
    f,
    'fork_wipeonfork_keeps_the_vma',
    anon(0, 4),
    touch(0, 4),
    madvise(0, 2, 'wipeonfork'),
    fork(),
    touchRead(0, 4),
  );
  add(
    f,
    'fork_keeponfork_after_wipeonfork',
    anon(0, 4),
    madvise(0, 4, 'wipeonfork'),
    madvise(0, 4, 'keeponfork'),
    fork(),
  );
  add(f, 'fork_clears_locks', anon(0, 4, RW, ['locked']), anon(8, 4), mlock2(8, 4), fork());
  add(f, 'fork_mlock2_onfault_of_a_hole_then_fork', mlock2(8, 1), anon(8, 4), fork());
  add(f, 'fork_child_mprotect_and_back_merges', anon(0, 4), touch(0, 4), fork(), mprotect(1, 2, R), mprotect(1, 2, RW));
  add(
    f,
    'fork_child_new_mapping_does_not_merge_with_inherited',
    anon(0, 4),
    touch(0, 4),
    fork(),
    anon(4, 4),
    touch(4, 4),
  );
  add(
    f,
    'fork_parent_and_child_mappings_do_not_merge_after_move',
    anon(0, 4),
    touch(0, 4),
    fork(),
    anon(8, 4),
    touch(8, 4),
    mremap(8, 4, 4, ['maymove', 'fixed'], 4),
  );
  add(f, 'fork_twice', anon(0, 4), fork(), madvise(0, 2, 'dontfork'), fork());
  add(f, 'fork_keeps_guard_regions', anon(0, 4), madvise(1, 1, 'guard_install'), fork(), touch(0, 4));
  add(
    f,
    'fork_keeps_advice_flags',
    anon(0, 8),
    madvise(0, 2, 'random'),
    madvise(2, 2, 'dontdump'),
    madvise(4, 2, 'hugepage'),
    madvise(6, 2, 'mergeable'),
    fork(),
  );
  add(f, 'fork_untouched_mapping', anon(0, 4), fork(), touch(0, 4));
}

// ---- touch ----
{
  const f = 'touch';
  for (const prot of [NONE, R, W, X, RW, RX, RWX]) {
    add(f, `touch_anon_${protName(prot)}`, anon(0, 2, prot), touchRead(0, 2), touch(0, 2));
  }
  add(f, 'touch_unmapped', touch(0, 1));
  add(f, 'touch_read_unmapped', touchRead(5, 1));
  add(f, 'touch_runs_into_a_hole', anon(0, 2), touch(0, 4));
  add(f, 'touch_runs_into_read_only', anon(0, 2), anon(2, 2, R), touch(0, 4));
  add(f, 'touch_file_shared_past_eof', fileWithFd(0, 2), fmap('f0', 0, 4, RW, 'shared'), touch(0, 4));
  add(f, 'touch_read_file_private_past_eof', fileWithFd(0, 2), fmap('f0', 0, 4, R, 'private'), touchRead(0, 4));
  add(f, 'touch_file_private_read_only_write_faults', fileWithFd(0, 2), fmap('f0', 0, 2, R, 'private'), touch(0, 2));
  add(f, 'touch_file_private_rw_cow', fileWithFd(0, 2), fmap('f0', 0, 2, RW, 'private'), touch(0, 2));
  add(f, 'touch_shared_anon', shanon(0, 4), touch(0, 4));
  add(f, 'touch_droppable', anonMap('droppable', 0, 4), touch(0, 4));
  add(f, 'touch_after_munmap_of_middle', anon(0, 4), munmap(2, 1), touch(0, 4));
  add(f, 'touch_last_page_of_the_window', anon(1048575, 1), touch(1048575, 1));
}

// ---- stack growth and the guard gap ----
{
  const f = 'stack';
  const S = 4096; // growsdown VMA start; growth goes towards lower pages
  add(f, 'stack_growsdown_mapping', anon(S, 4, RW, ['growsdown']));
  add(f, 'stack_touch_below_grows_one_page', anon(S, 4, RW, ['growsdown']), touch(S - 1, 1));
  add(f, 'stack_touch_far_below_grows_to_it', anon(S, 4, RW, ['growsdown']), touch(S - 100, 1));
  add(f, 'stack_read_below_grows', anon(S, 4, RW, ['growsdown']), touchRead(S - 1, 1));
  add(
    f,
    'stack_growth_with_a_neighbour_exactly_the_gap_away',
    anon(S - 1 - 256 - 4, 4),
    anon(S, 4, RW, ['growsdown']),
    touch(S - 1, 1),
  );
  add(
    f,
    'stack_growth_with_a_neighbour_inside_the_gap',
    anon(S - 1 - 255 - 4, 4),
    anon(S, 4, RW, ['growsdown']),
    touch(S - 1, 1),
  );
  add(
    f,
    'stack_growth_with_a_prot_none_neighbour_inside_the_gap',
    anon(S - 1 - 10 - 4, 4, NONE),
    anon(S, 4, RW, ['growsdown']),
    touch(S - 1, 1),
  );
  add(
    f,
    'stack_growth_with_a_growsdown_neighbour_inside_the_gap',
    anon(S - 1 - 10 - 4, 4, RW, ['growsdown']),
    anon(S, 4, RW, ['growsdown']),
    touch(S - 1, 1),
  );
  add(
    f,
    'stack_growth_next_to_an_adjacent_neighbour_is_refused',
    anon(S - 2, 1),
    anon(S, 4, RW, ['growsdown']),
    touch(S - 1, 1),
  );
  add(f, 'stack_read_only_growsdown_grows_on_read', anon(S, 4, R, ['growsdown']), touchRead(S - 1, 1), touch(S - 2, 1));
  add(
    f,
    'stack_hint_mmap_respects_the_gap',
    anon(S, 4, RW, ['growsdown']),
    anonMap('private', S - 8, 4, RW, [], 'hint'),
  );
  add(f, 'stack_fixed_mmap_ignores_the_gap', anon(S, 4, RW, ['growsdown']), anon(S - 8, 4));
  add(f, 'stack_growsdown_with_stack_flag', anon(S, 4, RW, ['growsdown', 'stack']), touch(S - 4, 1));
  add(f, 'stack_munmap_top_of_growsdown', anon(S, 4, RW, ['growsdown']), munmap(S + 2, 2), touch(S - 1, 1));
  add(f, 'stack_growsdown_locked_grows_locked', anon(S, 4, RW, ['growsdown', 'locked']), touch(S - 2, 1));
  add(f, 'stack_growsdown_prot_none_does_not_grow', anon(S, 4, NONE, ['growsdown']), touch(S - 1, 1));
  add(f, 'stack_growth_after_mprotect_split', anon(S, 4, RW, ['growsdown']), mprotect(S + 2, 2, R), touch(S - 1, 1));
}

// ---- guard regions ----
{
  const f = 'guard';
  add(f, 'guard_install_faults_on_touch', anon(0, 4), madvise(1, 1, 'guard_install'), touchRead(0, 4));
  add(
    f,
    'guard_install_then_remove',
    anon(0, 4),
    madvise(1, 2, 'guard_install'),
    madvise(1, 2, 'guard_remove'),
    touch(0, 4),
  );
  add(f, 'guard_install_zaps_populated_pages', anon(0, 4), touch(0, 4), madvise(0, 4, 'guard_install'), touch(3, 1));
  add(
    f,
    'guard_install_whole_mapping_then_dontneed',
    anon(0, 4),
    madvise(0, 4, 'guard_install'),
    madvise(0, 4, 'dontneed'),
    touch(0, 1),
  );
  add(f, 'guard_install_on_shared_anon', shanon(0, 4), madvise(0, 1, 'guard_install'), touch(0, 1));
  add(
    f,
    'guard_install_on_shared_file',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, RW, 'shared'),
    madvise(2, 1, 'guard_install'),
    touch(0, 4),
  );
  add(
    f,
    'guard_install_on_private_file',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, R, 'private'),
    madvise(0, 1, 'guard_install'),
    touchRead(0, 2),
  );
  add(f, 'guard_install_over_a_hole', anon(0, 2), anon(3, 2), madvise(0, 5, 'guard_install'), touch(0, 1));
  add(
    f,
    'guard_install_on_prot_none',
    anon(0, 4, NONE),
    madvise(0, 4, 'guard_install'),
    mprotect(0, 4, RW),
    touch(0, 1),
  );
  add(
    f,
    'guard_survives_mprotect',
    anon(0, 4),
    madvise(1, 1, 'guard_install'),
    mprotect(0, 4, R),
    mprotect(0, 4, RW),
    touch(0, 4),
  );
  add(
    f,
    'guard_moves_with_mremap',
    anon(0, 4),
    madvise(1, 1, 'guard_install'),
    mremap(0, 4, 4, ['maymove', 'fixed'], 40),
    touch(40, 4),
  );
  add(
    f,
    'guard_munmap_then_remap_clears_it',
    anon(0, 4),
    madvise(1, 1, 'guard_install'),
    munmap(0, 4),
    anon(0, 4),
    touch(0, 4),
  );
  add(f, 'guard_remove_without_install_is_ok', anon(0, 4), madvise(0, 4, 'guard_remove'), touch(0, 4));
  add(f, 'guard_install_then_mlock', anon(0, 4), madvise(1, 1, 'guard_install'), mlock(0, 4));
  add(f, 'guard_install_then_populate', anon(0, 4), madvise(1, 1, 'guard_install'), madvise(0, 4, 'populate_write'));
  add(f, 'guard_flag_stays_on_both_sides_of_a_split', anon(0, 4), madvise(1, 1, 'guard_install'), mprotect(2, 2, R));
  add(f, 'guard_flag_spreads_by_merge', anon(0, 2), anon(4, 2), madvise(4, 1, 'guard_install'), anon(2, 2));
  add(
    f,
    'guard_flag_stays_after_remove_and_fork',
    anon(0, 4),
    madvise(0, 4, 'guard_install'),
    madvise(0, 4, 'guard_remove'),
    fork(),
    touch(0, 4),
  );
  add(
    f,
    'guard_in_a_growsdown_stack',
    anon(4096, 4, RW, ['growsdown']),
    madvise(4096, 1, 'guard_install'),
    touch(4095, 1),
    touch(4096, 1),
  );
}

// ---- merges ----
{
  const f = 'merge';
  add(f, 'merge_adjacent_anon_same_flags', anon(0, 2), anon(2, 2));
  add(f, 'merge_adjacent_anon_fill_the_hole_three_way', anon(0, 2), anon(4, 2), anon(2, 2));
  add(f, 'merge_fill_the_hole_prev_touched', anon(0, 2), touch(0, 2), anon(4, 2), anon(2, 2));
  add(f, 'merge_fill_the_hole_next_touched', anon(0, 2), anon(4, 2), touch(4, 2), anon(2, 2));
  add(
    f,
    'merge_fill_the_hole_both_touched_different_anon_vma',
    anon(0, 2),
    touch(0, 2),
    anon(4, 2),
    touch(4, 2),
    anon(2, 2),
  );
  add(
    f,
    'merge_fill_hole_by_mprotect_both_touched',
    anon(0, 2),
    touch(0, 2),
    anon(2, 2, R),
    anon(4, 2),
    touch(4, 2),
    mprotect(2, 2, RW),
  );
  add(f, 'merge_not_different_prot', anon(0, 2), anon(2, 2, R));
  add(f, 'merge_not_locked_vs_unlocked', anon(0, 2, RW, ['locked']), anon(2, 2));
  add(f, 'merge_locked_with_locked', anon(0, 2, RW, ['locked']), anon(2, 2, RW, ['locked']));
  add(f, 'merge_not_noreserve_vs_accounted', anon(0, 2, RW, ['noreserve']), anon(2, 2));
  add(f, 'merge_noreserve_with_noreserve', anon(0, 2, RW, ['noreserve']), anon(2, 2, RW, ['noreserve']));
  add(f, 'merge_read_only_noreserve_with_read_only', anon(0, 2, R, ['noreserve']), anon(2, 2, R));
  add(f, 'merge_not_growsdown_vs_plain', anon(0, 2), anon(2, 2, RW, ['growsdown']));
  add(f, 'merge_growsdown_with_growsdown', anon(0, 2, RW, ['growsdown']), anon(2, 2, RW, ['growsdown']));
  add(f, 'merge_not_stack_nohugepage_vs_plain', anon(0, 2, RW, ['stack']), anon(2, 2));
  add(f, 'merge_populate_flag_is_ignored', anon(0, 2, RW, ['populate']), anon(2, 2));
  add(f, 'merge_not_droppable_vs_private', anonMap('droppable', 0, 2), anon(2, 2));
  add(f, 'merge_droppable_with_droppable', anonMap('droppable', 0, 2), anonMap('droppable', 2, 2));
  add(f, 'merge_not_shared_anon_with_shared_anon', shanon(0, 2), shanon(2, 2));
  add(f, 'merge_not_private_vs_shared_anon', anon(0, 2), shanon(2, 2));
  add(
    f,
    'merge_file_contiguous_pgoff',
    fileWithFd(0, 8),
    fmap('f0', 0, 2, R, 'shared', 0),
    fmap('f0', 2, 2, R, 'shared', 2),
  );
  add(
    f,
    'merge_file_contiguous_pgoff_fill_the_hole',
    fileWithFd(0, 8),
    fmap('f0', 0, 2, R, 'shared', 0),
    fmap('f0', 4, 2, R, 'shared', 4),
    fmap('f0', 2, 2, R, 'shared', 2),
  );
  add(
    f,
    'merge_not_file_pgoff_gap',
    fileWithFd(0, 8),
    fmap('f0', 0, 2, R, 'shared', 0),
    fmap('f0', 2, 2, R, 'shared', 3),
  );
  add(
    f,
    'merge_not_file_pgoff_reversed',
    fileWithFd(0, 8),
    fmap('f0', 0, 2, R, 'shared', 2),
    fmap('f0', 2, 2, R, 'shared', 0),
  );
  add(
    f,
    'merge_not_two_files',
    fileWithFd(0, 4),
    fileWithFd(1, 4),
    fmap('f0', 0, 2, R, 'shared', 0),
    fmap('f1', 2, 2, R, 'shared', 2),
  );
  add(
    f,
    'merge_not_two_opens_of_one_file',
    fileWithFd(0, 4),
    open('g0', 'file0'),
    fmap('f0', 0, 2, R, 'shared', 0),
    fmap('g0', 2, 2, R, 'shared', 2),
  );
  add(
    f,
    'merge_not_file_private_vs_shared',
    fileWithFd(0, 4),
    fmap('f0', 0, 2, R, 'private', 0),
    fmap('f0', 2, 2, R, 'shared', 2),
  );
  add(
    f,
    'merge_file_private_cow_touched_then_untouched',
    fileWithFd(0, 4),
    fmap('f0', 0, 2, RW, 'private', 0),
    touch(0, 2),
    fmap('f0', 2, 2, RW, 'private', 2),
  );
  add(f, 'merge_not_anon_next_to_file', fileWithFd(0, 4), fmap('f0', 0, 2, RW, 'private', 0), anon(2, 2));
  add(f, 'merge_not_different_advice', anon(0, 2), madvise(0, 2, 'random'), anon(2, 2));
  add(
    f,
    'merge_same_advice_after_the_fact',
    anon(0, 2),
    anon(2, 2, R),
    madvise(0, 2, 'dontdump'),
    mprotect(2, 2, RW),
    madvise(2, 2, 'dontdump'),
  );
  add(f, 'merge_not_mergeable_vs_plain', anon(0, 2), madvise(0, 2, 'mergeable'), anon(2, 2));
  add(f, 'merge_not_hugepage_vs_plain', anon(0, 2), madvise(0, 2, 'hugepage'), anon(2, 2));
  add(f, 'merge_not_wipeonfork_vs_plain', anon(0, 2), madvise(0, 2, 'wipeonfork'), anon(2, 2));
  add(f, 'merge_not_dontfork_vs_plain', anon(0, 2), madvise(0, 2, 'dontfork'), anon(2, 2));
  add(f, 'merge_not_sealed_vs_plain', anon(0, 2), mseal(0, 2), anon(2, 2));
  add(f, 'merge_sealed_with_sealed', anon(0, 2), mseal(0, 2), anon(2, 2), mseal(2, 2));
  add(f, 'merge_not_onfault_vs_locked', anon(0, 2), mlock2(0, 2), anon(2, 2), mlock(2, 2));
  add(f, 'merge_guard_flag_is_sticky_and_merges', anon(0, 4), madvise(1, 1, 'guard_install'), anon(4, 2));
  add(f, 'merge_hint_mapping_next_to_existing', anon(0, 2), anonMap('private', 2, 2, RW, [], 'hint'));
  add(f, 'merge_mremap_grow_into_a_merge', anon(0, 2), anon(4, 2), mremap(0, 2, 4, []));
  add(f, 'merge_mremap_shrink_then_refill', anon(0, 4), touch(0, 4), mremap(0, 4, 2, []), anon(2, 2));
  add(f, 'merge_split_by_mprotect_then_unmap_and_refill', anon(0, 6), mprotect(2, 2, R), munmap(2, 2), anon(2, 2));
}

// ---- errno paths and partial application ----
{
  const f = 'errors';
  add(f, 'errors_mmap_shared_anon_growsdown_is_einval', shanon(0, 4, RW, ['growsdown']));
  add(f, 'errors_mmap_shared_validate_anon_growsdown', anonMap('shared_validate', 0, 4, RW, ['growsdown']));
  add(f, 'errors_mmap_droppable_growsdown', anonMap('droppable', 0, 4, RW, ['growsdown']));
  add(f, 'errors_mremap_dontunmap_resize_is_einval', anon(0, 4), mremap(0, 4, 6, ['maymove', 'dontunmap']));
  add(f, 'errors_mremap_dontunmap_without_maymove_is_einval', anon(0, 4), mremap(0, 4, 4, ['dontunmap']));
  add(f, 'errors_mremap_fixed_without_maymove_is_einval', anon(0, 4), mremap(0, 4, 4, ['fixed'], 40));
  add(f, 'errors_mremap_grow_blocked_without_maymove_is_enomem', anon(0, 4), anon(4, 1), mremap(0, 4, 8, []));
  add(f, 'errors_munlock_of_a_hole_is_enomem', munlock(0, 4));
  add(f, 'errors_mlock_of_a_hole_is_enomem', mlock(0, 4));
  add(f, 'errors_mlock2_onfault_over_a_hole', anon(0, 2), anon(3, 2), mlock2(0, 5));
  add(f, 'errors_madvise_of_a_hole_is_enomem', madvise(0, 4, 'dontneed'));
  add(f, 'errors_madvise_remove_private_anon', anon(0, 4), madvise(0, 4, 'remove'));
  add(f, 'errors_madvise_wipeonfork_shared_anon', shanon(0, 4), madvise(0, 4, 'wipeonfork'));
  add(f, 'errors_madvise_free_shared_anon', shanon(0, 4), madvise(0, 4, 'free'));
  add(
    f,
    'errors_madvise_populate_write_read_only_file',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, R, 'shared'),
    madvise(0, 4, 'populate_write'),
  );
  add(
    f,
    'errors_madvise_populate_read_past_eof',
    fileWithFd(0, 2),
    fmap('f0', 0, 4, R, 'shared'),
    madvise(0, 4, 'populate_read'),
  );
  add(f, 'errors_mprotect_across_hole_partial', anon(0, 2), anon(3, 2), mprotect(0, 5, NONE), touchRead(0, 5));
  add(
    f,
    'errors_mprotect_eacces_after_a_good_vma',
    fileWithFd(0, 4, 'rdonly'),
    anon(0, 2, R),
    fmap('f0', 2, 2, R, 'shared'),
    mprotect(0, 4, RW),
  );
  add(
    f,
    'errors_mprotect_sealed_second_vma_still_changes_the_first',
    anon(0, 2),
    anon(2, 2, R),
    mseal(2, 2),
    mprotect(0, 4, NONE),
  );
  add(f, 'errors_munmap_partly_sealed_unmaps_nothing', anon(0, 2), anon(2, 2, R), mseal(2, 2), munmap(0, 4));
  add(
    f,
    'errors_madvise_dontneed_locked_after_a_good_vma',
    anon(0, 2),
    anon(2, 2, RW, ['locked']),
    madvise(0, 4, 'dontneed'),
  );
  add(f, 'errors_madvise_wipeonfork_partly_shared', anon(0, 2), shanon(2, 2), madvise(0, 4, 'wipeonfork'));
  add(f, 'errors_mlock_across_hole_locks_the_part_before', anon(0, 2), anon(3, 2), mlock(0, 5));
  add(f, 'errors_mremap_shrink_across_two_vmas', anon(0, 2), anon(2, 2, R), mremap(0, 4, 1, []));
  add(f, 'errors_mremap_dontunmap_sealed', anon(0, 4), mseal(0, 4), mremap(0, 4, 4, ['maymove', 'dontunmap']));
  add(f, 'errors_open_missing_file_is_enoent', open('f0', 'file3'));
  add(f, 'errors_mmap_fixed_noreplace_one_page_overlap', anon(4, 4), anon(0, 5));
}

// ---- VM_ACCOUNT ----
{
  const f = 'accounting';
  add(f, 'accounting_private_writable_anon_is_accounted', anon(0, 4));
  add(f, 'accounting_private_read_only_anon_is_not', anon(0, 4, R));
  add(f, 'accounting_noreserve_is_not', anon(0, 4, RW, ['noreserve']));
  add(f, 'accounting_shared_anon_is_not', shanon(0, 4));
  add(f, 'accounting_shared_anon_noreserve', shanon(0, 4, RW, ['noreserve']));
  add(f, 'accounting_droppable', anonMap('droppable', 0, 4));
  add(f, 'accounting_private_writable_file_is_accounted', fileWithFd(0, 4), fmap('f0', 0, 4, RW, 'private'));
  add(f, 'accounting_private_read_only_file_is_not', fileWithFd(0, 4), fmap('f0', 0, 4, R, 'private'));
  add(f, 'accounting_shared_writable_file_is_not', fileWithFd(0, 4), fmap('f0', 0, 4, RW, 'shared'));
  add(f, 'accounting_mprotect_read_only_to_writable_charges', anon(0, 4, R), mprotect(1, 2, RW));
  add(f, 'accounting_mprotect_untouched_writable_to_read_only_drops_it', anon(0, 4), mprotect(1, 2, R));
  add(f, 'accounting_mprotect_touched_writable_to_read_only_keeps_it', anon(0, 4), touch(0, 1), mprotect(1, 2, R));
  add(
    f,
    'accounting_mprotect_untouched_to_none_and_back_recharges',
    anon(0, 4),
    mprotect(0, 4, NONE),
    mprotect(0, 4, RW),
  );
  add(
    f,
    'accounting_mprotect_private_file_writable_to_read_only_keeps_it',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, RW, 'private'),
    mprotect(0, 4, R),
  );
  add(
    f,
    'accounting_mprotect_noreserve_to_read_and_back',
    anon(0, 4, RW, ['noreserve']),
    mprotect(0, 4, R),
    mprotect(0, 4, RW),
  );
  add(
    f,
    'accounting_mprotect_private_file_to_writable',
    fileWithFd(0, 4),
    fmap('f0', 0, 4, R, 'private'),
    mprotect(0, 2, RW),
  );
  add(f, 'accounting_mremap_grow_keeps_it', anon(0, 4), mremap(0, 4, 8, []));
  add(f, 'accounting_mremap_move_keeps_it', anon(0, 4), mremap(0, 4, 4, ['maymove', 'fixed'], 40));
  add(
    f,
    'accounting_mremap_dontunmap_source_keeps_it',
    anon(0, 4),
    mremap(0, 4, 4, ['maymove', 'fixed', 'dontunmap'], 40),
  );
  add(f, 'accounting_mremap_dontunmap_part', anon(0, 8), mremap(2, 2, 2, ['maymove', 'fixed', 'dontunmap'], 40));
  add(f, 'accounting_read_only_then_writable_merges_with_accounted', anon(0, 2), anon(2, 2, R), mprotect(2, 2, RW));
  add(f, 'accounting_fork_keeps_it', anon(0, 4), anon(8, 4, RW, ['noreserve']), fork());
  add(f, 'accounting_mlockall_future_noreserve', mlockall('future'), anon(0, 4, RW, ['noreserve']));
}

// ---- write ----
const names = new Set();
let total = 0;
for (const [family, scenarios] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  for (const s of scenarios) {
    if (names.has(s.name)) throw new Error(`duplicate scenario name ${s.name}`);
    names.add(s.name);
  }
  writeFileSync(join(OUT, `${family}.jsonl`), scenarios.map((s) => `${JSON.stringify(s)}\n`).join(''));
  console.log(`${family}.jsonl: ${scenarios.length}`);
  total += scenarios.length;
}
console.log(`total: ${total}`);
