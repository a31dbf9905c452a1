/**
 * `tsx bench/pages.ts [--scale 100k] [--runs 7]`: server response time of every dashboard page at
 * 100k reports — the whole HTTP round trip of the production server (loader queries + React
 * render + compression), median and p95 of warm runs. Writes "pages" in bench/results.json and
 * keeps every other key (bench/run.ts owns those).
 *
 * The database is bench/run.ts's bench/tmp/rows-<scale>.db when that one is complete; otherwise
 * this tool builds its own bench/tmp/pages-<scale>.db with the same corpus options (it never
 * touches the other's file, which bench/run.ts may be writing at the same moment).
 *
 * Then the same on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL names a server: the
 * server process on DATABASE_URL, over a clone (CREATE DATABASE … TEMPLATE) of bench/postgres.ts's
 * copy of the corpus, so that the concurrent ingest's new reports never reach the copy the query
 * bench reuses. Without a server that run is skipped with a line saying so.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase, openDatabaseAt } from "../db/connection";
import { getUserByName, insertUser, setUserPassword } from "../db/queries/users";
import { hashPassword } from "../app/auth/passwords.server";
import { writeCorpus } from "./generate";
import { benchDatabaseName, benchServerUrl, databaseUrl, ensurePostgresCopy, SKIP_REASON } from "./postgres";
import { writeRows } from "./rows";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, "..");
const TMP = path.join(HERE, "tmp");
const RESULTS = path.join(HERE, "results.json");
const SCALES: Record<string, number> = { "10k": 10_000, "100k": 100_000, "1m": 1_000_000 };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

function complete(file: string, reports: number): boolean {
  if (!fs.existsSync(file)) return false;
  const s = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const n = (s.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
    const agg = (s.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'report_agg'").get() as { n: number }).n;
    return n === reports && agg === 1;
  } catch {
    return false;
  } finally {
    s.close();
  }
}

async function scaleDb(scale: string): Promise<string> {
  const reports = SCALES[scale];
  if (!reports) throw new Error(`unknown scale ${scale} (10k, 100k, 1m)`);
  const shared = path.join(TMP, `rows-${scale}.db`);
  if (complete(shared, reports)) return shared;
  const file = path.join(TMP, `pages-${scale}.db`);
  if (complete(file, reports)) return file;
  fs.mkdirSync(TMP, { recursive: true });
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  log(`building ${file} (${reports} reports) …`);
  const { db, sqlite } = openDatabase(file);
  await migrateToLatest(db);
  // Same corpus as bench/run.ts, so either tool can reuse the other's database.
  await writeRows(sqlite, { reports, departments: 200, years: [2020, 2024], seed: 20261123, scoreItems: reports <= 100_000 });
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  return file;
}

/**
 * The environment that points the server and the ingest CLI at `location`: an SQLite file
 * (DATABASE_URL cleared, which would win) or a postgres:// URL.
 */
function databaseEnv(location: string): Record<string, string> {
  return /^postgres(ql)?:\/\//i.test(location) ? { DATABASE_URL: location, DATABASE_PATH: "" } : { DATABASE_URL: "", DATABASE_PATH: location };
}

function startServer(location: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["app/server.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DEMO: "0", ...databaseEnv(location) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1].replace("localhost", "127.0.0.1"), stop: () => child.kill("SIGTERM") });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/**
 * Every page needs a signed-in user: the bench gives its database an analyst account with a
 * password made up for this run (never printed or stored but as a hash) and signs in over HTTP,
 * as a browser would, so that the timings include the session check every request pays.
 */
async function benchAccount(location: string): Promise<string> {
  const password = randomBytes(18).toString("base64url");
  const { db, close } = openDatabaseAt(location);
  try {
    await migrateToLatest(db);
    const passwordHash = await hashPassword(password);
    const known = await getUserByName(db, { username: "bench" });
    if (known) await setUserPassword(db, { userId: known.id, passwordHash });
    else await insertUser(db, { username: "bench", role: "analyst", passwordHash });
  } finally {
    await close();
  }
  return password;
}

async function signIn(base: string, password: string): Promise<string> {
  const page = await fetch(`${base}login`);
  const pre = (page.headers.get("set-cookie") ?? "").split(";")[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on the login page");
  const res = await fetch(`${base}login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: pre, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, username: "bench", password, next: "/" }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`bench sign-in failed (${res.status})`);
  return cookie;
}

let sessionCookie = "";

async function time(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { "accept-encoding": "gzip", cookie: sessionCookie } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

/**
 * Many analysts at once while a department's files load: `clients` loops each fetch the dashboard's
 * pages in turn, from the moment an ingest (the command-line loader, a process of its own, as an
 * upload would be) starts until it ends. Every answer must be a 200; the latencies are of whole
 * page loads under that load.
 */
async function loadDuringIngest(o: { base: string; urls: string[]; clients: number; location: string; reports: number }) {
  const dir = path.join(TMP, `concurrent-${o.reports}`);
  // new reports each run: a corpus of its own departments, so every file is a load, not "unchanged"
  fs.rmSync(dir, { recursive: true, force: true });
  writeCorpus(dir, { reports: o.reports, departments: 40, years: [2025, 2025], seed: Date.now() % 1_000_000 });
  const started = performance.now();
  const ingest = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["ingest/cli/ingest.ts", dir], {
    cwd: ROOT,
    env: { ...process.env, ...databaseEnv(o.location) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let ingestOut = "";
  let ingestErr = "";
  ingest.stdout.on("data", (d) => (ingestOut += d));
  // progress lines, one per file; only the tail is kept, for a failure's message
  ingest.stderr.on("data", (d) => (ingestErr = (ingestErr + d).slice(-20_000)));
  let running = true;
  const ended = new Promise<number>((resolve) =>
    ingest.on("exit", (code) => {
      running = false;
      resolve(code ?? -1);
    }),
  );
  const samples: number[] = [];
  const failures: string[] = [];
  const client = async (k: number) => {
    for (let i = k; running; i++) {
      const url = o.urls[i % o.urls.length];
      try {
        samples.push(await time(url));
      } catch (err) {
        failures.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  await Promise.all([...Array.from({ length: o.clients }, (_, k) => client(k)), ended]);
  const seconds = (performance.now() - started) / 1000;
  const code = await ended;
  if (code !== 0) throw new Error(`the ingest during the page loads failed (exit ${code}):\n${ingestOut.slice(-3000)}\n${ingestErr.slice(-3000)}`);
  for (const f of [...new Set(failures)].slice(0, 5)) log(`  error: ${f}`);
  samples.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    clients: o.clients,
    loads: samples.length + failures.length,
    errors: failures.length,
    medianMs: round(quantile(samples, 0.5)),
    p95Ms: round(quantile(samples, 0.95)),
    maxMs: round(samples.at(-1) ?? 0),
    ingest: { reports: o.reports, seconds: round(seconds), reportsPerSec: Math.round(o.reports / seconds) },
  };
}

/**
 * Disagreements between the base rows and what the loader kept beside them (summary tables and
 * their all-reports rollups), and whether every report of the ingest arrived: empty when consistent.
 */
async function checkStore(location: string, expectedReports: number): Promise<string[]> {
  const { db, close } = openDatabaseAt(location);
  const problems: string[] = [];
  try {
    // constant SQL: table and column names only
    const one = async (text: string) => Number((await sql.raw<{ n: number | string | null }>(text).execute(db)).rows[0].n ?? 0);
    const reports = await one("SELECT count(*) AS n FROM reports");
    if (reports !== expectedReports) problems.push(`reports: ${reports}, expected ${expectedReports}`);
    for (const [base, agg, measure] of [["reports", "report", "reports"], ["indicators", "indicator", "indicators"], ["findings", "finding", "findings"], ["line_items", "line_item", "items"]]) {
      const rows = await one(`SELECT count(*) AS n FROM ${base}`);
      const summed = await one(`SELECT sum(${measure}) AS n FROM ${agg}_agg`);
      const rolled = await one(`SELECT sum(${measure}) AS n FROM ${agg}_rollup WHERE grain = 0`);
      if (rows !== summed || rows !== rolled) problems.push(`${base}: ${rows} rows, ${summed} in ${agg}_agg, ${rolled} in ${agg}_rollup`);
    }
  } finally {
    await close();
  }
  return problems;
}

type PageTimes = Record<string, Record<string, { medianMs: number; p95Ms: number; runs: number }>>;
type Concurrent = Awaited<ReturnType<typeof loadDuringIngest>> & { consistentAfterIngest?: boolean };

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * One store: the server on `location`, each page timed warm, then `clients` loops during an ingest
 * into the same store. `ids` are the department, report and year the pages ask about.
 */
async function benchStore(o: { label: string; location: string; scale: string; runs: number; clients: number; ingest: number; ids: { dept: number; report: number; year: number } }) {
  const password = await benchAccount(o.location);
  const server = await startServer(o.location);
  const pages: Record<string, string> = {
    overview: "",
    overviewYear: `?year=${o.ids.year}`,
    departments: "departments",
    department: `departments/${o.ids.dept}`,
    report: `reports/${o.ids.report}`,
    indicators: "indicators",
    quality: "quality",
  };
  const results: PageTimes = {};
  let concurrent: Concurrent | null = null;
  try {
    sessionCookie = await signIn(server.url, password);
    for (const [name, p] of Object.entries(pages)) {
      await time(server.url + p); // warm: first render compiles nothing, but fills the store's page cache
      const samples: number[] = [];
      for (let i = 0; i < o.runs; i++) samples.push(await time(server.url + p));
      samples.sort((a, b) => a - b);
      results[name] = { [o.scale]: { medianMs: round1(quantile(samples, 0.5)), p95Ms: round1(quantile(samples, 0.95)), runs: o.runs } };
      log(`${o.label.padEnd(10)} ${name.padEnd(14)} ${o.scale.padStart(5)}  median ${results[name][o.scale].medianMs.toFixed(1).padStart(8)} ms  p95 ${results[name][o.scale].p95Ms.toFixed(1).padStart(8)} ms`);
    }
    const { db: before, close } = openDatabaseAt(o.location);
    const reportsBefore = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM reports`.execute(before)).rows[0].n);
    await close();
    concurrent = await loadDuringIngest({ base: server.url, urls: Object.values(pages).map((p) => server.url + p), clients: o.clients, location: o.location, reports: o.ingest });
    log(
      `${o.label}: ${o.clients} clients during an ingest of ${concurrent.ingest.reports} reports (${concurrent.ingest.reportsPerSec} reports/s): ` +
        `${concurrent.loads} page loads, ${concurrent.errors} errors, median ${concurrent.medianMs} ms, p95 ${concurrent.p95Ms} ms, max ${concurrent.maxMs} ms`,
    );
    const problems = await checkStore(o.location, reportsBefore + o.ingest);
    for (const p of problems) log(`${o.label}: after the ingest, ${p}`);
    concurrent = { ...concurrent, consistentAfterIngest: problems.length === 0 };
  } finally {
    server.stop();
  }
  return { results, concurrent };
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const scale = arg("scale", "100k");
  const runs = Math.max(5, Number(arg("runs", "7")));
  const clients = Math.max(1, Number(arg("clients", "50")));
  const ingest = Number(arg("ingest", "2000"));
  const dbFile = await scaleDb(scale);
  const probe = new SQLite(dbFile, { readonly: true });
  const dept = probe.prepare("SELECT department_id AS id FROM reports WHERE department_id IS NOT NULL GROUP BY department_id ORDER BY count(*) DESC LIMIT 1").get() as { id: number };
  const report = probe.prepare("SELECT id FROM reports WHERE kind = 'project' ORDER BY id DESC LIMIT 1").get() as { id: number };
  const year = probe.prepare("SELECT max(year) AS y FROM reports").get() as { y: number };
  probe.close();
  const ids = { dept: dept.id, report: report.id, year: year.y };

  // PostgreSQL's copy of the corpus is taken (or checked) now, while the SQLite file still holds
  // just the corpus: the ingest below adds to it
  const server = benchServerUrl();
  if (!server) log(SKIP_REASON);
  const pgCopy = server ? await ensurePostgresCopy({ sqliteFile: dbFile, serverUrl: server.url, scale }) : null;

  log("building the app (remix build) …");
  try {
    execFileSync(path.join(ROOT, "node_modules", ".bin", "remix"), ["build"], { cwd: ROOT, stdio: "pipe", env: { ...process.env, NODE_ENV: "production" } });
  } catch (err) {
    throw new Error(`remix build failed:\n${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  const lite = await benchStore({ label: "sqlite", location: dbFile, scale, runs, clients, ingest, ids });

  let onPg: Awaited<ReturnType<typeof benchStore>> | null = null;
  let pgFailure: unknown = null;
  if (server && pgCopy) {
    // a clone per run: the ingest's new reports stay out of the copy the query bench reuses
    const clone = `jixiao_bench_pages_${scale}`;
    await adminQuery(server.url, `DROP DATABASE IF EXISTS ${clone} WITH (FORCE)`);
    await adminQuery(server.url, `CREATE DATABASE ${clone} TEMPLATE ${benchDatabaseName(scale)}`);
    try {
      // the ids are the SQLite file's: the copy keeps them
      onPg = await benchStore({ label: "postgres", location: databaseUrl(server.url, clone), scale, runs, clients, ingest, ids });
    } catch (err) {
      // SQLite's figures are still written below; the failure is reported and fails the run
      pgFailure = err;
    }
  }

  const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as Record<string, unknown>) : {};
  const previousPages = (previous.pages as Record<string, unknown>) ?? {};
  const previousConcurrent = (previousPages.concurrentDuringIngest as Record<string, unknown>) ?? {};
  const previousPg = (previousPages.postgres as PageTimes) ?? {};
  const concurrent: Record<string, Concurrent> = {};
  if (lite.concurrent) concurrent[`sqlite-${scale}`] = lite.concurrent;
  if (onPg?.concurrent) concurrent[`postgres-${scale}`] = onPg.concurrent;
  const merged = {
    ...previous,
    pages: {
      ...previousPages,
      ...lite.results,
      ...(onPg ? { postgres: { ...previousPg, ...Object.fromEntries(Object.entries(onPg.results).map(([n, v]) => [n, { ...previousPg[n], ...v }])) } } : {}),
      concurrentDuringIngest: { ...previousConcurrent, ...concurrent },
    },
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  log(`wrote "pages" to ${path.relative(ROOT, RESULTS)}`);
  for (const [label, c] of Object.entries(concurrent)) {
    if (c.errors > 0) {
      log(`bench pages: ${c.errors} page loads failed during the ingest (${label})`);
      process.exitCode = 1;
    }
    if (c.consistentAfterIngest === false) {
      log(`bench pages: the store's summary tables disagree with its rows after the ingest (${label})`);
      process.exitCode = 1;
    }
  }
  if (pgFailure) throw pgFailure;
  if (onPg && server) await adminQuery(server.url, `DROP DATABASE IF EXISTS jixiao_bench_pages_${scale} WITH (FORCE)`);
}

main().catch((err) => {
  log(`bench pages: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
