import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import { migrateToLatest, openDatabase, type DB } from "../db/connection";
import * as q from "../db/queries";
import type { Database } from "../db/schema";
import { loadDepartmentPage } from "../app/pages/department.server";
import { type CorpusOptions } from "./generate";
import { benchIngest, printIngest } from "./ingest";
import { benchParse, printParse } from "./parse";
import type { PostgresScaleResult } from "./postgres";
import { writeRows } from "./rows";

/**
 * npm run bench [-- --scales 10k,100k,1m --runs 9 --ingest 10000 --no-ingest --no-parse --parse-passes 10 --build-only]
 * (or BENCH_SCALES=10k,100k). Writes bench/results.json (keeping keys it does not own, e.g.
 * "pages") and prints a table. Databases are built once under bench/tmp/ and reused.
 * `--scales none --no-ingest` runs only the parse benchmark on real-size reports (bench/parse.ts).
 * At 100k the queries are timed on PostgreSQL as well (bench/postgres.ts, results under "postgres")
 * when BENCH_DATABASE_URL or TEST_DATABASE_URL names a server; without one that step says it is skipped.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TMP = path.join(HERE, "tmp");
const RESULTS = path.join(HERE, "results.json");

/** Bump when bench/generate.ts changes what it writes. */
export const CORPUS_VERSION = 3;
/** The scale bench/postgres.ts times on PostgreSQL too (BENCH_DATABASE_URL or TEST_DATABASE_URL). */
const POSTGRES_SCALE = "100k";
export const SCALES: Record<string, number> = { "10k": 10_000, "100k": 100_000, "1m": 1_000_000 };
/** 200 departments (five regions' worth) over five years: ~1,000 reports per department-year at 1M. */
const CORPUS = (reports: number): CorpusOptions => ({ reports, departments: 200, years: [2020, 2024], seed: 20261123 });

function args(): { scales: string[]; runs: number; ingest: number; noIngest: boolean; noParse: boolean; parsePasses: number; buildOnly: boolean } {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : undefined;
  };
  // "--scales none" runs the ingest benchmark only
  const scales = (get("scales") ?? process.env.BENCH_SCALES ?? "10k,100k,1m").toLowerCase().split(",").filter((s) => s && s !== "none");
  for (const s of scales) if (!(s in SCALES)) throw new Error(`unknown scale ${s} (use ${Object.keys(SCALES).join(", ")})`);
  return {
    scales,
    runs: Math.max(7, Number(get("runs") ?? 9)),
    ingest: Number(get("ingest") ?? 10_000),
    noIngest: a.includes("--no-ingest") || process.env.BENCH_NO_INGEST === "1",
    noParse: a.includes("--no-parse"),
    parsePasses: Math.max(3, Number(get("parse-passes") ?? 10)),
    buildOnly: a.includes("--build-only"),
  };
}

const rssMb = () => process.memoryUsage().rss / 1_048_576;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const log = (s: string) => process.stderr.write(`${s}\n`);

function removeDb(file: string) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

// ---------------------------------------------------------------------------------------------
// Query databases, built once by the row writer

export async function scaleDb(scale: string): Promise<string> {
  const reports = SCALES[scale];
  fs.mkdirSync(TMP, { recursive: true });
  const file = path.join(TMP, `rows-${scale}-v${CORPUS_VERSION}.db`);
  if (fs.existsSync(file)) {
    const s = new SQLite(file, { readonly: true });
    try {
      const n = (s.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
      const migrated = (s.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'report_agg'").get() as { n: number }).n;
      s.close();
      if (n === reports && migrated === 1) {
        // bring a reused database to the current schema (a new analytics migration backfills itself)
        const { db } = openDatabase(file);
        await migrateToLatest(db);
        await db.destroy();
        return file;
      }
    } catch {
      // an unreadable or half-built file is rebuilt below
      if (s.open) s.close();
    }
  }
  removeDb(file);
  log(`building ${file} (${reports} reports) …`);
  const { db, sqlite } = openDatabase(file);
  await migrateToLatest(db);
  const t0 = performance.now();
  // ~20 framework rows per report only feed the report page; at 1M they would double the build time
  const r = await writeRows(sqlite, {
    ...CORPUS(reports),
    scoreItems: reports <= 100_000,
    onProgress: (done, total) => {
      if (done % 100_000 === 0 || done === total) log(`  ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(0)} s, rss ${rssMb().toFixed(0)} MB)`);
    },
  });
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  log(`  built in ${(r.ms / 1000).toFixed(0)} s`);
  return file;
}

// ---------------------------------------------------------------------------------------------
// Queries: the Kysely function against the raw SQL it compiles to

export interface Ctx {
  departmentId: number;
  reportId: number;
  year: number;
  region: string;
}

export type QueryFn = (db: DB, c: Ctx) => Promise<unknown>;

/** The dashboard's questions, timed on SQLite here and on PostgreSQL by bench/postgres.ts. */
export const QUERIES: Record<string, QueryFn> = {
  overview: (db) => q.getOverview(db, {}),
  overviewFiltered: (db, c) => q.getOverview(db, { filter: { years: [c.year], evaluationTypes: ["self"] } }),
  executionByDepartment: (db) => q.getExecutionByDepartment(db, {}),
  executionByRegion: (db) => q.getExecutionByRegion(db, {}),
  executionByYear: (db) => q.getExecutionByYear(db, {}),
  executionByDepartmentFiltered: (db, c) => q.getExecutionByDepartment(db, { filter: { years: [c.year], regions: [c.region] } }),
  // thresholds other than the defaults: whole rate points from rate_agg, one point compared exactly
  executionByDepartmentThresholds: (db) => q.getExecutionByDepartment(db, { lowThreshold: 72.5, midThreshold: 90 }),
  lowestExecutionProjects: (db) => q.getLowestExecutionProjects(db, { limit: 20 }),
  departmentTable: (db) => q.getDepartmentTable(db, {}),
  gradeCountsByDepartment: (db) => q.getGradeCounts(db, { by: "department" }),
  gradeCountsByYear: (db) => q.getGradeCounts(db, { by: "year" }),
  scoreHistogram: (db) => q.getScoreHistogram(db, {}),
  unmetByType: (db) => q.getUnmetIndicators(db, { by: "type" }),
  unmetByName: (db) => q.getUnmetIndicators(db, { by: "name", limit: 20 }),
  unmetByDepartment: (db) => q.getUnmetIndicators(db, { by: "department" }),
  deviationCauses: (db) => q.getDeviationCauses(db, {}),
  scoreLoss: (db) => q.getScoreLoss(db, {}),
  credibility: (db) => q.getCredibility(db, {}),
  yearOverYear: (db) => q.getYearOverYear(db, {}),
  lineItemSummary: (db) => q.getLineItemSummary(db, {}),
  dataQuality: (db) => q.getDataQuality(db, {}),
  departmentReports: (db, c) => q.getDepartmentReports(db, { departmentId: c.departmentId, limit: 100 }),
  department: (db, c) => q.getDepartment(db, { departmentId: c.departmentId }),
  // everything the department route's loader queries, as it queries it
  departmentPage: (db, c) => loadDepartmentPage(c.departmentId, new URLSearchParams(), db),
  reportDetail: (db, c) => q.getReportDetail(db, { reportId: c.reportId }),
  filterOptions: (db) => q.getFilterOptions(db, {}),
};

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
export const median = (xs: number[]) => percentile(xs, 50);
export const round = (x: number) => Math.round(x * 100) / 100;

/** The department, report, year and region the per-item queries ask about; ids are the same in a PostgreSQL copy. */
export function pickCtx(sqlite: SQLite.Database): Ctx {
  const pick = <T>(sqlText: string) => sqlite.prepare(sqlText).get() as T;
  return {
    departmentId: pick<{ id: number }>("SELECT department_id AS id FROM reports WHERE department_id IS NOT NULL ORDER BY id LIMIT 1").id,
    reportId: pick<{ id: number }>("SELECT max(id) AS id FROM reports").id,
    year: pick<{ y: number }>("SELECT max(year) AS y FROM reports").y,
    region: pick<{ r: string }>("SELECT region AS r FROM reports WHERE region IS NOT NULL LIMIT 1").r,
  };
}

async function benchQueries(file: string, runs: number) {
  // the app's own connection (WAL, statement cache) is what the timed side goes through
  const { db, sqlite } = openDatabase(file);
  sqlite.pragma("cache_size = -200000");
  let captured: CompiledQuery[] = [];
  const logging = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (e) => {
      if (e.level === "query") captured.push(e.query);
    },
  });
  const ctx = pickCtx(sqlite);
  const out: Record<string, { medianMs: number; p95Ms: number; floorMs: number; ratio: number; statements: number }> = {};
  for (const [name, fn] of Object.entries(QUERIES)) {
    captured = [];
    await fn(logging, ctx);
    const statements = captured.map((c) => {
      const stmt = sqlite.prepare(c.sql);
      return { stmt, params: c.parameters as unknown[], reader: stmt.reader };
    });
    const floorRun = () => {
      for (const s of statements) {
        if (s.reader) s.stmt.all(...s.params);
        else s.stmt.run(...s.params);
      }
    };
    // warm both paths (page cache, statement compilation) before timing
    for (let i = 0; i < 2; i++) {
      await fn(db, ctx);
      floorRun();
    }
    const app: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      // interleaved, so that a noisy neighbour hurts both sides alike
      let t = performance.now();
      await fn(db, ctx);
      app.push(performance.now() - t);
      t = performance.now();
      floorRun();
      floor.push(performance.now() - t);
    }
    const m = median(app);
    const f = median(floor);
    out[name] = { medianMs: round(m), p95Ms: round(percentile(app, 95)), floorMs: round(f), ratio: round(m / Math.max(f, 0.001)), statements: statements.length };
  }
  await db.destroy();
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * Milliseconds for a fixed workload that does not depend on Jixiao's code (JSON, strings, a hash,
 * an in-memory SQLite insert): how fast this machine was during the run. This virtual machine's
 * speed drifts by up to 1.6× within hours, so figures from two runs compare only alongside their
 * calibrations.
 */
function calibrationMs(): number {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const db = new SQLite(":memory:");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, v TEXT)");
    const insert = db.prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    const hash = createHash("sha256");
    db.transaction(() => {
      for (let i = 0; i < 50_000; i++) {
        const text = JSON.stringify({ i, name: `项目${i % 977}`, rate: (i % 10_000) / 100 });
        hash.update(text);
        insert.run(text.slice(0, 12), text);
      }
    })();
    hash.digest();
    db.close();
    times.push(performance.now() - started);
  }
  return round(median(times));
}

function machine() {
  const probe = new SQLite(":memory:");
  const sqliteVersion = (probe.prepare("SELECT sqlite_version() AS v").get() as { v: string }).v;
  probe.close();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    totalMemGb: round(os.totalmem() / 1024 ** 3),
    node: process.version,
    sqlite: sqliteVersion,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map(round),
    calibrationMsAtStart: calibrationMs(),
    date: new Date().toISOString(),
  };
}

/** Medians the dashboard must meet at a million reports (issue 16): every one answered from rollups. */
const TARGETS_1M: Record<string, number> = {
  overview: 5,
  executionByDepartment: 20,
  gradeCountsByDepartment: 30,
  unmetByName: 25,
  unmetByType: 25,
  deviationCauses: 25,
  departmentPage: 5,
};

type QueryResult = { medianMs: number; p95Ms: number; floorMs: number; ratio: number; previousMedianMs?: number | null };

function printTable(queries: Record<string, Record<string, QueryResult>>, scales: string[]) {
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [pad("query", 32) + scales.map((s) => pad(`${s} median / p95 / floor (ratio) ← previous`, 52)).join("") + "target at 1m"];
  for (const [name, byScale] of Object.entries(queries)) {
    const target = TARGETS_1M[name];
    const at1m = byScale["1m"];
    lines.push(
      pad(name, 32) +
        scales
          .map((s) => {
            const r = byScale[s];
            const prev = r?.previousMedianMs != null ? ` ← ${r.previousMedianMs}` : "";
            return pad(r ? `${r.medianMs} / ${r.p95Ms} / ${r.floorMs} ms (${r.ratio}×)${prev}` : "-", 52);
          })
          .join("") +
        (target === undefined ? "" : `≤ ${target} ms ${at1m ? (at1m.medianMs <= target ? "met" : "MISSED") : "not run"}`),
    );
  }
  console.log(lines.join("\n"));
}

async function main() {
  const opts = args();
  fs.mkdirSync(TMP, { recursive: true });
  const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as Record<string, unknown>) : {};
  const host = machine();
  // "machine" and "memory" describe the run that timed the ingest and the queries: a parse-only run
  // keeps them and records its own machine state under "parse"
  const parseOnly = opts.noIngest && opts.scales.length === 0;
  const results: Record<string, unknown> = { ...previous, ...(parseOnly ? {} : { machine: host }) };

  // first, while this process's heap holds nothing of the other sections
  if (!opts.noParse && !opts.buildOnly) {
    const parse = await benchParse({ timedPasses: opts.parsePasses, log });
    const { loadAverageAtStart: _load, calibrationMsAtStart, date, ...rest } = host;
    results.parse = { ...parse, machine: { ...rest, calibrationMsAtStart, calibrationMsAtEnd: calibrationMs(), date } };
    printParse(parse);
    if (parseOnly) {
      fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
      console.log(`results in ${path.relative(process.cwd(), RESULTS)} ("parse")`);
      return;
    }
  }

  if (!opts.noIngest && !opts.buildOnly) {
    const ingest = await benchIngest({ count: opts.ingest, tmp: TMP, log });
    // the last run's numbers stay beside the new ones for comparison
    const { previous: _older, ...last } = (previous.ingest as Record<string, unknown> | undefined) ?? {};
    results.ingest = { ...ingest, ...(previous.ingest ? { previous: last } : {}) };
    printIngest(ingest, last as { reportsPerSec?: number; meanKbPerReport?: number });
  }
  const queries = ((previous.queries as Record<string, Record<string, unknown>>) ?? {}) as Record<string, Record<string, QueryResult>>;
  let postgres: { scale: string; result: PostgresScaleResult; sqlite: Record<string, { medianMs: number }> } | null = null;
  for (const scale of opts.scales) {
    const file = await scaleDb(scale);
    if (opts.buildOnly) continue;
    log(`timing queries at ${scale} (${opts.runs} warm runs each) …`);
    const r = await benchQueries(file, opts.runs);
    // each figure keeps the one it replaces, so a run reads against the last
    for (const [name, v] of Object.entries(r)) (queries[name] ??= {})[scale] = { ...v, previousMedianMs: queries[name][scale]?.medianMs ?? null };
    if (scale === POSTGRES_SCALE) {
      // the same questions on PostgreSQL, over a copy of this very file (skipped, saying why, without a server)
      const { benchPostgres } = await import("./postgres");
      const pgResult = await benchPostgres({ sqliteFile: file, scale, runs: opts.runs });
      if (pgResult) {
        postgres = { scale, result: pgResult, sqlite: r };
        results.postgres = { ...((previous.postgres as Record<string, unknown>) ?? {}), [scale]: pgResult };
      }
    }
  }
  if (opts.buildOnly) return;
  results.queries = queries;
  results.targets = Object.fromEntries(
    Object.entries(TARGETS_1M).map(([name, targetMs]) => {
      const r = queries[name]?.["1m"];
      return [name, { targetMs, medianMs: r?.medianMs ?? null, floorMs: r?.floorMs ?? null, previousMedianMs: r?.previousMedianMs ?? null, met: r ? r.medianMs <= targetMs : null }];
    }),
  );
  results.memory = { peakRssMb: round(peakRssMb()) };
  (results.machine as Record<string, unknown>).calibrationMsAtEnd = calibrationMs();
  fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
  printTable(queries, Object.keys(SCALES).filter((s) => Object.values(queries).some((v) => s in v)));
  if (postgres) {
    const { printPostgresTable } = await import("./postgres");
    console.log("");
    printPostgresTable(postgres.scale, postgres.result, postgres.sqlite);
  }
  console.log(`peak RSS of the whole run: ${round(peakRssMb())} MB; results in ${path.relative(process.cwd(), RESULTS)}`);
}

// bench/postgres.ts imports the query list from here: main runs only when this file is the command
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
