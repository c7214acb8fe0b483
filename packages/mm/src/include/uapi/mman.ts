// include/uapi/asm-generic/mman-common.h, mman.h and linux/mman.h: the
// system-call constants of mmap, mprotect, madvise, mlock, mremap (x86_64
// values).

/** PROT_NONE: no access at all; any touch of the pages faults. */
export const PROT_NONE = 0x0;
/** PROT_READ: the pages may be read. */
export const PROT_READ = 0x1;
/** PROT_WRITE: the pages may be written. */
export const PROT_WRITE = 0x2;
/** PROT_EXEC: the pages may be executed. */
export const PROT_EXEC = 0x4;
/** PROT_SEM: the pages may hold atomic operations; accepted and ignored on x86_64. */
export const PROT_SEM = 0x8;
/** PROT_GROWSDOWN: mprotect() only; extend the change down to the start of a grows-down (stack) mapping. */
export const PROT_GROWSDOWN = 0x01000000;
/** PROT_GROWSUP: mprotect() only; extend the change up to the end of a grows-up mapping (none exist on x86_64). */
export const PROT_GROWSUP = 0x02000000;

/** MAP_SHARED: writes reach the backing object and other mappings of it; unknown flags are ignored. */
export const MAP_SHARED = 0x01;
/** MAP_PRIVATE: a copy-on-write mapping; writes stay in this process. */
export const MAP_PRIVATE = 0x02;
/** MAP_SHARED_VALIDATE: MAP_SHARED, but every flag must be known or the call fails with EOPNOTSUPP. */
export const MAP_SHARED_VALIDATE = 0x03;
/** MAP_DROPPABLE: anonymous memory the kernel may free under pressure, reading back as zeroes. */
export const MAP_DROPPABLE = 0x08;
/** MAP_TYPE: mask of the mapping-type field (shared, private, shared-validate, droppable) in the flags. */
export const MAP_TYPE = 0x0f;
/** MAP_FIXED: place the mapping exactly at addr, replacing whatever was mapped there. */
export const MAP_FIXED = 0x10;
/** MAP_ANONYMOUS: no file behind the mapping; the memory starts zeroed and fd is ignored. */
export const MAP_ANONYMOUS = 0x20;
/** MAP_GROWSDOWN: a stack-like mapping that extends downward when a fault hits just below it. */
export const MAP_GROWSDOWN = 0x0100;
/** MAP_DENYWRITE: obsolete; accepted and ignored. */
export const MAP_DENYWRITE = 0x0800;
/** MAP_EXECUTABLE: obsolete; accepted and ignored. */
export const MAP_EXECUTABLE = 0x1000;
/** MAP_LOCKED: lock the pages in memory as mlock() would (VM_LOCKED), counted against RLIMIT_MEMLOCK. */
export const MAP_LOCKED = 0x2000;
/** MAP_NORESERVE: do not reserve swap or commit charge for the mapping. */
export const MAP_NORESERVE = 0x4000;
/** MAP_POPULATE: fault the whole range in once the mapping is made. */
export const MAP_POPULATE = 0x8000;
/** MAP_NONBLOCK: cancels MAP_POPULATE (the range is then not faulted in); no effect on its own. */
export const MAP_NONBLOCK = 0x10000;
/** MAP_STACK: the mapping is meant for a thread stack; transparent huge pages are kept off it. */
export const MAP_STACK = 0x20000;
/** MAP_HUGETLB: back the mapping with pages from the hugetlb pool. */
export const MAP_HUGETLB = 0x40000;
/** MAP_SYNC: a DAX file mapping whose writes are durable once the page tables say so; needs MAP_SHARED_VALIDATE. */
export const MAP_SYNC = 0x80000;
/** MAP_FIXED_NOREPLACE: map exactly at addr like MAP_FIXED, but fail with EEXIST instead of replacing an existing mapping. */
export const MAP_FIXED_NOREPLACE = 0x100000;
/** MAP_UNINITIALIZED: skip zeroing anonymous pages; honoured only by kernels built for it (no-MMU embedded systems). */
export const MAP_UNINITIALIZED = 0x4000000;

/** The flags plain MAP_SHARED accepts without validation. */
export const LEGACY_MAP_MASK =
  MAP_SHARED |
  MAP_PRIVATE |
  MAP_FIXED |
  MAP_ANONYMOUS |
  MAP_DENYWRITE |
  MAP_EXECUTABLE |
  MAP_UNINITIALIZED |
  MAP_GROWSDOWN |
  MAP_LOCKED |
  MAP_NORESERVE |
  MAP_POPULATE |
  MAP_NONBLOCK |
  MAP_STACK |
  MAP_HUGETLB;

/** MADV_NORMAL: no special access pattern; clears MADV_RANDOM and MADV_SEQUENTIAL. */
export const MADV_NORMAL = 0;
/** MADV_RANDOM: access is random, so read-ahead is off (VM_RAND_READ). */
export const MADV_RANDOM = 1;
/** MADV_SEQUENTIAL: access is sequential, so read ahead aggressively (VM_SEQ_READ). */
export const MADV_SEQUENTIAL = 2;
/** MADV_WILLNEED: the range will be used soon; start reading it in. */
export const MADV_WILLNEED = 3;
/** MADV_DONTNEED: drop the range's pages now; private anonymous memory reads back as zeroes. Refused on locked VMAs. */
export const MADV_DONTNEED = 4;
/** MADV_FREE: private anonymous pages may be freed lazily; a write before reclaim keeps them. */
export const MADV_FREE = 8;
/** MADV_REMOVE: punch a hole in the backing store of a shared mapping. */
export const MADV_REMOVE = 9;
/** MADV_DONTFORK: a child made by fork() does not inherit the range (VM_DONTCOPY). */
export const MADV_DONTFORK = 10;
/** MADV_DOFORK: undo MADV_DONTFORK. */
export const MADV_DOFORK = 11;
/** MADV_MERGEABLE: let KSM merge identical pages of the range (VM_MERGEABLE). */
export const MADV_MERGEABLE = 12;
/** MADV_UNMERGEABLE: undo MADV_MERGEABLE, unmerging pages KSM had merged. */
export const MADV_UNMERGEABLE = 13;
/** MADV_HUGEPAGE: ask for transparent huge pages on the range (VM_HUGEPAGE). */
export const MADV_HUGEPAGE = 14;
/** MADV_NOHUGEPAGE: keep transparent huge pages off the range (VM_NOHUGEPAGE). */
export const MADV_NOHUGEPAGE = 15;
/** MADV_DONTDUMP: leave the range out of core dumps (VM_DONTDUMP). */
export const MADV_DONTDUMP = 16;
/** MADV_DODUMP: undo MADV_DONTDUMP. */
export const MADV_DODUMP = 17;
/** MADV_WIPEONFORK: a child made by fork() sees the range zeroed (VM_WIPEONFORK); private anonymous only. */
export const MADV_WIPEONFORK = 18;
/** MADV_KEEPONFORK: undo MADV_WIPEONFORK. */
export const MADV_KEEPONFORK = 19;
/** MADV_COLD: the range is unlikely to be used soon; make its pages first in line for reclaim. */
export const MADV_COLD = 20;
/** MADV_PAGEOUT: reclaim the range's pages now. */
export const MADV_PAGEOUT = 21;
/** MADV_POPULATE_READ: fault the range in as reads would, failing where a read would fault. */
export const MADV_POPULATE_READ = 22;
/** MADV_POPULATE_WRITE: fault the range in as writes would, failing where a write would fault. */
export const MADV_POPULATE_WRITE = 23;
/** MADV_DONTNEED_LOCKED: MADV_DONTNEED that also accepts locked VMAs. */
export const MADV_DONTNEED_LOCKED = 24;
/** MADV_COLLAPSE: collapse the range into transparent huge pages now, whatever the THP setting says. */
export const MADV_COLLAPSE = 25;
/** MADV_GUARD_INSTALL: install guard markers in the range's page tables; touching a guarded page raises SIGSEGV. */
export const MADV_GUARD_INSTALL = 102;
/** MADV_GUARD_REMOVE: remove the guard markers MADV_GUARD_INSTALL left in the range. */
export const MADV_GUARD_REMOVE = 103;

/** MLOCK_ONFAULT: the mlock2() flag that locks pages as they are faulted in rather than populating them now. */
export const MLOCK_ONFAULT = 0x01;
/** MCL_CURRENT: mlockall() locks every mapping that exists now. */
export const MCL_CURRENT = 1;
/** MCL_FUTURE: mlockall() makes every later mapping locked too (VM_LOCKED in the mm's default flags). */
export const MCL_FUTURE = 2;
/** MCL_ONFAULT: with MCL_CURRENT or MCL_FUTURE, lock pages as they are faulted in rather than populating them. */
export const MCL_ONFAULT = 4;

/** MREMAP_MAYMOVE: mremap() may move the mapping when it cannot grow in place. */
export const MREMAP_MAYMOVE = 1;
/** MREMAP_FIXED: move the mapping to new_address, replacing what is there; needs MREMAP_MAYMOVE. */
export const MREMAP_FIXED = 2;
/** MREMAP_DONTUNMAP: move the pages but leave the old range mapped, empty; needs MREMAP_MAYMOVE and equal sizes. */
export const MREMAP_DONTUNMAP = 4;

/** Resource numbers of the rlimits the mm code reads. */
export const RLIMIT_DATA = 2;
/** RLIMIT_STACK: the largest size a stack may grow to, in bytes. */
export const RLIMIT_STACK = 3;
/** RLIMIT_MEMLOCK: the most bytes a process may lock without CAP_IPC_LOCK. */
export const RLIMIT_MEMLOCK = 8;
/** RLIMIT_AS: the largest total size of the address space, in bytes. */
export const RLIMIT_AS = 9;
/** RLIM_INFINITY: the limit value meaning no limit. */
export const RLIM_INFINITY = Number.MAX_SAFE_INTEGER;

/** Capabilities the mm code asks about. */
export const CAP_IPC_LOCK = 14;
/** CAP_SYS_RESOURCE: the capability that lets a process go past resource limits. */
export const CAP_SYS_RESOURCE = 24;
