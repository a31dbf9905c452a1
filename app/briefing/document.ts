import Decimal from "decimal.js";
import { formatCount, formatEvaluationType, formatRate, formatScore, formatWan, formatYear, MISSING } from "../format";
import type { BriefingData, Recommendation } from "./data";
import type { BriefingProjectRow } from "../../db/queries/briefing";
import type { Overview } from "../../db/queries/types";
import {
  executionProse,
  findingLabel,
  indicatorProse,
  overviewProse,
  performanceProse,
  qualityProse,
  recommendationProse,
  scopeLabel,
} from "./prose";
import { ACTION_LABELS, CUT_CANDIDATE_LABEL } from "./rules";

/**
 * The briefing as a document: numbered sections of sentences and tables. The page, the .docx and
 * the .xlsx all render this one model, so what a reader sees in one is what the others say.
 */

export type Cell =
  | { kind: "text"; value: string | null }
  /** a number shown as given (thresholds, years) */
  | { kind: "plain"; value: number | null }
  | { kind: "count"; value: number | null }
  | { kind: "wan"; value: string | null }
  | { kind: "rate"; value: string | null }
  | { kind: "score"; value: string | null }
  /** a signed difference: count, 万元 or percentage points */
  | { kind: "countChange"; value: number | null }
  | { kind: "wanChange"; value: string | null }
  | { kind: "pointsChange"; value: string | null }
  /** a department, linked to its page */
  | { kind: "department"; departmentId: number; value: string }
  /** a report, linked to its page */
  | { kind: "report"; reportId: number; value: string }
  /** reports behind a figure: the first ids (linked) of `total` */
  | { kind: "reports"; reportIds: number[]; total: number };

export interface BriefingTable {
  id: string;
  title: string;
  /** sheet name in the workbook (≤ 31 characters, unique) */
  sheet: string;
  columns: string[];
  rows: Cell[][];
  note?: string;
}

export interface BriefingSection {
  id: string;
  heading: string;
  paragraphs: string[];
  tables: BriefingTable[];
}

export interface BriefingDocument {
  title: string;
  subtitle: string;
  sections: BriefingSection[];
}

const NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

export function sectionNumber(index: number): string {
  return `${NUMERALS[index] ?? String(index + 1)}、`;
}

function signed(text: string, value: Decimal): string {
  return value.gt(0) ? `+${text}` : text;
}

/** The text of a cell, formatted by app/format.ts exactly as the prose formats the same figure. */
export function cellText(cell: Cell): string {
  switch (cell.kind) {
    case "text":
      return cell.value ?? MISSING;
    case "plain":
      return cell.value === null ? MISSING : String(cell.value);
    case "count":
      return formatCount(cell.value);
    case "wan":
      return formatWan(cell.value);
    case "rate":
      return formatRate(cell.value);
    case "score":
      return formatScore(cell.value);
    case "countChange":
      return cell.value === null ? MISSING : signed(formatCount(cell.value), new Decimal(cell.value));
    case "wanChange":
      return cell.value === null ? MISSING : signed(formatWan(cell.value), new Decimal(cell.value));
    case "pointsChange":
      return cell.value === null ? MISSING : signed(formatScore(cell.value), new Decimal(cell.value));
    case "report":
    case "department":
      return cell.value;
    case "reports":
      return cell.reportIds.map((id) => `#${id}`).join(" ") + (cell.total > cell.reportIds.length ? ` 等${formatCount(cell.total)}份` : "");
  }
}

const text = (value: string | null): Cell => ({ kind: "text", value });
const count = (value: number | null): Cell => ({ kind: "count", value });
const wan = (value: string | null): Cell => ({ kind: "wan", value });
const rate = (value: string | null): Cell => ({ kind: "rate", value });
const score = (value: string | null): Cell => ({ kind: "score", value });
const report = (reportId: number, label: string | null): Cell => ({ kind: "report", reportId, value: label ?? `报告 #${reportId}` });
/** Evidence lists stay readable (and the page small) at any scale: the first ids, and how many. */
export const EVIDENCE_LIMIT = 12;
const reportsCell = (ids: number[]): Cell => ({ kind: "reports", reportIds: ids.slice(0, EVIDENCE_LIMIT), total: ids.length });
const year = (value: number | null): Cell => ({ kind: "text", value: value === null ? null : formatYear(value) });

function overviewTable(data: BriefingData): BriefingTable {
  const { current: c, previous: p, change: d } = data.overview;
  const withPrevious = p !== null && d !== null;
  const rows: [string, (t: Overview) => Cell, Cell | null][] = [
    ["报告数（份）", (t) => count(t.reports), d && { kind: "countChange", value: d.reports }],
    ["部门数（个）", (t) => count(t.departments), d && { kind: "countChange", value: d.departments }],
    ["载明预算和支出的报告数（份）", (t) => count(t.rateReports), null],
    ["预算合计（万元）", (t) => wan(t.budget), d && { kind: "wanChange", value: d.budget }],
    ["支出合计（万元）", (t) => wan(t.spent), d && { kind: "wanChange", value: d.spent }],
    ["预算执行率", (t) => rate(t.executionRate), d && { kind: "pointsChange", value: d.executionRatePoints }],
    ["平均得分（分）", (t) => score(t.averageScore), d && { kind: "pointsChange", value: d.averageScore }],
    ["等级：优（份）", (t) => count(t.grades.优), d && { kind: "countChange", value: d.grades.优 }],
    ["等级：良（份）", (t) => count(t.grades.良), d && { kind: "countChange", value: d.grades.良 }],
    ["等级：中（份）", (t) => count(t.grades.中), d && { kind: "countChange", value: d.grades.中 }],
    ["等级：差（份）", (t) => count(t.grades.差), d && { kind: "countChange", value: d.grades.差 }],
    ["未评定等级（份）", (t) => count(t.grades.none), null],
    ["有审核问题的报告（份）", (t) => count(t.reportsWithFindings), null],
  ];
  const here = data.year !== null ? formatYear(data.year) : "所选范围";
  return {
    id: "overview",
    title: "总体情况",
    sheet: "总体情况",
    columns: withPrevious ? ["指标", here, formatYear(data.previousYear), "变化"] : ["指标", here],
    rows: rows.map(([label, value, delta]) =>
      withPrevious ? [text(label), value(c), value(p), delta ?? text(null)] : [text(label), value(c)],
    ),
    note: "预算、支出为载明该项的报告之和；执行率 = 同时载明预算和支出的报告的支出之和 ÷ 预算之和；变化一列中执行率为百分点，平均得分为分差。",
  };
}

function projectRows(rows: BriefingProjectRow[], extra: (r: BriefingProjectRow) => Cell[] = () => []): Cell[][] {
  return rows.map((r) => [
    report(r.reportId, r.projectName),
    text(r.department),
    year(r.year),
    wan(r.budget),
    wan(r.spent),
    rate(r.executionRate),
    score(r.score),
    text(r.band),
    ...extra(r),
  ]);
}

const PROJECT_COLUMNS = ["项目（报告）", "部门", "年度", "预算（万元）", "支出（万元）", "执行率", "得分", "等级"];

function executionTables(data: BriefingData): BriefingTable[] {
  const e = data.execution;
  const low = data.thresholds.lowExecution;
  return [
    {
      id: "lowest-departments",
      title: "预算执行率最低的部门",
      sheet: "执行率最低部门",
      columns: ["部门", "报告数", "预算（万元）", "支出（万元）", "执行率", `执行率低于${low}%的报告数`],
      rows: e.lowestDepartments.map((d) => [
        text(d.department),
        count(d.reports),
        wan(d.budget),
        wan(d.spent),
        rate(d.executionRate),
        count(d.lowExecutionReports),
      ]),
    },
    {
      id: "lowest-projects",
      title: "预算执行率最低的项目",
      sheet: "执行率最低项目",
      columns: PROJECT_COLUMNS,
      rows: projectRows(e.lowestProjects),
    },
    {
      id: "funds",
      title: "资金下达与使用",
      sheet: "资金下达与使用",
      columns: ["项目", "数量", "金额（万元）"],
      rows: [
        [text("部门汇总报告所列资金（项）"), count(e.lineItems.items), wan(e.lineItems.planned)],
        [text("其中财政未下达（项）"), count(e.lineItems.notAllocatedItems), wan(e.lineItems.notAllocated)],
        [text("支出低于预算的报告（份）及未支出资金"), count(e.funds.unspentReports), wan(e.funds.unspent)],
        [text("到位资金少于预算的报告（份）及差额"), count(e.funds.notReceivedReports), wan(e.funds.notReceived)],
        [text(`执行率低于${low}%的项目（个）`), count(e.lowExecutionProjects), text(null)],
      ],
    },
    {
      id: "not-allocated",
      title: "财政未下达资金明细",
      sheet: "未下达资金",
      columns: ["报告", "部门", "年度", "资金项目", "金额（万元）"],
      rows: e.notAllocated.map((i) => [
        report(i.reportId, `报告 #${i.reportId}`),
        text(i.department),
        year(i.year),
        text(i.name),
        wan(i.budget),
      ]),
    },
    {
      id: "unspent",
      title: "未支出资金最多的项目",
      sheet: "未支出资金",
      columns: [...PROJECT_COLUMNS, "未支出（万元）"],
      rows: projectRows(e.mostUnspent, (r) => [wan(r.unspent)]),
    },
  ];
}

function performanceTables(data: BriefingData): BriefingTable[] {
  const p = data.performance;
  const t = data.thresholds;
  return [
    {
      id: "department-scores",
      title: "部门平均得分",
      sheet: "部门得分",
      columns: ["排名", "部门", "报告数", "平均得分", "优", "良", "中", "差", "执行率"],
      rows: p.departmentsByScore.map((d, i) => [
        count(i + 1),
        { kind: "department", departmentId: d.departmentId, value: d.department },
        count(d.reports),
        score(d.averageScore),
        count(d.grades.优),
        count(d.grades.良),
        count(d.grades.中),
        count(d.grades.差),
        rate(d.executionRate),
      ]),
    },
    {
      id: "project-counts",
      title: "项目评价结果概况",
      sheet: "项目评价概况",
      columns: ["类别", "项目数"],
      rows: [
        [text("等级为中或差的项目"), count(p.weakProjectCount)],
        [text(`得分${t.good}分及以上、执行率低于${t.lowExecution}%的项目`), count(p.highScoreLowExecutionCount)],
      ],
    },
    {
      id: "weak-projects",
      title: "等级为中或差的项目",
      sheet: "中差项目",
      columns: PROJECT_COLUMNS,
      rows: projectRows(p.weakProjects),
    },
    {
      id: "high-score-low-execution",
      title: "高分低执行项目",
      sheet: "高分低执行",
      columns: PROJECT_COLUMNS,
      rows: projectRows(p.highScoreLowExecution),
    },
  ];
}

function indicatorTables(data: BriefingData): BriefingTable[] {
  const i = data.indicators;
  return [
    {
      id: "indicator-types",
      title: "未完成指标（按类型）",
      sheet: "未完成指标类型",
      columns: ["指标类型", "指标数", "未完成数", "未完成占比"],
      rows: [
        ...i.byType.map((t) => [text(t.label), count(t.indicators), count(t.unmet), rate(t.unmetShare)]),
        [text("全部指标"), count(i.total), count(i.unmet), text(null)],
      ],
      note: "未完成占比 = 未完成数 ÷ 已判定完成情况的指标数。",
    },
    {
      id: "indicator-names",
      title: "未完成次数最多的指标",
      sheet: "未完成指标名称",
      columns: ["指标", "未完成次数", "涉及报告"],
      rows: i.byName.map((n) => [text(n.label), count(n.unmet), reportsCell(n.reportIds)]),
    },
    {
      id: "causes",
      title: "偏差原因归类",
      sheet: "偏差原因",
      columns: ["原因类别", "未完成指标数", "示例"],
      rows: i.causes.map((c) => [
        text(c.label),
        count(c.unmet),
        text(c.examples.map((e) => `#${e.reportId} ${e.indicator}：${e.reason}`).join("\n") || null),
      ]),
    },
  ];
}

function qualityTables(data: BriefingData): BriefingTable[] {
  const q = data.quality;
  return [
    {
      id: "finding-codes",
      title: "数据问题（按类型）",
      sheet: "数据问题类型",
      columns: ["问题类型", "代码", "报告数", "问题数", "错误", "警告"],
      rows: [
        ...q.byCode.map((c) => [
          text(findingLabel(c.code)),
          text(c.code),
          count(c.reports),
          count(c.findings),
          count(c.errors),
          count(c.warnings),
        ]),
        [text("有问题的报告"), text(null), count(q.reportsWithFindings), text(null), text(null), text(null)],
      ],
    },
    {
      id: "finding-reports",
      title: "数据存在问题的报告",
      sheet: "问题报告",
      columns: ["报告", "部门", "年度", "问题类型", "错误", "警告"],
      rows: q.reports.map((r) => [
        report(r.reportId, r.projectName),
        text(r.department),
        year(r.year),
        text(r.codes.map(findingLabel).join("、")),
        count(r.errors),
        count(r.warnings),
      ]),
    },
  ];
}

function recommendationCells(r: Recommendation): Cell[] {
  return [score(r.score), text(r.band), rate(r.executionRate), wan(r.budget), wan(r.spent), text(r.label)];
}

function recommendationTables(data: BriefingData): BriefingTable[] {
  const r = data.recommendations;
  const t = data.thresholds;
  const deptCount = (pred: (x: Recommendation) => boolean) => count(r.departments.filter(pred).length);
  const actions = ["support", "keep", "improve", "cut"] as const;
  return [
    {
      id: "thresholds",
      title: "评价结果应用规则（阈值设置）",
      sheet: "阈值设置",
      columns: ["设置", "阈值", "建议"],
      rows: [
        [text("优：得分不低于"), { kind: "plain", value: t.excellent }, text(ACTION_LABELS.support)],
        [text("良：得分不低于"), { kind: "plain", value: t.good }, text(ACTION_LABELS.keep)],
        [text("中：得分不低于"), { kind: "plain", value: t.fair }, text(ACTION_LABELS.improve)],
        [text("差：得分低于"), { kind: "plain", value: t.fair }, text(ACTION_LABELS.cut)],
        [text("执行率低于（%）"), { kind: "plain", value: t.lowExecution }, text(CUT_CANDIDATE_LABEL)],
      ],
    },
    {
      id: "recommendation-counts",
      title: "建议汇总",
      sheet: "建议汇总",
      columns: ["建议", "部门数", "项目数"],
      rows: [
        ...actions.map((a) => [text(ACTION_LABELS[a]), deptCount((x) => x.action === a), count(r.projectCounts[a])]),
        [text("暂无评分"), deptCount((x) => x.action === null), count(r.projectCounts.none)],
        [text(CUT_CANDIDATE_LABEL), deptCount((x) => x.cutCandidate), count(r.projectCutCandidates)],
        [text("合计"), count(r.departments.length), count(r.projectTotal)],
      ],
    },
    {
      id: "department-recommendations",
      title: "部门建议",
      sheet: "部门建议",
      columns: ["部门", "平均得分", "等级", "执行率", "预算（万元）", "支出（万元）", "建议", "依据报告"],
      rows: r.departments.map((d) => [
        d.departmentId !== null ? { kind: "department", departmentId: d.departmentId, value: d.department ?? "" } : text(d.department),
        ...recommendationCells(d),
        reportsCell(d.reportIds),
      ]),
    },
    {
      id: "project-recommendations",
      title: "项目建议",
      sheet: "项目建议",
      columns: ["项目（报告）", "部门", "年度", "得分", "等级", "执行率", "预算（万元）", "支出（万元）", "建议"],
      rows: r.projects.map((p) => [report(p.reportId!, p.projectName), text(p.department), year(p.year), ...recommendationCells(p)]),
      note: r.projectsTruncated
        ? `仅列出前${formatCount(r.projects.length)}个项目（按建议的紧迫程度排序），汇总数为全部项目。`
        : undefined,
    },
  ];
}

export function briefingTitle(data: BriefingData): string {
  return `${scopeLabel(data) === "所选范围内" ? "" : scopeLabel(data)}预算绩效评价结果简报`;
}

/** "评价年度：2024年 · 地区：… · 部门：… · 金额单位：万元": what the briefing covers, from the filter. */
export function briefingScope(data: BriefingData): string {
  const f = data.filter;
  const parts = [data.year !== null ? `评价年度：${formatYear(data.year)}` : `评价年度：${f.years?.length ? f.years.map(formatYear).join("、") : "全部"}`];
  if (f.regions?.length) parts.push(`地区：${f.regions.join("、")}`);
  if (f.departmentIds?.length) {
    const names = new Map(data.recommendations.departments.map((d) => [d.departmentId, d.department]));
    parts.push(`部门：${f.departmentIds.map((id) => names.get(id) ?? `#${id}`).join("、")}`);
  }
  if (f.evaluationTypes?.length) parts.push(`评价类型：${f.evaluationTypes.map(formatEvaluationType).join("、")}`);
  parts.push("金额单位：万元");
  return parts.join(" · ");
}

export function buildBriefingDocument(data: BriefingData): BriefingDocument {
  const sections: Omit<BriefingSection, "heading">[] = [
    { id: "overview", paragraphs: overviewProse(data), tables: [overviewTable(data)] },
    { id: "execution", paragraphs: executionProse(data), tables: executionTables(data) },
    { id: "performance", paragraphs: performanceProse(data), tables: performanceTables(data) },
    { id: "indicators", paragraphs: indicatorProse(data), tables: indicatorTables(data) },
    { id: "quality", paragraphs: qualityProse(data), tables: qualityTables(data) },
    { id: "recommendations", paragraphs: recommendationProse(data), tables: recommendationTables(data) },
  ];
  const headings: Record<string, string> = {
    overview: "总体情况",
    execution: "预算执行",
    performance: "绩效结果",
    indicators: "指标完成",
    quality: "数据质量",
    recommendations: "建议",
  };
  return {
    title: briefingTitle(data),
    subtitle: briefingScope(data),
    sections: sections.map((s, i) => ({ ...s, heading: `${sectionNumber(i)}${headings[s.id]}` })),
  };
}
