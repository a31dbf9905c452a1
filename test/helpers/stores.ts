import { randomBytes } from "node:crypto";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase, openPostgres, type DB } from "../../db/connection";

/**
 * The stores the query layer runs on. SQLite always; PostgreSQL where TEST_DATABASE_URL names a
 * server (`.ci/run` starts a throwaway cluster and sets it). In CI a missing server is an error,
 * not a quiet skip: "the query tests pass on PostgreSQL" must mean they ran there.
 */
export type Store = "sqlite" | "postgres";

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl && (process.env.CI || process.env.JIXIAO_REQUIRE_POSTGRES)) {
  throw new Error("TEST_DATABASE_URL is not set: in CI the query tests must also run on PostgreSQL (`source .ci/postgres`)");
}

export const STORES: readonly Store[] = serverUrl ? ["sqlite", "postgres"] : ["sqlite"];

export interface OpenStore {
  db: DB;
  store: Store;
  /** Row counts of the named tables (constant names from the caller). */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * A fresh, migrated, empty store. On PostgreSQL that is a database of its own on the test server,
 * dropped again by close(), so test files running in parallel never see each other's rows.
 * `file` puts an SQLite store in a file instead of memory (tests that open it twice).
 */
export async function openStore(store: Store, options: { file?: string } = {}): Promise<OpenStore> {
  if (store === "sqlite") {
    const { db, sqlite } = openDatabase(options.file ?? ":memory:");
    await migrateToLatest(db);
    return { db, store, count: async (t) => countSqlite(sqlite, t), close: () => db.destroy() };
  }
  const fresh = await freshPostgresDatabase();
  const { db } = openPostgres(fresh.url, { max: 4 });
  await migrateToLatest(db);
  return {
    db,
    store,
    async count(t) {
      const { rows } = await sql.raw<{ n: number }>(`SELECT count(*) AS n FROM ${t}`).execute(db);
      return Number(rows[0].n);
    },
    async close() {
      await db.destroy();
      await fresh.drop();
    },
  };
}

/** A new, empty database on the test server (for a server process to migrate itself), and its removal. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  // a name of our own making: never input
  const name = `jixiao_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

function countSqlite(sqlite: SQLite.Database, table: string): number {
  // table names are the caller's constants, never input
  return (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * After rows were inserted with explicit ids (the fixtures do, so that subsets share ids),
 * PostgreSQL's identity sequences still start at 1; move them past the largest id so that the
 * loader's own inserts do not collide. SQLite takes max(rowid) + 1 by itself.
 */
export async function syncIdentities(db: DB, tables: readonly string[]): Promise<void> {
  for (const t of tables) {
    await sql.raw(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), coalesce((SELECT max(id) FROM ${t}), 0) + 1, false)`).execute(db);
  }
}
