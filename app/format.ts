import Decimal from "decimal.js";

/**
 * The one place numbers become text. Inputs are the query layer's exact decimal strings
 * (万元, percent, score); rounding is half-up and happens here once, never in a component.
 */

export const MISSING = "—";

type Num = string | number | null | undefined;

function toDecimal(value: Num): Decimal | null {
  if (value === null || value === undefined || value === "") return null;
  try {
    const d = new Decimal(value);
    return d.isFinite() ? d : null;
  } catch {
    return null;
  }
}

/** "1234567.5" → "1,234,567.50": groups of three in the integer part only. */
function group(fixed: string): string {
  const negative = fixed.startsWith("-");
  const body = negative ? fixed.slice(1) : fixed;
  const [intPart, fraction] = body.split(".");
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "-" : "") + grouped + (fraction !== undefined ? `.${fraction}` : "");
}

function fixed(d: Decimal, places: number): string {
  const s = d.toFixed(places, Decimal.ROUND_HALF_UP);
  // "-0.00" reads as an error to an analyst.
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** An amount in 万元, two places, thousands separators, no unit: "12,345.68". */
export function formatWan(value: Num): string {
  const d = toDecimal(value);
  return d ? group(fixed(d, 2)) : MISSING;
}

/** An amount with its unit: "12,345.68 万元". */
export function formatWanWithUnit(value: Num): string {
  const s = formatWan(value);
  return s === MISSING ? s : `${s} 万元`;
}

/** A percent given without the sign ("63.95") → "63.95%". */
export function formatRate(value: Num): string {
  const d = toDecimal(value);
  return d ? `${group(fixed(d, 2))}%` : MISSING;
}

/** A score (0–100) to two places: "89.50". */
export function formatScore(value: Num): string {
  const d = toDecimal(value);
  return d ? fixed(d, 2) : MISSING;
}

/** An integer count with separators: "1,234". */
export function formatCount(value: Num): string {
  const d = toDecimal(value);
  return d ? group(fixed(d, 0)) : MISSING;
}

/** A plain decimal as the report gave it, with separators but no rounding: "3,500", "0.5". */
export function formatPlain(value: Num): string {
  const d = toDecimal(value);
  return d ? group(d.toFixed()) : MISSING;
}

/** A decimal string as a JS number for charts, sorting and spreadsheet cells (they cannot take strings); null stays null. Never for display. */
export function toChartNumber(value: Num): number | null {
  const d = toDecimal(value);
  return d ? d.toNumber() : null;
}

/** An exact ratio part/whole as a percent string, e.g. a share of reports. */
export function sharePercent(part: number, whole: number): string | null {
  if (!whole) return null;
  return new Decimal(part).times(100).div(whole).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** A value for CSV/XLSX cells: the exact decimal (no grouping) so spreadsheets read a number. */
export function exportNumber(value: Num): number | string {
  const d = toDecimal(value);
  return d ? d.toNumber() : "";
}

const evaluationTypeLabels: Record<string, string> = {
  self: "单位自评",
  department: "部门评价",
  finance: "财政评价",
  third_party: "第三方评价",
};

export function formatEvaluationType(value: string | null | undefined): string {
  if (!value) return MISSING;
  return evaluationTypeLabels[value] ?? value;
}

const severityLabels: Record<string, string> = { error: "错误", warning: "警告", info: "提示" };

export function formatSeverity(value: string): string {
  return severityLabels[value] ?? value;
}

const kindLabels: Record<string, string> = { project: "项目评价", summary: "部门汇总" };

export function formatKind(value: string | null | undefined): string {
  if (!value) return MISSING;
  return kindLabels[value] ?? value;
}

export function formatYear(value: number | null | undefined): string {
  return value === null || value === undefined ? MISSING : `${value}年`;
}

/** part ÷ whole as a percent string, exact and rounded once (a category's score against its weight). */
export function ratioPercent(part: Num, whole: Num): string | null {
  const p = toDecimal(part);
  const w = toDecimal(whole);
  if (!p || !w || w.isZero()) return null;
  return p.times(100).div(w).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** A change with its sign, as the query layer gives it ("-3.20" → "-3.20", "1.5" → "+1.50"). */
export function formatChange(value: Num): string {
  const d = toDecimal(value);
  if (!d) return MISSING;
  const s = fixed(d, 2);
  return d.greaterThan(0) && s !== "0.00" ? `+${s}` : s;
}

/** The execution-rate band a rate falls in (the thresholds analysts use: 60 % and 80 %). */
export function rateBand(rate: Num, low = 60, mid = 80): "low" | "mid" | "ok" | null {
  const d = toDecimal(rate);
  if (!d) return null;
  return d.lessThan(low) ? "low" : d.lessThan(mid) ? "mid" : "ok";
}

/** CSS class for a rate cell by its band. */
export function rateClass(rate: Num): string {
  const band = rateBand(rate);
  return band === "low" ? "rate-low" : band === "mid" ? "rate-mid" : "";
}

const findingCodeLabels: Record<string, string> = {
  "score.total_mismatch": "得分合计与总分不符",
  "score.grade_mismatch": "等级与得分不符",
  "category.weight_mismatch": "权重合计不符",
  "category.rate_mismatch": "得分率与得分不符",
  "budget.rate_mismatch": "执行率与金额不符",
  "budget.sum_mismatch": "资金合计不符",
  "amount.outlier": "金额异常",
  "indicator.score_exceeds_weight": "指标得分超过分值",
  "indicator.unmet_full_score": "未完成指标得满分",
  "credibility.high_score_low_execution": "高分低执行",
  "text.conflict": "同一数值前后不一致",
};

/** A finding code in words; unknown codes (new audit rules) show as they are. */
export function formatFindingCode(code: string): string {
  return findingCodeLabels[code] ?? code;
}

/** The file name without any folder (ingest may record the path it read the file from). */
export function formatFileName(name: string): string {
  const parts = name.split(/[\\/]/);
  return parts[parts.length - 1] || name;
}
