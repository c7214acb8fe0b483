import { describe, expect, it } from 'vitest';
import { runExample } from './run_example.js';

const LOST_32 = [
  '  declared bits with a VM_* mask: 31 of 44',
  '  no room in vm_flags_t: VM_PKEY_BIT0 (bit 32) VM_PKEY_BIT1 (bit 33) VM_PKEY_BIT2 (bit 34) VM_PKEY_BIT3 (bit 35) VM_SHADOW_STACK (bit 37) VM_UFFD_MINOR (bit 41) VM_ALLOW_ANY_UNCACHED (bit 39) VM_SEALED (bit 42) VM_DROPPABLE (bit 40)',
  '  not configured:        VM_SOFTDIRTY',
];

describe('model_32bit_config', () => {
  it('lists what a 32-bit vm_flags_t loses and how the bitmap keeps a high bit', () => {
    expect(runExample('model_32bit_config')).toBe(
      [
        'i386: BITS_PER_LONG 32, NUM_VMA_FLAG_BITS 32',
        ...LOST_32,
        'arm: BITS_PER_LONG 32, NUM_VMA_FLAG_BITS 32',
        ...LOST_32,
        'i386 with 64 flag bits: READ + SEALED = words [0x1, 0x400]',
        'after vmaFlagsSetWord(flags, VM_WRITE): words [0x3, 0x400]',
        'i386 with 32 flag bits: RangeError: bits[0] must be an integer in [0, 32); got 42',
        '',
      ].join('\n'),
    );
  });
});
