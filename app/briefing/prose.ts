import Decimal from "decimal.js";
import { formatCount, formatRate, formatScore, formatWan } from "../format";
import type { BriefingData } from "./data";
import type { Overview } from "../../db/queries/types";
import { ACTION_LABELS, CUT_CANDIDATE_LABEL, type Thresholds } from "./rules";

/**
 * The briefing's sentences, built from BriefingData only: every number goes through app/format.ts
 * exactly as in the tables, and a sentence whose figure is missing is left out rather than guessed.
 */

export const FINDING_LABELS: Record<string, string> = {
  "score.total_mismatch": "分项得分与总分不符",
  "score.grade_mismatch": "等级与总分不符",
  "category.weight_mismatch": "指标权重不符",
  "category.rate_mismatch": "得分率与得分不符",
  "budget.rate_mismatch": "执行率与支出不符",
  "budget.sum_mismatch": "资金来源或明细合计不符",
  "amount.outlier": "金额异常",
  "indicator.score_exceeds_weight": "指标得分超过分值",
  "indicator.unmet_full_score": "未完成指标得满分",
  "credibility.high_score_low_execution": "高分低执行",
  "text.conflict": "同一数据前后表述不一",
};

export function findingLabel(code: string): string {
  return FINDING_LABELS[code] ?? code;
}


/** "2024年" or, without a single year, "所选范围内". */
export function scopeLabel(data: BriefingData): string {
  return data.year !== null ? `${data.year}年` : "所选范围内";
}

function sign(value: string): -1 | 0 | 1 {
  const d = new Decimal(value);
  return d.isZero() ? 0 : d.isNegative() ? -1 : 1;
}

function abs(value: string): string {
  return new Decimal(value).abs().toFixed();
}

/** "提高3.21个百分点" / "降低…" / "持平". */
function pointsChange(points: string): string {
  const s = sign(points);
  return s === 0 ? "与上年持平" : `较上年${s > 0 ? "提高" : "降低"}${formatScore(abs(points))}个百分点`;
}

/** "增加310.00万元" / "减少…" / "持平" (the sentence names the year compared with). */
function wanDelta(value: string): string {
  const s = sign(value);
  return s === 0 ? "持平" : `${s > 0 ? "增加" : "减少"}${formatWan(abs(value))}万元`;
}

function countDelta(value: number, unit: string): string {
  return value === 0 ? "持平" : `${value > 0 ? "增加" : "减少"}${formatCount(Math.abs(value))}${unit}`;
}

function joinList(items: string[]): string {
  return items.join("、");
}

/** How many names a sentence lists before it says "等" (the tables list them all). */
export const NAMED_IN_PROSE = 8;

function namesList(names: string[]): string {
  return names.length > NAMED_IN_PROSE ? `${joinList(names.slice(0, NAMED_IN_PROSE))}等` : joinList(names);
}

function gradeSentence(t: Overview): string | null {
  const graded = t.grades.优 + t.grades.良 + t.grades.中 + t.grades.差;
  if (graded === 0) return null;
  const parts = (["优", "良", "中", "差"] as const).map((g) => `${g}${formatCount(t.grades[g])}份`);
  const none = t.grades.none ? `，未评定等级${formatCount(t.grades.none)}份` : "";
  const avg = t.averageScore !== null ? `，平均得分${formatScore(t.averageScore)}分` : "";
  return `评价等级为${joinList(parts)}${none}${avg}。`;
}

export function thresholdSentence(t: Thresholds): string {
  return `评价结果应用规则：得分${t.excellent}分及以上为优（${ACTION_LABELS.support}），${t.good}分及以上为良（${ACTION_LABELS.keep}），${t.fair}分及以上为中（${ACTION_LABELS.improve}），低于${t.fair}分为差（${ACTION_LABELS.cut}）；预算执行率低于${t.lowExecution}%的列为${CUT_CANDIDATE_LABEL}。`;
}

export function overviewProse(data: BriefingData): string[] {
  const { current: c, change, previous } = data.overview;
  if (c.reports === 0) return [`${scopeLabel(data)}暂无评价报告。`];
  const out: string[] = [];
  let s = `${scopeLabel(data)}共收到${formatCount(c.departments)}个部门的${formatCount(c.reports)}份评价报告`;
  s += `，预算合计${formatWan(c.budget)}万元，支出${formatWan(c.spent)}万元`;
  if (c.executionRate !== null) {
    s += `，预算执行率${formatRate(c.executionRate)}`;
    // Budget and spent sum every report stating each; the rate only those stating both. Say so when they differ.
    if (c.rateReports < c.reports) s += `（按同时载明预算和支出的${formatCount(c.rateReports)}份报告计算）`;
    const points = change?.executionRatePoints;
    if (points !== null && points !== undefined) s += `，${pointsChange(points)}`;
  }
  out.push(`${s}。`);
  if (change && previous && data.previousYear !== null) {
    out.push(
      `与${data.previousYear}年相比，报告数量${countDelta(change.reports, "份")}，预算${wanDelta(change.budget)}，支出${wanDelta(change.spent)}。`,
    );
  }
  const g = gradeSentence(c);
  if (g) out.push(g);
  return out;
}

export function executionProse(data: BriefingData): string[] {
  const e = data.execution;
  const out: string[] = [];
  if (e.lowestDepartments.length) {
    const list = e.lowestDepartments.slice(0, 3).map((d) => `${d.department}（${formatRate(d.executionRate)}）`);
    out.push(`预算执行率最低的部门依次为${joinList(list)}。`);
  }
  if (e.lowestProjects.length) {
    const list = e.lowestProjects
      .slice(0, 3)
      .map((p) => `${p.projectName ?? `报告${p.reportId}`}（${formatRate(p.executionRate)}）`);
    out.push(
      `执行率低于${data.thresholds.lowExecution}%的项目共${formatCount(e.lowExecutionProjects)}个，执行率最低的项目为${joinList(list)}。`,
    );
  }
  if (e.lineItems.notAllocatedItems > 0) {
    out.push(
      `部门汇总报告所列${formatCount(e.lineItems.items)}项资金计划${formatWan(e.lineItems.planned)}万元，其中财政未下达${formatCount(e.lineItems.notAllocatedItems)}项，共${formatWan(e.lineItems.notAllocated)}万元。`,
    );
  }
  if (e.funds.unspentReports > 0) {
    out.push(
      `${formatCount(e.funds.unspentReports)}份报告的支出低于预算，未支出资金合计${formatWan(e.funds.unspent)}万元，应按规定收回或结转。`,
    );
  }
  if (e.funds.notReceivedReports > 0) {
    out.push(
      `${formatCount(e.funds.notReceivedReports)}份报告的实际到位资金少于预算，差额合计${formatWan(e.funds.notReceived)}万元。`,
    );
  }
  if (!out.length) out.push("所选范围内没有可比较的预算与支出数据。");
  return out;
}

export function performanceProse(data: BriefingData): string[] {
  const p = data.performance;
  const out: string[] = [];
  const ranked = p.departmentsByScore;
  if (ranked.length) {
    const top = ranked[0];
    const bottom = ranked[ranked.length - 1];
    if (ranked.length === 1) out.push(`${top.department}的平均得分为${formatScore(top.averageScore)}分。`);
    else
      out.push(
        `按平均得分排序，最高的是${top.department}（${formatScore(top.averageScore)}分），最低的是${bottom.department}（${formatScore(bottom.averageScore)}分）。`,
      );
  }
  out.push(
    p.weakProjectCount > 0
      ? `评价等级为中或差的项目共${formatCount(p.weakProjectCount)}个，得分最低的是${joinList(
          p.weakProjects.slice(0, 3).map((r) => `${r.projectName ?? `报告${r.reportId}`}（${r.score !== null ? `${formatScore(r.score)}分，` : ""}${r.band}）`),
        )}。`
      : "没有评价等级为中或差的项目。",
  );
  if (p.highScoreLowExecutionCount > 0) {
    out.push(
      `${formatCount(p.highScoreLowExecutionCount)}个项目得分在${data.thresholds.good}分及以上但执行率低于${data.thresholds.lowExecution}%，评分与资金使用不相符，应重点复核：${joinList(
        p.highScoreLowExecution
          .slice(0, 3)
          .map((r) => `${r.projectName ?? `报告${r.reportId}`}（${formatScore(r.score)}分，执行率${formatRate(r.executionRate)}）`),
      )}。`,
    );
  }
  return out;
}

export function indicatorProse(data: BriefingData): string[] {
  const i = data.indicators;
  if (i.total === 0) return ["所选范围内的报告未列出绩效指标。"];
  const out = [`报告共列出绩效指标${formatCount(i.total)}项，未完成${formatCount(i.unmet)}项。`];
  if (i.byType.length) {
    out.push(
      `未完成指标按类型以${joinList(i.byType.slice(0, 3).map((t) => `${t.label}指标（${formatCount(t.unmet)}项）`))}为多。`,
    );
  }
  if (i.byName.length) {
    out.push(
      `未完成次数最多的指标是${joinList(i.byName.slice(0, 3).map((n) => `“${n.label}”（${formatCount(n.unmet)}次）`))}。`,
    );
  }
  if (i.causes.length) {
    out.push(`偏差原因归类为：${joinList(i.causes.map((c) => `${c.label}${formatCount(c.unmet)}项`))}。`);
  }
  return out;
}

export function qualityProse(data: BriefingData): string[] {
  const q = data.quality;
  if (q.reportsWithFindings === 0) return ["审核未发现报告数据自相矛盾的情况。"];
  return [
    `审核发现${formatCount(q.reportsWithFindings)}份报告的数据自相矛盾或存在异常，按类型为：${joinList(
      q.byCode.map((c) => `${findingLabel(c.code)}${formatCount(c.reports)}份`),
    )}。建议相关部门核实后更正。`,
  ];
}

export function recommendationProse(data: BriefingData): string[] {
  const r = data.recommendations;
  const out = [thresholdSentence(data.thresholds)];
  const byAction = (action: keyof typeof ACTION_LABELS) => r.departments.filter((d) => d.action === action);
  const deptParts = (["support", "keep", "improve", "cut"] as const)
    .map((a) => ({ a, list: byAction(a) }))
    .filter((x) => x.list.length)
    .map((x) => `${ACTION_LABELS[x.a]}${formatCount(x.list.length)}个（${namesList(x.list.map((d) => d.department ?? ""))}）`);
  if (deptParts.length) out.push(`部门层面：${deptParts.join("；")}。`);
  // Lowest execution first: with many candidates the sentence names the clearest cases.
  const cutDepts = r.departments
    .filter((d) => d.cutCandidate)
    .sort((a, b) => new Decimal(a.executionRate ?? 0).cmp(b.executionRate ?? 0));
  if (cutDepts.length) {
    const named = cutDepts.slice(0, NAMED_IN_PROSE).map((d) => `${d.department}（执行率${formatRate(d.executionRate)}）`);
    const more = cutDepts.length > NAMED_IN_PROSE ? `等${formatCount(cutDepts.length)}个部门` : "";
    out.push(`${joinList(named)}${more}预算执行率低于${data.thresholds.lowExecution}%，列为${CUT_CANDIDATE_LABEL}。`);
  }
  if (r.projectTotal > 0) {
    const parts = (["support", "keep", "improve", "cut"] as const)
      .filter((a) => r.projectCounts[a] > 0)
      .map((a) => `${ACTION_LABELS[a]}${formatCount(r.projectCounts[a])}个`);
    const none = r.projectCounts.none ? `，暂无评分${formatCount(r.projectCounts.none)}个` : "";
    out.push(
      `项目层面：共${formatCount(r.projectTotal)}个项目，${parts.join("，")}${none}；其中执行率低于${data.thresholds.lowExecution}%的${CUT_CANDIDATE_LABEL}${formatCount(r.projectCutCandidates)}个。`,
    );
  }
  return out;
}
