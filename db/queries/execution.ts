import { sql } from "kysely";
import type { DB } from "../connection";
import { departmentNames, filterWhere, NO_DEPARTMENT, NO_REGION, NO_YEAR, withAggregates, executionSums } from "./filter";
import { fenToWan, fenToWanOrNull, percent, thresholdX100, x100OrNull, zhOrder } from "./numbers";
import { prepared } from "./prepared";
import type { ExecutionRow, FilterParams, GradeBand, ProjectExecution, ReportFilter, ThresholdParams } from "./types";

type Dimension = "department" | "region" | "year";

interface Sums {
  reports: number;
  budget: string;
  spent: string;
  paired: number;
  pairedBudget: string;
  pairedSpent: string;
}

/**
 * Reports below each threshold, per (department, year, region): grouping by a prefix of the
 * covering index's key needs no sort; the caller folds the rows onto the dimension it shows.
 */
const thresholdCounts = prepared((db, a: { lowX100: number; midX100: number; filter?: ReportFilter }) =>
  db
    .selectFrom("reports")
    .select([
      sql<number>`coalesce(reports.department_id, 0)`.as("departmentId"),
      sql<number>`coalesce(reports.year, 0)`.as("year"),
      sql<string>`coalesce(reports.region, '')`.as("region"),
      // rate < t  ⇔  spent × 10000 < t_x100 × budget: exact in integers
      sql<number>`sum(reports.spent_fen * 10000 < ${a.lowX100} * reports.budget_basis_fen)`.as("belowLow"),
      sql<number>`sum(reports.spent_fen * 10000 < ${a.midX100} * reports.budget_basis_fen)`.as("belowMid"),
    ])
    .where("reports.budget_basis_fen", ">", 0)
    .where("reports.spent_fen", "is not", null)
    .where(filterWhere(a.filter, "reports"))
    .groupBy(["reports.department_id", "reports.year", "reports.region"]),
);

/** Execution sums per value of one report_agg column, with the reports below the default thresholds (counted on write). */
function executionSumsBy(column: "report_agg.department_id" | "report_agg.region" | "report_agg.year") {
  return prepared((db, a: { filter?: ReportFilter }) =>
    withAggregates(db)
      .selectFrom("report_agg")
      .select([
        sql<string>`CAST(${sql.ref(column)} AS TEXT)`.as("key"),
        ...executionSums(),
        sql<number>`sum(report_agg.below60)`.as("below60"),
        sql<number>`sum(report_agg.below80)`.as("below80"),
      ])
      .where(filterWhere(a.filter, "report_agg"))
      .groupBy(sql.ref(column))
      .having(sql<boolean>`sum(report_agg.reports) > 0`),
  );
}

const EXECUTION_SUMS_BY: Record<Dimension, ReturnType<typeof executionSumsBy>> = {
  department: executionSumsBy("report_agg.department_id"),
  region: executionSumsBy("report_agg.region"),
  year: executionSumsBy("report_agg.year"),
};

async function executionBy(db: DB, dim: Dimension, params: ThresholdParams): Promise<ExecutionRow[]> {
  const rows = await EXECUTION_SUMS_BY[dim](db, { filter: params.filter });
  const below = new Map<string, { low: number; mid: number }>();
  const low = thresholdX100(params.lowThreshold ?? 60);
  const mid = thresholdX100(params.midThreshold ?? 80);
  const counted = new Map<number, "below60" | "below80">([
    [6000, "below60"],
    [8000, "below80"],
  ]);
  // the default thresholds are counted on write; any other needs a pass over the reports
  const scanned = !counted.has(low) || !counted.has(mid) ? await thresholdCounts(db, { lowX100: low, midX100: mid, filter: params.filter }) : [];
  for (const t of scanned) {
    const key = dim === "department" ? String(t.departmentId) : dim === "region" ? t.region : String(t.year);
    const b = below.get(key) ?? { low: 0, mid: 0 };
    b.low += t.belowLow;
    b.mid += t.belowMid;
    below.set(key, b);
  }
  const names = dim === "department" ? await departmentNames(db) : new Map<number, string>();
  const out = rows.map((r: Sums & { key: string; below60: number; below80: number }) => {
    const label =
      dim === "department" ? (names.get(Number(r.key)) ?? NO_DEPARTMENT) : dim === "region" ? r.key || NO_REGION : r.key === "0" ? NO_YEAR : r.key;
    const row: ExecutionRow = {
      key: r.key,
      label,
      reports: r.reports,
      budget: fenToWan(r.budget),
      spent: fenToWan(r.spent),
      executionRate: r.paired > 0 ? percent(r.pairedSpent, r.pairedBudget) : null,
      rateReports: r.paired,
      belowLow: counted.has(low) ? r[counted.get(low)!] : (below.get(r.key)?.low ?? 0),
      belowMid: counted.has(mid) ? r[counted.get(mid)!] : (below.get(r.key)?.mid ?? 0),
    };
    if (dim === "department" && r.key !== "0") row.departmentId = Number(r.key);
    return row;
  });
  if (dim === "year") return out.sort((x, y) => Number(x.key) - Number(y.key));
  const order = zhOrder(out.map((r) => r.label));
  return out.sort((x, y) => order.get(x.label)! - order.get(y.label)! || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** Budget, spent and Σspent ÷ Σbudget per department, with how many reports fall below each threshold. */
export function getExecutionByDepartment(db: DB, params: ThresholdParams = {}): Promise<ExecutionRow[]> {
  return executionBy(db, "department", params);
}

export function getExecutionByRegion(db: DB, params: ThresholdParams = {}): Promise<ExecutionRow[]> {
  return executionBy(db, "region", params);
}

/** Ascending by year. */
export function getExecutionByYear(db: DB, params: ThresholdParams = {}): Promise<ExecutionRow[]> {
  return executionBy(db, "year", params);
}

export interface LowestExecutionParams extends FilterParams {
  /** default 20, at most 1000 */
  limit?: number;
}

const lowestRates = prepared((db, a: { filter?: ReportFilter; limit: number }) =>
  db
    .selectFrom("reports")
    .leftJoin("departments", "departments.id", "reports.department_id")
    .select([
      "reports.id",
      "reports.department_id",
      "departments.name as department",
      "reports.project_name",
      "reports.title",
      "reports.year",
      "reports.budget_basis_fen",
      "reports.spent_fen",
      "reports.score_total_x100",
      "reports.grade",
    ])
    .where("reports.budget_basis_fen", ">", 0)
    .where("reports.spent_fen", "is not", null)
    .where(filterWhere(a.filter, "reports"))
    // the very expression of reports_rate_idx, so that ORDER BY … LIMIT walks the index
    .orderBy(sql`(CAST(spent_fen AS REAL) / budget_basis_fen)`)
    .orderBy("reports.id")
    .limit(a.limit),
);

/** Reports with the lowest execution rate (those stating a positive budget and a spend), lowest first. */
export async function getLowestExecutionProjects(db: DB, params: LowestExecutionParams = {}): Promise<ProjectExecution[]> {
  const rows = await lowestRates(db, { filter: params.filter, limit: Math.max(1, Math.min(params.limit ?? 20, 1000)) });
  return rows.map((r) => ({
    reportId: r.id,
    departmentId: r.department_id,
    department: r.department,
    projectName: r.project_name ?? r.title,
    year: r.year,
    budget: fenToWanOrNull(r.budget_basis_fen),
    spent: fenToWanOrNull(r.spent_fen),
    executionRate: percent(r.spent_fen, r.budget_basis_fen),
    score: x100OrNull(r.score_total_x100),
    grade: r.grade as GradeBand | null,
  }));
}
