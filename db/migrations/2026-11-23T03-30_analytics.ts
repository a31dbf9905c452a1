import { Kysely, sql } from "kysely";
import { dialectOf } from "../dialect";

/**
 * Analytics support: covering indexes for the per-report scans and pre-aggregated tables for the
 * group-by questions, so that every dashboard query stays fast at a million reports.
 * The aggregates also count reports below the default execution thresholds (60 % and 80 %) and the
 * 优/良-below-60 % credibility flag, so the dashboard's default views need no per-report scan, and
 * reports per whole score point (score_agg), from which histograms come directly and an exact median
 * needs only the few reports of one score point.
 *
 * The aggregate tables are kept exact by triggers on the base tables, whoever writes them (the
 * loader, the bench row writer, a manual fix): insert adds a row's contribution, delete subtracts
 * it, update does both. A report's children are deleted by a BEFORE DELETE trigger on reports so
 * that their own delete triggers still see the report's dimensions (a plain FK cascade runs after
 * the parent row is gone).
 *
 * Dimensions are stored NOT NULL (0 / '' for "not stated") because SQLite's UNIQUE treats NULLs as
 * distinct, which would defeat the upserts. Every statement here is constant text built from the
 * definitions below (DDL cannot take parameters): no user input reaches it.
 *
 * On PostgreSQL (supported from 2026-12-07) the tables are created without triggers, which the
 * rollups migration drops on SQLite anyway; the measure definitions stay SQLite's SQL and are read
 * through `as_count` (a comparison is a boolean there) and `least` (its scalar min).
 */

const DIMS = ["department_id", "year", "region", "evaluation_type", "kind"] as const;
const dimValues = (r: string) =>
  `coalesce(${r}.department_id, 0), coalesce(${r}.year, 0), coalesce(${r}.region, ''), coalesce(${r}.evaluation_type, ''), ${r}.kind`;

/** One aggregate table: extra key columns and measures, each measure an expression over the row `R`. */
interface Agg {
  table: string;
  base: string;
  keys: { name: string; type: "integer" | "text"; expr: (row: string) => string }[];
  measures: { name: string; expr: (row: string) => string }[];
  /** only rows satisfying this contribute (e.g. unmet indicators only) */
  when?: (row: string) => string;
  /** put the extra keys before the dimensions in the primary key (so GROUP BY them needs no sort) */
  keysFirst?: boolean;
}

const REPORT_AGG: Agg = {
  table: "report_agg",
  base: "reports",
  keys: [],
  measures: [
    { name: "reports", expr: () => "1" },
    { name: "budget_reports", expr: (r) => `${r}.budget_basis_fen IS NOT NULL` },
    { name: "budget_fen", expr: (r) => `coalesce(${r}.budget_basis_fen, 0)` },
    { name: "spent_reports", expr: (r) => `${r}.spent_fen IS NOT NULL` },
    { name: "spent_fen", expr: (r) => `coalesce(${r}.spent_fen, 0)` },
    // The execution rate of a group only counts reports that state both figures.
    { name: "paired_reports", expr: (r) => `(${r}.budget_basis_fen IS NOT NULL AND ${r}.spent_fen IS NOT NULL)` },
    { name: "paired_budget_fen", expr: (r) => `CASE WHEN ${r}.spent_fen IS NOT NULL THEN coalesce(${r}.budget_basis_fen, 0) ELSE 0 END` },
    { name: "paired_spent_fen", expr: (r) => `CASE WHEN ${r}.budget_basis_fen IS NOT NULL THEN coalesce(${r}.spent_fen, 0) ELSE 0 END` },
    { name: "paired_adjusted", expr: (r) => `(${r}.budget_basis_fen IS NOT NULL AND ${r}.spent_fen IS NOT NULL AND ${r}.budget_basis = 'adjusted')` },
    { name: "paired_initial", expr: (r) => `(${r}.budget_basis_fen IS NOT NULL AND ${r}.spent_fen IS NOT NULL AND ${r}.budget_basis = 'initial')` },
    { name: "scored", expr: (r) => `${r}.score_total_x100 IS NOT NULL` },
    { name: "score_sum_x100", expr: (r) => `coalesce(${r}.score_total_x100, 0)` },
    { name: "grade_a", expr: (r) => `(${r}.grade = '优')` },
    { name: "grade_b", expr: (r) => `(${r}.grade = '良')` },
    { name: "grade_c", expr: (r) => `(${r}.grade = '中')` },
    { name: "grade_d", expr: (r) => `(${r}.grade = '差')` },
    { name: "grade_none", expr: (r) => `(${r}.grade IS NULL)` },
    { name: "with_findings", expr: (r) => `(${r}.finding_count > 0)` },
    { name: "findings", expr: (r) => `${r}.finding_count` },
    { name: "errors", expr: (r) => `${r}.error_count` },
    { name: "warnings", expr: (r) => `${r}.warning_count` },
    // The product's default thresholds, counted on write; other thresholds scan the reports.
    { name: "rated", expr: (r) => `(${r}.budget_basis_fen > 0 AND ${r}.spent_fen IS NOT NULL)` },
    { name: "below60", expr: (r) => `(${r}.budget_basis_fen > 0 AND ${r}.spent_fen IS NOT NULL AND ${r}.spent_fen * 10000 < 6000 * ${r}.budget_basis_fen)` },
    { name: "below80", expr: (r) => `(${r}.budget_basis_fen > 0 AND ${r}.spent_fen IS NOT NULL AND ${r}.spent_fen * 10000 < 8000 * ${r}.budget_basis_fen)` },
    {
      name: "scored_rated",
      expr: (r) => `(${r}.score_total_x100 IS NOT NULL AND ${r}.budget_basis_fen > 0 AND ${r}.spent_fen IS NOT NULL)`,
    },
    {
      name: "flagged60",
      expr: (r) =>
        `(${r}.score_total_x100 IS NOT NULL AND ${r}.grade IN ('优', '良') AND ${r}.budget_basis_fen > 0 AND ${r}.spent_fen IS NOT NULL AND ${r}.spent_fen * 10000 < 6000 * ${r}.budget_basis_fen)`,
    },
  ],
};

/** Reports per whole score point: score_point = ⌊score⌋ (scores are ≥ 0, so integer division floors). */
const SCORE_AGG: Agg = {
  table: "score_agg",
  base: "reports",
  keys: [{ name: "score_point", type: "integer", expr: (r) => `(${r}.score_total_x100 / 100)` }],
  measures: [{ name: "reports", expr: () => "1" }],
  when: (r) => `${r}.score_total_x100 IS NOT NULL`,
  keysFirst: true,
};

const INDICATOR_AGG: Agg = {
  table: "indicator_agg",
  base: "indicators",
  keys: [
    { name: "indicator_type", type: "text", expr: (r) => `${r}.indicator_type` },
    { name: "normalized_name", type: "text", expr: (r) => `${r}.normalized_name` },
  ],
  measures: [
    { name: "indicators", expr: () => "1" },
    { name: "judged", expr: (r) => `(${r}.met IS NOT NULL)` },
    { name: "unmet", expr: (r) => `(${r}.met = 0)` },
  ],
};

const CAUSE_AGG: Agg = {
  table: "cause_agg",
  base: "indicators",
  keys: [
    { name: "indicator_type", type: "text", expr: (r) => `${r}.indicator_type` },
    { name: "cause", type: "text", expr: (r) => `coalesce(${r}.cause, '')` },
  ],
  measures: [
    { name: "unmet", expr: () => "1" },
    { name: "with_reason", expr: (r) => `(${r}.deviation_reason IS NOT NULL AND ${r}.deviation_reason <> '')` },
  ],
  when: (r) => `${r}.met = 0`,
};

/** Category names vary ("项目决策", "决策（20分）"); fold them to the five classes of the framework. */
const categoryClass = (r: string) =>
  `CASE WHEN ${r}.name LIKE '%决策%' THEN '决策'
        WHEN ${r}.name LIKE '%过程%' OR ${r}.name LIKE '%管理%' THEN '过程'
        WHEN ${r}.name LIKE '%产出%' THEN '产出'
        WHEN ${r}.name LIKE '%满意%' THEN '满意度'
        WHEN ${r}.name LIKE '%效益%' OR ${r}.name LIKE '%效果%' THEN '效益'
        ELSE '其他' END`;

const CATEGORY_AGG: Agg = {
  table: "category_agg",
  base: "categories",
  keys: [{ name: "category", type: "text", expr: categoryClass }],
  measures: [
    { name: "categories", expr: () => "1" },
    // points lost only where both weight and score are stated
    { name: "scored", expr: (r) => `(${r}.weight_x100 IS NOT NULL AND ${r}.score_x100 IS NOT NULL)` },
    { name: "weight_x100", expr: (r) => `CASE WHEN ${r}.score_x100 IS NOT NULL THEN coalesce(${r}.weight_x100, 0) ELSE 0 END` },
    { name: "score_x100", expr: (r) => `CASE WHEN ${r}.weight_x100 IS NOT NULL THEN coalesce(${r}.score_x100, 0) ELSE 0 END` },
  ],
};

const FINDING_AGG: Agg = {
  table: "finding_agg",
  base: "findings",
  keys: [
    { name: "code", type: "text", expr: (r) => `${r}.code` },
    { name: "severity", type: "text", expr: (r) => `${r}.severity` },
  ],
  measures: [{ name: "findings", expr: () => "1" }],
};

const LINE_ITEM_AGG: Agg = {
  table: "line_item_agg",
  base: "line_items",
  keys: [],
  measures: [
    { name: "items", expr: () => "1" },
    { name: "planned_fen", expr: (r) => `coalesce(${r}.budget_fen, 0)` },
    { name: "allocated_items", expr: (r) => `(${r}.allocated = 1)` },
    { name: "allocated_fen", expr: (r) => `CASE WHEN ${r}.allocated = 1 THEN coalesce(${r}.budget_fen, 0) ELSE 0 END` },
    { name: "spent_fen", expr: (r) => `coalesce(${r}.spent_fen, 0)` },
    { name: "not_allocated_items", expr: (r) => `(${r}.allocated = 0)` },
    { name: "not_allocated_fen", expr: (r) => `CASE WHEN ${r}.allocated = 0 THEN coalesce(${r}.budget_fen, 0) ELSE 0 END` },
  ],
};

export const AGGREGATES: Agg[] = [REPORT_AGG, SCORE_AGG, INDICATOR_AGG, CAUSE_AGG, CATEGORY_AGG, FINDING_AGG, LINE_ITEM_AGG];

async function dropAggregates(db: Kysely<any>, tables: string[]): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  if (!postgres) await sql.raw(`DROP TRIGGER IF EXISTS reports_delete_children`).execute(db);
  for (const t of tables) {
    if (!postgres) for (const s of ["ins", "del", "upd", "report_dims"]) await sql.raw(`DROP TRIGGER IF EXISTS ${t}_${s}`).execute(db);
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
  }
}

function keyColumns(a: Agg): string[] {
  const keys = a.keys.map((k) => k.name);
  return a.keysFirst ? [...keys, ...DIMS] : [...DIMS, ...keys];
}

/**
 * An upsert adding `sign` × the contribution of the rows selected by `from` (a FROM clause with the
 * base table as `x` and its report as `r`), grouped by the aggregate's key.
 */
function upsert(a: Agg, sign: 1 | -1, from: string, extraWhere?: string, postgres = false): string {
  const cols = [...DIMS, ...a.keys.map((k) => k.name), ...a.measures.map((m) => m.name)];
  const dimsExpr = a.base === "reports" ? dimValues("x") : dimValues("r");
  const keyExprs = a.keys.map((k) => k.expr("x"));
  // comparisons with NULL give NULL, and a NULL sum would break the NOT NULL counters
  const measureExprs = a.measures.map((m) => `${sign} * sum(coalesce(${postgres ? `as_count(${m.expr("x")})` : m.expr("x")}, 0))`);
  const conds = [extraWhere, a.when?.("x")].filter(Boolean);
  const where = `WHERE ${conds.length ? conds.join(" AND ") : "true"}`;
  const groupBy = [dimsExpr, ...keyExprs].join(", ");
  // PostgreSQL reads a bare name on the right as ambiguous between the row and `excluded`
  const updates = a.measures.map((m) => `${m.name} = ${postgres ? `${a.table}.` : ""}${m.name} + excluded.${m.name}`).join(", ");
  return `INSERT INTO ${a.table} (${cols.join(", ")})
    SELECT ${[dimsExpr, ...keyExprs, ...measureExprs].join(", ")} ${from} ${where} GROUP BY ${groupBy}
    ON CONFLICT (${keyColumns(a).join(", ")}) DO UPDATE SET ${updates}`;
}

/** FROM clause selecting the single trigger row (NEW / OLD) as `x` with its report as `r`. */
function rowFrom(a: Agg, which: "NEW" | "OLD"): string {
  if (a.base === "reports") return `FROM (SELECT ${reportColumns(which)}) AS x`;
  return `FROM (SELECT ${baseColumns(a.base, which)}) AS x JOIN reports r ON r.id = x.report_id`;
}

const BASE_COLUMNS: Record<string, string[]> = {
  reports: [
    "id", "department_id", "year", "region", "evaluation_type", "kind", "budget_basis_fen", "budget_basis", "spent_fen",
    "score_total_x100", "grade", "finding_count", "error_count", "warning_count",
  ],
  indicators: ["report_id", "indicator_type", "normalized_name", "met", "cause", "deviation_reason"],
  categories: ["report_id", "name", "weight_x100", "score_x100"],
  findings: ["report_id", "code", "severity"],
  line_items: ["report_id", "budget_fen", "spent_fen", "allocated"],
};

function reportColumns(which: string): string {
  return BASE_COLUMNS.reports.map((c) => `${which}.${c} AS ${c}`).join(", ");
}
function baseColumns(base: string, which: string): string {
  return BASE_COLUMNS[base].map((c) => `${which}.${c} AS ${c}`).join(", ");
}

/** The columns of a base table whose change moves its contribution. */
function watched(a: Agg): string[] {
  return BASE_COLUMNS[a.base].filter((c) => c !== "id");
}

/** Adds the contribution of every row already stored (a migration over a loaded database). */
export async function backfill(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  for (const a of AGGREGATES) {
    const from = a.base === "reports" ? "FROM reports x" : `FROM ${a.base} x JOIN reports r ON r.id = x.report_id`;
    await sql.raw(upsert(a, 1, from, undefined, postgres)).execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  if (postgres) await createAsCount(db);
  for (const a of AGGREGATES) {
    const cols = [
      ...a.keys.map((k) => `${k.name} ${k.type.toUpperCase()} NOT NULL`),
      "department_id INTEGER NOT NULL",
      "year INTEGER NOT NULL",
      "region TEXT NOT NULL",
      "evaluation_type TEXT NOT NULL",
      "kind TEXT NOT NULL",
      ...a.measures.map((m) => `${m.name} ${postgres ? "BIGINT" : "INTEGER"} NOT NULL DEFAULT 0`),
      `PRIMARY KEY (${keyColumns(a).join(", ")})`,
    ];
    await sql.raw(`CREATE TABLE ${a.table} (${cols.join(", ")})${postgres ? "" : " WITHOUT ROWID"}`).execute(db);
  }
  if (!postgres) await createTriggers(db);
  await backfill(db);
  await createIndexes(db, postgres);
}

/**
 * Summing a comparison: SQLite's comparisons are integers already; PostgreSQL's are booleans, and
 * one overloaded name lets the same measure definitions read as counts on both.
 */
export async function createAsCount(db: Kysely<any>): Promise<void> {
  await sql.raw(`CREATE OR REPLACE FUNCTION as_count(b boolean) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN b THEN 1 ELSE 0 END'`).execute(db);
  await sql.raw(`CREATE OR REPLACE FUNCTION as_count(n bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT n'`).execute(db);
}

async function createTriggers(db: Kysely<any>): Promise<void> {
  // Children go first so that their delete triggers still find the report's dimensions.
  await sql
    .raw(
      `CREATE TRIGGER reports_delete_children BEFORE DELETE ON reports BEGIN
        DELETE FROM indicators WHERE report_id = OLD.id;
        DELETE FROM categories WHERE report_id = OLD.id;
        DELETE FROM findings WHERE report_id = OLD.id;
        DELETE FROM line_items WHERE report_id = OLD.id;
      END`,
    )
    .execute(db);

  for (const a of AGGREGATES) {
    const t = a.table;
    await sql.raw(`CREATE TRIGGER ${t}_ins AFTER INSERT ON ${a.base} BEGIN ${upsert(a, 1, rowFrom(a, "NEW"))}; END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${t}_del AFTER DELETE ON ${a.base} BEGIN ${upsert(a, -1, rowFrom(a, "OLD"))}; END`).execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${t}_upd AFTER UPDATE OF ${watched(a).join(", ")} ON ${a.base} BEGIN
          ${upsert(a, -1, rowFrom(a, "OLD"))};
          ${upsert(a, 1, rowFrom(a, "NEW"))};
        END`,
      )
      .execute(db);
    if (a.base !== "reports") {
      // A report whose dimensions change moves its children's contributions along.
      const children = (which: "OLD" | "NEW") =>
        `FROM ${a.base} x JOIN (SELECT ${reportColumns(which)}) AS r ON r.id = x.report_id`;
      const move = (sign: 1 | -1, which: "OLD" | "NEW") => upsert(a, sign, children(which), `x.report_id = ${which}.id`);
      await sql
        .raw(
          `CREATE TRIGGER ${t}_report_dims AFTER UPDATE OF department_id, year, region, evaluation_type, kind ON reports BEGIN
            ${move(-1, "OLD")};
            ${move(1, "NEW")};
          END`,
        )
        .execute(db);
    }
  }
}

async function createIndexes(db: Kysely<any>, postgres: boolean): Promise<void> {
  await sql
    .raw(
      `CREATE INDEX reports_dims_cover_idx ON reports (department_id, year, region, evaluation_type, kind,
        budget_basis_fen, spent_fen, score_total_x100, grade)`,
    )
    .execute(db);
  // ... and in score order, for exact medians and histograms without a sort.
  await sql
    .raw(`CREATE INDEX reports_score_cover_idx ON reports (score_total_x100, department_id, year, region, evaluation_type, kind)`)
    .execute(db);
  // Lowest execution first: an index on the rate itself lets ORDER BY … LIMIT stop early.
  await sql
    .raw(
      `CREATE INDEX reports_rate_idx ON reports ((CAST(spent_fen AS ${postgres ? "DOUBLE PRECISION" : "REAL"}) / budget_basis_fen))
        WHERE budget_basis_fen > 0 AND spent_fen IS NOT NULL`,
    )
    .execute(db);
  await sql.raw(`CREATE INDEX indicators_cause_idx ON indicators (cause, met)`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropAggregates(db, AGGREGATES.map((a) => a.table));
  for (const i of ["reports_dims_cover_idx", "reports_score_cover_idx", "reports_rate_idx", "indicators_cause_idx"]) {
    await sql.raw(`DROP INDEX IF EXISTS ${i}`).execute(db);
  }
}
