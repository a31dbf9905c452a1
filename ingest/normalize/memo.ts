/**
 * A pure string function with its recent results kept. Reports in a batch repeat the same department
 * names, headings and indicator names, and Unicode normalisation of each is costly; the table is
 * bounded and emptied when full, so it never holds more than a few thousand short strings.
 */
export function memoized<T>(fn: (s: string) => T, limit = 4096): (s: string) => T {
  const results = new Map<string, T>();
  return (s) => {
    let r = results.get(s);
    if (r === undefined && !results.has(s)) {
      if (results.size >= limit) results.clear();
      r = fn(s);
      results.set(s, r);
    }
    return r as T;
  };
}
