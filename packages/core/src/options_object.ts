import { typeError } from './errors.js';

// Init and options objects are read once, field by field, before anything is
// built. A getter or Proxy trap of the caller's that throws (a revoked Proxy
// throws on every read) becomes a TypeError naming the object, with the
// original exception as its `cause`.
//
// Internal: not re-exported from index.ts.

/** `read(obj)` for an object argument named `arg`; TypeError naming `arg` unless it is a readable object. */
export function readOptions<T extends object, R>(obj: unknown, arg: string, read: (o: T) => R): R {
  if (typeof obj !== 'object' || obj === null) throw typeError(arg, 'an object', obj);
  try {
    return read(obj as T);
  } catch (cause) {
    const err = typeError(arg, 'an object whose fields can be read', obj);
    err.cause = cause;
    throw err;
  }
}
