import type { Kysely } from "kysely";
import { runCompiled } from "../connection";
import { AGGREGATES } from "../migrations/2026-11-23T03-30_analytics";
import { RATE_AGG } from "../migrations/2026-11-23T07-00_rate_points";
import type { Database } from "../schema";

/**
 * Adding new reports to the summary tables. Per-row insert triggers did this at first, but they
 * ran two upserts for every indicator of every report and were a third of a report's write time;
 * one grouped upsert per summary table for a whole batch of reports does the same work. Deletes
 * and updates are still followed by the triggers (2026-11-23T06-00_report_aggregates), so only the
 * code that inserts reports calls this: the loader, the bench row writer and the test fixtures.
 *
 * The statements are built from the aggregate definitions of the analytics migration, the tables
 * they keep; the report ids are the only value and are bound as a parameter.
 */

const DIMS = "coalesce(r.department_id, 0), coalesce(r.year, 0), coalesce(r.region, ''), coalesce(r.evaluation_type, ''), r.kind";
const DIM_COLUMNS = ["department_id", "year", "region", "evaluation_type", "kind"];

/** INSERT … SELECT <contribution of the reports listed> … ON CONFLICT DO UPDATE: a JSON array of report ids is its one parameter. */
function statement(a: (typeof AGGREGATES)[number]): string {
  // Report-level tables read the report itself, child tables read its rows joined to it. The
  // report's own rows are a handful: without INDEXED BY the planner may prefer an index on the
  // filter (met = 0 → indicators_unmet_idx) and walk every unmet indicator ever loaded.
  const from = a.base === "reports" ? "FROM reports r" : `FROM ${a.base} x INDEXED BY ${a.base}_report_idx JOIN reports r ON r.id = x.report_id`;
  const row = a.base === "reports" ? "r" : "x";
  const idColumn = a.base === "reports" ? "r.id" : "x.report_id";
  const keys = a.keys.map((k) => k.expr(row));
  // comparisons with NULL give NULL, and a NULL sum would break the NOT NULL counters
  const measures = a.measures.map((m) => `sum(coalesce(${m.expr(row)}, 0))`);
  const keyColumns = a.keysFirst ? [...a.keys.map((k) => k.name), ...DIM_COLUMNS] : [...DIM_COLUMNS, ...a.keys.map((k) => k.name)];
  const columns = [...DIM_COLUMNS, ...a.keys.map((k) => k.name), ...a.measures.map((m) => m.name)];
  const when = a.when ? ` AND ${a.when(row)}` : "";
  return `INSERT INTO ${a.table} (${columns.join(", ")})
    SELECT ${[DIMS, ...keys, ...measures].join(", ")} ${from} WHERE ${idColumn} IN (SELECT value FROM json_each(?))${when} GROUP BY ${[DIMS, ...keys].join(", ")}
    ON CONFLICT (${keyColumns.join(", ")}) DO UPDATE SET ${a.measures.map((m) => `${m.name} = ${m.name} + excluded.${m.name}`).join(", ")}`;
}

/** Built once: the same text each time also finds its prepared statement at once. */
const STATEMENTS: string[] = [...AGGREGATES, RATE_AGG].map(statement);

/**
 * Adds newly inserted reports (with their indicators, categories, findings and line items) to every
 * summary table: one statement per table for all of them, so a batch of reports costs little more
 * than one.
 */
export async function addReportsToAggregates(db: Kysely<Database>, params: { reportIds: readonly number[] }): Promise<void> {
  if (params.reportIds.length === 0) return;
  const ids = JSON.stringify(params.reportIds);
  for (const text of STATEMENTS) await runCompiled(db, { sql: text, parameters: [ids] });
}
