import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect";

/**
 * Reports per whole point of execution rate, by the report dimensions: rate_point = ⌊spent × 100 ÷
 * budget⌋, with every rate of 150 % or more in the point 150 and every negative one in the point -1. "How many reports execute below t %"
 * then needs no pass over the reports for any threshold t (the default 60 % and 80 % are counted in
 * report_agg): the points below ⌊t⌋ are summed here, and only the reports within the one point t
 * falls into are compared exactly, none when t is a whole number.
 *
 * Kept like the other summary tables: the loader adds each new report (db/queries/aggregates.ts)
 * and triggers follow deletes and updates. The statements are constant text: DDL takes no parameters.
 */

const DIMS = ["department_id", "year", "region", "evaluation_type", "kind"];
const dims = (r: string) =>
  `coalesce(${r}.department_id, 0), coalesce(${r}.year, 0), coalesce(${r}.region, ''), coalesce(${r}.evaluation_type, ''), ${r}.kind`;
// Integer division truncates toward zero, so a negative rate (spent < 0, a data error) would land in
// point 0; it gets the point -1 of its own, below every threshold as its rate is.
const ratePoint = (r: string) => `CASE WHEN ${r}.spent_fen < 0 THEN -1 ELSE min(${r}.spent_fen * 100 / ${r}.budget_basis_fen, 150) END`;
const rated = (r: string) => `${r}.budget_basis_fen > 0 AND ${r}.spent_fen IS NOT NULL`;

/** The table in the shape of the analytics migration's aggregates, for the loader's per-report add. */
export const RATE_AGG = {
  table: "rate_agg",
  base: "reports",
  keys: [{ name: "rate_point", type: "integer" as const, expr: ratePoint }],
  measures: [{ name: "reports", expr: () => "1" }],
  when: rated,
  keysFirst: false,
};

/** Adds (sign 1) or takes out (sign -1) the reports selected by `from` (reports as `r`). */
function upsert(sign: 1 | -1, from: string, where: string): string {
  return `INSERT INTO rate_agg (${[...DIMS, "rate_point", "reports"].join(", ")})
    SELECT ${dims("r")}, ${ratePoint("r")}, ${sign} * count(*)
    ${from} WHERE ${rated("r")} AND ${where} GROUP BY ${dims("r")}, ${ratePoint("r")}
    ON CONFLICT (${[...DIMS, "rate_point"].join(", ")}) DO UPDATE SET reports = reports + excluded.reports`;
}

/** The same on PostgreSQL: its scalar min is least, and a bare name after SET's = is ambiguous with `excluded`. */
function upsertPostgres(sign: 1 | -1, from: string, where: string): string {
  return upsert(sign, from, where)
    .replace(/\bmin\(/g, "least(")
    .replace("reports = reports + excluded.reports", "reports = rate_agg.reports + excluded.reports");
}

const COLUMNS = ["department_id", "year", "region", "evaluation_type", "kind", "budget_basis_fen", "spent_fen"];
const row = (which: "OLD" | "NEW") => `FROM (SELECT ${COLUMNS.map((c) => `${which}.${c} AS ${c}`).join(", ")}) AS r`;

/** Fills the table from the reports stored (this migration over a loaded database; the bench row writer). */
export async function backfillRatePoints(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  await sql.raw((postgres ? upsertPostgres : upsert)(1, "FROM reports r", "true")).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  await sql
    .raw(
      `CREATE TABLE rate_agg (
        department_id INTEGER NOT NULL, year INTEGER NOT NULL, region TEXT NOT NULL, evaluation_type TEXT NOT NULL,
        kind TEXT NOT NULL, rate_point INTEGER NOT NULL,
        reports ${postgres ? "BIGINT" : "INTEGER"} NOT NULL DEFAULT 0,
        PRIMARY KEY (${[...DIMS, "rate_point"].join(", ")})
      )${postgres ? "" : " WITHOUT ROWID"}`,
    )
    .execute(db);
  // PostgreSQL: no triggers (the rollups migration drops these on SQLite anyway)
  if (postgres) return backfillRatePoints(db);
  await sql.raw(`CREATE TRIGGER rate_agg_del AFTER DELETE ON reports BEGIN ${upsert(-1, row("OLD"), "true")}; END`).execute(db);
  await sql
    .raw(
      `CREATE TRIGGER rate_agg_upd AFTER UPDATE OF ${COLUMNS.join(", ")} ON reports BEGIN
        ${upsert(-1, row("OLD"), "true")};
        ${upsert(1, row("NEW"), "true")};
      END`,
    )
    .execute(db);
  await backfillRatePoints(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== "postgres") {
    await sql.raw(`DROP TRIGGER IF EXISTS rate_agg_del`).execute(db);
    await sql.raw(`DROP TRIGGER IF EXISTS rate_agg_upd`).execute(db);
  }
  await sql.raw(`DROP TABLE IF EXISTS rate_agg`).execute(db);
}
