import { sql } from "kysely";
import { executionRateExpr, smallerOf } from "../dialect";
import type { DB } from "../connection";
import { departmentNames, filterWhere, NO_DEPARTMENT, NO_REGION, NO_YEAR, summarySource, withAggregates, executionSums, type Dim } from "./filter";
import { averageX100, fenToWan, fenToWanOrNull, percent, thresholdX100, x100OrNull, zhOrder } from "./numbers";
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

/** Every rate of this many percent or more shares the last rate point (see the rate_points migration). */
const LAST_RATE_POINT = 150;

type DimensionColumn = "department_id" | "region" | "year";

/**
 * Reports whose rate point lies below each threshold's, per value of one column: every report there
 * executes below the threshold. Any threshold is answered from rate_agg without reading a report.
 */
function belowByRatePoints(column: DimensionColumn) {
  return prepared((db, a: { lowPoint: number; midPoint: number; filter?: ReportFilter }) => {
    const source = summarySource("rate_agg", a.filter, [column]);
    return withAggregates(db)
      .selectFrom(source.from)
      .select([
        sql<string>`CAST(${sql.ref(`rate_agg.${column}`)} AS TEXT)`.as("key"),
        sql<number>`coalesce(sum(CASE WHEN rate_agg.rate_point < ${a.lowPoint} THEN rate_agg.reports END), 0)`.as("belowLow"),
        sql<number>`coalesce(sum(CASE WHEN rate_agg.rate_point < ${a.midPoint} THEN rate_agg.reports END), 0)`.as("belowMid"),
      ])
      .where(source.where)
      .groupBy(sql.ref(`rate_agg.${column}`));
  });
}

/**
 * The reports of one rate point that execute below a threshold inside it (72.5 % in the point 72):
 * the exact comparison, for the few reports of that point only. The range on the rate expression
 * lets SQLite walk reports_rate_idx; it is a little wider than the point so that float rounding
 * cannot drop a report, and the integer tests decide.
 */
function belowWithinPoint(column: DimensionColumn) {
  return prepared((db, a: { point: number; fromRate: number; toRate: number; thresholdX100: number; filter?: ReportFilter }) =>
    db
      .selectFrom("reports")
      .select([
        sql<string>`CAST(coalesce(reports.${sql.raw(column)}, ${column === "region" ? "''" : "0"}) AS TEXT)`.as("key"),
        sql<number>`count(*)`.as("below"),
      ])
      .where("budget_basis_fen", ">", 0)
      .where("spent_fen", "is not", null)
      .where(sql<boolean>`${executionRateExpr(db)} >= ${a.fromRate}`)
      .where(sql<boolean>`${executionRateExpr(db)} < ${a.toRate}`)
      // the rate point as the rate_points migration defines it
      .where(sql<boolean>`(CASE WHEN spent_fen < 0 THEN -1 ELSE ${smallerOf(db, sql`spent_fen * 100 / budget_basis_fen`, LAST_RATE_POINT)} END) = ${a.point}`)
      // rate < t  ⇔  spent × 10000 < t_x100 × budget: exact in integers
      .where(sql<boolean>`spent_fen * 10000 < ${a.thresholdX100} * budget_basis_fen`)
      .where(filterWhere(a.filter, "reports"))
      .groupBy(sql.ref(`reports.${column}`)),
  );
}

const BELOW_BY_RATE_POINTS: Record<Dimension, ReturnType<typeof belowByRatePoints>> = {
  department: belowByRatePoints("department_id"),
  region: belowByRatePoints("region"),
  year: belowByRatePoints("year"),
};
const BELOW_WITHIN_POINT: Record<Dimension, ReturnType<typeof belowWithinPoint>> = {
  department: belowWithinPoint("department_id"),
  region: belowWithinPoint("region"),
  year: belowWithinPoint("year"),
};

/** Reports executing below each of two thresholds (hundredths of a percent), per value of the dimension. */
async function belowThresholds(db: DB, dim: Dimension, params: { lowX100: number; midX100: number; filter?: ReportFilter }) {
  const pointOf = (tX100: number) => Math.min(Math.floor(tX100 / 100), LAST_RATE_POINT);
  const below = new Map<string, { low: number; mid: number }>();
  const entry = (key: string) => {
    let b = below.get(key);
    if (!b) below.set(key, (b = { low: 0, mid: 0 }));
    return b;
  };
  const whole = await BELOW_BY_RATE_POINTS[dim](db, { lowPoint: pointOf(params.lowX100), midPoint: pointOf(params.midX100), filter: params.filter });
  for (const r of whole) Object.assign(entry(r.key), { low: r.belowLow, mid: r.belowMid });
  for (const [which, tX100] of [["low", params.lowX100], ["mid", params.midX100]] as const) {
    const point = pointOf(tX100);
    // a whole-percent threshold below the last point splits no point: nothing to compare
    if (tX100 % 100 === 0 && point < LAST_RATE_POINT) continue;
    const margin = 1e-9;
    const toRate = point >= LAST_RATE_POINT ? Number.MAX_VALUE : (point + 1) / 100 + margin;
    const partial = await BELOW_WITHIN_POINT[dim](db, { point, fromRate: point / 100 - margin, toRate, thresholdX100: tX100, filter: params.filter });
    for (const r of partial) entry(r.key)[which] += r.below;
  }
  return below;
}

/** Execution sums per value of one report_agg column, with the reports below the default thresholds (counted on write). */
function executionSumsBy(column: "report_agg.department_id" | "report_agg.region" | "report_agg.year") {
  const dim = column.slice("report_agg.".length) as Dim;
  return prepared((db, a: { filter?: ReportFilter }) => {
    const source = summarySource("report_agg", a.filter, [dim]);
    return withAggregates(db)
      .selectFrom(source.from)
      .select([
        sql<string>`CAST(${sql.ref(column)} AS TEXT)`.as("key"),
        ...executionSums(),
        sql<number>`sum(report_agg.below60)`.as("below60"),
        sql<number>`sum(report_agg.below80)`.as("below80"),
        sql<number>`sum(report_agg.scored)`.as("scored"),
        sql<string>`CAST(sum(report_agg.score_sum_x100) AS TEXT)`.as("scoreSum"),
      ])
      .where(source.where)
      .groupBy(sql.ref(column))
      .having(sql<boolean>`sum(report_agg.reports) > 0`);
  });
}

const EXECUTION_SUMS_BY: Record<Dimension, ReturnType<typeof executionSumsBy>> = {
  department: executionSumsBy("report_agg.department_id"),
  region: executionSumsBy("report_agg.region"),
  year: executionSumsBy("report_agg.year"),
};

async function executionBy(db: DB, dim: Dimension, params: ThresholdParams): Promise<ExecutionRow[]> {
  const rows = await EXECUTION_SUMS_BY[dim](db, { filter: params.filter });
  const low = thresholdX100(params.lowThreshold ?? 60);
  const mid = thresholdX100(params.midThreshold ?? 80);
  const counted = new Map<number, "below60" | "below80">([
    [6000, "below60"],
    [8000, "below80"],
  ]);
  // the default thresholds are counted in report_agg; any other comes from the rate points
  const below = !counted.has(low) || !counted.has(mid) ? await belowThresholds(db, dim, { lowX100: low, midX100: mid, filter: params.filter }) : new Map();
  const names = dim === "department" ? await departmentNames(db) : new Map<number, string>();
  const out = rows.map((r: Sums & { key: string; below60: number; below80: number; scored: number; scoreSum: string }) => {
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
      averageScore: averageX100(r.scoreSum, r.scored),
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
    .orderBy(executionRateExpr(db))
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
