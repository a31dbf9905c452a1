import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect";
import * as analytics from "./2026-11-23T03-30_analytics";
import { AGGREGATES } from "./2026-11-23T03-30_analytics";
import * as reportAggregates from "./2026-11-23T06-00_report_aggregates";
import * as ratePoints from "./2026-11-23T07-00_rate_points";
import { RATE_AGG } from "./2026-11-23T07-00_rate_points";

/**
 * Rollups: each summary table gets a companion `<name>_rollup` holding the same measures summed
 * over every report dimension but department and year, at four grains:
 *
 *   grain 0  everything             (department_id = -1, year = -1)
 *   grain 1  by department          (year = -1)
 *   grain 2  by year                (department_id = -1)
 *   grain 3  by department and year
 *
 * At a million reports the summary tables hold 120k rows for indicators and 200k for rate points
 * (five dimensions × indicator names), and a dashboard question summed all of them: 60–105 ms.
 * Most questions are asked of everything, of one department or one year; their rows are now a
 * primary-key range of a few dozen to a few thousand rows. A filter on region, evaluation type or
 * kind still reads the summary tables, which keep all five dimensions.
 *
 * The grain leads the primary key, so one grain's rows are contiguous; -1 stands for "all" and can
 * meet neither a real id/year nor the 0 that means "not stated".
 *
 * From here on the application keeps the summary tables and the rollups (db/queries/aggregates.ts):
 * it adds a report's contribution after writing it and takes it out before deleting or changing it.
 * The delete and update triggers go: they could follow only the summary tables, doubling every
 * statement per row, and PostgreSQL would need them written twice. Every write path goes through
 * db/queries (loader, versions, corrections), and the property test in test/db/rollups.test.ts
 * checks every table against the base rows after random inserts, replacements, deletes and corrections.
 *
 * Constant SQL built from the frozen definitions of the earlier migrations: DDL takes no parameters.
 */

export const GRAINS = [0, 1, 2, 3] as const;

/** The rollup of each summary table, in the order of the definitions. */
export const ROLLUPS = [...AGGREGATES, RATE_AGG].map((a) => ({
  table: `${a.table.replace(/_agg$/, "")}_rollup`,
  source: a.table,
  keys: a.keys.map((k) => ({ name: k.name, type: k.type })),
  measures: a.measures.map((m) => m.name),
}));

const TRIGGERS = [
  ...AGGREGATES.flatMap((a) => [`${a.table}_del`, `${a.table}_upd`, `${a.table}_report_dims`]),
  "rate_agg_del",
  "rate_agg_upd",
];

/** department_id / year of a row at `grain`, from the columns of a five-dimension row `r`. */
export const grainDepartment = (grain: string, department: string) => `CASE WHEN ${grain} IN (1, 3) THEN ${department} ELSE -1 END`;
export const grainYear = (grain: string, year: string) => `CASE WHEN ${grain} IN (2, 3) THEN ${year} ELSE -1 END`;
export const GRAIN_ROWS = GRAINS.map((g) => `SELECT ${g} AS grain`).join(" UNION ALL ");

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  if (!postgres) for (const t of TRIGGERS) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  // Summing a comparison: SQLite's comparisons are integers already; PostgreSQL's are booleans, and
  // one overloaded name lets the same measure definitions read as counts on both.
  // (created by the analytics migration; again here, as it costs nothing and says what the rollups read through)
  if (postgres) await analytics.createAsCount(db);
  const int = postgres ? "BIGINT" : "INTEGER";
  for (const r of ROLLUPS) {
    const keyNames = r.keys.map((k) => k.name);
    const cols = [
      "grain INTEGER NOT NULL",
      "department_id INTEGER NOT NULL",
      "year INTEGER NOT NULL",
      ...r.keys.map((k) => `${k.name} ${k.type.toUpperCase()} NOT NULL`),
      ...r.measures.map((m) => `${m} ${int} NOT NULL DEFAULT 0`),
      `PRIMARY KEY (${["grain", "department_id", "year", ...keyNames].join(", ")})`,
    ];
    await sql.raw(`CREATE TABLE ${r.table} (${cols.join(", ")})${postgres ? "" : " WITHOUT ROWID"}`).execute(db);
  }
  await backfillRollups(db);
  // One department's page at a million reports: its newest reports, by year (the reports table),
  // and its newest unmet indicators per cause (the examples), each a walk that stops at the page's
  // rows instead of a sort of the department's thousands.
  await sql.raw(`CREATE INDEX reports_department_year_recent_idx ON reports (department_id, year, id)`).execute(db);
  await sql.raw(`CREATE INDEX reports_department_recent_idx ON reports (department_id, id)`).execute(db);
}

/** Fills the (empty) rollups from the summary tables: this migration over a loaded database, the bench row writer. */
export async function backfillRollups(db: Kysely<any>): Promise<void> {
  for (const r of ROLLUPS) {
    const keyNames = r.keys.map((k) => k.name);
    const groupBy = [grainDepartment("g.grain", "s.department_id"), grainYear("g.grain", "s.year"), ...keyNames.map((k) => `s.${k}`)];
    await sql
      .raw(
        `INSERT INTO ${r.table} (${["grain", "department_id", "year", ...keyNames, ...r.measures].join(", ")})
         SELECT g.grain, ${groupBy.join(", ")}, ${r.measures.map((m) => `sum(s.${m})`).join(", ")}
         FROM ${r.source} s CROSS JOIN (${GRAIN_ROWS}) g
         GROUP BY g.grain, ${groupBy.join(", ")}`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP INDEX IF EXISTS reports_department_year_recent_idx`).execute(db);
  await sql.raw(`DROP INDEX IF EXISTS reports_department_recent_idx`).execute(db);
  for (const r of ROLLUPS) await sql.raw(`DROP TABLE IF EXISTS ${r.table}`).execute(db);
  if (dialectOf(db) === "postgres") return;
  // Back to trigger-kept summary tables: rebuilt (and refilled from the rows) by the migrations
  // that made them, in their order, as report_aggregates' own down does.
  await ratePoints.down(db);
  await analytics.down(db);
  await analytics.up(db);
  await reportAggregates.up(db);
  await ratePoints.up(db);
  // analytics.up also recreates an index that lighter_indexes had replaced by a partial one
  await sql.raw(`DROP INDEX IF EXISTS indicators_cause_idx`).execute(db);
}
