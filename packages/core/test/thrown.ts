/** The error `fn` throws (fails the test if it returns), for checking its class and exact message. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}
