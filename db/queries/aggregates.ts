import type { Kysely } from "kysely";
import { runCompiled } from "../connection";
import { dialectOf, type Dialect } from "../dialect";
import { AGGREGATES } from "../migrations/2026-11-23T03-30_analytics";
import { RATE_AGG } from "../migrations/2026-11-23T07-00_rate_points";
import { GRAIN_ROWS, grainDepartment, grainYear, ROLLUPS } from "../migrations/2026-12-07T03-00_rollups";
import type { Database } from "../schema";

/**
 * Keeping the summary tables and their rollups exact. Every code path that writes reports calls
 * these (the loader, versions, corrections, the bench row writer, the test fixtures):
 * `addReportsToAggregates` after a report and its children are written, and
 * `removeReportsFromAggregates` before they are deleted or changed (a correction takes the report
 * out, changes it, and puts it back). Triggers did the deletes and updates once; they followed only
 * the summary tables and ran two upserts per child row (2026-12-07T03-00_rollups).
 *
 * One grouped upsert per table for a whole batch of reports: a batch costs little more than one.
 * The statements are built from the aggregate definitions of the migrations, the tables they keep;
 * the report ids are the only value and are bound as one parameter.
 */

const DIMS = "coalesce(r.department_id, 0), coalesce(r.year, 0), coalesce(r.region, ''), coalesce(r.evaluation_type, ''), r.kind";
const DIM_COLUMNS = ["department_id", "year", "region", "evaluation_type", "kind"];

type Agg = (typeof AGGREGATES)[number];

interface Parts {
  from: string;
  where: string;
  keys: string[];
  measures: string[];
}

/** The contribution of the listed reports to one summary table: FROM, WHERE, key and measure expressions. */
function parts(a: Agg, dialect: Dialect, sign: 1 | -1): Parts {
  // Report-level tables read the report itself, child tables read its rows joined to it. The
  // report's own rows are a handful: without INDEXED BY SQLite's planner may prefer an index on the
  // filter (met = 0 → the unmet index) and walk every unmet indicator ever loaded.
  const indexed = dialect === "sqlite" ? ` INDEXED BY ${a.base}_report_idx` : "";
  const from = a.base === "reports" ? "FROM reports r" : `FROM ${a.base} x${indexed} JOIN reports r ON r.id = x.report_id`;
  const row = a.base === "reports" ? "r" : "x";
  const idColumn = a.base === "reports" ? "r.id" : "x.report_id";
  // SQLite binds the list as JSON text, PostgreSQL as an array
  const ids = dialect === "sqlite" ? `${idColumn} IN (SELECT value FROM json_each(?))` : `${idColumn} = ANY($1::bigint[])`;
  const where = a.when ? `${ids} AND ${a.when(row)}` : ids;
  const expr = (text: string) => (dialect === "sqlite" ? text : forPostgres(text));
  // comparisons with NULL give NULL, and a NULL sum would break the NOT NULL counters
  const count = (text: string) => (dialect === "sqlite" ? text : `as_count(${text})`);
  return {
    from,
    where: expr(where),
    keys: a.keys.map((k) => expr(k.expr(row))),
    measures: a.measures.map((m) => `${sign} * sum(coalesce(${count(expr(m.expr(row)))}, 0))`),
  };
}

/**
 * The definitions are SQLite SQL; the one function of theirs PostgreSQL spells otherwise is the
 * two-argument (scalar) min, which it calls least. Comparisons, CASE, coalesce and LIKE read the same.
 */
function forPostgres(text: string): string {
  return text.replace(/\bmin\(/g, "least(");
}

function keyColumns(a: Agg): string[] {
  const keys = a.keys.map((k) => k.name);
  return a.keysFirst ? [...keys, ...DIM_COLUMNS] : [...DIM_COLUMNS, ...keys];
}

const conflictUpdate = (table: string, measures: readonly string[]) => measures.map((m) => `${m} = ${table}.${m} + excluded.${m}`).join(", ");

/** INSERT … SELECT <signed contribution of the reports listed> … ON CONFLICT DO UPDATE, into the summary table. */
function summaryStatement(a: Agg, dialect: Dialect, sign: 1 | -1): string {
  const p = parts(a, dialect, sign);
  const measureNames = a.measures.map((m) => m.name);
  const columns = [...DIM_COLUMNS, ...a.keys.map((k) => k.name), ...measureNames];
  return `INSERT INTO ${a.table} (${columns.join(", ")})
    SELECT ${[DIMS, ...p.keys, ...p.measures].join(", ")} ${p.from} WHERE ${p.where} GROUP BY ${[DIMS, ...p.keys].join(", ")}
    ON CONFLICT (${keyColumns(a).join(", ")}) DO UPDATE SET ${conflictUpdate(a.table, measureNames)}`;
}

/** The same contribution, at every grain of the table's rollup. */
function rollupStatement(a: Agg, dialect: Dialect, sign: 1 | -1): string {
  const rollup = ROLLUPS.find((r) => r.source === a.table);
  if (!rollup) throw new Error(`no rollup for ${a.table}`);
  const p = parts(a, dialect, sign);
  const measureNames = a.measures.map((m) => m.name);
  const group = [grainDepartment("g.grain", "coalesce(r.department_id, 0)"), grainYear("g.grain", "coalesce(r.year, 0)"), ...p.keys];
  const columns = ["grain", "department_id", "year", ...a.keys.map((k) => k.name), ...measureNames];
  return `INSERT INTO ${rollup.table} (${columns.join(", ")})
    SELECT g.grain, ${[...group, ...p.measures].join(", ")} ${p.from} CROSS JOIN (${GRAIN_ROWS}) g WHERE ${p.where}
    GROUP BY g.grain, ${group.join(", ")}
    ON CONFLICT (${["grain", "department_id", "year", ...a.keys.map((k) => k.name)].join(", ")}) DO UPDATE SET ${conflictUpdate(rollup.table, measureNames)}`;
}

const TABLES: Agg[] = [...AGGREGATES, RATE_AGG];

/** Built once per dialect and sign: the same text each time also finds its prepared statement at once. */
const cache = new Map<string, string[]>();
function statements(dialect: Dialect, sign: 1 | -1): string[] {
  const key = `${dialect}${sign}`;
  let list = cache.get(key);
  if (!list) {
    list = TABLES.flatMap((a) => [summaryStatement(a, dialect, sign), rollupStatement(a, dialect, sign)]);
    cache.set(key, list);
  }
  return list;
}

async function apply(db: Kysely<Database>, reportIds: readonly number[], sign: 1 | -1): Promise<void> {
  if (reportIds.length === 0) return;
  const dialect = dialectOf(db);
  const ids = dialect === "sqlite" ? JSON.stringify(reportIds) : [...reportIds];
  for (const text of statements(dialect, sign)) await runCompiled(db, { sql: text, parameters: [ids] });
}

/**
 * Adds newly written reports (with their indicators, categories, findings and line items) to every
 * summary table and rollup.
 */
export async function addReportsToAggregates(db: Kysely<Database>, params: { reportIds: readonly number[] }): Promise<void> {
  await apply(db, params.reportIds, 1);
}

/** Takes stored reports out of every summary table and rollup: call before deleting or changing their rows. */
export async function removeReportsFromAggregates(db: Kysely<Database>, params: { reportIds: readonly number[] }): Promise<void> {
  await apply(db, params.reportIds, -1);
}
