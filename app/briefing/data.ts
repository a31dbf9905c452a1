import Decimal from "decimal.js";
import type { DB } from "../../db/connection";
import {
  getBriefingProjects,
  getDepartmentEvidence,
  getFundsSummary,
  getNotAllocatedItems,
  getProjectBandCounts,
  getQualityFacts,
  getUnmetIndicatorReports,
  type BriefingProjectRow,
  type FindingCodeRow,
  type FundsSummary,
  type NotAllocatedItem,
  type QualityReportRow,
} from "../../db/queries/briefing";
import {
  getDepartmentTable,
  getDeviationCauses,
  getLineItemSummary,
  getOverview,
  getUnmetIndicators,
} from "../../db/queries";
import type {
  DepartmentSummaryRow,
  DeviationCauseRow,
  GradeBand,
  LineItemSummary,
  Overview,
  Percent,
  ReportFilter,
  UnmetIndicatorRow,
  Wan,
} from "../../db/queries/types";
import {
  actionForBand,
  DEFAULT_THRESHOLDS,
  gradeBand,
  isLowExecution,
  recommendationLabel,
  toX100,
  type RecommendationAction,
  type Thresholds,
} from "./rules";

/**
 * Every figure of the 简报, gathered once. The page, the prose and both exports read this object
 * and nothing else, so a number cannot differ between them.
 */

export interface BriefingLimits {
  departments: number;
  projects: number;
  items: number;
  recommendations: number;
}

export const DEFAULT_LIMITS: BriefingLimits = { departments: 10, projects: 10, items: 20, recommendations: 500 };

export interface Change {
  /** current − previous; counts as integers, money as exact 万元, rates as percentage points */
  reports: number;
  departments: number;
  budget: Wan;
  spent: Wan;
  executionRatePoints: string | null;
  averageScore: string | null;
  grades: Record<GradeBand, number>;
}

export interface Recommendation {
  subject: "department" | "project";
  departmentId: number | null;
  department: string | null;
  /** project reports only */
  reportId: number | null;
  projectName: string | null;
  year: number | null;
  /** average score for a department, the report's score for a project */
  score: string | null;
  band: GradeBand | null;
  executionRate: Percent;
  budget: Wan | null;
  spent: Wan | null;
  action: RecommendationAction | null;
  cutCandidate: boolean;
  label: string;
  /** the reports the figures come from */
  reportIds: number[];
}

/** A department's row of the dashboard's department table, plus the evidence the briefing adds. */
export interface BriefingDepartmentRow extends DepartmentSummaryRow {
  lowExecutionReports: number;
  reportIds: number[];
}

export interface MissedIndicatorRow extends UnmetIndicatorRow {
  reportIds: number[];
}

export interface BriefingData {
  filter: ReportFilter;
  thresholds: Thresholds;
  /** the single year the briefing is about, when the filter names exactly one */
  year: number | null;
  previousYear: number | null;
  overview: {
    /** the dashboard's overview for the same filter (getOverview) */
    current: Overview;
    previous: Overview | null;
    change: Change | null;
  };
  execution: {
    lowestDepartments: BriefingDepartmentRow[];
    lowestProjects: BriefingProjectRow[];
    lowExecutionProjects: number;
    lineItems: LineItemSummary["totals"];
    notAllocated: NotAllocatedItem[];
    funds: FundsSummary;
    mostUnspent: BriefingProjectRow[];
  };
  performance: {
    departmentsByScore: BriefingDepartmentRow[];
    weakProjects: BriefingProjectRow[];
    weakProjectCount: number;
    highScoreLowExecution: BriefingProjectRow[];
    highScoreLowExecutionCount: number;
  };
  indicators: {
    total: number;
    unmet: number;
    byType: UnmetIndicatorRow[];
    byName: MissedIndicatorRow[];
    causes: DeviationCauseRow[];
  };
  quality: {
    reportsWithFindings: number;
    byCode: FindingCodeRow[];
    reports: QualityReportRow[];
  };
  recommendations: {
    departments: Recommendation[];
    projects: Recommendation[];
    /** complete counts of project recommendations, the list above may be capped */
    projectCounts: Record<RecommendationAction | "none", number>;
    projectCutCandidates: number;
    projectTotal: number;
    projectsTruncated: boolean;
  };
}

function diffWan(a: Wan, b: Wan): Wan {
  return new Decimal(a).minus(b).toFixed();
}

function diffRounded(a: string | null, b: string | null): string | null {
  return a === null || b === null ? null : new Decimal(a).minus(b).toFixed(2);
}

function change(current: Overview, previous: Overview): Change {
  const grades = {} as Record<GradeBand, number>;
  for (const g of ["优", "良", "中", "差"] as const) grades[g] = current.grades[g] - previous.grades[g];
  return {
    reports: current.reports - previous.reports,
    departments: current.departments - previous.departments,
    budget: diffWan(current.budget, previous.budget),
    spent: diffWan(current.spent, previous.spent),
    // The difference of the two displayed (rounded) rates, so the prose adds up for a reader.
    executionRatePoints: diffRounded(current.executionRate, previous.executionRate),
    averageScore: diffRounded(current.averageScore, previous.averageScore),
    grades,
  };
}

function byRateAscending(a: BriefingDepartmentRow, b: BriefingDepartmentRow): number {
  if (a.executionRate === null) return b.executionRate === null ? a.departmentId - b.departmentId : 1;
  if (b.executionRate === null) return -1;
  return new Decimal(a.executionRate).cmp(b.executionRate) || a.departmentId - b.departmentId;
}

function byScoreDescending(a: BriefingDepartmentRow, b: BriefingDepartmentRow): number {
  if (a.averageScore === null) return b.averageScore === null ? a.departmentId - b.departmentId : 1;
  if (b.averageScore === null) return -1;
  return new Decimal(b.averageScore).cmp(a.averageScore) || a.departmentId - b.departmentId;
}

export function departmentRecommendation(row: BriefingDepartmentRow, t: Thresholds): Recommendation {
  const band = gradeBand(row.averageScore, t);
  const action = actionForBand(band);
  const cutCandidate = isLowExecution(row.executionRate, t);
  return {
    subject: "department",
    departmentId: row.departmentId,
    department: row.department,
    reportId: null,
    projectName: null,
    year: null,
    score: row.averageScore,
    band,
    executionRate: row.executionRate,
    budget: row.budget,
    spent: row.spent,
    action,
    cutCandidate,
    label: recommendationLabel(action, cutCandidate),
    reportIds: row.reportIds,
  };
}

export function projectRecommendation(row: BriefingProjectRow, t: Thresholds): Recommendation {
  // The band comes from the score under the current thresholds; the stated grade only without a score.
  const band = row.score !== null ? gradeBand(row.score, t) : row.band;
  const action = actionForBand(band);
  const cutCandidate = isLowExecution(row.executionRate, t);
  return {
    subject: "project",
    departmentId: row.departmentId,
    department: row.department,
    reportId: row.reportId,
    projectName: row.projectName,
    year: row.year,
    score: row.score,
    band,
    executionRate: row.executionRate,
    budget: row.budget,
    spent: row.spent,
    action,
    cutCandidate,
    label: recommendationLabel(action, cutCandidate),
    reportIds: [row.reportId],
  };
}

export async function buildBriefing(
  db: DB,
  params: { filter: ReportFilter; thresholds?: Thresholds; limits?: Partial<BriefingLimits> },
): Promise<BriefingData> {
  const filter = params.filter;
  const thresholds = params.thresholds ?? DEFAULT_THRESHOLDS;
  const limits = { ...DEFAULT_LIMITS, ...params.limits };
  const tx = toX100(thresholds);
  const year = filter.years?.length === 1 ? filter.years[0] : null;

  const current = await getOverview(db, { filter });
  let previous: Overview | null = null;
  if (year !== null) {
    const prev = await getOverview(db, { filter: { ...filter, years: [year - 1] } });
    if (prev.reports > 0) previous = prev;
  }

  const evidence = new Map((await getDepartmentEvidence(db, { filter, thresholds: tx })).map((e) => [e.departmentId, e]));
  const departments: BriefingDepartmentRow[] = (await getDepartmentTable(db, { filter })).map((d) => ({
    ...d,
    lowExecutionReports: evidence.get(d.departmentId)?.lowExecutionReports ?? 0,
    reportIds: evidence.get(d.departmentId)?.reportIds ?? [],
  }));
  const project = (selection: Parameters<typeof getBriefingProjects>[1]["selection"], limit: number) =>
    getBriefingProjects(db, { filter, thresholds: tx, selection, limit });

  const bandCounts = await getProjectBandCounts(db, { filter, thresholds: tx });
  const projectCounts: Record<RecommendationAction | "none", number> = { support: 0, keep: 0, improve: 0, cut: 0, none: 0 };
  let projectCutCandidates = 0;
  let projectTotal = 0;
  let weakProjectCount = 0;
  let highScoreLowExecutionCount = 0;
  for (const c of bandCounts) {
    projectCounts[actionForBand(c.band) ?? "none"] += c.projects;
    projectTotal += c.projects;
    if (c.lowExecution) projectCutCandidates += c.projects;
    if (c.band === "中" || c.band === "差") weakProjectCount += c.projects;
    if (c.lowExecution && (c.band === "优" || c.band === "良")) highScoreLowExecutionCount += c.projects;
  }

  const byType = await getUnmetIndicators(db, { filter, by: "type" });
  const names = await getUnmetIndicators(db, { filter, by: "name", limit: limits.items });
  const nameReports = await getUnmetIndicatorReports(db, { filter, normalizedNames: names.map((n) => n.key) });
  const quality = await getQualityFacts(db, { filter, limit: limits.items });
  const allProjects = await project("all", limits.recommendations);

  return {
    filter,
    thresholds,
    year,
    previousYear: previous ? year! - 1 : null,
    overview: { current, previous, change: previous ? change(current, previous) : null },
    execution: {
      lowestDepartments: departments
        .filter((d) => d.executionRate !== null)
        .sort(byRateAscending)
        .slice(0, limits.departments),
      lowestProjects: await project("lowestExecution", limits.projects),
      lowExecutionProjects: projectCutCandidates,
      lineItems: (await getLineItemSummary(db, { filter })).totals,
      notAllocated: await getNotAllocatedItems(db, { filter, limit: limits.items }),
      funds: await getFundsSummary(db, { filter }),
      mostUnspent: await project("mostUnspent", limits.projects),
    },
    performance: {
      departmentsByScore: departments.filter((d) => d.averageScore !== null).sort(byScoreDescending),
      weakProjects: await project("weakGrade", limits.items),
      weakProjectCount,
      highScoreLowExecution: await project("highScoreLowExecution", limits.items),
      highScoreLowExecutionCount,
    },
    indicators: {
      total: byType.reduce((n, t) => n + t.indicators, 0),
      unmet: current.unmetIndicators,
      // Types with nothing missed say nothing about where targets fail.
      byType: byType.filter((t) => t.unmet > 0).sort((a, b) => b.unmet - a.unmet),
      byName: names.map((n) => ({ ...n, reportIds: nameReports.get(n.key) ?? [] })),
      causes: [...(await getDeviationCauses(db, { filter, examples: 3 }))].sort((a, b) => b.unmet - a.unmet),
    },
    quality: { reportsWithFindings: current.reportsWithFindings, byCode: quality.byCode, reports: quality.reports },
    recommendations: {
      departments: [...departments].sort(byScoreDescending).map((d) => departmentRecommendation(d, thresholds)),
      projects: allProjects.map((p) => projectRecommendation(p, thresholds)),
      projectCounts,
      projectCutCandidates,
      projectTotal,
      projectsTruncated: projectTotal > allProjects.length,
    },
  };
}

