import Decimal from "decimal.js";
import type { ExtractionEvidence } from "./extract";
import { mapList } from "./arrays";
import { gradeBand } from "./normalize/grade";
import { agreesWhenRounded, decimalOf } from "./normalize/numbers";
import type { Finding, ParsedReport, Severity } from "./types";

/**
 * The audit: small pure checks over a parsed report and the statements it was built from. Each finding
 * names the numbers involved so that a reader can check it against the file.
 */
type Check = (r: ParsedReport, ev: ExtractionEvidence, D: ReadDecimal) => Finding[];

/** A report figure as a Decimal; checks read the same few figures many times. */
type ReadDecimal = (v: string | null | undefined) => Decimal | null;

// decimalOf remembers what it builds, so reading a figure again costs a lookup.
const readDecimal: ReadDecimal = (v) => (v == null ? null : decimalOf(v));

const fmt = (v: Decimal | string) => {
  // Decimals are immutable, so a Decimal is formatted as is rather than copied.
  const s = (typeof v === "string" ? new Decimal(v) : v).toFixed();
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
};
const at = (line: number | null | undefined) => (line ? `（第${line}行）` : "");
const finding = (code: string, severity: Severity, message: string, field?: string, line?: number | null): Finding => ({
  code,
  severity,
  message,
  ...(field ? { field } : {}),
  ...(line ? { line } : {}),
});
/** Scores are written with two decimals at most; sums within half a hundredth are equal. */
const SCORE_TOLERANCE = new Decimal("0.005");

const totalMismatch: Check = (r, ev, D) => {
  const out: Finding[] = [];
  const total = D(r.score.total);
  if (total && r.categories.length && r.categories.every((c) => c.score !== null) && !ev.totalDerived) {
    const sum = r.categories.reduce((a, c) => a.plus(D(c.score)!), new Decimal(0));
    if (sum.minus(total).abs().gt(SCORE_TOLERANCE)) {
      out.push(finding("score.total_mismatch", "error", `各类得分之和为${fmt(sum)}分，与报告总分${fmt(total)}分不符`, "score.total", ev.statedTotal?.line));
    }
  }
  for (const c of ev.categoryChecks) {
    for (const s of c.statedScores) {
      if (c.itemScoreSum && !s.value.eq(c.itemScoreSum)) {
        out.push(finding("score.total_mismatch", "warning", `“${c.name}”类得分写为${fmt(s.value)}分${at(s.line)}，但其下各项得分之和为${fmt(c.itemScoreSum)}分`, `categories.${c.name}.score`, s.line));
      }
    }
  }
  return out;
};

const gradeMismatch: Check = (r, _ev, D) => {
  const total = D(r.score.total);
  if (!total || !r.score.grade || !r.score.gradeStated) return [];
  const band = gradeBand(total);
  return band === r.score.grade
    ? []
    : [finding("score.grade_mismatch", "error", `报告评级为“${r.score.grade}”，但总分${fmt(total)}分对应的等级应为“${band}”（优≥90，良80–90，中60–80，差<60）`, "score.grade", r.provenance?.["score.grade"])];
};

const weightMismatch: Check = (r, ev, D) => {
  const out: Finding[] = [];
  for (const c of ev.categoryChecks) {
    for (const s of uniqueByValue(c.statedWeights)) {
      if (c.itemWeightSum && !s.value.eq(c.itemWeightSum)) {
        out.push(finding("category.weight_mismatch", "warning", `“${c.name}”类权重写为${fmt(s.value)}分${at(s.line)}，但其下各项分值之和为${fmt(c.itemWeightSum)}分`, `categories.${c.name}.weight`, s.line));
      }
    }
  }
  if (r.categories.length >= 3 && r.categories.every((c) => c.weight !== null)) {
    const sum = r.categories.reduce((a, c) => a.plus(D(c.weight)!), new Decimal(0));
    if (!sum.eq(D(ev.totalWeight)!)) out.push(finding("category.weight_mismatch", "warning", `各类权重之和为${fmt(sum)}分，不等于满分${fmt(ev.totalWeight)}分`, "categories"));
  }
  return out;
};

const categoryRateMismatch: Check = (_r, ev) => {
  const out: Finding[] = [];
  for (const c of ev.categoryChecks) {
    if (!c.weight || c.weight.isZero() || !c.score) continue;
    const exact = c.score.div(c.weight).mul(100);
    for (const s of uniqueByValue(c.statedRates)) {
      if (!agreesWhenRounded(s.value, exact)) {
        out.push(finding("category.rate_mismatch", "warning", `“${c.name}”类得分率写为${fmt(s.value)}%${at(s.line)}，但得分${fmt(c.score)}÷权重${fmt(c.weight)}=${exact.toDecimalPlaces(2).toFixed(2)}%`, `categories.${c.name}`, s.line));
      }
    }
  }
  return out;
};

const budgetRateMismatch: Check = (r, ev, D) => {
  const out: Finding[] = [];
  const o = ev.rateOverride;
  if (o) {
    const why = o.why === "score" ? "与执行率得分相符" : "报告以小数写出执行率";
    out.push(finding(o.why === "score" ? "budget.rate_mismatch" : "budget.rate_fraction", o.why === "score" ? "warning" : "info", `报告执行率写为${fmt(o.stated.value)}${o.why === "score" ? "%" : ""}${at(o.stated.line)}，但支出${r.budget.spent ?? "—"}万元÷预算${r.budget.adjusted ?? r.budget.initial ?? "—"}万元=${fmt(o.computed)}%；采用${fmt(o.computed)}%（${why}）`, "budget.executionRate", o.stated.line));
  }
  const basis = D(r.budget.adjusted) ?? D(r.budget.initial);
  const spent = D(r.budget.spent);
  const rate = D(r.budget.executionRate);
  if (basis && spent && rate && !basis.isZero()) {
    const exact = spent.div(basis).mul(100);
    if (!agreesWhenRounded(rate, exact)) {
      out.push(finding("budget.rate_mismatch", "warning", `报告执行率为${fmt(rate)}%，但支出${fmt(spent)}万元÷预算${fmt(basis)}万元=${exact.toDecimalPlaces(2).toFixed(2)}%`, "budget.executionRate", r.provenance?.["budget.executionRate"]));
    }
  }
  for (const s of r.budget.sources) {
    const b = D(s.adjusted) ?? D(s.initial);
    const sp = D(s.spent);
    const sr = D(s.executionRate);
    if (b && sp && sr && !b.isZero() && !agreesWhenRounded(sr, sp.div(b).mul(100))) {
      out.push(finding("budget.rate_mismatch", "warning", `“${s.name}”执行率写为${fmt(sr)}%，但${fmt(sp)}÷${fmt(b)}=${sp.div(b).mul(100).toDecimalPlaces(2).toFixed(2)}%`, "budget.sources", s.line));
    }
  }
  return out;
};

const budgetSumMismatch: Check = (r, ev, D) => {
  const out: Finding[] = [];
  const sources = r.budget.sources;
  for (const [field, label] of [["adjusted", "全年预算数"], ["spent", "全年执行数"], ["initial", "年初预算数"]] as const) {
    const total = D(r.budget[field]);
    const parts = mapList(sources, (s) => D(s[field])).filter((v): v is Decimal => v !== null);
    if (!total || parts.length < 1 || parts.length < sources.length) continue;
    const sum = parts.reduce((a, b) => a.plus(b), new Decimal(0));
    const tableTotal = ev.budget.tableTotal[field];
    if (!sum.eq(total)) {
      out.push(finding("budget.sum_mismatch", "warning", `各资金来源${label}之和为${fmt(sum)}万元，与合计${fmt(total)}万元不符`, `budget.${field}`, r.provenance?.[`budget.${field}`]));
    } else if (tableTotal && !tableTotal.value.eq(sum)) {
      // The table's own total row disagrees with its parts, which were taken instead.
      out.push(finding("budget.sum_mismatch", "warning", `${tableTotal.label}${label}写为${fmt(tableTotal.value)}万元${at(tableTotal.line)}，但各资金来源之和为${fmt(sum)}万元；采用${fmt(sum)}万元`, `budget.${field}`, tableTotal.line));
    }
  }
  if (r.lineItems.length) {
    // A department's line items add up to its 项目支出, not to its whole spending (基本支出 besides).
    const stated = ev.budget.projectSpent;
    const spent = stated ? stated.value : r.kind === "summary" ? null : D(r.budget.spent);
    const sum = r.lineItems.reduce((a, li) => a.plus(li.spent ?? 0), new Decimal(0));
    if (spent && !sum.eq(spent)) {
      out.push(finding("budget.sum_mismatch", "warning", `各明细项目支出之和为${fmt(sum)}万元，与报告的项目支出${fmt(spent)}万元不符`, "lineItems", stated?.line ?? r.provenance?.["budget.spent"]));
    }
  }
  for (const { total, parts } of ev.budget.partSums) {
    const sum = parts.reduce((a, p) => a.plus(p.value), new Decimal(0));
    if (!sum.eq(total.value)) {
      out.push(finding("budget.sum_mismatch", "warning", `${total.label}${fmt(total.value)}万元${at(total.line)}，但其中${parts.map((p) => `${p.label}${fmt(p.value)}万元`).join("、")}之和为${fmt(sum)}万元`, "budget", total.line));
    }
  }
  return out;
};

/** An amount ten times the whole budget is a typing error (a 元 figure written as 万元, say). */
const OUTLIER_FACTOR = 10;
const amountOutlier: Check = (r, ev, D) => {
  const out: Finding[] = [];
  const whole = D(r.budget.adjusted) ?? D(r.budget.initial);
  if (whole && !whole.isZero()) {
    for (const a of ev.partAmounts) {
      if (a.value.gt(whole.mul(OUTLIER_FACTOR))) {
        out.push(finding("amount.outlier", "warning", `“${a.label}”${fmt(a.value)}万元${at(a.line)}远大于项目预算总额${fmt(whole)}万元`, "budget", a.line));
      }
    }
  }
  if (r.lineItems.length >= 3) {
    const budgets = mapList(r.lineItems, (li) => D(li.budget)).filter((v): v is Decimal => v !== null);
    const total = budgets.reduce((a, b) => a.plus(b), new Decimal(0));
    for (const li of r.lineItems) {
      const v = D(li.spent);
      const b = D(li.budget);
      if (v && b && v.gt(b.mul(OUTLIER_FACTOR)) && v.gt(total)) {
        out.push(finding("amount.outlier", "warning", `“${li.name}”支出${fmt(v)}万元远大于其预算${fmt(b)}万元`, "lineItems", li.line));
      }
    }
  }
  return out;
};

const indicatorChecks: Check = (r, _ev, D) => {
  const out: Finding[] = [];
  for (const i of r.indicators) {
    const w = D(i.weight);
    const s = D(i.score);
    if (w && s && s.gt(w)) out.push(finding("indicator.score_exceeds_weight", "error", `指标“${i.name}”得分${fmt(s)}分高于其分值${fmt(w)}分`, "indicators", i.line));
    if (w && s && i.met === false && s.eq(w) && !w.isZero()) {
      out.push(finding("indicator.unmet_full_score", "warning", `指标“${i.name}”未完成（目标${i.target ?? "—"}，实际${i.actual ?? "—"}），却得满分${fmt(w)}分`, "indicators", i.line));
    }
  }
  return out;
};

/** Below this execution rate an 优/良 grade is hard to believe. */
export const LOW_EXECUTION_RATE = new Decimal(60);
const credibility: Check = (r, _ev, D) => {
  if (r.score.grade !== "优" && r.score.grade !== "良") return [];
  const basis = D(r.budget.adjusted) ?? D(r.budget.initial);
  const spent = D(r.budget.spent);
  const rate = basis && spent && !basis.isZero() ? spent.div(basis).mul(100) : D(r.budget.executionRate);
  if (!rate || rate.gte(LOW_EXECUTION_RATE)) return [];
  return [
    finding(
      "credibility.high_score_low_execution",
      "warning",
      `评级为“${r.score.grade}”（${r.score.total ?? "—"}分），但预算执行率仅${rate.toDecimalPlaces(2).toFixed(2)}%（低于${LOW_EXECUTION_RATE.toFixed()}%）`,
      "score.grade",
      r.provenance?.["budget.executionRate"],
    ),
  ];
};

const textConflicts: Check = (_r, ev) => {
  const out: Finding[] = mapList(ev.conflicts, (c) =>
    finding("text.conflict", "warning", `${c.what}前后不一致：${fmt(c.chosen.value)}${at(c.chosen.line)}与${fmt(c.other.value)}${at(c.other.line)}；采用${fmt(c.chosen.value)}（${c.reason}）`, c.field, c.other.line),
  );
  for (const c of ev.indicatorConflicts) {
    out.push(finding("text.conflict", "warning", `指标“${c.name}”的${c.field === "target" ? "年度指标值" : "实际完成值"}前后不一致：${c.a}${at(c.lineA)}与${c.b}${at(c.lineB)}`, "indicators", c.lineB));
  }
  return out;
};

/** Values recovered by a weaker route (cells run together, columns inferred), named with their text. */
const lowConfidence: Check = (_r, ev) =>
  mapList(ev.lowConfidence, (l) => finding("extract.low_confidence", l.doubtful ? "warning" : "info", `${l.why}：“${l.text}”${at(l.line)}`, l.field, l.line));

const derivedTotal: Check = (r, ev) =>
  ev.totalDerived && r.score.total ? [finding("score.total_derived", "info", `报告未写明总分，按各类得分之和计为${r.score.total}分`, "score.total")] : [];

const CHECKS: Check[] = [totalMismatch, gradeMismatch, weightMismatch, categoryRateMismatch, budgetRateMismatch, budgetSumMismatch, amountOutlier, indicatorChecks, credibility, textConflicts, derivedTotal, lowConfidence];

export function audit(report: ParsedReport, evidence: ExtractionEvidence): Finding[] {
  return CHECKS.flatMap((check) => check(report, evidence, readDecimal));
}

function uniqueByValue<T extends { value: Decimal }>(list: T[]): T[] {
  const out: T[] = [];
  for (const s of list) if (!out.some((o) => o.value.eq(s.value))) out.push(s);
  return out;
}
