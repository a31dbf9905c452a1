import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureDb } from "../app/fixture";
import { E2E_PASSWORD, ensureBuild, launchBrowser, openWatchedPage, seedAccounts, startServer, type RunningServer } from "./harness";

/**
 * Each role signs in through the login page and walks every page its navigation offers; what it
 * may not open answers as the server decides (403 for a reporter's briefing, 404 for another
 * department's report), and a signed-out visitor is sent to the login page.
 */
let server: RunningServer;
let browser: Browser;
let tmp: string;
let ids: { ownReport: number; otherReport: number };
/** every session cookie the browser was given, to look for in the server's output */
const cookies: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-roles-e2e-"));
  const file = path.join(tmp, "roles.db");
  const fx = await createFixtureDb(file);
  ids = { ownReport: await fx.reportId("教育局", 2023), otherReport: await fx.reportId("交通运输局", 2023) };
  fx.close();
  await seedAccounts(file, ["教育局"]);
  await ensureBuild();
  server = await startServer({ DATABASE_PATH: file, DEMO: "0" });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const NAV: Record<string, string[]> = {
  admin: ["/", "/departments", "/indicators", "/quality", "/review", "/briefing", "/upload", "/admin/audit", "/admin/trash"],
  analyst: ["/", "/departments", "/indicators", "/quality", "/review", "/briefing", "/upload"],
  reporter: ["/", "/departments", "/indicators", "/quality", "/upload"],
};

describe("signed in as each role", { timeout: 240_000 }, () => {
  it("a signed-out visitor is sent to the login page and back after signing in", async () => {
    const w = await openWatchedPage(browser);
    await w.page.goto(`${server.url}quality?year=2023`, { waitUntil: "networkidle" });
    expect(new URL(w.page.url()).pathname).toBe("/login");
    expect(await w.page.locator("h1").innerText()).toBe("登录");
    await w.page.fill('input[name="username"]', "analyst");
    await w.page.fill('input[name="password"]', "wrong password");
    await w.page.click('button[type="submit"]');
    await expect.poll(() => w.page.locator("[data-testid=login-error]").innerText().catch(() => "")).toBe("用户名或密码错误。");
    const res = await w.page.request.get(`${server.url}briefing.docx?year=2023`);
    expect(res.status()).toBe(401);
    await w.page.fill('input[name="password"]', "e2e password 1");
    await Promise.all([w.page.waitForURL(/\/quality\?year=2023$/), w.page.click('button[type="submit"]')]);
    await expect.poll(() => w.page.locator("h1").innerText()).toBe("数据质量");
    await w.context.close();
  });

  for (const role of ["admin", "analyst", "reporter"] as const) {
    it(`${role}: the navigation lists its pages and each loads`, async () => {
      const w = await openWatchedPage(browser, 1280, 800, { url: server.url, username: role });
      expect(await w.page.getByTestId("signed-in-as").innerText()).toContain(role);
      cookies.push(...(await w.context.cookies()).map((c) => c.value));
      const links = await w.page.locator("nav.nav a").evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      expect(links).toEqual(NAV[role]);
      for (const p of links) {
        const res = await w.page.goto(server.url + p.slice(1), { waitUntil: "networkidle" });
        expect(res?.status(), `${role} ${p}`).toBe(200);
      }
      const own = await w.page.goto(`${server.url}reports/${ids.ownReport}`, { waitUntil: "networkidle" });
      expect(own?.status()).toBe(200);
      const other = await w.page.goto(`${server.url}reports/${ids.otherReport}`, { waitUntil: "networkidle" });
      expect(other?.status()).toBe(role === "reporter" ? 404 : 200);
      const briefing = await w.page.goto(`${server.url}briefing?year=2023`, { waitUntil: "networkidle" });
      expect(briefing?.status()).toBe(role === "reporter" ? 403 : 200);
      const docx = await w.page.request.get(`${server.url}briefing.docx?year=2023`);
      expect(docx.status()).toBe(role === "reporter" ? 403 : 200);
      // logging out ends the session: the next page is the login page
      await w.page.goto(server.url, { waitUntil: "networkidle" });
      await Promise.all([w.page.waitForURL(/\/login$/), w.page.getByRole("button", { name: "退出" }).click()]);
      await w.page.goto(`${server.url}departments`, { waitUntil: "networkidle" });
      expect(new URL(w.page.url()).pathname).toBe("/login");
      // 403/404 pages log a failed resource load in Chromium's console; nothing else may
      expect(w.errors.filter((e) => !/status of 40[34]/.test(e))).toEqual([]);
      await w.context.close();
    });
  }

  it("the server's output holds no password, session cookie or key", () => {
    const out = server.output();
    const key = fs.readFileSync(path.join(tmp, "session-secret"), "utf8").trim();
    expect(cookies.length).toBeGreaterThanOrEqual(3);
    for (const secret of [E2E_PASSWORD, "wrong password", key, ...cookies]) expect(out).not.toContain(secret);
    expect(out).toMatch(/running at/);
  });
});
