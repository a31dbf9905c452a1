/**
 * `tsx bench/postgres.ts [--runs 9]`: the query bench of bench/run.ts at 100k reports on PostgreSQL.
 * `npm run bench` runs it after SQLite's 100k queries (bench/run.ts) when a server is named.
 *
 * The server is BENCH_DATABASE_URL, else TEST_DATABASE_URL (a URL whose database is only used to
 * connect: the bench creates a database of its own beside it, jixiao_bench_100k_v3). Without
 * either, the PostgreSQL bench is skipped with a line that says so.
 *
 * The data is bench/run.ts's SQLite file, copied row for row (same ids) into a freshly migrated
 * PostgreSQL database: batches of array parameters unnested by one INSERT … SELECT, the summary
 * tables and rollups then filled from those rows by the migrations' own backfills, as bench/rows.ts
 * does on SQLite. A finished copy is marked by a comment on the database and reused while it holds
 * as many reports as the SQLite file; before it is trusted, a few answers of the query layer are
 * compared between the two stores.
 *
 * Each query is timed through the app's own handle (openPostgres, a pool) beside its floor: the
 * statements it compiles to, captured by a logging Kysely on the same pool, sent as they are
 * through one bare pg.Client. Both are warmed twice, then timed interleaved.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, sql, type CompiledQuery } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase, openPostgres, type DB } from "../db/connection";
import { AGGREGATES, backfill } from "../db/migrations/2026-11-23T03-30_analytics";
import { backfillRatePoints, RATE_AGG } from "../db/migrations/2026-11-23T07-00_rate_points";
import { backfillRollups, ROLLUPS } from "../db/migrations/2026-12-07T03-00_rollups";
import * as q from "../db/queries";
import type { Database } from "../db/schema";
import { CORPUS_VERSION, median, percentile, pickCtx, QUERIES, round, scaleDb } from "./run";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, "results.json");
const log = (s: string) => process.stderr.write(`${s}\n`);

/** The server the bench may create databases on, and where the name came from; null when none is named. */
export function benchServerUrl(env: NodeJS.ProcessEnv = process.env): { url: string; from: string } | null {
  for (const name of ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]) {
    const url = env[name];
    if (url && /^postgres(ql)?:\/\//i.test(url)) return { url, from: name };
  }
  return null;
}

export const SKIP_REASON = "PostgreSQL bench skipped: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL names a postgres:// server";

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export const benchDatabaseName = (scale: string) => `jixiao_bench_${scale}_v${CORPUS_VERSION}`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const COMPLETE = /^jixiao bench copy: complete, (\d+) reports, copied in ([\d.]+) s$/;

/** The comment a finished copy carries, if database `name` exists; null if it does not. */
async function databaseComment(serverUrl: string, name: string): Promise<string | null | undefined> {
  return withClient(serverUrl, async (c) => {
    const r = await c.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [name],
    );
    return r.rows.length ? r.rows[0].comment : undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// The copy

/** Tables filled from the base rows after the copy, never copied. */
const DERIVED = new Set([...AGGREGATES.map((a) => a.table), RATE_AGG.table, ...ROLLUPS.map((r) => r.table)]);

/** PostgreSQL's array type for a column of `dataType`; the copy knows only the types the migrations create. */
function arrayType(dataType: string, table: string, column: string): string {
  const t: Record<string, string> = { bigint: "bigint[]", integer: "integer[]", smallint: "smallint[]", text: "text[]", "double precision": "float8[]", boolean: "boolean[]" };
  const a = t[dataType];
  if (!a) throw new Error(`bench copy: ${table}.${column} is ${dataType} on PostgreSQL, which the copy does not convert`);
  return a;
}

/** One SQLite value as its PostgreSQL array element, exactly or not at all. */
function converter(dataType: string, table: string, column: string): (v: unknown) => unknown {
  const where = `${table}.${column}`;
  if (dataType === "bigint" || dataType === "integer" || dataType === "smallint") {
    return (v) => {
      if (v === null || typeof v === "bigint") return v === null ? null : v.toString();
      throw new Error(`bench copy: ${where} holds ${typeof v} ${String(v)} where PostgreSQL has ${dataType}`);
    };
  }
  if (dataType === "text") {
    return (v) => {
      if (v === null || typeof v === "string") return v;
      // SQLite's TEXT affinity stores numbers as text already; anything else here is a schema drift
      throw new Error(`bench copy: ${where} holds ${typeof v} where PostgreSQL has text`);
    };
  }
  if (dataType === "double precision") return (v) => (v === null ? null : typeof v === "bigint" ? Number(v) : v);
  return (v) => (v === null ? null : typeof v === "bigint" ? v !== 0n : Boolean(v));
}

interface PgColumn {
  column_name: string;
  data_type: string;
}

/** Base tables in an order that satisfies every foreign key (parents first). */
async function copyOrder(c: pg.Client, tables: string[]): Promise<string[]> {
  const fks = await c.query<{ child: string; parent: string }>(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f'`,
  );
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const { child, parent } of fks.rows) if (child !== parent) parents.get(child)?.add(parent);
  const out: string[] = [];
  const visit = (t: string, path: string[]) => {
    if (out.includes(t)) return;
    if (path.includes(t)) throw new Error(`bench copy: foreign-key cycle ${[...path, t].join(" → ")}`);
    for (const p of parents.get(t) ?? []) if (parents.has(p)) visit(p, [...path, t]);
    out.push(t);
  };
  for (const t of tables) visit(t, []);
  return out;
}

async function copyTable(sqlite: SQLite.Database, c: pg.Client, table: string, batch: number): Promise<number> {
  const cols = (
    await c.query<PgColumn>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    )
  ).rows;
  if (!cols.length) throw new Error(`bench copy: table ${table} is not on PostgreSQL`);
  const sqliteCols = new Set((sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name));
  const missing = cols.filter((k) => !sqliteCols.has(k.column_name)).map((k) => k.column_name);
  const extra = [...sqliteCols].filter((n) => !cols.some((k) => k.column_name === n));
  if (missing.length || extra.length) throw new Error(`bench copy: ${table} differs between the stores (only on PostgreSQL: ${missing.join(", ") || "-"}; only on SQLite: ${extra.join(", ") || "-"})`);

  const names = cols.map((k) => k.column_name);
  const convert = cols.map((k) => converter(k.data_type, table, k.column_name));
  const quoted = names.map((n) => `"${n}"`).join(", ");
  const insert = `INSERT INTO ${table} (${quoted}) SELECT * FROM unnest(${cols.map((k, i) => `$${i + 1}::${arrayType(k.data_type, table, k.column_name)}`).join(", ")})`;
  const keyed = sqliteCols.has("id");
  // keyset pages by id (every base table has one but user_departments, which is small)
  const read = keyed
    ? sqlite.prepare(`SELECT ${quoted} FROM ${table} WHERE id > ? ORDER BY id LIMIT ${batch}`).raw(true).safeIntegers(true)
    : sqlite.prepare(`SELECT ${quoted} FROM ${table}`).raw(true).safeIntegers(true);
  const idAt = names.indexOf("id");
  const toArrays = (rows: unknown[][]) => {
    const arrays = names.map(() => new Array<unknown>(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let k = 0; k < names.length; k++) arrays[k][r] = convert[k](row[k]);
    }
    return arrays;
  };

  const started = performance.now();
  let copied = 0;
  let rows = (keyed ? read.all(0) : read.all()) as unknown[][];
  let pending: Promise<unknown> | null = null;
  while (rows.length) {
    const params = toArrays(rows);
    const n = rows.length;
    const last = keyed ? (rows[n - 1][idAt] as bigint) : null;
    if (pending) await pending;
    // PostgreSQL inserts this batch while the next one is read from SQLite
    pending = c.query(insert, params);
    copied += n;
    rows = keyed && n === batch ? (read.all(last) as unknown[][]) : [];
  }
  if (pending) await pending;
  const s = (performance.now() - started) / 1000;
  log(`  ${table.padEnd(16)} ${String(copied).padStart(9)} rows in ${s.toFixed(1).padStart(5)} s (${Math.round(copied / Math.max(s, 0.001)).toLocaleString("en")} rows/s)`);
  return copied;
}

/**
 * The PostgreSQL copy of the SQLite bench file for `scale`: reused when a finished copy holds as
 * many reports, otherwise made anew. Returns its URL and how long the copy took (now or when made).
 */
export async function ensurePostgresCopy(o: {
  sqliteFile: string;
  serverUrl: string;
  scale: string;
  /** the database's name (default jixiao_bench_<scale>_v<corpus version>) */
  name?: string;
  batch?: number;
}): Promise<{ url: string; name: string; copiedInS: number; reused: boolean }> {
  const name = o.name ?? benchDatabaseName(o.scale);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bench copy: ${name} is not a plain database name`);
  const url = databaseUrl(o.serverUrl, name);
  const probe = new SQLite(o.sqliteFile, { readonly: true, fileMustExist: true });
  const reports = (probe.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
  probe.close();

  const comment = await databaseComment(o.serverUrl, name);
  const done = comment ? COMPLETE.exec(comment) : null;
  if (done && Number(done[1]) === reports) {
    log(`reusing PostgreSQL database ${name} (${reports} reports, copied in ${done[2]} s)`);
    const { db } = openPostgres(url, { max: 2 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    // a few seconds, and nothing should have written to it since
    await verifyCopy(o.sqliteFile, url);
    return { url, name, copiedInS: Number(done[2]), reused: true };
  }

  log(`copying ${path.relative(process.cwd(), o.sqliteFile)} (${reports} reports) into PostgreSQL database ${name} …`);
  const started = performance.now();
  await withClient(o.serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const { db } = openPostgres(url, { max: 2 });
  const sqlite = new SQLite(o.sqliteFile, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: url });
  try {
    await migrateToLatest(db);
    await client.connect();
    // one batch lost in a crash is the whole copy lost anyway: no flush per commit
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '256MB'");

    const sqliteTables = (
      sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`).all() as { name: string }[]
    )
      .map((r) => r.name)
      .filter((t) => !DERIVED.has(t));
    const nonEmpty = sqliteTables.filter((t) => sqlite.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() !== undefined);
    const tables = await copyOrder(client, nonEmpty);

    // Secondary indexes are set aside for the load and built once after it (one sort each instead
    // of millions of B-tree inserts), and the foreign keys are added back after it, as pg_restore
    // does: one check of the whole table instead of a trigger per row. Primary keys and UNIQUE
    // constraints stay.
    const foreignKeys = (
      await client.query<{ table: string; name: string; def: string }>(
        `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
           FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
      )
    ).rows;
    for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
    const indexes = (
      await client.query<{ name: string; def: string }>(
        `SELECT ci.relname AS name, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_class ct ON ct.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = ct.relnamespace
          WHERE n.nspname = 'public' AND ct.relname = ANY($1::text[])
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
        [tables],
      )
    ).rows;
    for (const ix of indexes) await client.query(`DROP INDEX ${ix.name}`);

    const tCopy = performance.now();
    let rows = 0;
    for (const t of tables) rows += await copyTable(sqlite, client, t, o.batch ?? 10_000);
    log(`  ${rows} rows in ${((performance.now() - tCopy) / 1000).toFixed(1)} s`);

    let t0 = performance.now();
    for (const ix of indexes) await client.query(ix.def);
    log(`  ${indexes.length} indexes rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def}`);
    log(`  ${foreignKeys.length} foreign keys added back and checked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // rows copied with their ids leave the identity sequences at 1
    const identities = (
      await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' AND is_identity = 'YES'`,
      )
    ).rows.map((r) => r.table_name);
    for (const t of identities) await client.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), coalesce((SELECT max(id) FROM ${t}), 0) + 1, false)`);

    // the summary tables and rollups, from the base rows, with the migrations' own statements
    t0 = performance.now();
    for (const t of DERIVED) await client.query(`TRUNCATE ${t}`);
    await backfill(db);
    await backfillRatePoints(db);
    await backfillRollups(db);
    log(`  summary tables and rollups filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // VACUUM too: the visibility map lets index-only scans skip the heap, as on a server whose
    // autovacuum has been by, and autovacuum does not start in the middle of the timings
    t0 = performance.now();
    await client.query("VACUUM (ANALYZE)");
    log(`  VACUUM (ANALYZE) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    sqlite.close();
    await client.end().catch(() => {});
    await db.destroy();
  }
  const copiedInS = round((performance.now() - started) / 1000);
  await verifyCopy(o.sqliteFile, url);
  await withClient(o.serverUrl, (c) => c.query(`COMMENT ON DATABASE ${name} IS 'jixiao bench copy: complete, ${reports} reports, copied in ${copiedInS} s'`));
  log(`  copied and checked in ${copiedInS} s`);
  return { url, name, copiedInS, reused: false };
}

/** Throws unless both stores hold the same rows and give the same answers to a few questions. */
export async function verifyCopy(sqliteFile: string, url: string): Promise<void> {
  const lite = openDatabase(sqliteFile);
  const server = openPostgres(url, { max: 2 });
  try {
    const tables = (
      lite.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`).all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of tables) {
      // counts of every table, the derived ones too, and a checksum of the ids
      const idSum = lite.sqlite.prepare(`SELECT name FROM pragma_table_info(?) WHERE name = 'id'`).get(t) ? "sum(id)" : "0";
      const a = lite.sqlite.prepare(`SELECT count(*) AS n, ${idSum} AS s FROM ${t}`).safeIntegers(true).get() as { n: bigint; s: bigint | null };
      const b = (await sql.raw<{ n: string; s: string | null }>(`SELECT count(*)::text AS n, (${idSum})::text AS s FROM ${t}`).execute(server.db)).rows[0];
      assert.equal(b.n, a.n.toString(), `bench copy: ${t} holds ${b.n} rows on PostgreSQL, ${a.n} on SQLite`);
      assert.equal(b.s ?? "0", (a.s ?? 0n).toString(), `bench copy: ${t} ids differ between the stores`);
    }
    const ctx = pickCtx(lite.sqlite);
    const checks: Record<string, (db: DB) => Promise<unknown>> = {
      overview: (db) => q.getOverview(db, {}),
      overviewFiltered: (db) => q.getOverview(db, { filter: { years: [ctx.year], evaluationTypes: ["self"] } }),
      executionByDepartment: (db) => q.getExecutionByDepartment(db, {}),
      unmetByType: (db) => q.getUnmetIndicators(db, { by: "type" }),
      gradeCountsByYear: (db) => q.getGradeCounts(db, { by: "year" }),
      department: (db) => q.getDepartment(db, { departmentId: ctx.departmentId }),
    };
    for (const [name, fn] of Object.entries(checks)) {
      assert.deepStrictEqual(await fn(server.db), await fn(lite.db), `bench copy: ${name} answers differently on PostgreSQL`);
    }
  } finally {
    await lite.db.destroy();
    await server.db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The queries

export interface PgQueryResult {
  medianMs: number;
  p95Ms: number;
  floorMs: number;
  ratio: number;
  statements: number;
}

export async function benchPostgresQueries(o: { url: string; sqliteFile: string; runs: number }): Promise<Record<string, PgQueryResult>> {
  const probe = new SQLite(o.sqliteFile, { readonly: true, fileMustExist: true });
  const ctx = pickCtx(probe);
  probe.close();
  // the app's own handle is what the timed side goes through
  const { db, pool } = openPostgres(o.url);
  let captured: CompiledQuery[] = [];
  const logging = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === "query") captured.push(e.query);
    },
  });
  // the floor: the same statements through one bare connection, no pool, no Kysely
  const bare = new pg.Client({ connectionString: o.url });
  await bare.connect();
  const out: Record<string, PgQueryResult> = {};
  try {
    for (const [name, fn] of Object.entries(QUERIES)) {
      captured = [];
      await fn(logging, ctx);
      const statements = captured.map((c) => ({ text: c.sql, values: [...c.parameters] }));
      const floorRun = async () => {
        for (const s of statements) await bare.query(s.text, s.values);
      };
      for (let i = 0; i < 2; i++) {
        await fn(db, ctx);
        await floorRun();
      }
      const app: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < o.runs; i++) {
        let t = performance.now();
        await fn(db, ctx);
        app.push(performance.now() - t);
        t = performance.now();
        await floorRun();
        floor.push(performance.now() - t);
      }
      const m = median(app);
      const f = median(floor);
      out[name] = { medianMs: round(m), p95Ms: round(percentile(app, 95)), floorMs: round(f), ratio: round(m / Math.max(f, 0.001)), statements: statements.length };
    }
  } finally {
    await bare.end();
    await db.destroy();
  }
  return out;
}

export interface PostgresScaleResult {
  queries: Record<string, PgQueryResult>;
  server: string;
  copiedIn: number;
  reusedCopy: boolean;
  runs: number;
  date: string;
}

export async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (c) => `PostgreSQL ${(await c.query<{ server_version: string }>("SHOW server_version")).rows[0].server_version.split(" ")[0]}`);
}

/**
 * The whole PostgreSQL query bench at one scale, or null (with the reason on stderr) when no server
 * is named. The caller stores the result under results.postgres[scale].
 */
export async function benchPostgres(o: { sqliteFile: string; scale: string; runs: number }): Promise<PostgresScaleResult | null> {
  const server = benchServerUrl();
  if (!server) {
    log(SKIP_REASON);
    return null;
  }
  const copy = await ensurePostgresCopy({ sqliteFile: o.sqliteFile, serverUrl: server.url, scale: o.scale });
  log(`timing queries on PostgreSQL at ${o.scale} (${o.runs} warm runs each) …`);
  const queries = await benchPostgresQueries({ url: copy.url, sqliteFile: o.sqliteFile, runs: o.runs });
  return { queries, server: await serverVersion(copy.url), copiedIn: copy.copiedInS, reusedCopy: copy.reused, runs: o.runs, date: new Date().toISOString() };
}

export function printPostgresTable(scale: string, pgResult: PostgresScaleResult, sqliteMedians: Record<string, { medianMs: number } | undefined>): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    `${pgResult.server}, ${scale} reports (copy ${pgResult.reusedCopy ? "reused, made" : "made"} in ${pgResult.copiedIn} s)`,
    pad("query", 34) + pad(`SQLite ${scale} median`, 22) + pad(`PostgreSQL ${scale} median / p95`, 34) + pad("PG floor (ratio)", 22) + "statements",
  ];
  for (const [name, r] of Object.entries(pgResult.queries)) {
    const s = sqliteMedians[name];
    lines.push(pad(name, 34) + pad(s ? `${s.medianMs} ms` : "-", 22) + pad(`${r.medianMs} / ${r.p95Ms} ms`, 34) + pad(`${r.floorMs} ms (${r.ratio}×)`, 22) + r.statements);
  }
  console.log(lines.join("\n"));
}

/** results.json read, changed by `fn` and written back, keeping every key it does not touch. */
export function updateResults(fn: (r: Record<string, unknown>) => void): void {
  const results = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as Record<string, unknown>) : {};
  fn(results);
  fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--runs");
  const runs = Math.max(7, Number(i >= 0 ? process.argv[i + 1] : 9));
  const scale = "100k";
  if (!benchServerUrl()) {
    log(SKIP_REASON);
    return;
  }
  const sqliteFile = await scaleDb(scale);
  const r = await benchPostgres({ sqliteFile, scale, runs });
  if (!r) return;
  let sqliteQueries: Record<string, Record<string, { medianMs: number }>> = {};
  updateResults((results) => {
    results.postgres = { ...((results.postgres as Record<string, unknown>) ?? {}), [scale]: r };
    sqliteQueries = (results.queries as typeof sqliteQueries) ?? {};
  });
  printPostgresTable(scale, r, Object.fromEntries(Object.entries(sqliteQueries).map(([n, v]) => [n, v[scale]])));
  console.log(`results in ${path.relative(process.cwd(), RESULTS)} ("postgres")`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
