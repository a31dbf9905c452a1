import { sql } from "kysely";
import type { DB } from "../connection";
import { dialectOf } from "../dialect";
import { CAUSE_LABELS, CAUSE_ORDER } from "./causes";
import { prepared } from "./prepared";
import { departmentNames, filterWhere, summarySource, NO_DEPARTMENT, withAggregates } from "./filter";
import { percent, compareZh } from "./numbers";
import type { CauseClass, DeviationCauseRow, FilterParams, ReportFilter, UnmetIndicatorRow } from "./types";

export interface UnmetIndicatorParams extends FilterParams {
  by: "type" | "name" | "department";
  /** rows returned, most unmet first (default: all for type and department, 20 for name) */
  limit?: number;
}

const TYPE_ORDER = ["数量", "质量", "时效", "成本", "效益", "满意度", "其他"];

/**
 * Unmet performance targets grouped by indicator type, by normalised name (the most missed first)
 * or by department; `unmetShare` is unmet ÷ indicators whose outcome is known.
 */
export async function getUnmetIndicators(db: DB, params: UnmetIndicatorParams): Promise<UnmetIndicatorRow[]> {
  const column =
    params.by === "type" ? "indicator_agg.indicator_type" : params.by === "name" ? "indicator_agg.normalized_name" : "indicator_agg.department_id";
  const source = summarySource("indicator_agg", params.filter, params.by === "department" ? ["department_id"] : []);
  let q = withAggregates(db)
    .selectFrom(source.from)
    .select([
      sql<string>`CAST(${sql.ref(column)} AS TEXT)`.as("key"),
      sql<number>`sum(indicator_agg.indicators)`.as("indicators"),
      sql<number>`sum(indicator_agg.judged)`.as("judged"),
      sql<number>`sum(indicator_agg.unmet)`.as("unmet"),
    ])
    .where(source.where)
    .groupBy(sql.ref(column))
    .having(sql<boolean>`sum(indicator_agg.indicators) > 0`);
  if (params.by === "name") {
    q = q.having(sql<boolean>`sum(indicator_agg.unmet) > 0`).orderBy(sql`sum(indicator_agg.unmet)`, "desc").orderBy(sql.ref(column));
  }
  const limit = params.limit ?? (params.by === "name" ? 20 : undefined);
  if (limit !== undefined) q = q.limit(Math.max(1, Math.min(limit, 10_000)));
  const rows = await q.execute();
  const names = params.by === "department" ? await departmentNames(db) : new Map<number, string>();
  const out = rows.map((r) => {
    const row: UnmetIndicatorRow = {
      key: r.key,
      label: params.by === "department" ? (names.get(Number(r.key)) ?? NO_DEPARTMENT) : r.key,
      indicators: r.indicators,
      judged: r.judged,
      unmet: r.unmet,
      unmetShare: percent(r.unmet, r.judged),
    };
    if (params.by === "department" && r.key !== "0") row.departmentId = Number(r.key);
    return row;
  });
  if (params.by === "type") {
    const rank = (k: string) => (TYPE_ORDER.indexOf(k) + TYPE_ORDER.length + 1) % (TYPE_ORDER.length + 1);
    out.sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
  }
  if (params.by === "department") out.sort((a, b) => b.unmet - a.unmet || compareZh(a.label, b.label));
  return out;
}

export interface DeviationCauseParams extends FilterParams {
  /** examples per cause (default 3, at most 50) */
  examples?: number;
}

/** Unmet indicators per deviation-cause class, each with its most recent example reasons. */
export async function getDeviationCauses(db: DB, params: DeviationCauseParams = {}): Promise<DeviationCauseRow[]> {
  const perCause = Math.max(0, Math.min(params.examples ?? 3, 50));
  const source = summarySource("cause_agg", params.filter);
  const counts = await withAggregates(db)
    .selectFrom(source.from)
    .select([
      "cause_agg.cause",
      sql<number>`sum(cause_agg.unmet)`.as("unmet"),
      sql<number>`sum(cause_agg.with_reason)`.as("withReason"),
    ])
    .where(source.where)
    .groupBy("cause_agg.cause")
    .having(sql<boolean>`sum(cause_agg.unmet) > 0`)
    .execute();
  const out: DeviationCauseRow[] = [];
  // "" gathers unmet indicators the loader found no reason to classify: nothing to quote
  const quoted = counts.map((c) => c.cause).filter((c) => c !== "");
  const together = perCause > 0 && quoted.length > 0 && dialectOf(db) === "postgres" && params.filter?.departmentIds?.length === 1;
  const examplesByCause = together ? await oneDepartmentsExamples(db, { causes: quoted, filter: params.filter, limit: perCause }) : undefined;
  for (const c of counts) {
    const cause = c.cause as CauseClass | "";
    let examples: Awaited<ReturnType<typeof causeExamples>> = [];
    if (perCause > 0 && cause !== "") {
      examples = examplesByCause ? (examplesByCause.get(cause) ?? []) : await causeExamples(db, { cause, filter: params.filter, limit: perCause });
    }
    out.push({
      cause,
      label: CAUSE_LABELS[cause] ?? cause,
      unmet: c.unmet,
      withReason: c.withReason,
      examples: examples.map((e) => ({ reportId: e.reportId, indicator: e.indicator, reason: e.reason ?? "", department: e.department, year: e.year })),
    });
  }
  const rank = (c: string) => {
    const i = CAUSE_ORDER.indexOf(c as CauseClass | "");
    return i < 0 ? CAUSE_ORDER.length : i;
  };
  return out.sort((a, b) => b.unmet - a.unmet || rank(a.cause) - rank(b.cause));
}

/**
 * The newest unmet indicators of one cause that state a reason. Across all departments the cause's
 * own partial index, newest first, meets examples at once. One department's are a few in every
 * hundred there (200 ms at a million reports), so for one department the walk goes through its
 * reports newest first (reports_department_recent_idx) and their indicators, and stops at the
 * `limit`-th. The order is the same: a report's indicators are written after it, so newer reports
 * hold newer indicators.
 */
const causeExamples = prepared((db, a: { cause: string; filter?: ReportFilter; limit: number }) => {
  const q = quotedUnmet(db, a.filter).where("indicators.cause", "=", a.cause).limit(a.limit);
  // the list's length is the query's shape, never its value
  return a.filter?.departmentIds?.length === 1
    ? q.orderBy("reports.id", "desc").orderBy("indicators.id", "desc")
    : q.orderBy("indicators.cause").orderBy("indicators.met").orderBy("indicators.id", "desc");
});

/** Unmet indicators that state a reason, under the filter, with what an example quotes. */
function quotedUnmet(db: DB, filter: ReportFilter | undefined) {
  return db
    .selectFrom("indicators")
    .innerJoin("reports", "reports.id", "indicators.report_id")
    .leftJoin("departments", "departments.id", "reports.department_id")
    .select([
      "indicators.report_id as reportId",
      "indicators.name as indicator",
      "indicators.deviation_reason as reason",
      "departments.name as department",
      "reports.year",
    ])
    .where("indicators.met", "=", 0)
    .where("indicators.deviation_reason", "is not", null)
    .where("indicators.deviation_reason", "<>", "")
    .where(filterWhere(filter, "reports"));
}

/**
 * PostgreSQL, one department: the newest examples of every cause in one walk of the department's
 * reports. The walk per cause above stops early on SQLite, where a statement costs microseconds;
 * PostgreSQL's planner sorts each cause's matches instead, and seven causes made seven walks
 * (52 ms of a department page's queries at 100k reports). Same order: newest report first, then
 * newest indicator.
 */
const examplesOfCauses = prepared((db, a: { causes: string[]; filter?: ReportFilter; limit: number }) =>
  db
    .selectFrom(() =>
      quotedUnmet(db, a.filter)
        .select([
          "indicators.cause",
          sql<number>`row_number() OVER (PARTITION BY indicators.cause ORDER BY reports.id DESC, indicators.id DESC)`.as("rank"),
        ])
        .where("indicators.cause", "in", a.causes)
        .as("e"),
    )
    .selectAll()
    .where("e.rank", "<=", a.limit)
    .orderBy("e.cause")
    .orderBy("e.rank"),
);

async function oneDepartmentsExamples(db: DB, params: { causes: string[]; filter?: ReportFilter; limit: number }) {
  const byCause = new Map<string, Awaited<ReturnType<typeof causeExamples>>>();
  for (const row of await examplesOfCauses(db, params)) {
    const list = byCause.get(row.cause as string) ?? [];
    list.push(row);
    byCause.set(row.cause as string, list);
  }
  return byCause;
}

export interface UnmetIndicatorListParams extends FilterParams {
  /** indicator type (数量/质量/…) or normalised name to list; one of them */
  type?: string;
  name?: string;
  /** rows returned, most recent reports first (default 200, at most 1,000) */
  limit?: number;
}

export interface UnmetIndicatorItem {
  reportId: number;
  department: string | null;
  year: number | null;
  projectName: string | null;
  indicator: string;
  indicatorType: string;
  target: string | null;
  actual: string | null;
  reason: string | null;
}

/** The drill-down behind a type or name row: each unmet indicator with its report, target, result and reason. */
export async function getUnmetIndicatorList(db: DB, params: UnmetIndicatorListParams): Promise<UnmetIndicatorItem[]> {
  if (params.type === undefined && params.name === undefined) return [];
  let q = db
    .selectFrom("indicators")
    .innerJoin("reports", "reports.id", "indicators.report_id")
    .leftJoin("departments", "departments.id", "reports.department_id")
    .select([
      "indicators.report_id as reportId",
      "departments.name as department",
      "reports.year",
      "reports.project_name as projectName",
      "indicators.name as indicator",
      "indicators.indicator_type as indicatorType",
      "indicators.target_text as target",
      "indicators.actual_text as actual",
      "indicators.deviation_reason as reason",
    ])
    .where("indicators.met", "=", 0)
    .where(filterWhere(params.filter, "reports"));
  if (params.type !== undefined) q = q.where("indicators.indicator_type", "=", params.type);
  if (params.name !== undefined) q = q.where("indicators.normalized_name", "=", params.name);
  return q
    .orderBy("reports.year", "desc")
    .orderBy("indicators.report_id", "desc")
    .orderBy("indicators.position")
    .limit(Math.max(1, Math.min(params.limit ?? 200, 1000)))
    .execute();
}
