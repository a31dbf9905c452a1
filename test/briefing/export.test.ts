import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strFromU8, unzipSync } from "fflate";
import ExcelJS from "exceljs";
import { openTempDb, type TempDb } from "../helpers/temp-db";
import { account } from "../helpers/auth";
import { buildFixture, type Fixture } from "./fixture";
import { buildBriefing } from "../../app/briefing/data";
import { buildBriefingDocument, type BriefingDocument } from "../../app/briefing/document";
import { briefingDocx } from "../../app/briefing/docx.server";
import { briefingXlsx, sheetName } from "../../app/briefing/xlsx.server";
import { contentDisposition } from "../../app/briefing/briefing.server";
import { closeDb, useDatabase } from "../../app/db.server";
import { loader as docxLoader } from "../../app/routes/briefing[.]docx";
import { loader as xlsxLoader } from "../../app/routes/briefing[.]xlsx";
import { loader as pageLoader } from "../../app/routes/briefing";

/** The Word and Excel files, unpacked and read back; and the routes that serve them. */

let t: TempDb;
let fx: Fixture;
let doc: BriefingDocument;

beforeAll(async () => {
  t = await openTempDb();
  fx = await buildFixture(t.db);
  doc = buildBriefingDocument(await buildBriefing(t.db, { filter: { years: [2024] } }));
});

afterAll(async () => {
  closeDb();
  await t.close();
});

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The visible text of a WordprocessingML part: every <w:t> in order, per paragraph. */
function paragraphsOf(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""))
    .filter((s) => s.length > 0);
}

async function readWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

function rowByLabel(ws: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (row.getCell(1).value === label) found = row;
  });
  if (!found) throw new Error(`no row ${label} in ${ws.name}`);
  return found;
}

describe(".docx", () => {
  let files: Record<string, Uint8Array>;
  let body: string;

  beforeAll(async () => {
    const bytes = await briefingDocx(doc);
    expect(isZip(bytes)).toBe(true);
    files = unzipSync(bytes);
    body = strFromU8(files["word/document.xml"]);
  });

  it("has the title, the numbered headings and the prose", () => {
    const paragraphs = paragraphsOf(body);
    expect(paragraphs[0]).toBe("2024年预算绩效评价结果简报");
    for (const h of ["一、总体情况", "二、预算执行", "三、绩效结果", "四、指标完成", "五、数据质量", "六、建议"]) {
      expect(paragraphs).toContain(h);
    }
    expect(paragraphs).toContain(doc.sections[0].paragraphs[0]);
    expect(paragraphs.join("\n")).toContain("预算执行率78.07%");
  });

  it("has the tables with their figures", () => {
    const tables = doc.sections.flatMap((s) => s.tables).filter((x) => x.rows.length > 0);
    expect(body.match(/<w:tbl>/g)?.length).toBe(tables.length);
    const paragraphs = paragraphsOf(body);
    for (const figure of ["590.00", "445.00", "78.07%", "+8.45", "7.35", "改进管理、酌情核减；核减候选", "示例市财政局"]) {
      expect(paragraphs).toContain(figure);
    }
  });

  it("sets 黑体 on headings and 仿宋 on the body, A4 pages and page numbers in the footer", () => {
    expect(body).toMatch(/w:eastAsia="黑体"/);
    expect(body).toMatch(/w:eastAsia="仿宋"/);
    expect(body).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const footers = Object.keys(files).filter((f) => /^word\/footer\d*\.xml$/.test(f));
    expect(footers.length).toBeGreaterThan(0);
    const footer = footers.map((f) => strFromU8(files[f])).join("");
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
  });
});

describe(".xlsx", () => {
  let wb: ExcelJS.Workbook;

  beforeAll(async () => {
    const bytes = await briefingXlsx(doc, { reportUrl: (id) => `http://localhost/reports/${id}` });
    expect(isZip(bytes)).toBe(true);
    wb = await readWorkbook(bytes);
  });

  it("has the prose sheet and one sheet per table", () => {
    const names = wb.worksheets.map((w) => w.name);
    const tables = doc.sections.flatMap((s) => s.tables);
    expect(names).toHaveLength(tables.length + 1);
    expect(names[0]).toBe("简报");
    expect(names).toEqual(expect.arrayContaining(["总体情况", "执行率最低部门", "部门得分", "偏差原因", "部门建议", "项目建议"]));
    expect(new Set(names).size).toBe(names.length);
  });

  it("stores amounts and rates as numbers with display formats", () => {
    const ws = wb.getWorksheet("总体情况")!;
    expect(ws.getRow(1).values).toEqual([undefined, "指标", "2024年", "2023年", "变化"]);
    const budget = rowByLabel(ws, "预算合计（万元）");
    expect(budget.getCell(2).value).toBe(590);
    expect(budget.getCell(3).value).toBe(260);
    expect(budget.getCell(4).value).toBe(330);
    expect(budget.getCell(2).numFmt).toBe("#,##0.00");
    const rate = rowByLabel(ws, "预算执行率");
    expect(rate.getCell(2).value).toBe(78.07);
    expect(rate.getCell(2).numFmt).toBe('0.00"%"');
    expect(rate.getCell(4).value).toBe(8.45);
    expect(rowByLabel(ws, "报告数（份）").getCell(2).value).toBe(10);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  });

  it("keeps exact amounts beyond two places", () => {
    const ws = wb.getWorksheet("未下达资金")!;
    const values = ws.getColumn(5).values.filter((v) => typeof v === "number");
    expect(values).toEqual([5, 2.345678]);
  });

  it("lists every department's recommendation and links projects to their reports", () => {
    const ws = wb.getWorksheet("部门建议")!;
    const recs: Record<string, unknown> = {};
    ws.eachRow((row, n) => {
      if (n > 1) recs[String(row.getCell(1).value)] = row.getCell(7).value;
    });
    expect(recs).toEqual({
      示例市财政局: "优先支持",
      示例市教育局: "保持",
      示例市交通运输局: "改进管理、酌情核减；核减候选",
      示例市卫生健康委员会: "改进管理、酌情核减",
      示例市文化和旅游局: "核减或暂停；核减候选",
    });
    const projects = wb.getWorksheet("项目建议")!;
    const link = projects.getRow(2).getCell(1).value as { text: string; hyperlink: string };
    expect(link).toEqual({ text: "文化下乡活动", hyperlink: `http://localhost/reports/${fx.reportIds.r9}` });
  });

  it("names sheets within Excel's rules", () => {
    const used = new Set<string>();
    expect(sheetName("a/b:c*d?e[f]g\\h", used)).toBe("a_b_c_d_e_f_g_h");
    expect(sheetName("x".repeat(40), used)).toHaveLength(31);
    expect(sheetName("x".repeat(40), used)).toBe(`${"x".repeat(28)}(2)`);
  });
});

describe("download routes", () => {
  let cookie = "";
  beforeAll(async () => {
    // The routes read the app's database handle: point it at the fixture, and sign an analyst in.
    useDatabase(t.db);
    cookie = (await account(t.db, "briefing-analyst", "analyst")).cookie;
  });

  const call = (loader: typeof docxLoader, url: string) =>
    loader({ request: new Request(url, { headers: { cookie } }), params: {}, context: {} }) as Promise<Response>;

  it("serves the .docx with its type and a UTF-8 file name", async () => {
    const res = await call(docxLoader, "http://localhost/briefing.docx?year=2024");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="jixiao-briefing-2024.docx"; filename*=UTF-8''${encodeURIComponent("2024年预算绩效评价结果简报.docx")}`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(isZip(bytes)).toBe(true);
    expect(strFromU8(unzipSync(bytes)["word/document.xml"])).toContain("一、总体情况");
  });

  it("serves the .xlsx for the filter in the URL", async () => {
    const res = await call(xlsxLoader, `http://localhost/briefing.xlsx?year=2024&dept=${fx.departmentIds.A}`);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const wb = await readWorkbook(new Uint8Array(await res.arrayBuffer()));
    expect(rowByLabel(wb.getWorksheet("总体情况")!, "预算合计（万元）").getCell(2).value).toBe(210);
  });

  it("defaults to the latest year and keeps thresholds in the links", async () => {
    const res = await call(pageLoader as typeof docxLoader, "http://localhost/briefing?ex=85");
    const body = (await res.json()) as { data: { year: number; thresholds: { excellent: number } }; search: string; yearDefaulted: boolean };
    expect(body.data.year).toBe(2024);
    expect(body.yearDefaulted).toBe(true);
    expect(body.data.thresholds.excellent).toBe(85);
    expect(body.search).toBe("year=2024&ex=85");
  });

  it("covers every year on ?year=all", async () => {
    const res = await call(pageLoader as typeof docxLoader, "http://localhost/briefing?year=all");
    const body = (await res.json()) as { data: { year: number | null; overview: { current: { reports: number } } }; search: string };
    expect(body.data.year).toBeNull();
    expect(body.data.overview.current.reports).toBe(13);
    expect(body.search).toBe("year=all");
    const xlsx = await call(xlsxLoader, "http://localhost/briefing.xlsx?year=all");
    expect(xlsx.headers.get("content-disposition")).toContain('filename="jixiao-briefing-all.xlsx"');
  });

  it("encodes file names for Content-Disposition", () => {
    expect(contentDisposition("a b/c.docx", "简报 (1).docx")).toBe(
      `attachment; filename="a_b_c.docx"; filename*=UTF-8''%E7%AE%80%E6%8A%A5%20%281%29.docx`,
    );
  });
});
