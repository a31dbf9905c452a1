import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, launchBrowser, logIn, SCREENSHOTS, startServer, type RunningServer } from "./harness";
import { freshPostgresDatabase, STORES } from "../helpers/stores";

/**
 * What a newcomer sees after `npm start` on a fresh clone: the server finds an empty database,
 * loads the demo jurisdiction (generator → parser → loader) and every page shows it.
 */
// On PostgreSQL too: `DATABASE_URL=postgres://… npm start` is how a bureau runs it for many analysts.
describe.each(STORES)("on %s", (store) => {
  // screenshots of the PostgreSQL run beside, not over, the SQLite ones
  const shot = store === "sqlite" ? "" : "postgres-";
  let server: RunningServer;
  let browser: Browser;
  let tmp: string;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-demo-e2e-"));
    await ensureBuild();
    if (store === "postgres") {
      const fresh = await freshPostgresDatabase();
      dropDatabase = fresh.drop;
      server = await startServer({ DATABASE_URL: fresh.url });
    } else {
      server = await startServer({ DATABASE_PATH: path.join(tmp, "demo.db") });
    }
    browser = await launchBrowser();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await dropDatabase?.();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("npm start on an empty database", { timeout: 240_000 }, () => {
    it("loads the demo jurisdiction and prints the URL", () => {
      expect(server.output()).toMatch(/demo jurisdiction loaded: \d+ files → [1-9]\d* reports loaded/);
      expect(server.output()).not.toMatch(/demo load failed/);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    });

    it("creates the three demo accounts and prints their passwords once", () => {
      const out = server.output();
      expect(out).toMatch(/demo accounts created/);
      for (const name of ["admin", "analyst", "reporter"]) expect(out).toMatch(new RegExp(`\\b${name}\\s+${name}\\s+[A-Za-z0-9]{16}`));
      expect(out.match(/demo accounts created/g)).toHaveLength(1);
    });

    it("every page shows the demo data without console errors", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const password = /analyst\s+analyst\s+([A-Za-z0-9]{16})/.exec(server.output())![1];
      await logIn(page, server.url, "analyst", password);
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));

      await page.goto(server.url, { waitUntil: "networkidle" });
      const reports = await page.locator("[data-testid=kpis] .kpi-value").first().innerText();
      expect(Number(reports.replace(/[^\d]/g, ""))).toBeGreaterThan(100);
      await page.screenshot({ path: path.join(SCREENSHOTS, `demo-${shot}overview-desktop.png`), fullPage: true });

      // Follow the app's own links: the first department and the first report it lists.
      await page.goto(`${server.url}departments`, { waitUntil: "networkidle" });
      const departmentHref = await page.locator("table.data tbody tr a").first().getAttribute("href");
      expect(departmentHref).toMatch(/^\/departments\/\d+/);
      await page.goto(server.url + departmentHref!.slice(1), { waitUntil: "networkidle" });
      const reportHref = await page.locator('a[href^="/reports/"]').first().getAttribute("href");
      await page.goto(server.url + reportHref!.slice(1), { waitUntil: "networkidle" });
      expect(await page.locator(".source-text li").count()).toBeGreaterThan(5);
      await page.screenshot({ path: path.join(SCREENSHOTS, `demo-${shot}report-desktop.png`), fullPage: true });
      for (const p of ["indicators", "quality"]) {
        const res = await page.goto(server.url + p, { waitUntil: "networkidle" });
        expect(res?.status()).toBe(200);
        await page.screenshot({ path: path.join(SCREENSHOTS, `demo-${shot}${p}-desktop.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  });
});
