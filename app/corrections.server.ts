import { getDb } from "~/db.server";
import { toHundredths, wanToFen } from "../ingest/rows";
import { FIELDS, listCorrections, reviewOf, type Target, type TargetKind, type Value } from "../db/queries/corrections";
import { fenToWanOrNull, x100OrNull } from "../db/queries/numbers";

export { addCorrection, CorrectionError, markReviewed, revokeCorrection, reviewQueue, unreviewedCount, correctionSummary } from "../db/queries/corrections";

const DECIMAL = /^-?\d{1,12}(\.\d{1,6})?$/;

/** "report||spent", "indicator|受助学生人数|met" … from the form, checked against FIELDS. */
export function parseTarget(text: unknown): Target | null {
  if (typeof text !== "string") return null;
  const [kind, key, field] = text.split("|");
  if (!(kind in FIELDS) || field === undefined || key === undefined || key.length > 200) return null;
  if (!(field in FIELDS[kind as TargetKind])) return null;
  if ((kind === "report") !== (key === "")) return null;
  return { kind: kind as TargetKind, key, field };
}

/** The typed stored value of what the analyst typed, or why not. */
export function parseValue(target: Target, input: unknown): { value: Value } | { error: string } {
  const text = typeof input === "string" ? input.trim() : "";
  const type = (FIELDS[target.kind] as Record<string, { type: string }>)[target.field].type;
  if (type === "fen" || type === "x100") {
    if (text === "") return { value: null };
    if (!DECIMAL.test(text)) return { error: "请输入数字（金额以万元计）。" };
    return { value: type === "fen" ? wanToFen(text) : toHundredths(text) };
  }
  if (type === "grade") return ["优", "良", "中", "差"].includes(text) ? { value: text } : text === "" ? { value: null } : { error: "等级应为 优、良、中 或 差。" };
  if (type === "bool") return text === "1" || text === "达成" ? { value: 1 } : text === "0" || text === "未达成" ? { value: 0 } : { error: "请填 达成 或 未达成。" };
  if (text.length > 200) return { error: "文字过长。" };
  return { value: text === "" ? null : text };
}

const FIELD_LABELS: Record<string, string> = {
  "report.budget_initial": "年初预算（万元）",
  "report.budget_adjusted": "调整后预算（万元）",
  "report.spent": "实际支出（万元）",
  "report.score": "自评得分",
  "report.grade": "评价等级",
  "indicator.target": "指标值",
  "indicator.actual": "实际完成值",
  "indicator.met": "是否达成",
  "line_item.budget": "预算（万元）",
  "line_item.spent": "支出（万元）",
};

export function describeTarget(t: Target): string {
  const field = FIELD_LABELS[`${t.kind}.${t.field}`] ?? t.field;
  if (t.kind === "indicator") return `指标“${t.key}”${field}`;
  if (t.kind === "line_item") return `明细“${t.key}”${field}`;
  return field;
}

export function displayValue(t: Target, v: Value): string {
  if (v === null) return "（空）";
  const type = (FIELDS[t.kind] as Record<string, { type: string }>)[t.field].type;
  if (type === "fen") return fenToWanOrNull(v as number) ?? "";
  if (type === "x100") return x100OrNull(v as number) ?? "";
  if (type === "bool") return v === 1 ? "达成" : "未达成";
  return String(v);
}

/** The report page's corrections (with display text) and review state. */
export async function reportCorrections(reportKey: string, reportId: number) {
  const db = getDb();
  const [rows, review] = await Promise.all([listCorrections(db, { reportKey }), reviewOf(db, { reportId })]);
  return {
    review,
    corrections: rows.map((c) => ({
      id: c.id,
      target: `${c.target.kind}|${c.target.key}|${c.target.field}`,
      label: describeTarget(c.target),
      oldValue: displayValue(c.target, c.oldValue),
      newValue: displayValue(c.target, c.newValue),
      reason: c.reason,
      by: c.by,
      at: c.at,
      revokedAt: c.revokedAt,
      revokedBy: c.revokedBy,
      applied: c.appliedReportId === reportId,
    })),
  };
}
