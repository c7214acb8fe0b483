import { rangeError, typeError } from '@vmaflags/core';

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
  // Only a number is looked up: any other key would be converted by running its code.
  const name =
    typeof errno === 'number' && Object.hasOwn(NAMES, errno) ? NAMES[errno as keyof typeof NAMES] : undefined;
  if (name === undefined) {
    const allowed = `an errno the scenario format names (${Object.keys(NAMES).join(', ')})`;
    throw typeof errno === 'number' ? rangeError('errno', allowed, errno) : typeError('errno', allowed, errno);
  }
  return name;
}
