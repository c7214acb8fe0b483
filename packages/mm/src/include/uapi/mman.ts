// include/uapi/asm-generic/mman-common.h, mman.h and linux/mman.h: the
// system-call constants of mmap, mprotect, madvise, mlock, mremap (x86_64
// values).

export const PROT_NONE = 0x0;
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
export const PROT_SEM = 0x8;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_DROPPABLE = 0x08;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x0100;
export const MAP_DENYWRITE = 0x0800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_STACK = 0x20000;
export const MAP_HUGETLB = 0x40000;
export const MAP_SYNC = 0x80000;
export const MAP_FIXED_NOREPLACE = 0x100000;
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

export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;
export const MADV_DONTNEED = 4;
export const MADV_FREE = 8;
export const MADV_REMOVE = 9;
export const MADV_DONTFORK = 10;
export const MADV_DOFORK = 11;
export const MADV_MERGEABLE = 12;
export const MADV_UNMERGEABLE = 13;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;
export const MADV_DONTDUMP = 16;
export const MADV_DODUMP = 17;
export const MADV_WIPEONFORK = 18;
export const MADV_KEEPONFORK = 19;
export const MADV_COLD = 20;
export const MADV_PAGEOUT = 21;
export const MADV_POPULATE_READ = 22;
export const MADV_POPULATE_WRITE = 23;
export const MADV_DONTNEED_LOCKED = 24;
export const MADV_COLLAPSE = 25;
export const MADV_GUARD_INSTALL = 102;
export const MADV_GUARD_REMOVE = 103;

export const MLOCK_ONFAULT = 0x01;
export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;

export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

/** Resource numbers of the rlimits the mm code reads. */
export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_MEMLOCK = 8;
export const RLIMIT_AS = 9;
export const RLIM_INFINITY = Number.MAX_SAFE_INTEGER;

/** Capabilities the mm code asks about. */
export const CAP_IPC_LOCK = 14;
export const CAP_SYS_RESOURCE = 24;
