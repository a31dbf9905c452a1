import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { ensureBuild, launchBrowser, openWatchedPage, SCREENSHOTS, seedAccounts, startServer, type RunningServer } from "../e2e/harness";
import { buildFixture, type Fixture } from "./fixture";

/**
 * The 简报 page in a real browser against the real server and the briefing fixture
 * (test/briefing/fixture.ts): it renders, links to reports, prints without the app chrome,
 * and both downloads start and are valid files.
 */

let server: RunningServer;
let browser: Browser;
let fx: Fixture;
let tmp: string;
/** The server's origin without the trailing slash it prints. */
const base = () => server.url.replace(/\/+$/, "");

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-briefing-e2e-"));
  const file = path.join(tmp, "briefing.db");
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  fx = await buildFixture(db);
  await db.destroy();
  await seedAccounts(file);
  await ensureBuild();
  server = await startServer({ DATABASE_PATH: file, DEMO: "0" });
  browser = await launchBrowser();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const open = (width?: number, height?: number) => openWatchedPage(browser, width, height, { url: server.url, username: "analyst" });

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  const file = await dl.path();
  if (!file) throw new Error(`download ${testId} failed: ${await dl.failure()}`);
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(fs.readFileSync(file)) };
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

describe("/briefing in a browser", () => {
  it("renders the sections, figures and charts without console errors", async () => {
    const { page, context, errors } = await open();
    await page.goto(`${base()}/briefing?year=2024`);
    await expect.poll(() => page.locator("h1").first().textContent()).toBe("2024年预算绩效评价结果简报");
    const headings = await page.locator(".briefing-section h2").allTextContents();
    expect(headings).toEqual(["一、总体情况", "二、预算执行", "三、绩效结果", "四、指标完成", "五、数据质量", "六、建议"]);
    const prose = await page.locator("#overview .briefing-prose").first().textContent();
    expect(prose).toContain("预算合计590.00万元，支出445.00万元，预算执行率78.07%");
    await page.waitForFunction(
      () => [...document.querySelectorAll("[data-chart]")].every((el) => (el as HTMLElement).dataset.rendered === "true"),
      null,
      { timeout: 20_000 },
    );
    expect(await page.locator("[data-chart]").count()).toBe(3);
    await page.screenshot({ path: path.join(SCREENSHOTS, "briefing-desktop.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("links a recommendation to the report behind it", async () => {
    const { page, context } = await open();
    await page.goto(`${base()}/briefing?year=2024`);
    const row = page.locator('[data-table="project-recommendations"] tbody tr').first();
    await expect.poll(() => row.locator("td").last().textContent()).toBe("核减或暂停；核减候选");
    await row.locator("a").first().click();
    await page.waitForURL(`**/reports/${fx.reportIds.r9}`);
    expect(page.url()).toMatch(new RegExp(`/reports/${fx.reportIds.r9}$`));
    await context.close();
  });

  it("applies thresholds from the form and keeps them in the download links", async () => {
    const { page, context } = await open();
    await page.goto(`${base()}/briefing?year=2024`);
    await page.locator('input[name="ex"]').fill("85");
    await Promise.all([page.waitForURL(/ex=85/), page.getByRole("button", { name: "应用" }).click()]);
    const education = page.locator('[data-table="department-recommendations"] tbody tr', { hasText: "示例市教育局" });
    await expect.poll(() => education.locator("td").nth(6).textContent()).toBe("优先支持");
    expect(await page.getByTestId("download-docx").getAttribute("href")).toBe("/briefing.docx?year=2024&ex=85");
    await context.close();
  });

  it("prints without navigation or controls", async () => {
    const { page, context } = await open();
    await page.goto(`${base()}/briefing?year=2024`);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".topbar").isVisible()).toBe(false);
    expect(await page.locator(".filter-bar").isVisible()).toBe(false);
    expect(await page.locator(".briefing-thresholds").isVisible()).toBe(false);
    expect(await page.getByTestId("download-docx").isVisible()).toBe(false);
    expect(await page.locator(".briefing-print-title h1").isVisible()).toBe(true);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(strFromU8(pdf.subarray(0, 5))).toBe("%PDF-");
    await context.close();
  });

  it("downloads a valid .docx and .xlsx for the same filter", async () => {
    const { page, context } = await open();
    await page.goto(`${base()}/briefing?year=2024&dept=${fx.departmentIds.A}`);
    await page.getByTestId("download-docx").waitFor();

    const docx = await download(page, "download-docx");
    expect(docx.name).toBe("2024年预算绩效评价结果简报.docx");
    expect(isZip(docx.bytes)).toBe(true);
    const xml = strFromU8(unzipSync(docx.bytes)["word/document.xml"]);
    expect(xml).toContain("一、总体情况");
    expect(xml).toContain("示例市教育局");
    expect(xml).not.toContain("示例市财政局");

    const xlsx = await download(page, "download-xlsx");
    expect(xlsx.name).toBe("2024年预算绩效评价结果简报.xlsx");
    expect(isZip(xlsx.bytes)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    const overview = wb.getWorksheet("总体情况")!;
    let budget: unknown;
    overview.eachRow((row) => {
      if (row.getCell(1).value === "预算合计（万元）") budget = row.getCell(2).value;
    });
    expect(budget).toBe(210);
    await context.close();
  });

  it("is usable on a phone", async () => {
    const { page, context, errors } = await open(390, 844);
    await page.goto(`${base()}/briefing?year=2024`);
    await page.locator(".briefing-section h2").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, "briefing-phone.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
