import type { ColumnDefinitionBuilder, Kysely } from "kysely";
import { dialectOf } from "../dialect";

/**
 * Column types the migrations spell differently per store, SQLite's being what they always were.
 *
 * - PostgreSQL's `integer` is 32-bit: an amount in fen passes 2^31 at 2,147.48 万元, well inside one
 *   project's budget. Every integer column there is `bigint` (SQLite's INTEGER is 64-bit already).
 * - Kysely's autoIncrement is SQLite and MySQL syntax; PostgreSQL numbers rows with an identity
 *   column. BY DEFAULT rather than ALWAYS, so that a dump restored with its ids keeps them.
 */
export function columnTypes(db: Kysely<any>) {
  const postgres = dialectOf(db) === "postgres";
  return {
    postgres,
    int: postgres ? ("bigint" as const) : ("integer" as const),
    id: (c: ColumnDefinitionBuilder) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()),
  };
}
