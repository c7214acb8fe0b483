// `instanceof` runs the value's getPrototypeOf, which a Proxy can trap (a
// hostile one throws anything at all), and both it and Array.isArray throw
// the engine's TypeError for a revoked Proxy. Argument checks ask through
// these instead, so such a value is simply "not an instance" and gets the
// usual message naming the argument. Exported for the other packages'
// argument checks, so there is one copy of this guard.

/** `v instanceof C`, false instead of an exception for a value whose prototype cannot be read. */
// biome-ignore lint/suspicious/noExplicitAny: any class, as `instanceof` accepts
export function safeInstanceOf<T>(v: unknown, C: abstract new (...args: any[]) => T): v is T {
  try {
    return v instanceof C;
  } catch {
    return false;
  }
}

/** `Array.isArray(v)`, false instead of the engine's TypeError for a revoked Proxy. */
export function safeIsArray(v: unknown): v is unknown[] {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}
