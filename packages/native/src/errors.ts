import { describe } from '@vmaflags/core';

// Argument errors in the core's form (`<arg> must be <allowed>; got <value>`),
// quoting at most the start of a long string and only the size of a huge
// bigint, as the addon does: a message never costs more than the call.

const QUOTE_CHARS = 40;

function describeCapped(v: unknown): string {
  if (typeof v === 'string' && v.length > QUOTE_CHARS)
    return `${JSON.stringify(v.slice(0, QUOTE_CHARS))}… (length ${v.length})`;
  if (
    typeof v === 'bigint' &&
    (v > 0xffff_ffff_ffff_ffff_ffff_ffff_ffff_ffffn || v < -0xffff_ffff_ffff_ffff_ffff_ffff_ffff_ffffn)
  ) {
    return `a bigint of ${Math.ceil((v < 0n ? -v : v).toString(16).length / 16)} 64-bit words`;
  }
  return describe(v);
}

export function typeError(arg: string, allowed: string, got: unknown): TypeError {
  return new TypeError(`${arg} must be ${allowed}; got ${describeCapped(got)}`);
}

export function rangeError(arg: string, allowed: string, got: unknown): RangeError {
  return new RangeError(`${arg} must be ${allowed}; got ${describeCapped(got)}`);
}
