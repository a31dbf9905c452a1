import { PostgresAdapter, type Kysely } from "kysely";

/**
 * The two stores the query layer runs on: SQLite (embedded, the default) and PostgreSQL (a shared
 * server for a bureau's many analysts). Most SQL is common; where the two differ (a list bound as
 * one parameter, summing a comparison, trigger syntax) the builder asks which one it is writing for.
 */
export type Dialect = "sqlite" | "postgres";

export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}
