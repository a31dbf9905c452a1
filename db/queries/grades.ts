import { sql } from "kysely";
import type { DB } from "../connection";
import { departmentNames, summarySource, NO_DEPARTMENT, NO_YEAR, withAggregates } from "./filter";
import { pointCounts, scoreCounts } from "./scoreDistribution";
import type { FilterParams, GradeCountRow, HistogramBin } from "./types";

export interface GradeCountParams extends FilterParams {
  by: "department" | "year";
}

/** 优/良/中/差 counts (and reports without a score) per department or per year. */
export async function getGradeCounts(db: DB, params: GradeCountParams): Promise<GradeCountRow[]> {
  const column = params.by === "department" ? "report_agg.department_id" : "report_agg.year";
  const source = summarySource("report_agg", params.filter, [params.by === "department" ? "department_id" : "year"]);
  const rows = await withAggregates(db)
    .selectFrom(source.from)
    .select([
      sql<number>`${sql.ref(column)}`.as("key"),
      sql<number>`sum(report_agg.reports)`.as("reports"),
      sql<number>`sum(report_agg.grade_a)`.as("a"),
      sql<number>`sum(report_agg.grade_b)`.as("b"),
      sql<number>`sum(report_agg.grade_c)`.as("c"),
      sql<number>`sum(report_agg.grade_d)`.as("d"),
      sql<number>`sum(report_agg.grade_none)`.as("none"),
    ])
    .where(source.where)
    .groupBy(sql.ref(column))
    .having(sql<boolean>`sum(report_agg.reports) > 0`)
    .orderBy(sql.ref(column))
    .execute();
  const names = params.by === "department" ? await departmentNames(db) : new Map<number, string>();
  return rows.map((r) => {
    const row: GradeCountRow = {
      key: String(r.key),
      label: params.by === "department" ? (names.get(r.key) ?? NO_DEPARTMENT) : r.key === 0 ? NO_YEAR : String(r.key),
      reports: r.reports,
      grades: { 优: r.a, 良: r.b, 中: r.c, 差: r.d, none: r.none },
    };
    if (params.by === "department" && r.key !== 0) row.departmentId = r.key;
    if (params.by === "year" && r.key !== 0) row.year = r.key;
    return row;
  });
}

export interface HistogramParams extends FilterParams {
  /** ascending bin edges in points; default 0, 5, …, 100 */
  edges?: number[];
}

/**
 * Reports per score bin [from, to); the last bin also holds its upper edge (a score of 100), and
 * scores outside the edges go to the nearest end bin so that every scored report is counted.
 */
export async function getScoreHistogram(db: DB, params: HistogramParams = {}): Promise<HistogramBin[]> {
  const edges = params.edges ?? Array.from({ length: 21 }, (_, i) => i * 5);
  if (edges.length < 2 || edges.some((e, i) => i > 0 && e <= edges[i - 1])) throw new RangeError("histogram edges must ascend");
  const bins: HistogramBin[] = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1], count: 0 }));
  const edgesX100 = edges.map((e) => Math.round(e * 100));
  const add = (scoreX100: number, reports: number) => {
    let i = bins.findIndex((_, j) => scoreX100 < edgesX100[j + 1]);
    if (i < 0) i = bins.length - 1;
    bins[i].count += reports;
  };
  if (edges.every(Number.isInteger)) {
    // with whole-point edges every score of a point falls in one bin: the per-point counts suffice
    for (const c of await pointCounts(db, params.filter)) add(c.point * 100, c.reports);
  } else {
    for (const c of await scoreCounts(db, params.filter)) add(c.scoreX100, c.reports);
  }
  return bins;
}
