/**
 * `tsx bench/pages.ts [--scale 100k] [--runs 7]`: server response time of every dashboard page at
 * 100k reports — the whole HTTP round trip of the production server (loader queries + React
 * render + compression), median and p95 of warm runs. Writes "pages" in bench/results.json and
 * keeps every other key (bench/run.ts owns those).
 *
 * The database is bench/run.ts's bench/tmp/rows-<scale>.db when that one is complete; otherwise
 * this tool builds its own bench/tmp/pages-<scale>.db with the same corpus options (it never
 * touches the other's file, which bench/run.ts may be writing at the same moment).
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { migrateToLatest, openDatabase } from "../db/connection";
import { getUserByName, insertUser, setUserPassword } from "../db/queries/users";
import { hashPassword } from "../app/auth/passwords.server";
import { writeCorpus } from "./generate";
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

function startServer(dbFile: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["app/server.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DEMO: "0", DATABASE_PATH: dbFile },
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
async function benchAccount(dbFile: string): Promise<string> {
  const password = randomBytes(18).toString("base64url");
  const { db } = openDatabase(dbFile);
  try {
    await migrateToLatest(db);
    const passwordHash = await hashPassword(password);
    const known = await getUserByName(db, { username: "bench" });
    if (known) await setUserPassword(db, { userId: known.id, passwordHash });
    else await insertUser(db, { username: "bench", role: "analyst", passwordHash });
  } finally {
    await db.destroy();
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
async function loadDuringIngest(o: { base: string; urls: string[]; clients: number; dbFile: string; reports: number }) {
  const dir = path.join(TMP, `concurrent-${o.reports}`);
  // new reports each run: a corpus of its own departments, so every file is a load, not "unchanged"
  fs.rmSync(dir, { recursive: true, force: true });
  writeCorpus(dir, { reports: o.reports, departments: 40, years: [2025, 2025], seed: Date.now() % 1_000_000 });
  const started = performance.now();
  const ingest = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["ingest/cli/ingest.ts", dir], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: o.dbFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let ingestOut = "";
  ingest.stdout.on("data", (d) => (ingestOut += d));
  ingest.stderr.on("data", () => {});
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
  if (code !== 0) throw new Error(`the ingest during the page loads failed (exit ${code}):\n${ingestOut.slice(-2000)}`);
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

async function main(): Promise<void> {
  const scale = arg("scale", "100k");
  const runs = Math.max(5, Number(arg("runs", "7")));
  const dbFile = await scaleDb(scale);
  const probe = new SQLite(dbFile, { readonly: true });
  const dept = probe.prepare("SELECT department_id AS id FROM reports WHERE department_id IS NOT NULL GROUP BY department_id ORDER BY count(*) DESC LIMIT 1").get() as { id: number };
  const report = probe.prepare("SELECT id FROM reports WHERE kind = 'project' ORDER BY id DESC LIMIT 1").get() as { id: number };
  const year = probe.prepare("SELECT max(year) AS y FROM reports").get() as { y: number };
  probe.close();

  log("building the app (remix build) …");
  try {
    execFileSync(path.join(ROOT, "node_modules", ".bin", "remix"), ["build"], { cwd: ROOT, stdio: "pipe", env: { ...process.env, NODE_ENV: "production" } });
  } catch (err) {
    throw new Error(`remix build failed:\n${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  const password = await benchAccount(dbFile);
  const server = await startServer(dbFile);
  sessionCookie = await signIn(server.url, password);
  const pages: Record<string, string> = {
    overview: "",
    overviewYear: `?year=${year.y}`,
    departments: "departments",
    department: `departments/${dept.id}`,
    report: `reports/${report.id}`,
    indicators: "indicators",
    quality: "quality",
  };
  const results: Record<string, Record<string, { medianMs: number; p95Ms: number; runs: number }>> = {};
  let concurrent: Awaited<ReturnType<typeof loadDuringIngest>> | null = null;
  try {
    for (const [name, p] of Object.entries(pages)) {
      await time(server.url + p); // warm: first render compiles nothing, but fills SQLite's page cache
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(await time(server.url + p));
      samples.sort((a, b) => a - b);
      const round = (n: number) => Math.round(n * 10) / 10;
      results[name] = { [scale]: { medianMs: round(quantile(samples, 0.5)), p95Ms: round(quantile(samples, 0.95)), runs } };
      log(`${name.padEnd(14)} ${scale.padStart(5)}  median ${results[name][scale].medianMs.toFixed(1).padStart(8)} ms  p95 ${results[name][scale].p95Ms.toFixed(1).padStart(8)} ms`);
    }
    const clients = Math.max(1, Number(arg("clients", "50")));
    concurrent = await loadDuringIngest({ base: server.url, urls: Object.values(pages).map((p) => server.url + p), clients, dbFile, reports: Number(arg("ingest", "2000")) });
    log(
      `${clients} clients during an ingest of ${concurrent.ingest.reports} reports (${concurrent.ingest.reportsPerSec} reports/s): ` +
        `${concurrent.loads} page loads, ${concurrent.errors} errors, median ${concurrent.medianMs} ms, p95 ${concurrent.p95Ms} ms, max ${concurrent.maxMs} ms`,
    );
  } finally {
    server.stop();
  }
  const previous = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as Record<string, unknown>) : {};
  const previousPages = (previous.pages as Record<string, unknown>) ?? {};
  const previousConcurrent = (previousPages.concurrentDuringIngest as Record<string, unknown>) ?? {};
  const merged = {
    ...previous,
    pages: { ...previousPages, ...results, ...(concurrent ? { concurrentDuringIngest: { ...previousConcurrent, [`sqlite-${scale}`]: concurrent } } : {}) },
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  log(`wrote "pages" to ${path.relative(ROOT, RESULTS)}`);
  if (concurrent && concurrent.errors > 0) {
    log(`bench pages: ${concurrent.errors} page loads failed during the ingest`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  log(`bench pages: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
