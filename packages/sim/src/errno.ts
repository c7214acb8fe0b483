// Linux errno numbers (x86_64) and their names, as the scenario format prints them.

const NAMES = {
  1: 'EPERM',
  2: 'ENOENT',
  4: 'EINTR',
  9: 'EBADF',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  16: 'EBUSY',
  17: 'EEXIST',
  19: 'ENODEV',
  22: 'EINVAL',
  26: 'ETXTBSY',
  38: 'ENOSYS',
  75: 'EOVERFLOW',
  95: 'EOPNOTSUPP',
} as const;

/** The name of an errno a system call of the simulator can return (`'EINVAL'`, `'ENOMEM'`, …), as a scenario's `result` spells it. */
export type Errno = (typeof NAMES)[keyof typeof NAMES];

/** The name of a (positive) errno value. */
export function errnoName(errno: number): Errno {
  const name = (NAMES as Record<number, Errno>)[errno];
  if (name === undefined) throw new RangeError(`errno ${errno} has no name in the scenario format`);
  return name;
}
