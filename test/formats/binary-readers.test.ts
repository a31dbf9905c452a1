/**
 * The readers on files LibreOffice wrote from one report (test/fixtures/formats/, made by make.sh
 * there) — the OLE binaries (.xls/.et, .doc/.wps) and a PDF whose table is ruled — and on workbooks
 * written here: merged cells, every sheet, exact numbers.
 */
import * as XLSX from "@e965/xlsx";
import type { DocumentModel, Table } from "../../ingest/document";
import { readDocument } from "../../ingest/readers";
import { fixture } from "./helpers/ole";

const tables = (doc: DocumentModel): Table[] => doc.blocks.filter((b): b is Table => b.type === "table");
const texts = (t: Table): string[][] => t.rows.map((r) => r.cells.map((c) => c.text));
const paragraphs = (doc: DocumentModel): string[] => doc.blocks.flatMap((b) => (b.type === "paragraph" ? [b.text] : []));

/** The 自评表 as the Word form has it: what every reader of the fixture must give, merges resolved. */
const FORM_ROWS_WITH_MERGES = {
  funding: ["项目资金\n（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
  fundingContinued: ["", "年度资金总额", "120", "135.6", "121.85", "10", "89.86%", "8.99"],
  firstOutput: ["", "产出指标", "数量指标", "维修供水工程处数", "≥45处", "48处", "15", "15", ""],
  // 产出指标 and 数量指标 are merged down into this row: their continuation cells are empty.
  secondOutput: ["", "", "", "更换老旧管网长度", "≥12公里", "10.5公里", "10", "8.75", "部分管网改造受汛期影响顺延至次年"],
};

describe.each(["rural-water.xls", "rural-water.et"])("%s (BIFF8 written by LibreOffice Calc)", (name) => {
  let doc: DocumentModel;
  beforeAll(async () => {
    const r = await readDocument(fixture(name), name);
    expect(r.format).toBe("xls");
    doc = r.doc;
  });

  it("reads the title and narrative rows as paragraphs and the form as one table", () => {
    expect(paragraphs(doc)[0]).toBe("2024年度农村供水工程维修养护项目支出绩效自评报告");
    expect(paragraphs(doc).at(-1)).toBe("四、评价结论：综合自评得分93.94分，自评等级为优。");
    expect(tables(doc)).toHaveLength(1);
  });

  it("expands merged ranges: one cell with colSpan across, empty cells under a vertical merge", () => {
    const [form] = tables(doc);
    const rows = texts(form);
    const at = (first: string) => rows.find((r) => r.includes(first))!;
    expect(form.rows[0].cells[1]).toMatchObject({ text: "农村供水工程维修养护", colSpan: 9 });
    expect(at("年初预算数")).toEqual(FORM_ROWS_WITH_MERGES.funding);
    const funding = form.rows.find((r) => r.cells.some((c) => c.text === "年初预算数"))!;
    expect(funding.cells[0]).toMatchObject({ colSpan: 3, rowSpan: 4 });
    expect(at("年度资金总额")).toEqual(FORM_ROWS_WITH_MERGES.fundingContinued);
    expect(at("维修供水工程处数")).toEqual(FORM_ROWS_WITH_MERGES.firstOutput);
    expect(at("更换老旧管网长度")).toEqual(FORM_ROWS_WITH_MERGES.secondOutput);
    const output = form.rows.find((r) => r.cells.some((c) => c.text === "维修供水工程处数"))!;
    expect(output.cells[1]).toMatchObject({ text: "产出指标", rowSpan: 5 });
  });
});

describe.each(["rural-water.doc", "rural-water.wps"])("%s (Word 97 binary written by LibreOffice Writer)", (name) => {
  let doc: DocumentModel;
  beforeAll(async () => {
    const r = await readDocument(fixture(name), name);
    expect(r.format).toBe("doc");
    doc = r.doc;
  });

  it("reads the paragraphs around the table in order", () => {
    expect(paragraphs(doc)).toEqual([
      "2024年度农村供水工程维修养护项目支出绩效自评报告",
      "一、项目基本情况",
      expect.stringContaining("全年执行数121.85万元，执行率89.86%"),
      "二、项目支出绩效自评表",
      expect.stringMatching(/^三、偏差原因及改进措施/),
      "四、评价结论：综合自评得分93.94分，自评等级为优。",
    ]);
  });

  it("rebuilds rows and cells from the cell and row-end marks, not one line per table", () => {
    const [form] = tables(doc);
    expect(tables(doc)).toHaveLength(1);
    expect(form.rows).toHaveLength(16);
    const rows = texts(form);
    const at = (first: string) => rows.find((r) => r.includes(first))!;
    expect(rows[0]).toEqual(["项目名称", "农村供水工程维修养护"]);
    expect(rows[1]).toEqual(["主管部门", "青石县水利局", "实施单位", "青石县农村供水管理站"]);
    expect(at("年初预算数")).toEqual(FORM_ROWS_WITH_MERGES.funding);
    expect(at("年度资金总额")).toEqual(FORM_ROWS_WITH_MERGES.fundingContinued);
    expect(at("维修供水工程处数")).toEqual(FORM_ROWS_WITH_MERGES.firstOutput);
    expect(at("更换老旧管网长度")).toEqual(FORM_ROWS_WITH_MERGES.secondOutput);
    expect(rows.at(-1)).toEqual(["总分", "100", "93.94"]);
  });

  it("resolves the row layouts' merges into colSpan and rowSpan on the grid every row shares", () => {
    const [form] = tables(doc);
    expect(form.rows[0].cells[1]).toMatchObject({ colSpan: 9 });
    const funding = form.rows.find((r) => r.cells.some((c) => c.text === "年初预算数"))!;
    expect(funding.cells[0]).toMatchObject({ text: "项目资金\n（万元）", colSpan: 3, rowSpan: 4 });
    const output = form.rows.find((r) => r.cells.some((c) => c.text === "维修供水工程处数"))!;
    expect(output.cells[1]).toMatchObject({ text: "产出指标", rowSpan: 5 });
    expect(output.cells[2]).toMatchObject({ text: "数量指标", rowSpan: 2 });
    expect(form.rows.at(-1)!.cells[0]).toMatchObject({ text: "总分", colSpan: 7 });
  });
});

describe("rural-water.pdf (LibreOffice Writer, ruled table, narrow columns)", () => {
  let doc: DocumentModel;
  beforeAll(async () => {
    doc = (await readDocument(fixture("rural-water.pdf"), "rural-water.pdf")).doc;
  });

  it("rebuilds the table from its ruling lines: wrapped cell text stays in its cell, merges from missing borders", () => {
    expect(tables(doc)).toHaveLength(1);
    const [form] = tables(doc);
    const rows = texts(form);
    const at = (first: string) => rows.find((r) => r.includes(first))!;
    // Narrow columns wrap 年初预算数 and 偏差原因 over two or three lines; the grid keeps each in one cell.
    expect(at("年初预算数")).toEqual(["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]);
    expect(at("年度资金总额")).toEqual(FORM_ROWS_WITH_MERGES.fundingContinued);
    // 产出指标 is drawn centred across its five rows; it belongs to the first, as in the Word form.
    expect(at("维修供水工程处数")).toEqual(FORM_ROWS_WITH_MERGES.firstOutput);
    expect(at("更换老旧管网长度")).toEqual(FORM_ROWS_WITH_MERGES.secondOutput);
    const output = form.rows.find((r) => r.cells.some((c) => c.text === "维修供水工程处数"))!;
    expect(output.cells[1]).toMatchObject({ text: "产出指标", rowSpan: 5 });
    expect(rows.at(-1)).toEqual(["总分", "100", "93.94"]);
  });

  it("joins a paragraph wrapped over several lines back into one", () => {
    expect(paragraphs(doc)[2]).toBe(
      "2024年度，青石县水利局组织实施农村供水工程维修养护项目，由青石县农村供水管理站具体实施。项目年初预算数120万元，全年预算数135.6万元，全年执行数121.85万元，执行率89.86%。",
    );
    expect(paragraphs(doc)).toHaveLength(6);
  });
});

describe("xls reader on workbooks written here", () => {
  function biff8(sheets: [string, unknown[][], boolean?][], edit?: (wb: XLSX.WorkBook) => void): Uint8Array {
    const wb = XLSX.utils.book_new();
    for (const [name, rows] of sheets) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), name);
    wb.Workbook = { Sheets: sheets.map(([, , hidden]) => ({ Hidden: hidden ? 1 : 0 })) };
    edit?.(wb);
    return new Uint8Array(XLSX.write(wb, { type: "buffer", bookType: "biff8" }) as ArrayLike<number>);
  }

  it("shows numbers as the format shows them, as exact decimals — never a binary float's digits", async () => {
    const bytes = biff8([["表", [["项目", "执行率", "金额"], ["浮点", 89.97399999999999, 1.005], ["合计", 0.1 + 0.2, 1234567890.12]]]], (wb) => {
      const ws = wb.Sheets["表"];
      ws["C2"].z = "0.00";
      ws["B3"].z = "0.00%";
    });
    const { doc } = await readDocument(bytes, "n.xls");
    expect(texts(tables(doc)[0])).toEqual([
      ["项目", "执行率", "金额"],
      ["浮点", "89.974", "1.01"],
      ["合计", "30.00%", "1234567890.12"],
    ]);
  });

  it("reads every visible sheet, in order, and skips hidden ones", async () => {
    const bytes = biff8([
      ["封面", [["项目", "说明", "备注"], ["甲", "一", "x"]]],
      ["代码表", [["隐藏的代码", "1"], ["不应读出", "2"]], true],
      ["评分", [["指标", "得分"], ["会议", 5]]],
    ]);
    const { doc } = await readDocument(bytes, "多表.xls");
    expect(tables(doc).map(texts)).toEqual([
      [["项目", "说明", "备注"], ["甲", "一", "x"]],
      [["指标", "得分"], ["会议", "5"]],
    ]);
    expect(doc.lines.join("\n")).not.toContain("隐藏的代码");
  });
});
