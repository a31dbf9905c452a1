import { sql, type Kysely, type RawBuilder, type SqlBool } from "kysely";
import type { DB } from "../connection";
import { prepared } from "./prepared";
import type { ReportFilter } from "./types";

/**
 * Tables that carry the five filter dimensions. The aggregate tables store "not stated" as 0 / '';
 * a user's filter value is never one of those, so the same predicate works on both.
 */
export type DimTable =
  | "reports"
  | "report_agg"
  | "score_agg"
  | "rate_agg"
  | "indicator_agg"
  | "cause_agg"
  | "category_agg"
  | "finding_agg"
  | "line_item_agg";

/** The report filter as one SQL predicate over `table`'s dimension columns (bound parameters only). */
export function filterWhere(filter: ReportFilter | undefined, table: DimTable): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const add = (c: string, values: readonly (string | number)[] | undefined) => {
    if (values && values.length > 0) parts.push(sql`${col(c)} IN (${sql.join(values.map((v) => sql`${v}`))})`);
  };
  add("year", filter?.years);
  add("region", filter?.regions);
  add("department_id", filter?.departmentIds);
  add("evaluation_type", filter?.evaluationTypes);
  add("kind", filter?.kinds);
  if (parts.length === 0) return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

/** The report dimensions a summary question can group by. */
export type Dim = "department_id" | "year" | "region" | "evaluation_type" | "kind";

type Summary = Exclude<DimTable, "reports">;

const ROLLUP_OF: Record<Summary, keyof RollupTables> = {
  report_agg: "report_rollup",
  score_agg: "score_rollup",
  rate_agg: "rate_rollup",
  indicator_agg: "indicator_rollup",
  cause_agg: "cause_rollup",
  category_agg: "category_rollup",
  finding_agg: "finding_rollup",
  line_item_agg: "line_item_rollup",
};

/**
 * Where a summary question reads, and the predicate that selects its rows: the rollup
 * (db/migrations/2026-12-07T03-00_rollups.ts) at the coarsest grain that still has every dimension
 * the question filters or groups by, else the summary table with all five. The rollup is read under
 * the summary table's name, so a query's column references are the same on either.
 *
 * `groupedBy` must name every dimension the query reads from the rows (GROUP BY, SELECT, ORDER BY):
 * a rollup row says -1 for the dimensions it has summed away.
 */
export function summarySource<T extends Summary>(
  table: T,
  filter: ReportFilter | undefined,
  groupedBy: readonly Dim[] = [],
): { from: T; where: RawBuilder<SqlBool> } {
  const has = (d: Dim, values: readonly unknown[] | undefined) => groupedBy.includes(d) || (values?.length ?? 0) > 0;
  const fine = has("region", filter?.regions) || has("evaluation_type", filter?.evaluationTypes) || has("kind", filter?.kinds);
  if (fine) return { from: table, where: filterWhere(filter, table) };
  const byDepartment = has("department_id", filter?.departmentIds);
  const byYear = has("year", filter?.years);
  const grain = (byDepartment ? 1 : 0) + (byYear ? 2 : 0);
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const parts: RawBuilder<unknown>[] = [sql`${col("grain")} = ${sql.lit(grain)}`];
  // the summed-away dimensions are -1: stating them keeps the read a primary-key range
  const dim = (c: string, on: boolean, values: readonly number[] | undefined) => {
    if (!on) parts.push(sql`${col(c)} = -1`);
    else if (values && values.length > 0) parts.push(sql`${col(c)} IN (${sql.join(values.map((v) => sql`${v}`))})`);
  };
  dim("department_id", byDepartment, filter?.departmentIds);
  dim("year", byYear, filter?.years);
  // "rollup as summary": typed as the summary table, whose columns the rollup has but for the three it sums away
  return { from: `${ROLLUP_OF[table]} as ${table}` as T, where: sql<SqlBool>`(${sql.join(parts, sql` AND `)})` };
}

/** Columns of the pre-aggregated tables (see db/migrations/2026-11-23T03-30_analytics.ts). */
interface Dims {
  department_id: number;
  year: number;
  region: string;
  evaluation_type: string;
  kind: string;
}

export type AggTables = {
  report_agg: Dims & {
    reports: number;
    budget_reports: number;
    budget_fen: number;
    spent_reports: number;
    spent_fen: number;
    paired_reports: number;
    paired_budget_fen: number;
    paired_spent_fen: number;
    paired_adjusted: number;
    paired_initial: number;
    scored: number;
    score_sum_x100: number;
    grade_a: number;
    grade_b: number;
    grade_c: number;
    grade_d: number;
    grade_none: number;
    with_findings: number;
    findings: number;
    errors: number;
    warnings: number;
    rated: number;
    below60: number;
    below80: number;
    scored_rated: number;
    flagged60: number;
  };
  score_agg: Dims & { score_point: number; reports: number };
  /** reports per whole point of execution rate (db/migrations/2026-11-23T07-00_rate_points.ts) */
  rate_agg: Dims & { rate_point: number; reports: number };
  indicator_agg: Dims & { indicator_type: string; normalized_name: string; indicators: number; judged: number; unmet: number };
  cause_agg: Dims & { indicator_type: string; cause: string; unmet: number; with_reason: number };
  category_agg: Dims & { category: string; categories: number; scored: number; weight_x100: number; score_x100: number };
  finding_agg: Dims & { code: string; severity: string; findings: number };
  line_item_agg: Dims & {
    items: number;
    planned_fen: number;
    allocated_items: number;
    allocated_fen: number;
    spent_fen: number;
    not_allocated_items: number;
    not_allocated_fen: number;
  };
};

type Rollup<T> = Omit<T, "region" | "evaluation_type" | "kind"> & { grain: number };

/** The rollups of the summary tables (db/migrations/2026-12-07T03-00_rollups.ts). */
export type RollupTables = {
  report_rollup: Rollup<AggTables["report_agg"]>;
  score_rollup: Rollup<AggTables["score_agg"]>;
  rate_rollup: Rollup<AggTables["rate_agg"]>;
  indicator_rollup: Rollup<AggTables["indicator_agg"]>;
  cause_rollup: Rollup<AggTables["cause_agg"]>;
  category_rollup: Rollup<AggTables["category_agg"]>;
  finding_rollup: Rollup<AggTables["finding_agg"]>;
  line_item_rollup: Rollup<AggTables["line_item_agg"]>;
};

export type AnalyticsDB = Kysely<import("../schema").Database & AggTables & RollupTables>;

export function withAggregates(db: DB): AnalyticsDB {
  return db.withTables<AggTables & RollupTables>();
}

/** SUM of an integer column as exact text: SQLite sums integers exactly, JS numbers would not past 2^53. */
export function sumText(column: string): RawBuilder<string> {
  return sql<string>`CAST(coalesce(sum(${sql.ref(column)}), 0) AS TEXT)`;
}

/**
 * What every execution figure sums over report_agg rows. A group's rate is pairedSpent ÷ pairedBudget
 * (reports that state both); budget and spent cover every report that states each.
 */
export function executionSums() {
  return [
    sql<number>`sum(report_agg.reports)`.as("reports"),
    sql<string>`CAST(sum(report_agg.budget_fen) AS TEXT)`.as("budget"),
    sql<string>`CAST(sum(report_agg.spent_fen) AS TEXT)`.as("spent"),
    sql<number>`sum(report_agg.paired_reports)`.as("paired"),
    sql<string>`CAST(sum(report_agg.paired_budget_fen) AS TEXT)`.as("pairedBudget"),
    sql<string>`CAST(sum(report_agg.paired_spent_fen) AS TEXT)`.as("pairedSpent"),
  ] as const;
}

/** Scored reports, their score sum (hundredths) and the grade counts over report_agg rows. */
export function scoreSums() {
  return [
    sql<number>`sum(report_agg.scored)`.as("scored"),
    sql<string>`CAST(sum(report_agg.score_sum_x100) AS TEXT)`.as("scoreSum"),
    sql<number>`sum(report_agg.grade_a)`.as("a"),
    sql<number>`sum(report_agg.grade_b)`.as("b"),
    sql<number>`sum(report_agg.grade_c)`.as("c"),
    sql<number>`sum(report_agg.grade_d)`.as("d"),
    sql<number>`sum(report_agg.grade_none)`.as("none"),
  ] as const;
}

export const NO_REGION = "未注明地区";
export const NO_DEPARTMENT = "未注明部门";
export const NO_YEAR = "未注明年度";

/**
 * id → name of every department. Most grouped queries look names up here after aggregating rather
 * than joining departments into every aggregate row; where the join measured cheaper (the line-item
 * summary, whose rows are few), the query joins instead.
 */
export async function departmentNames(db: DB): Promise<Map<number, string>> {
  const rows = await allDepartmentNames(db, {});
  return new Map(rows.map((r) => [r.id, r.name] as const));
}

const allDepartmentNames = prepared((db) => db.selectFrom("departments").select(["id", "name"]));
