import { vmaFlagsSetFlag, vmaFlagsTestAnyMask } from './bit_helpers.js';

// Spellings the bitmap helpers had in the January 2026 series (mm.h @df378e28),
// kept so code written against them keeps compiling. Same functions, new names.
//
// The any-of test of that series was called vma_flags_test(flags, bits...);
// that name now means the single-bit test (vmaFlagsTest), so it cannot be an
// alias: switch such callers to vmaFlagsTestAny. The VMA / descriptor wrapper
// and atomic-helper renames live with those wrappers.

/**
 * `vma_flags_test_mask`: whether `flags` and `mask` share a bit.
 * @deprecated Renamed `vma_flags_test_any_mask`: use {@link vmaFlagsTestAnyMask}.
 */
export const vmaFlagsTestMask: typeof vmaFlagsTestAnyMask = vmaFlagsTestAnyMask;

/**
 * `vma_flag_set`: set one bit (non-atomic).
 * @deprecated Renamed `vma_flags_set_flag`: use {@link vmaFlagsSetFlag}.
 */
export const vmaFlagSet: typeof vmaFlagsSetFlag = vmaFlagsSetFlag;
