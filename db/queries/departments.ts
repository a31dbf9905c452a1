import { sql } from "kysely";
import { groupKeys } from "../dialect";
import type { DB } from "../connection";
import { filterWhere, summarySource, withAggregates, executionSums, scoreSums } from "./filter";
import { prepared } from "./prepared";
import { averageX100, fenToWan, fenToWanOrNull, percent, x100OrNull, zhOrder } from "./numbers";
import type {
  DepartmentInfo,
  DepartmentReportRow,
  DepartmentReports,
  DepartmentSummaryRow,
  FilterParams,
  GradeBand,
  ReportFilter,
  ReportKind,
} from "./types";

const departmentSums = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("report_agg", a.filter, ["department_id"]);
  return withAggregates(db)
    .selectFrom(source.from)
    .innerJoin("departments", "departments.id", "report_agg.department_id")
    .select([
      "departments.id as departmentId",
      "departments.name as department",
      "departments.region",
      ...executionSums(),
      ...scoreSums(),
      sql<number>`sum(report_agg.findings)`.as("findings"),
    ])
    .where(source.where)
    .groupBy(groupKeys(db, ["report_agg.department_id"], ["departments.id"]))
    .having(sql<boolean>`sum(report_agg.reports) > 0`);
});

const unmetByDepartment = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("indicator_agg", a.filter, ["department_id"]);
  return withAggregates(db)
    .selectFrom(source.from)
    .select(["indicator_agg.department_id as id", sql<number>`sum(indicator_agg.unmet)`.as("n")])
    .where(source.where)
    .groupBy("indicator_agg.department_id");
});

/** One row per department with reports under the filter: the /departments table. */
export async function getDepartmentTable(db: DB, params: FilterParams = {}): Promise<DepartmentSummaryRow[]> {
  const rows = await departmentSums(db, { filter: params.filter });
  const unmet = new Map((await unmetByDepartment(db, { filter: params.filter })).map((u) => [u.id, u.n] as const));
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

/**
 * The department's row once per year of its summary rows (once, with a null year, if it has none;
 * no row for an unknown id): its header and its years in one round trip.
 */
const departmentYears = prepared((db, a: { departmentId: number }) =>
  withAggregates(db)
    .selectFrom("departments")
    .leftJoin("report_agg", "report_agg.department_id", "departments.id")
    .select([
      "departments.id",
      "departments.name",
      "departments.normalized_name",
      "departments.region",
      "report_agg.year",
      sql<number | null>`sum(report_agg.reports)`.as("reports"),
    ])
    .where("departments.id", "=", a.departmentId)
    .groupBy(groupKeys(db, ["report_agg.year"], ["departments.id"]))
    .orderBy("report_agg.year"),
);

/** A department's header facts, or null for an unknown id. */
export async function getDepartment(db: DB, params: { departmentId: number }): Promise<DepartmentInfo | null> {
  const rows = await departmentYears(db, { departmentId: params.departmentId });
  if (rows.length === 0) return null;
  const d = rows[0];
  // a summary row can be left at zero reports when its reports are deleted
  const years = rows.filter((y) => y.year !== null && y.reports !== null && y.reports > 0);
  return {
    id: d.id,
    name: d.name,
    normalizedName: d.normalized_name,
    region: d.region,
    reports: years.reduce((s, y) => s + y.reports!, 0),
    years: years.filter((y) => y.year !== 0).map((y) => y.year!),
  };
}

export interface DepartmentReportsParams extends FilterParams {
  departmentId: number;
  /** default 500, at most 5000 */
  limit?: number;
  offset?: number;
}

function departmentReportsWhere(db: DB, a: { departmentId: number; filter?: ReportFilter }) {
  return db.selectFrom("reports").where("reports.department_id", "=", a.departmentId).where(filterWhere(a.filter, "reports"));
}

const departmentReportCount = prepared((db, a: { departmentId: number; filter?: ReportFilter }) =>
  departmentReportsWhere(db, a).select(sql<number>`count(*)`.as("n")),
);

const departmentReportPage = prepared((db, a: { departmentId: number; filter?: ReportFilter; limit: number; offset: number }) =>
  departmentReportsWhere(db, a)
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
    .limit(a.limit)
    .offset(a.offset),
);

/** A department's reports under the filter, newest year first (paged: `total` counts them all). */
export async function getDepartmentReports(db: DB, params: DepartmentReportsParams): Promise<DepartmentReports> {
  const page = { departmentId: params.departmentId, filter: params.filter };
  const [total] = await departmentReportCount(db, page);
  const rows = await departmentReportPage(db, {
    ...page,
    limit: Math.max(1, Math.min(params.limit ?? 500, 5000)),
    offset: Math.max(0, params.offset ?? 0),
  });
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
