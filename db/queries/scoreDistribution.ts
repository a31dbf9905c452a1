import { sql } from "kysely";
import type { DB } from "../connection";
import { Dec } from "./numbers";
import { filterWhere, summarySource, withAggregates } from "./filter";
import { prepared } from "./prepared";
import type { ReportFilter } from "./types";

/** Reports per whole score point (⌊score⌋), ascending: from the score_agg table kept on write. */
export type PointCounts = { point: number; reports: number }[];

export function pointCounts(db: DB, filter: ReportFilter | undefined): Promise<PointCounts> {
  return reportsPerPoint(db, { filter });
}

const reportsPerPoint = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("score_agg", a.filter);
  return withAggregates(db)
    .selectFrom(source.from)
    .select(["score_agg.score_point as point", sql<number>`sum(score_agg.reports)`.as("reports")])
    .where(source.where)
    .groupBy("score_agg.score_point")
    .having(sql<boolean>`sum(score_agg.reports) > 0`)
    .orderBy("score_agg.score_point");
});

/** Distinct exact scores (hundredths) with their report counts, ascending: one pass over the score index. */
export function scoreCounts(db: DB, filter: ReportFilter | undefined): Promise<{ scoreX100: number; reports: number }[]> {
  return reportsPerScore(db, { filter });
}

const reportsPerScore = prepared((db, a: { filter?: ReportFilter }) =>
  db
    .selectFrom("reports")
    .select([sql<number>`reports.score_total_x100`.as("scoreX100"), sql<number>`count(*)`.as("reports")])
    .where("reports.score_total_x100", "is not", null)
    .where(filterWhere(a.filter, "reports"))
    .groupBy("reports.score_total_x100")
    .orderBy("reports.score_total_x100"),
);

/** The `offset`-th smallest score (0-based) in [fromX100, belowX100), in hundredths. */
const scoreAtRank = prepared((db, a: { fromX100: number; belowX100: number; offset: number; filter?: ReportFilter }) =>
  db
    .selectFrom("reports")
    .select("reports.score_total_x100 as s")
    .where("reports.score_total_x100", ">=", a.fromX100)
    .where("reports.score_total_x100", "<", a.belowX100)
    .where(filterWhere(a.filter, "reports"))
    .orderBy("reports.score_total_x100")
    .limit(1)
    .offset(a.offset),
);

/**
 * The k-th smallest score (0-based) in hundredths: the point counts say which whole point holds it
 * and at what offset, and the score index gives that one report — a read of a few hundred index
 * entries instead of a pass over every report.
 */
async function nth(db: DB, filter: ReportFilter | undefined, counts: PointCounts, k: number): Promise<number> {
  let seen = 0;
  for (const c of counts) {
    if (k < seen + c.reports) {
      const [row] = await scoreAtRank(db, { fromX100: c.point * 100, belowX100: (c.point + 1) * 100, offset: k - seen, filter });
      if (!row) throw new RangeError("rank beyond the data");
      return row.s as number;
    }
    seen += c.reports;
  }
  throw new RangeError("rank beyond the data");
}

/** Median of the scores, two places half-up (the mean of the two middle values for an even count). */
export async function medianScore(db: DB, filter: ReportFilter | undefined, counts: PointCounts): Promise<string | null> {
  const n = counts.reduce((s, c) => s + c.reports, 0);
  if (n === 0) return null;
  const lo = await nth(db, filter, counts, Math.floor((n - 1) / 2));
  const hi = n % 2 === 1 ? lo : await nth(db, filter, counts, Math.floor(n / 2));
  return new Dec(lo).plus(hi).div(200).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2);
}
