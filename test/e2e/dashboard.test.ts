import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureDb, FIXTURE } from "../app/fixture";
import { ensureBuild, launchBrowser, openWatchedPage, SCREENSHOTS, seedAccounts, startServer, type RunningServer } from "./harness";

/**
 * The dashboard in a real browser, against the real server and the fixture jurisdiction
 * (test/app/fixture.ts: 3 departments × 2 years, hand-computed figures).
 */
let server: RunningServer;
let browser: Browser;
let ids: { edu: number; road: number; eduReport2023: number };
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-e2e-"));
  const fx = await createFixtureDb(path.join(tmp, "dashboard.db"));
  ids = { edu: await fx.departmentId("教育局"), road: await fx.departmentId("交通运输局"), eduReport2023: await fx.reportId("教育局", 2023) };
  fx.close();
  await seedAccounts(path.join(tmp, "dashboard.db"), ["教育局"]);
  await ensureBuild();
  server = await startServer({ DATABASE_PATH: path.join(tmp, "dashboard.db"), DEMO: "0" });
  browser = await launchBrowser();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  if (process.env.E2E_DEBUG) console.log(server?.output());
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const open = (width?: number, height?: number) => openWatchedPage(browser, width, height, { url: server.url, username: "analyst" });

/** Waits until React has hydrated the page (root.tsx marks <html>), so clicks and keys are handled. */
async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true", null, { timeout: 60_000 });
}

/** Waits for every chart on the page to draw, then counts painted pixels in each canvas. */
async function chartPixels(page: Page): Promise<Record<string, number>> {
  await ready(page);
  await page
    .waitForFunction(() => [...document.querySelectorAll("[data-chart]")].every((el) => (el as HTMLElement).dataset.rendered === "true"), null, {
      timeout: 60_000,
    })
    .catch(async (err) => {
      const pending = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>("[data-chart]")].filter((el) => el.dataset.rendered !== "true").map((el) => el.dataset.chart));
      throw new Error(`charts not drawn on ${page.url()}: ${pending.join(", ")} (${String(err)})`);
    });
  await page.waitForTimeout(200);
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const el of document.querySelectorAll<HTMLElement>("[data-chart]")) {
      let painted = 0;
      for (const canvas of el.querySelectorAll("canvas")) {
        const ctx = canvas.getContext("2d");
        if (!ctx || !canvas.width || !canvas.height) continue;
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      }
      out[el.dataset.chart ?? "?"] = painted;
    }
    return out;
  });
}

const pages = () => [
  { name: "overview", path: "/", charts: ["chart-execution", "chart-grades", "chart-trend", "chart-credibility"] },
  { name: "departments", path: "/departments", charts: [] },
  { name: "department", path: `/departments/${ids.road}`, charts: ["chart-dept-trend", "chart-dept-grades", "chart-dept-unmet", "chart-dept-loss"] },
  { name: "report", path: `/reports/${ids.eduReport2023}`, charts: [] },
  { name: "indicators", path: "/indicators", charts: ["chart-unmet-type", "chart-causes"] },
  { name: "quality", path: "/quality", charts: ["chart-quality-code", "chart-quality-dept"] },
];

// The machine may be busy (two cores, parallel test files): generous time limits, no timing asserted.
describe("dashboard in Chromium", { timeout: 240_000 }, () => {
  it.each([
    ["desktop", 1280, 800],
    ["phone", 390, 844],
  ] as const)("every page loads without console errors, every chart draws (%s screenshots)", async (label, width, height) => {
    {
      const w = await open(width, height);
      for (const p of pages()) {
        const res = await w.page.goto(server.url + p.path.slice(1), { waitUntil: "networkidle" });
        expect(res?.status(), `${p.path} status`).toBe(200);
        const pixels = await chartPixels(w.page);
        expect(Object.keys(pixels).sort(), `${p.path} charts`).toEqual([...p.charts].sort());
        for (const [chart, n] of Object.entries(pixels)) expect(n, `${p.path} ${chart} painted pixels (${label})`).toBeGreaterThan(500);
        // Nothing may stick out sideways on a phone: the page scrolls vertically only.
        const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${p.path} horizontal overflow at ${width}px`).toBeLessThanOrEqual(1);
        await w.page.screenshot({ path: path.join(SCREENSHOTS, `${p.name}-${label}.png`), fullPage: true });
      }
      expect(w.errors, `console errors (${label})`).toEqual([]);
      await w.context.close();
    }
  });

  it("an unknown id shows the 404 page inside the app shell", async () => {
    const w = await open();
    const res = await w.page.goto(`${server.url}reports/999999`);
    expect(res?.status()).toBe(404);
    await expect(w.page.locator("h1").textContent()).resolves.toBe("未找到");
    expect(await w.page.locator("nav a").count()).toBeGreaterThanOrEqual(6);
    await w.page.screenshot({ path: path.join(SCREENSHOTS, "not-found-desktop.png") });
    await w.context.close();
  });

  it("clicking a department's bar opens that department", async () => {
    const w = await open();
    await w.page.goto(server.url, { waitUntil: "networkidle" });
    await chartPixels(w.page);
    // The bar's pixel position comes from the chart itself (convertToPixel), then a real mouse click.
    const point = await w.page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('[data-chart="chart-execution"]')!;
      const chart = (el as unknown as { __chart: { convertToPixel: (f: object, v: unknown) => number[] } }).__chart;
      const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [20, "交通运输局"]);
      const box = el.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    });
    await w.page.mouse.click(point.x, point.y);
    await w.page.waitForURL(`**/departments/${ids.road}`);
    await expect(w.page.locator("h1").textContent()).resolves.toBe("交通运输局");
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  it("a year filter in the URL changes the KPIs; the filter bar and the back button follow", async () => {
    const w = await open();
    await w.page.goto(server.url, { waitUntil: "networkidle" });
    const all = await w.page.locator("[data-testid=kpis]").innerText();
    expect(all).toContain("1,270.50");
    expect(all).toContain("1,040.25");
    expect(all).toContain(`${FIXTURE.all.rate}%`);
    await w.page.goto(`${server.url}?year=2023`, { waitUntil: "networkidle" });
    await ready(w.page);
    const y2023 = await w.page.locator("[data-testid=kpis]").innerText();
    expect(y2023).toContain("550.00");
    expect(y2023).toContain("380.00");
    expect(y2023).toContain(`${FIXTURE.y2023.rate}%`);
    expect(y2023).not.toContain("1,270.50");
    // Choosing a year in the filter bar navigates; Back returns to the previous filter.
    await w.page.selectOption('select[name="year"]', "2024");
    await w.page.waitForURL(/year=2024/);
    const kpis = () => w.page.locator("[data-testid=kpis]").innerText();
    await expect.poll(kpis).toContain(`${FIXTURE.y2024.rate}%`);
    await w.page.goBack();
    await w.page.waitForURL(/year=2023/);
    await expect.poll(kpis).toContain(`${FIXTURE.y2023.rate}%`);
    expect(await w.page.inputValue('select[name="year"]')).toBe("2023");
    await w.context.close();
  });

  it("departments table: sorting and filtering change the rows and live in the URL; rows open by click and keyboard", async () => {
    const w = await open();
    await w.page.goto(`${server.url}departments`, { waitUntil: "networkidle" });
    await ready(w.page);
    const names = () => w.page.locator("table.data tbody tr td:first-child").allInnerTexts();
    expect((await names()).length).toBe(3);
    await w.page.click('button[data-column="executionRate"]');
    await w.page.waitForURL(/sort=executionRate\.desc/);
    await expect.poll(names).toEqual(["卫生健康局", "教育局", "交通运输局"]);
    await w.page.click('button[data-column="executionRate"]');
    await w.page.waitForURL(/sort=executionRate\.asc/);
    await expect.poll(names).toEqual(["交通运输局", "教育局", "卫生健康局"]);
    await w.page.fill('input[data-filter="executionRate"]', "<80");
    await w.page.waitForURL(/f\.executionRate=/);
    await expect.poll(names).toEqual(["交通运输局", "教育局"]);
    await w.page.fill('input[aria-label="在表格中搜索"]', "交通");
    await w.page.waitForURL(/q=/);
    await expect.poll(names).toEqual(["交通运输局"]);
    // The state is in the URL: reloading keeps it.
    await w.page.reload({ waitUntil: "networkidle" });
    await ready(w.page);
    expect(await names()).toEqual(["交通运输局"]);
    // Keyboard: focus the row and press Enter.
    await w.page.focus("table.data tbody tr");
    await w.page.keyboard.press("Enter");
    await w.page.waitForURL(`**/departments/${ids.road}`);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  it("exports exactly the rows shown to CSV, and an .xlsx with the same rows", async () => {
    const w = await open();
    await w.page.goto(`${server.url}departments?sort=budget.desc&f.executionRate=%3E60`, { waitUntil: "networkidle" });
    await ready(w.page);
    const shown = await w.page.locator("table.data tbody tr td:first-child").allInnerTexts();
    expect(shown).toEqual(["卫生健康局", "教育局"]);
    const [download] = await Promise.all([w.page.waitForEvent("download"), w.page.click("[data-testid=export-csv]")]);
    const csv = fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0].split(",").slice(0, 6)).toEqual(["部门", "地区", "报告数", "预算（万元）", "支出（万元）", "执行率"]);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(shown);
    expect(lines[2].split(",").slice(0, 6)).toEqual(["教育局", FIXTURE.region, "2", "300", "230", "76.67"]);

    const [xlsx] = await Promise.all([w.page.waitForEvent("download"), w.page.click("[data-testid=export-xlsx]")]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await xlsx.path());
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(2).getCell(1).value).toBe("卫生健康局");
    expect(ws.getRow(3).getCell(4).value).toBe(300);
    expect(ws.getRow(3).getCell(6).value).toBe(76.67);
    await w.context.close();
  });

  it("the report page marks the unmet indicator, lists the finding, and jumps to the source line", async () => {
    const w = await open();
    await w.page.goto(`${server.url}reports/${ids.eduReport2023}`, { waitUntil: "networkidle" });
    await ready(w.page);
    const unmet = w.page.locator("[data-testid=indicators] tr.unmet");
    expect(await unmet.count()).toBe(1);
    expect(await unmet.innerText()).toContain("受助学生人数");
    expect(await unmet.innerText()).toContain("资金未及时下达");
    expect(await w.page.locator("[data-testid=findings]").innerText()).toContain("budget.rate_mismatch");
    await w.page.click('button.src-link[data-line="5"]');
    const highlighted = w.page.locator(".source-text li.hl");
    await expect(highlighted.getAttribute("data-source-line")).resolves.toBe("5");
    expect(await highlighted.innerText()).toContain("全年预算数：100万元");
    expect(w.page.url()).toMatch(/#L5$/);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  it("an empty database shows how to ingest reports", async () => {
    await seedAccounts(path.join(tmp, "empty.db"));
    const emptyServer = await startServer({ DATABASE_PATH: path.join(tmp, "empty.db"), DEMO: "0" });
    try {
      const w = await openWatchedPage(browser, 1280, 800, { url: emptyServer.url, username: "analyst" });
      await w.page.goto(emptyServer.url, { waitUntil: "networkidle" });
      expect(await w.page.locator(".empty-state").innerText()).toContain("npm run ingest -- 文件夹");
      await w.page.screenshot({ path: path.join(SCREENSHOTS, "empty-desktop.png") });
      expect(w.errors).toEqual([]);
      await w.context.close();
    } finally {
      await emptyServer.stop();
    }
  });
});
