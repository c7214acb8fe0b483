// vm_flags_t: one kernel word (`unsigned long`) of flags, BITS_PER_LONG wide.
// JS numbers cannot hold 64 bits exactly, so a word leaves the library as a
// bigint; callers may pass small words as plain numbers for convenience.

/** `vm_flags_t` as returned by the library: a bigint in [0, 2^bitsPerLong). */
export type VmFlags = bigint;

/**
 * `vm_flags_t` as accepted by the library: a bigint, or a number that is a
 * non-negative safe integer. Either way it must be below 2^bitsPerLong of the
 * configuration in use, or the helper throws a RangeError naming the argument.
 */
export type VmFlagsInput = bigint | number;
