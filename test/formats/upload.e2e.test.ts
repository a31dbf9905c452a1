/**
 * The upload page in a real browser: three files at once (a good .docx, a good .xlsx, a broken
 * .docx) each get their own result; the two good reports then show on the dashboard.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, launchBrowser, logIn, SCREENSHOTS, seedAccounts, startServer, type RunningServer } from "../e2e/harness";
import { FACTS, reportDocx, reportXlsx } from "./helpers/report-fixture";

const XLSX_PROJECT = "乡村文化站运维经费";

let server: RunningServer;
let browser: Browser;
let tmp: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-upload-e2e-"));
  files.docx = path.join(tmp, "自评报告.docx");
  files.xlsx = path.join(tmp, "文化站自评表.xlsx");
  files.broken = path.join(tmp, "损坏的报告.docx");
  fs.writeFileSync(files.docx, await reportDocx());
  fs.writeFileSync(files.xlsx, await reportXlsx(XLSX_PROJECT));
  fs.writeFileSync(files.broken, "这是一个改了扩展名的文本文件，不是 Word 文档。");
  await seedAccounts(path.join(tmp, "upload.db"));
  await ensureBuild();
  server = await startServer({ DATABASE_PATH: path.join(tmp, "upload.db"), DEMO: "0" });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("upload page", () => {
  it("uploads three files, shows two loaded and one clear error, and the reports reach the dashboard", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, server.url, "analyst");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(new URL("/upload", server.url).href);
    expect(await page.locator("h1").innerText()).toBe("上传报告");
    expect(await page.locator(".page-head p").innerText()).toContain("20 MB");
    // Wait for hydration: the page uploads from the browser only once React runs.
    await page.waitForFunction(() => !document.querySelector(".dropzone button[type=submit]"));
    await page.locator("[data-testid=upload-input]").setInputFiles([files.docx, files.xlsx, files.broken]);

    const rows = page.locator("[data-testid=upload-row]");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);
    await page.waitForFunction(
      () => [...document.querySelectorAll("[data-testid=upload-row]")].every((r) => ["loaded", "failed", "replaced", "unchanged"].includes((r as HTMLElement).dataset.status ?? "")),
      null,
      { timeout: 60_000 },
    );
    const byName = (name: string) => page.locator("[data-testid=upload-row]").filter({ has: page.locator(".upload-name", { hasText: new RegExp(`^${name}$`) }) });
    expect(await byName("自评报告.docx").getAttribute("data-status")).toBe("loaded");
    expect(await byName("文化站自评表.xlsx").getAttribute("data-status")).toBe("loaded");
    const broken = byName("损坏的报告.docx");
    expect(await broken.getAttribute("data-status")).toBe("failed");
    expect(await broken.locator("[role=alert]").innerText()).toContain("不是有效的 Word");
    expect(await page.locator("[data-testid=upload-summary]").innerText()).toMatch(/已入库 2 .*失败 1/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "upload.png"), fullPage: true });

    // Each loaded row links to its report.
    await byName("自评报告.docx").getByRole("link", { name: "查看报告" }).click();
    await expect.poll(() => page.locator("h1").innerText(), { timeout: 20_000 }).toContain(FACTS.projectName);

    // The dashboard now lists both new reports.
    await page.goto(new URL("/", server.url).href);
    await expect.poll(() => page.getByRole("link", { name: FACTS.projectName }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: XLSX_PROJECT }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("takes files dropped on the drop zone and explains an unknown type without sending it", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, server.url, "analyst");
    let posted = 0;
    page.on("request", (r) => {
      if (r.method() === "POST") posted++;
    });
    await page.goto(new URL("/upload", server.url).href);
    await page.waitForFunction(() => !document.querySelector(".dropzone button[type=submit]"));
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "扫描图片.png", { type: "image/png" }));
      return dt;
    });
    await page.dispatchEvent(".dropzone", "dragover", { dataTransfer: transfer });
    expect(await page.locator(".dropzone").getAttribute("data-active")).toBe("true");
    await page.dispatchEvent(".dropzone", "drop", { dataTransfer: transfer });
    const row = page.locator("[data-testid=upload-row]");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute("data-status")).toBe("failed");
    expect(await row.locator("[role=alert]").innerText()).toContain("不支持的文件类型 .png");
    expect(posted).toBe(0);
    await context.close();
  });

  it("works without JavaScript: the form posts the files and lists a result for each", async () => {
    const context = await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page, server.url, "analyst");
    await page.goto(new URL("/upload", server.url).href);
    await page.locator("[data-testid=upload-input]").setInputFiles([files.docx, files.broken]);
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "上传" }).click()]);
    await expect.poll(() => page.locator("[data-testid=upload-row]").count(), { timeout: 30_000 }).toBe(2);
    const statuses = await page.locator("[data-testid=upload-row]").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.status));
    // The .docx was loaded by the first test: the same bytes again change nothing.
    expect(statuses).toEqual(["unchanged", "failed"]);
    expect(await page.locator("[data-testid=upload-summary]").innerText()).toMatch(/未变化 1 .*失败 1/);
    await context.close();
  });
});
