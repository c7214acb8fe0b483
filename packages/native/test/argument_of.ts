/** The argument an error message names (`<arg> must be …`), for comparing errors across backends. */
export function argumentOf(e: unknown): string {
  return /^(\S+) must /.exec((e as Error).message)?.[1] ?? (e as Error).message;
}
