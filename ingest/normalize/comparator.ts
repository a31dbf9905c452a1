import type { Comparator } from "../types";
import { toHalfWidth } from "./text";

/**
 * Comparator words and signs as reports write them, longest first so that "≥" does not shadow
 * "不低于" and ">=" wins over ">".
 */
const COMPARATORS: [RegExp, Comparator][] = [
  [/^(?:>=|=>|≥|≧|大于等于|大于或等于|不低于|不少于|不小于|至少|达到|多于等于)/, ">="],
  [/^(?:<=|=<|≤|≦|小于等于|小于或等于|不高于|不超过|不多于|不大于|低于等于|控制在|以内)/, "<="],
  [/^(?:>|大于|高于|超过|多于)/, ">"],
  [/^(?:<|小于|低于|少于)/, "<"],
  [/^(?:=|＝|═|等于)/, "="],
];

/** Reads a comparator at the start of a target text; returns it and the rest of the text. */
export function readComparator(text: string): { comparator: Comparator | null; rest: string } {
  const s = toHalfWidth(text).trim();
  for (const [re, cmp] of COMPARATORS) {
    const m = re.exec(s);
    if (m) return { comparator: cmp, rest: s.slice(m[0].length).trim() };
  }
  return { comparator: null, rest: s };
}
