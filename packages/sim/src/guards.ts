// Type checks that run none of the value's code. `instanceof` runs a Proxy's
// getPrototypeOf trap, and both it and Array.isArray throw the engine's
// TypeError for a revoked Proxy: here such a value is simply "not one", and
// gets the message of the argument it was passed as.
//
// Internal: not re-exported from index.ts.

/** `Array.isArray(v)`, false instead of an exception for a revoked Proxy. */
export function isArray(v: unknown): v is unknown[] {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}

/** `v instanceof C`, false instead of an exception for a value whose prototype cannot be read. */
// biome-ignore lint/suspicious/noExplicitAny: any class, as `instanceof` accepts
export function isInstance<T>(v: unknown, C: abstract new (...args: any[]) => T): v is T {
  try {
    return v instanceof C;
  } catch {
    return false;
  }
}
