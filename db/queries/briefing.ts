import { sql, type RawBuilder, type SqlBool } from "kysely";
import { commaList, countWhere, executionRateExpr } from "../dialect";
import type { DB } from "../connection";
import { filterWhere } from "./filter";
import { fenToWan, fenToWanOrNull, percent, x100OrNull } from "./numbers";
import type { GradeBand, ProjectExecution, ReportFilter, Wan } from "./types";

/**
 * The SQL behind the 简报 (briefing) that the rest of the query layer does not answer: per-report
 * lists under the briefing's own thresholds (grade bands by score, low execution), the report ids
 * behind each department's figures, and funds left unspent or unreceived. Totals the dashboard
 * also shows come from the shared queries (getOverview, getDepartmentTable, …), not from here.
 */

/** Score and execution thresholds as integer hundredths, so comparisons stay exact in SQL. */
export interface ThresholdsX100 {
  excellent: number;
  good: number;
  fair: number;
  lowExecution: number;
}

const reportFilterSql = (filter: ReportFilter) => filterWhere(filter, "reports");

const hasBudget = sql<SqlBool>`(reports.budget_basis_fen is not null and reports.budget_basis_fen > 0 and reports.spent_fen is not null)`;

function isLowExecution(t: ThresholdsX100): RawBuilder<SqlBool> {
  // spent / basis < low% ⇔ spent × 10000 < low_x100 × basis, in integers.
  return sql<SqlBool>`(${hasBudget} and reports.spent_fen * 10000 < ${t.lowExecution} * reports.budget_basis_fen)`;
}

/** The grade band of a report by its score under the thresholds; the stated grade where no score. */
function bandSql(t: ThresholdsX100): RawBuilder<string | null> {
  return sql<string | null>`case
    when reports.score_total_x100 is null then reports.grade
    when reports.score_total_x100 >= ${t.excellent} then '优'
    when reports.score_total_x100 >= ${t.good} then '良'
    when reports.score_total_x100 >= ${t.fair} then '中'
    else '差' end`;
}

/** A project as the briefing lists it: its execution row (grade = the one the report states or the loader derived) and more. */
export interface BriefingProjectRow extends ProjectExecution {
  /** the grade band of the score under the briefing's thresholds */
  band: GradeBand | null;
  lowExecution: boolean;
  unspent: Wan | null;
  notReceived: Wan | null;
}

export type ProjectSelection = "lowestExecution" | "weakGrade" | "highScoreLowExecution" | "mostUnspent" | "all";

/**
 * Project reports (kind = project) for one list of the briefing, at most `limit` of them.
 * The `all` selection orders by recommendation severity (差 first) so that a cut-off keeps what matters.
 */
export async function getBriefingProjects(
  db: DB,
  params: { filter: ReportFilter; thresholds: ThresholdsX100; selection: ProjectSelection; limit: number },
): Promise<BriefingProjectRow[]> {
  const t = params.thresholds;
  const band = bandSql(t);
  let q = db
    .selectFrom("reports")
    .leftJoin("departments as d", "d.id", "reports.department_id")
    .where(reportFilterSql(params.filter))
    .where("reports.kind", "=", "project")
    .select([
      "reports.id as reportId",
      "reports.department_id as departmentId",
      "d.name as department",
      sql<string | null>`coalesce(reports.project_name, reports.title)`.as("projectName"),
      "reports.year",
      "reports.budget_basis_fen as budgetFen",
      "reports.spent_fen as spentFen",
      "reports.budget_received_fen as receivedFen",
      "reports.score_total_x100 as scoreX100",
      "reports.grade",
      band.as("band"),
      sql<number>`case when ${isLowExecution(t)} then 1 else 0 end`.as("low"),
    ]);
  switch (params.selection) {
    case "lowestExecution":
      q = q.where(hasBudget).orderBy(executionRateExpr(db, "reports")).orderBy("reports.id");
      break;
    case "weakGrade":
      q = q
        .where(sql<SqlBool>`(${band}) in ('中', '差')`)
        .orderBy(sql`reports.score_total_x100 is null`)
        .orderBy("reports.score_total_x100")
        .orderBy("reports.id");
      break;
    case "highScoreLowExecution":
      q = q
        .where(isLowExecution(t))
        .where(sql<SqlBool>`(${band}) in ('优', '良')`)
        .orderBy("reports.score_total_x100", "desc")
        .orderBy("reports.id");
      break;
    case "mostUnspent":
      q = q
        .where(hasBudget)
        .where(sql<SqlBool>`reports.spent_fen < reports.budget_basis_fen`)
        .orderBy(sql`reports.budget_basis_fen - reports.spent_fen`, "desc")
        .orderBy("reports.id");
      break;
    case "all":
      q = q
        .orderBy(sql`case (${band}) when '差' then 0 when '中' then 1 when '良' then 3 when '优' then 4 else 5 end`)
        .orderBy(sql`case when ${isLowExecution(t)} then 0 else 1 end`)
        .orderBy("reports.id");
      break;
  }
  const rows = await q.limit(params.limit).execute();
  return rows.map((row) => {
    const budgeted = row.budgetFen !== null && row.budgetFen > 0 && row.spentFen !== null;
    return {
      reportId: row.reportId,
      departmentId: row.departmentId,
      department: row.department,
      projectName: row.projectName,
      year: row.year,
      budget: fenToWanOrNull(row.budgetFen),
      spent: fenToWanOrNull(row.spentFen),
      executionRate: row.budgetFen ? percent(row.spentFen, row.budgetFen) : null,
      score: x100OrNull(row.scoreX100),
      grade: row.grade,
      band: row.band as GradeBand | null,
      lowExecution: row.low === 1,
      unspent: budgeted ? fenToWan(Math.max(row.budgetFen! - row.spentFen!, 0)) : null,
      notReceived:
        row.budgetFen !== null && row.receivedFen !== null ? fenToWan(Math.max(row.budgetFen - row.receivedFen, 0)) : null,
    };
  });
}

export interface ProjectActionCount {
  band: GradeBand | null;
  lowExecution: boolean;
  projects: number;
}

/** How many project reports fall in each band × low-execution cell (complete, unlike the capped lists). */
export async function getProjectBandCounts(
  db: DB,
  params: { filter: ReportFilter; thresholds: ThresholdsX100 },
): Promise<ProjectActionCount[]> {
  const band = bandSql(params.thresholds);
  const low = sql<number>`case when ${isLowExecution(params.thresholds)} then 1 else 0 end`;
  const rows = await db
    .selectFrom("reports")
    .where(reportFilterSql(params.filter))
    .where("reports.kind", "=", "project")
    .select([band.as("band"), low.as("low"), sql<number>`count(*)`.as("projects")])
    .groupBy([sql`1`, sql`2`])
    .execute();
  return rows.map((r) => ({ band: r.band as GradeBand | null, lowExecution: r.low === 1, projects: r.projects }));
}

export interface FundsSummary {
  /** reports stating both a budget and the amount spent, with spent below budget */
  unspentReports: number;
  /** Σ(budget − spent) over those reports: funds not spent, to be returned or carried over */
  unspent: Wan;
  notReceivedReports: number;
  /** Σ(budget − received) where a report received less than its budget */
  notReceived: Wan;
}

export async function getFundsSummary(db: DB, params: { filter: ReportFilter }): Promise<FundsSummary> {
  const row = await db
    .selectFrom("reports")
    .where(reportFilterSql(params.filter))
    .select([
      sql<number>`coalesce(sum(case when ${hasBudget} and reports.spent_fen < reports.budget_basis_fen then 1 else 0 end), 0)`.as(
        "unspentReports",
      ),
      sql<number>`coalesce(sum(case when ${hasBudget} and reports.spent_fen < reports.budget_basis_fen then reports.budget_basis_fen - reports.spent_fen end), 0)`.as(
        "unspentFen",
      ),
      sql<number>`coalesce(sum(case when reports.budget_received_fen < reports.budget_basis_fen then 1 else 0 end), 0)`.as(
        "notReceivedReports",
      ),
      sql<number>`coalesce(sum(case when reports.budget_received_fen < reports.budget_basis_fen then reports.budget_basis_fen - reports.budget_received_fen end), 0)`.as(
        "notReceivedFen",
      ),
    ])
    .executeTakeFirstOrThrow();
  return {
    unspentReports: row.unspentReports,
    unspent: fenToWan(row.unspentFen),
    notReceivedReports: row.notReceivedReports,
    notReceived: fenToWan(row.notReceivedFen),
  };
}

export interface NotAllocatedItem {
  reportId: number;
  department: string | null;
  year: number | null;
  name: string;
  budget: Wan | null;
}

/** Summary reports' line items the finance bureau did not allocate (未下达), largest first. */
export async function getNotAllocatedItems(db: DB, params: { filter: ReportFilter; limit: number }): Promise<NotAllocatedItem[]> {
  const items = await db
    .selectFrom("line_items as li")
    .innerJoin("reports", "reports.id", "li.report_id")
    .leftJoin("departments as d", "d.id", "reports.department_id")
    .where(reportFilterSql(params.filter))
    .where("li.allocated", "=", 0)
    .select(["li.report_id as reportId", "d.name as department", "reports.year", "li.name", "li.budget_fen as budgetFen"])
    .orderBy(sql`coalesce(li.budget_fen, 0)`, "desc")
    .orderBy("li.id")
    .limit(params.limit)
    .execute();
  return items.map((i) => ({
    reportId: i.reportId,
    department: i.department,
    year: i.year,
    name: i.name,
    budget: fenToWanOrNull(i.budgetFen),
  }));
}

export interface FindingCodeRow {
  code: string;
  findings: number;
  reports: number;
  errors: number;
  warnings: number;
}

export interface QualityReportRow {
  reportId: number;
  department: string | null;
  projectName: string | null;
  year: number | null;
  codes: string[];
  errors: number;
  warnings: number;
}

export async function getQualityFacts(
  db: DB,
  params: { filter: ReportFilter; limit: number },
): Promise<{ byCode: FindingCodeRow[]; reports: QualityReportRow[] }> {
  const codes = await db
    .selectFrom("findings as f")
    .innerJoin("reports", "reports.id", "f.report_id")
    .where(reportFilterSql(params.filter))
    .groupBy("f.code")
    .select([
      "f.code",
      sql<number>`count(*)`.as("findings"),
      sql<number>`count(distinct f.report_id)`.as("reports"),
      sql<number>`coalesce(${countWhere(db, sql`f.severity = 'error'`)}, 0)`.as("errors"),
      sql<number>`coalesce(${countWhere(db, sql`f.severity = 'warning'`)}, 0)`.as("warnings"),
    ])
    .orderBy(sql`count(distinct f.report_id)`, "desc")
    .orderBy("f.code")
    .execute();
  const reports = await db
    .selectFrom("findings as f")
    .innerJoin("reports", "reports.id", "f.report_id")
    .leftJoin("departments as d", "d.id", "reports.department_id")
    .where(reportFilterSql(params.filter))
    .groupBy(["reports.id", "d.name", "reports.project_name", "reports.title", "reports.year"])
    .select([
      "reports.id as reportId",
      "d.name as department",
      sql<string | null>`coalesce(reports.project_name, reports.title)`.as("projectName"),
      "reports.year",
      commaList(db, sql`f.code`, { distinct: true }).as("codes"),
      sql<number>`coalesce(${countWhere(db, sql`f.severity = 'error'`)}, 0)`.as("errors"),
      sql<number>`coalesce(${countWhere(db, sql`f.severity = 'warning'`)}, 0)`.as("warnings"),
    ])
    .orderBy(countWhere(db, sql`f.severity = 'error'`), "desc")
    .orderBy(sql`count(*)`, "desc")
    .orderBy("reports.id")
    .limit(params.limit)
    .execute();
  return {
    byCode: codes,
    reports: reports.map((r) => ({ ...r, codes: r.codes.split(",").sort() })),
  };
}


export interface DepartmentEvidence {
  departmentId: number;
  /** reports stating both budget and spent with spent ÷ budget below the low-execution threshold */
  lowExecutionReports: number;
  reportIds: number[];
}

function splitIds(ids: string | null): number[] {
  return ids
    ? ids
        .split(",")
        .map(Number)
        .sort((a, b) => a - b)
    : [];
}

/** Per department: the reports its figures come from, and how many of them execute below the threshold. */
export async function getDepartmentEvidence(
  db: DB,
  params: { filter: ReportFilter; thresholds: ThresholdsX100 },
): Promise<DepartmentEvidence[]> {
  const rows = await db
    .selectFrom("reports")
    .where(reportFilterSql(params.filter))
    .where("reports.department_id", "is not", null)
    .groupBy("reports.department_id")
    .select([
      sql<number>`reports.department_id`.as("departmentId"),
      sql<number>`coalesce(sum(case when ${isLowExecution(params.thresholds)} then 1 else 0 end), 0)`.as("low"),
      commaList(db, sql`reports.id`).as("ids"),
    ])
    .execute();
  return rows.map((r) => ({ departmentId: r.departmentId, lowExecutionReports: r.low, reportIds: splitIds(r.ids) }));
}

/** The reports in which each of the given indicator names (normalised) went unmet. */
export async function getUnmetIndicatorReports(
  db: DB,
  params: { filter: ReportFilter; normalizedNames: string[] },
): Promise<Map<string, number[]>> {
  if (!params.normalizedNames.length) return new Map();
  const rows = await db
    .selectFrom("indicators")
    .innerJoin("reports", "reports.id", "indicators.report_id")
    .where(reportFilterSql(params.filter))
    .where("indicators.met", "=", 0)
    .where("indicators.normalized_name", "in", params.normalizedNames)
    .groupBy("indicators.normalized_name")
    .select(["indicators.normalized_name as name", commaList(db, sql`indicators.report_id`, { distinct: true }).as("ids")])
    .execute();
  return new Map(rows.map((r) => [r.name, splitIds(r.ids)]));
}

/** The years present under the filter's other dimensions, newest first (to pick a default year). */
export async function getBriefingYears(db: DB, params: { filter: ReportFilter }): Promise<number[]> {
  const rows = await db
    .selectFrom("reports")
    .where(reportFilterSql({ ...params.filter, years: undefined }))
    .where("reports.year", "is not", null)
    .select("reports.year")
    .distinct()
    .orderBy("reports.year", "desc")
    .execute();
  return rows.map((r) => r.year as number);
}
