// The one policy every benchmark follows: measure ratios against baselines
// taken in the same run, print every row with its target and mark a row that
// misses it, and end with a count of misses. Misses are findings for a reader,
// not failures: on a shared machine a row can miss from load alone. A bench
// exits non-zero only on a real error (an exception, a wrong result).

/** The status cell of a row with a target. */
export function targetStatus(met) {
  return met ? 'ok' : 'MISS';
}

/** The closing line of a bench's report. */
export function missSummary(misses) {
  return misses === 0 ? 'All targets met.' : `${misses} row(s) below target (MISS).`;
}
