import { sql } from "kysely";
import type { DB } from "../connection";
import { filterWhere, withAggregates, executionSums, scoreSums } from "./filter";
import { averageX100, fenToWan, fenToWanOrNull, percent, x100OrNull, zhOrder } from "./numbers";
import type {
  DepartmentInfo,
  DepartmentReportRow,
  DepartmentReports,
  DepartmentSummaryRow,
  FilterParams,
  GradeBand,
  ReportKind,
} from "./types";

/** One row per department with reports under the filter: the /departments table. */
export async function getDepartmentTable(db: DB, params: FilterParams = {}): Promise<DepartmentSummaryRow[]> {
  const a = withAggregates(db);
  const rows = await a
    .selectFrom("report_agg")
    .innerJoin("departments", "departments.id", "report_agg.department_id")
    .select([
      "departments.id as departmentId",
      "departments.name as department",
      "departments.region",
      ...executionSums(),
      ...scoreSums(),
      sql<number>`sum(report_agg.findings)`.as("findings"),
    ])
    .where(filterWhere(params.filter, "report_agg"))
    .groupBy("report_agg.department_id")
    .having(sql<boolean>`sum(report_agg.reports) > 0`)
    .execute();
  const unmet = new Map(
    (
      await a
        .selectFrom("indicator_agg")
        .select(["indicator_agg.department_id as id", sql<number>`sum(indicator_agg.unmet)`.as("n")])
        .where(filterWhere(params.filter, "indicator_agg"))
        .groupBy("indicator_agg.department_id")
        .execute()
    ).map((u) => [u.id, u.n] as const),
  );
  const order = zhOrder(rows.map((r) => r.department));
  return rows
    .map((r) => ({
      departmentId: r.departmentId,
      department: r.department,
      region: r.region,
      reports: r.reports,
      budget: fenToWan(r.budget),
      spent: fenToWan(r.spent),
      executionRate: r.paired > 0 ? percent(r.pairedSpent, r.pairedBudget) : null,
      averageScore: averageX100(r.scoreSum, r.scored),
      grades: { 优: r.a, 良: r.b, 中: r.c, 差: r.d, none: r.none },
      unmetIndicators: unmet.get(r.departmentId) ?? 0,
      findings: r.findings,
    }))
    .sort((x, y) => order.get(x.department)! - order.get(y.department)! || x.departmentId - y.departmentId);
}

/** A department's header facts, or null for an unknown id. */
export async function getDepartment(db: DB, params: { departmentId: number }): Promise<DepartmentInfo | null> {
  const d = await db.selectFrom("departments").selectAll().where("id", "=", params.departmentId).executeTakeFirst();
  if (!d) return null;
  const years = await withAggregates(db)
    .selectFrom("report_agg")
    .select(["year", sql<number>`sum(reports)`.as("reports")])
    .where("department_id", "=", params.departmentId)
    .groupBy("year")
    .having(sql<boolean>`sum(reports) > 0`)
    .orderBy("year")
    .execute();
  return {
    id: d.id,
    name: d.name,
    normalizedName: d.normalized_name,
    region: d.region,
    reports: years.reduce((s, y) => s + y.reports, 0),
    years: years.filter((y) => y.year !== 0).map((y) => y.year),
  };
}

export interface DepartmentReportsParams extends FilterParams {
  departmentId: number;
  /** default 500, at most 5000 */
  limit?: number;
  offset?: number;
}

/** A department's reports under the filter, newest year first (paged: `total` counts them all). */
export async function getDepartmentReports(db: DB, params: DepartmentReportsParams): Promise<DepartmentReports> {
  const base = () =>
    db.selectFrom("reports").where("reports.department_id", "=", params.departmentId).where(filterWhere(params.filter, "reports"));
  const total = await base().select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const rows = await base()
    .leftJoin("departments", "departments.id", "reports.department_id")
    .select([
      "reports.id",
      "reports.department_id",
      "departments.name as department",
      "reports.project_name",
      "reports.title",
      "reports.kind",
      "reports.evaluation_type",
      "reports.year",
      "reports.budget_basis_fen",
      "reports.spent_fen",
      "reports.score_total_x100",
      "reports.grade",
      "reports.unmet_count",
      "reports.finding_count",
    ])
    .orderBy("reports.year", "desc")
    .orderBy("reports.id", "desc")
    .limit(Math.max(1, Math.min(params.limit ?? 500, 5000)))
    .offset(Math.max(0, params.offset ?? 0))
    .execute();
  return {
    total: total.n,
    rows: rows.map(
      (r): DepartmentReportRow => ({
        reportId: r.id,
        departmentId: r.department_id,
        department: r.department,
        projectName: r.project_name ?? r.title,
        title: r.title,
        kind: r.kind as ReportKind,
        evaluationType: r.evaluation_type,
        year: r.year,
        budget: fenToWanOrNull(r.budget_basis_fen),
        spent: fenToWanOrNull(r.spent_fen),
        executionRate: percent(r.spent_fen, r.budget_basis_fen),
        score: x100OrNull(r.score_total_x100),
        grade: r.grade as GradeBand | null,
        unmetIndicators: r.unmet_count,
        findings: r.finding_count,
      }),
    ),
  };
}
