import Decimal from "decimal.js";
import { reportDecimal } from "../normalize/numbers";
import { mapList } from "../arrays";

/** A figure as the report states it, with where. Several may exist for one quantity. */
export interface Stated {
  value: Decimal;
  line: number;
  /** What the report called it, for messages ("全年执行数", "表1 合计"). */
  label: string;
}

/** Two statements of one quantity that disagree; the audit turns each into a text.conflict finding. */
export interface Conflict {
  field: string;
  /** Human name of the quantity, for the message. */
  what: string;
  chosen: Stated;
  other: Stated;
  /** Why the chosen value won. */
  reason: string;
}

/** Distinct values among statements, most frequent first (ties keep document order). */
export function distinctValues(cands: Stated[]): Stated[] {
  const groups: { s: Stated; n: number }[] = [];
  for (const c of cands) {
    const g = groups.find((x) => x.s.value.eq(c.value));
    if (g) g.n++;
    else groups.push({ s: c, n: 1 });
  }
  return mapList(groups.sort((a, b) => b.n - a.n), (g) => g.s);
}

/**
 * Chooses among statements of one quantity: the first value that agrees with the other figures
 * (per `consistent`), else the most often stated. Disagreeing statements become conflicts.
 */
export function choose(
  field: string,
  what: string,
  cands: Stated[],
  consistent?: (v: Decimal) => boolean,
  consistencyReason = "与其他数据一致",
): { value: Stated | null; conflicts: Conflict[] } {
  if (!cands.length) return { value: null, conflicts: [] };
  const distinct = distinctValues(cands);
  let chosen = distinct[0];
  let reason = "出现次数最多";
  if (distinct.length > 1 && consistent) {
    const ok = distinct.find((d) => consistent(d.value));
    if (ok) {
      chosen = ok;
      reason = consistencyReason;
    }
  }
  const conflicts = mapList(
    distinct.filter((d) => !d.value.eq(chosen.value)),
    (other) => ({ field, what, chosen, other, reason }),
  );
  return { value: chosen, conflicts };
}

/** A figure as the report's decimal string ("21.00" → "21"). */
export function dec(v: Decimal | null | undefined): string | null {
  return v == null ? null : reportDecimal(v);
}
