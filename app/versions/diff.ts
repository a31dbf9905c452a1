/**
 * What changed between two versions of a report: the budget figures, the score and grade, and
 * each indicator (matched by its normalised name) — as display strings, money in 万元.
 */
import { fenToWanOrNull, percent, x100OrNull } from "../../db/queries/numbers";
import type { Snapshot } from "../../db/queries/versions";

export interface DiffRow {
  field: string;
  a: string | null;
  b: string | null;
}

export interface VersionDiff {
  fields: DiffRow[];
  indicators: { name: string; changes: DiffRow[]; presence?: "only-a" | "only-b" }[];
}

type R = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : null);
const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
const met = (v: unknown) => (v === 1 ? "达成" : v === 0 ? "未达成" : null);

function rate(r: R): string | null {
  const budget = num(r.budget_basis_fen);
  const spent = num(r.spent_fen);
  if (budget === null || spent === null || budget <= 0) return null;
  return percent(spent, budget);
}

const FIELDS: { field: string; value: (r: R) => string | null }[] = [
  { field: "年初预算（万元）", value: (r) => fenToWanOrNull(num(r.budget_initial_fen)) },
  { field: "调整后预算（万元）", value: (r) => fenToWanOrNull(num(r.budget_adjusted_fen)) },
  { field: "实际支出（万元）", value: (r) => fenToWanOrNull(num(r.spent_fen)) },
  { field: "预算执行率（%）", value: rate },
  { field: "自评得分", value: (r) => x100OrNull(num(r.score_total_x100)) },
  { field: "评价等级", value: (r) => text(r.grade) },
  { field: "指标数", value: (r) => String(num(r.indicator_count) ?? 0) },
  { field: "未达成指标数", value: (r) => String(num(r.unmet_count) ?? 0) },
];

const INDICATOR_FIELDS: { field: string; value: (r: R) => string | null }[] = [
  { field: "指标值", value: (r) => text(r.target_text) },
  { field: "实际完成值", value: (r) => text(r.actual_text) },
  { field: "是否达成", value: (r) => met(r.met) },
  { field: "得分", value: (r) => x100OrNull(num(r.score_x100)) },
];

function changes(defs: typeof FIELDS, a: R, b: R): DiffRow[] {
  return defs.map((d) => ({ field: d.field, a: d.value(a), b: d.value(b) })).filter((row) => row.a !== row.b);
}

export function diffSnapshots(a: Snapshot, b: Snapshot): VersionDiff {
  const key = (r: R) => String(r.normalized_name ?? r.name ?? "");
  const byName = (s: Snapshot) => new Map(s.children.indicators.map((i) => [key(i), i]));
  const ia = byName(a);
  const ib = byName(b);
  const indicators: VersionDiff["indicators"] = [];
  for (const [name, x] of ia) {
    const y = ib.get(name);
    const label = String(x.name ?? name);
    if (!y) indicators.push({ name: label, changes: [], presence: "only-a" });
    else {
      const c = changes(INDICATOR_FIELDS, x, y);
      if (c.length) indicators.push({ name: label, changes: c });
    }
  }
  for (const [name, y] of ib) if (!ia.has(name)) indicators.push({ name: String(y.name ?? name), changes: [], presence: "only-b" });
  return { fields: changes(FIELDS, a.report, b.report), indicators };
}
