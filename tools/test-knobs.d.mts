/** VMAFLAGS_FUZZ_SCALE (a positive number, default 1): the size multiplier of the randomized tests. */
export function fuzzScale(value?: string): number;
