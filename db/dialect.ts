import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from "kysely";

/**
 * The two stores the query layer runs on: SQLite (embedded, the default) and PostgreSQL (a shared
 * server for a bureau's many analysts). Most SQL is common; where the two differ (a list bound as
 * one parameter, summing a comparison, trigger syntax) the builder asks which one it is writing for.
 * The helpers below write SQLite's SQL exactly as the queries always did, so that its plans and
 * prepared statements stay what the bench measured.
 */
export type Dialect = "sqlite" | "postgres";

/** Any Kysely instance or transaction, whatever its schema. */
type AnyDb = Pick<Kysely<any>, "getExecutor">;

export function dialectOf(db: AnyDb): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** How many rows of the group satisfy `condition`: SQLite sums the comparison (0/1), PostgreSQL's is a boolean. */
export function countWhere(db: AnyDb, condition: Expression<SqlBool> | RawBuilder<SqlBool>): RawBuilder<number> {
  return dialectOf(db) === "sqlite" ? sql<number>`sum(${condition})` : sql<number>`sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
}

/** The smaller of two values (not the aggregate): SQLite's two-argument min, PostgreSQL's least. */
export function smallerOf(db: AnyDb, a: RawBuilder<unknown>, b: RawBuilder<unknown> | number): RawBuilder<number> {
  return dialectOf(db) === "sqlite" ? sql<number>`min(${a}, ${b})` : sql<number>`least(${a}, ${b})`;
}

/**
 * A report's execution rate as a double, in the very form of the expression index reports_rate_idx
 * (2026-11-23T03-30_analytics), so that ORDER BY … LIMIT walks it. PostgreSQL's REAL is single
 * precision, too coarse to order rates; its index is on DOUBLE PRECISION.
 */
export function executionRateExpr(db: AnyDb, table?: "reports"): RawBuilder<number> {
  const spent = table ? sql.ref(`${table}.spent_fen`) : sql.raw("spent_fen");
  const budget = table ? sql.ref(`${table}.budget_basis_fen`) : sql.raw("budget_basis_fen");
  return dialectOf(db) === "sqlite" ? sql<number>`(CAST(${spent} AS REAL) / ${budget})` : sql<number>`(CAST(${spent} AS DOUBLE PRECISION) / ${budget})`;
}

/** The group's values joined with commas: group_concat on SQLite, string_agg on PostgreSQL. */
export function commaList(db: AnyDb, value: RawBuilder<unknown>, options: { distinct?: boolean } = {}): RawBuilder<string> {
  const distinct = sql.raw(options.distinct ? "distinct " : "");
  return dialectOf(db) === "sqlite" ? sql<string>`group_concat(${distinct}${value})` : sql<string>`string_agg(${distinct}CAST(${value} AS TEXT), ',')`;
}

/** `column IN <ids>` with the ids bound as one parameter whatever their number: JSON text for SQLite, an array for PostgreSQL. */
export function inIdList(db: AnyDb, column: RawBuilder<unknown>, ids: readonly number[]): RawBuilder<SqlBool> {
  return dialectOf(db) === "sqlite"
    ? sql<SqlBool>`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
    : sql<SqlBool>`${column} = ANY(${[...ids]}::bigint[])`;
}

/**
 * GROUP BY keys. PostgreSQL requires every selected column to be grouped or determined by a
 * grouped primary key (a department's name by departments.id); SQLite takes it from any row of the
 * group. `forPostgres` are added there only, so that SQLite's plans stay the ones the bench measured.
 */
export function groupKeys<K>(db: AnyDb, keys: readonly K[], forPostgres: readonly K[]): K[] {
  return dialectOf(db) === "sqlite" ? [...keys] : [...keys, ...forPostgres];
}
