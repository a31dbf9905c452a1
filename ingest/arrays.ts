/**
 * Array#map, but the result always has the same hidden class.
 *
 * V8 gives Array#map's result packed elements while the caller runs in the interpreter and holey
 * elements once TurboFan has inlined the call, so a list built by `.map` changes shape when its
 * producer gets optimised, and every optimised loop over such lists is thrown away ("wrong map").
 * Lists the extractors hand on to other hot code are built with this instead.
 */
export function mapList<T, U>(xs: readonly T[], fn: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(fn(xs[i], i));
  return out;
}
