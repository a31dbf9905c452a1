import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, type Transaction } from "kysely";
import pg from "pg";
import { migrationProvider } from "./migrations";
import type { Database } from "./schema";

export type DB = Kysely<Database>;

/**
 * Opens (creating if needed) the SQLite file at `file` with WAL and foreign keys on.
 * The path comes from the caller: db/ never reads the environment.
 */
export function openDatabase(file: string): { db: DB; sqlite: SQLite.Database } {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  handles.set(db, { sqlite, statements, insideTransaction: false });
  return { db, sqlite };
}

/** Where the store is, fit to print: a PostgreSQL URL without its password, a file path as given. */
export function printableLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return location.replace(/:[^:@/]*@/, ":***@");
  }
}

/** A URL naming a PostgreSQL server rather than an SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * PostgreSQL types pg would otherwise hand back as strings, read as SQLite's driver reads them.
 * count(*) and other int8 results, and a sum of bigint (NUMERIC there), are counts the query layer
 * reads as numbers; above 2^53 they stay strings rather than lose digits. A NUMERIC with a fraction
 * (an average) becomes a double, as SQLite computes it. Money is not affected: the query layer
 * casts money sums to TEXT itself (sumText) for decimal.js at the edges.
 */
const INT8_OID = 20;
const NUMERIC_OID = 1700;
let typesSet = false;
function setPgTypes(): void {
  if (typesSet) return;
  typesSet = true;
  const integerOrText = (v: string) => {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  };
  pg.types.setTypeParser(INT8_OID, integerOrText);
  pg.types.setTypeParser(NUMERIC_OID, (v: string) => (/^-?\d+$/.test(v) ? integerOrText(v) : Number(v)));
}

/**
 * A pool on the PostgreSQL server at `url` (postgres://user@host:port/db). The URL comes from the
 * caller: db/ never reads the environment. `destroy()` on the returned DB ends the pool.
 */
export function openPostgres(url: string, options: { max?: number; onIdleError?: (err: Error) => void } = {}): { db: DB; pool: pg.Pool } {
  setPgTypes();
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // A pooled connection the server ends while idle (a restart, a failover, an administrator) is an
  // 'error' event on the pool; without a listener Node ends the whole process. pg drops that
  // connection and the next query opens a new one, so it is worth a log line, not a crash.
  pool.on("error", options.onIdleError ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/**
 * `postgres://…` or `postgresql://…` opens PostgreSQL, anything else is an SQLite file path.
 * `close` releases the store either way (better-sqlite3's close is synchronous; a pool's end is not).
 */
export function openDatabaseAt(
  location: string,
  options: { onIdleError?: (err: Error) => void } = {},
): { db: DB; close: () => Promise<void>; sqlite?: SQLite.Database } {
  if (isPostgresUrl(location)) {
    const { db } = openPostgres(location, { onIdleError: options.onIdleError });
    return { db, close: () => db.destroy() };
  }
  const { db, sqlite } = openDatabase(location);
  return { db, sqlite, close: () => db.destroy() };
}

/**
 * Kysely runs every statement through an async connection mutex and a chain of promises: about
 * 15 µs a statement here, three times what SQLite takes for a keyed lookup. That is most of a
 * small page query's cost beyond SQLite's, and a fifth of the writer thread's time when loading
 * (a dozen statements a report). So the handle behind each DB opened here is remembered, and
 * `runCompiled` runs compiled SQL on it directly whenever Kysely would have run it on that same
 * connection at once: on the root DB while no transaction is open (better-sqlite3 is synchronous,
 * so nothing else can run in between), and on a transaction begun by `transaction` below while it
 * is open. Otherwise (a transaction of someone else's is open, a DB from elsewhere) it goes
 * through Kysely, which waits its turn.
 */
interface Handle {
  sqlite: SQLite.Database;
  statements: ReturnType<typeof withStatementCache>;
  insideTransaction: boolean;
}
const handles = new WeakMap<Kysely<Database>, Handle>();

/** The better-sqlite3 handle behind a DB opened by openDatabase (not a transaction's), if any. */
export function sqliteOf(db: Kysely<Database>): SQLite.Database | undefined {
  const handle = handles.get(db);
  return handle && !handle.insideTransaction ? handle.sqlite : undefined;
}

/**
 * Settings for a bulk load, until the returned function is called, which restores them and
 * checkpoints what is left of the WAL. No-op for a DB not opened by openDatabase.
 *
 * - The WAL is checkpointed every `pages` pages instead of SQLite's 1,000. A checkpoint waits for
 *   two fsyncs and copies every page changed since the last one. At 1,000 pages, loading 10k
 *   reports checkpointed about every 40 reports and that was a quarter of the writer's time; at
 *   16,000 (a WAL of up to 64 MB) the writer took 0.62–0.67 ms a report against 0.77–0.81, the
 *   final checkpoint included.
 * - Temporary storage is kept in memory. Each report is written under a savepoint (and each insert
 *   under a statement savepoint), for which SQLite copies every page the report first changes,
 *   the b-trees' hot right edges among them, to a sub-journal: past 64 KB, a temp file written
 *   with one pwrite a page. In memory, the writer spent 0.43–0.49 ms CPU a report against
 *   0.55–0.62 (alternated, batches of 64). Only for the load: queries keep spilling large sorts
 *   to disk instead of holding them in memory.
 */
export function beginBulkLoad(db: Kysely<Database>, pages = 16_000): () => void {
  const sqlite = sqliteOf(db);
  if (!sqlite || sqlite.memory || sqlite.readonly) return () => {};
  const ownCheckpoint = Number(sqlite.pragma("wal_autocheckpoint", { simple: true }));
  const ownTempStore = Number(sqlite.pragma("temp_store", { simple: true }));
  // integers only: a pragma takes no bound parameters
  sqlite.pragma(`wal_autocheckpoint = ${Math.max(ownCheckpoint, Math.floor(pages))}`);
  sqlite.pragma("temp_store = MEMORY");
  return () => {
    if (!sqlite.open) return;
    sqlite.pragma(`wal_autocheckpoint = ${ownCheckpoint}`);
    sqlite.pragma(`temp_store = ${ownTempStore}`);
    if (!sqlite.inTransaction) sqlite.pragma("wal_checkpoint(PASSIVE)");
  };
}

/**
 * What compiled SQL can be shared by: a DB from openDatabase and every transaction begun on it
 * with `transaction` compile alike (same dialect, no plugins), so they share one key; any other
 * Kysely instance is its own.
 */
export function compileScope(db: Kysely<Database>): object {
  return handles.get(db)?.statements ?? db;
}

export interface CompiledSql {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** The rows of a statement (none for one that returns none), as Kysely's SQLite driver would give them. */
export function runCompiled<Row>(db: Kysely<Database>, query: CompiledSql): Row[] | Promise<Row[]> {
  const handle = handles.get(db);
  if (handle && handle.sqlite.inTransaction === handle.insideTransaction) {
    const stmt = handle.statements.prepare(query.sql);
    if (stmt.reader) return stmt.all(query.parameters) as Row[];
    stmt.run(query.parameters);
    return [];
  }
  return db.executeQuery<Row>(CompiledQuery.raw(query.sql, [...query.parameters])).then((r) => r.rows);
}

/** `db.transaction().execute(fn)`, with statements run through `runCompiled` inside it taking the direct path. */
export function transaction<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => {
    const handle = handles.get(db);
    if (handle && !handle.insideTransaction) handles.set(trx, { ...handle, insideTransaction: true });
    return fn(trx);
  });
}

/**
 * Kysely prepares every query anew; with better-sqlite3 preparing is a large share of a small query's
 * cost (about 40 % of loading a report), so statements are kept by SQL text. Kysely's SQLite driver runs
 * one query at a time per connection, so a cached statement is never in use twice.
 */
function withStatementCache(sqlite: SQLite.Database, max = 512) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (stmt) {
        cache.delete(sqlText);
        cache.set(sqlText, stmt);
        return stmt;
      }
      stmt = sqlite.prepare(sqlText);
      cache.set(sqlText, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}

export async function migrateToLatest(db: DB): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ""}: ${String(error)}`);
  }
}
