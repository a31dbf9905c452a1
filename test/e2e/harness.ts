/**
 * Shared machinery for browser tests: a fresh Remix build, the real server (app/server.ts) on a
 * free port with a temporary database, and Debian's Chromium driven by playwright-core.
 * Other browser tests (briefing, upload) can use it too.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { insertUser } from "../../db/queries/users";
import type { Role } from "../../db/schema";
import { hashPassword } from "../../app/auth/passwords.server";

/** The password of every account seedAccounts creates. */
export const E2E_PASSWORD = "e2e password 1";

/**
 * Accounts for a browser test's database, before its server starts (which then creates no demo
 * accounts): admin, analyst, and a reporter bound to the named departments (by name).
 */
export async function seedAccounts(file: string, reporterDepartments: string[] = []): Promise<void> {
  const { db } = openDatabase(file);
  try {
    await migrateToLatest(db);
    const ids = reporterDepartments.length
      ? (await db.selectFrom("departments").select("id").where("name", "in", reporterDepartments).execute()).map((d) => d.id)
      : [];
    const accounts: [string, Role, number[]][] = [["admin", "admin", []], ["analyst", "analyst", []], ["reporter", "reporter", ids]];
    const hash = await hashPassword(E2E_PASSWORD);
    for (const [username, role, departmentIds] of accounts) await insertUser(db, { username, role, departmentIds, passwordHash: hash });
  } finally {
    await db.destroy();
  }
}

/** Signs in through the login form, as a person would, and waits for the page it leads to. */
export async function logIn(page: Page, baseUrl: string, username: string, password = E2E_PASSWORD): Promise<void> {
  // no wait for hydration: the form posts natively too (and a page may run without JavaScript)
  await page.goto(new URL("/login", baseUrl).href, { waitUntil: "networkidle" });
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login", { timeout: 60_000 }), page.click('button[type="submit"]')]);
}

export const ROOT = path.resolve(__dirname, "../..");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
export const SCREENSHOTS = path.join(ROOT, "test", "screenshots");

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `remix build` when build/ is missing or older than any source it is built from. Test files
 * run in parallel processes, so a lock directory makes the others wait for the one that builds.
 */
export async function ensureBuild(): Promise<void> {
  const serverBuild = path.join(ROOT, "build", "index.js");
  const sources = Math.max(
    newestMtime(path.join(ROOT, "app")),
    newestMtime(path.join(ROOT, "db")),
    newestMtime(path.join(ROOT, "ingest")),
    fs.statSync(path.join(ROOT, "remix.config.js")).mtimeMs,
  );
  // `npm run dev` leaves a development bundle (jsxDEV) in build/: not one the production server can run.
  const fresh = () =>
    fs.existsSync(serverBuild) && fs.statSync(serverBuild).mtimeMs >= sources && !fs.readFileSync(serverBuild, "utf8").includes("jsxDEV");
  if (fresh()) return;
  const lock = path.join(ROOT, ".cache", "build.lock");
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock older than five minutes was left by a killed run.
      if (fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      if (waited > 300_000) throw new Error("timed out waiting for another test's remix build");
      await sleep(500);
    }
  }
  try {
    if (!fresh()) execFileSync(path.join(ROOT, "node_modules", ".bin", "remix"), ["build"], {
        cwd: ROOT,
        stdio: "pipe",
        // vitest sets NODE_ENV=test, which would make a development build (jsxDEV) that the server cannot run.
        env: { ...process.env, NODE_ENV: "production" },
      });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts app/server.ts like `npm start` does (after the build) and waits for the URL it prints. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child: ChildProcess = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["app/server.ts"], {
    cwd: ROOT,
    // DATA_DIR unset: the session key and stored files go beside the test's database
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 120 s:\n${output}`)), 120_000);
    const check = () => {
      const m = /running at (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout?.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Launches Chromium; fails loudly (never skips) when it is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the browser tests need it. Install it with ` +
        "`apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH).",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** console errors and uncaught page errors, for "loads without console errors" assertions */
  errors: string[];
}

/**
 * A fresh context and page (zh-CN, downloads on) that records every console and page error;
 * signed in as `as.username` when given.
 */
export async function openWatchedPage(
  browser: Browser,
  width = 1280,
  height = 800,
  as?: { url: string; username: string },
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, locale: "zh-CN" });
  const page = await context.newPage();
  if (as) await logIn(page, as.url, as.username);
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, context, errors };
}
