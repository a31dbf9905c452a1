/**
 * Document structure straight from each reader: rows, cells, merges, paragraphs in order, line
 * provenance, and the details of each format (number formats, entities, page layout).
 */
import { AlignmentType, Document, LevelFormat, Packer, Paragraph, TextRun } from "docx";
import ExcelJS from "exceljs";
import iconv from "./helpers/gbk";
import type { DocumentModel, Table } from "../../ingest/document";
import { readDocument } from "../../ingest/readers";
import { expandRowSpans, htmlToDocument } from "../../ingest/readers/html";
import { markdownToDocument } from "../../ingest/readers/md";
import { formatNumber } from "../../ingest/readers/xlsx";
import { buildPdf } from "./helpers/pdf-writer";
import { reportDocx, reportHtml, reportPdf, reportXlsx } from "./helpers/report-fixture";

const utf8 = (s: string) => new TextEncoder().encode(s);
const tables = (doc: DocumentModel): Table[] => doc.blocks.filter((b): b is Table => b.type === "table");
const texts = (t: Table): string[][] => t.rows.map((r) => r.cells.map((c) => c.text));
const paragraphs = (doc: DocumentModel): string[] => doc.blocks.flatMap((b) => (b.type === "paragraph" ? [b.text] : []));

describe("docx reader", () => {
  let doc: DocumentModel;
  beforeAll(async () => {
    doc = (await readDocument(await reportDocx(), "r.docx")).doc;
  });

  it("keeps paragraphs and the table in document order", () => {
    expect(doc.blocks.map((b) => b.type)).toEqual(["paragraph", "paragraph", "paragraph", "paragraph", "table", "paragraph", "paragraph", "paragraph"]);
    expect(paragraphs(doc)[0]).toBe("社区图书室运维经费项目支出绩效自评报告");
  });

  it("reads a horizontal merge (w:gridSpan) as one cell with colSpan", () => {
    const [form] = tables(doc);
    expect(form.rows[0].cells).toHaveLength(2);
    expect(form.rows[0].cells[1]).toMatchObject({ text: "社区图书室运维经费", colSpan: 8 });
    expect(texts(form)[1]).toEqual(["主管部门", "示范区文化和旅游局", "实施单位", "示范区图书馆"]);
  });

  it("reads a vertical merge (w:vMerge) as rowSpan on the first cell and empty cells below", () => {
    const [form] = tables(doc);
    expect(form.rows[2].cells[0]).toMatchObject({ text: "项目资金\n（万元）", rowSpan: 3 });
    expect(texts(form)[3]).toEqual(["", "年度资金总额", "40", "40", "30", "10", "75%", "7.5"]);
    expect(form.rows[5].cells[0]).toMatchObject({ text: "绩效指标", rowSpan: 5 });
    expect(form.rows[6].cells[1]).toMatchObject({ text: "产出指标", rowSpan: 2 });
    expect(texts(form)[7].slice(0, 4)).toEqual(["", "", "质量指标", "图书借阅人次"]);
  });

  it("gives every block a line that shows its text, like a text dump", () => {
    for (const b of doc.blocks) {
      if (b.type === "paragraph") expect(doc.lines[b.line - 1]).toBe(b.text);
      else for (const r of b.rows) for (const c of r.cells) expect(doc.lines[c.line - 1]).toBe(`\t${c.text.split("\n")[0]}`);
    }
    expect(doc.lines[tables(doc)[0].endLine]).toBe("");
  });

  it("renders Word's automatic list numbering into the text", async () => {
    const file = new Document({
      numbering: {
        config: [
          {
            reference: "sections",
            levels: [
              { level: 0, format: LevelFormat.CHINESE_COUNTING, text: "%1、", alignment: AlignmentType.LEFT },
              { level: 1, format: LevelFormat.CHINESE_COUNTING, text: "（%2）", alignment: AlignmentType.LEFT },
            ],
          },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ numbering: { reference: "sections", level: 0 }, children: [new TextRun("基本情况")] }),
            new Paragraph({ numbering: { reference: "sections", level: 1 }, children: [new TextRun("项目概况")] }),
            new Paragraph({ numbering: { reference: "sections", level: 1 }, children: [new TextRun("项目绩效目标")] }),
            new Paragraph({ numbering: { reference: "sections", level: 0 }, children: [new TextRun("绩效评价工作开展情况")] }),
            new Paragraph({ numbering: { reference: "sections", level: 1 }, children: [new TextRun("评价目的")] }),
          ],
        },
      ],
    });
    const { doc: numbered } = await readDocument(new Uint8Array(await Packer.toBuffer(file)), "n.docx");
    expect(paragraphs(numbered).map((p) => p.replace(/\s/g, ""))).toEqual([
      "一、基本情况",
      "（一）项目概况",
      "（二）项目绩效目标",
      "二、绩效评价工作开展情况",
      "（一）评价目的",
    ]);
  });
});

describe("xlsx reader", () => {
  let doc: DocumentModel;
  beforeAll(async () => {
    doc = (await readDocument(await reportXlsx(), "r.xlsx")).doc;
  });

  it("turns the title rows above the form into paragraphs and the form into one table", () => {
    expect(paragraphs(doc).slice(0, 2)).toEqual(["社区图书室运维经费项目支出绩效自评报告", "（2024年度）"]);
    expect(tables(doc)).toHaveLength(1);
  });

  it("keeps merges as the Word form has them: colSpan for horizontal, empty cells under a vertical merge", () => {
    const [form] = tables(doc);
    expect(form.rows[0].cells[1]).toMatchObject({ text: "社区图书室运维经费", colSpan: 8 });
    expect(form.rows[2].cells[0]).toMatchObject({ text: "项目资金\n（万元）", rowSpan: 3 });
    expect(texts(form)[3]).toEqual(["", "年度资金总额", "40", "40", "30", "10", "75%", "7.5"]);
  });

  it("does not read hidden sheets", () => {
    expect(doc.lines.join("\n")).not.toContain("隐藏表");
  });

  it("shows numbers as the cell's format shows them", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    const put = (addr: string, value: ExcelJS.CellValue, numFmt?: string) => {
      ws.getCell(addr).value = value;
      if (numFmt) ws.getCell(addr).numFmt = numFmt;
    };
    put("A1", "执行率");
    put("B1", 0.6395, "0.00%");
    put("C1", 32.5, "0.00");
    put("A2", "合计");
    put("B2", 1234567.891, "#,##0.00");
    put("C2", { formula: "B1*100", result: 63.95 } as ExcelJS.CellValue);
    put("A3", "浮点");
    put("B3", 0.1 + 0.2);
    put("C3", 4.55, '0.00"万元"');
    const { doc: d } = await readDocument(new Uint8Array(await wb.xlsx.writeBuffer()), "n.xlsx");
    expect(texts(tables(d)[0])).toEqual([
      ["执行率", "63.95%", "32.50"],
      ["合计", "1,234,567.89", "63.95"],
      ["浮点", "0.3", "4.55万元"],
    ]);
  });

  it("reads only the used range of a sheet formatted far beyond its data", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    ws.getCell("C5").value = "指标";
    ws.getCell("D5").value = "得分";
    ws.getCell("C6").value = "会议";
    ws.getCell("D6").value = 5;
    ws.getCell("XFD1048576").numFmt = "0.00";
    ws.mergeCells("A10:Z30");
    const { doc } = await readDocument(new Uint8Array(await wb.xlsx.writeBuffer()), "wide.xlsx");
    expect(texts(tables(doc)[0])).toEqual([["指标", "得分"], ["会议", "5"]]);
  });

  it("formats numbers exactly (no float rounding errors)", () => {
    expect(formatNumber(0.6395, "0.00%")).toBe("63.95%");
    expect(formatNumber(1.005, "0.00")).toBe("1.01");
    expect(formatNumber(0.14, "0%")).toBe("14%");
    expect(formatNumber(-2.5, "0.0")).toBe("-2.5");
    expect(formatNumber(-2.5, "0.0;(0.0)")).toBe("(2.5)");
    expect(formatNumber(3, "0.0#")).toBe("3.0");
    expect(formatNumber(3.14159, "0.0#")).toBe("3.14");
    expect(formatNumber(12.5, "General")).toBe("12.5");
    expect(formatNumber(7, "[Red]0.00")).toBe("7.00");
  });
});

describe("pdf reader", () => {
  it("rebuilds lines and the table's rows from glyph positions", async () => {
    const { doc } = await readDocument(reportPdf(), "r.pdf");
    expect(paragraphs(doc)[0]).toBe("社区图书室运维经费项目支出绩效自评报告");
    const [form] = tables(doc);
    const rows = texts(form);
    const header = rows.find((r) => r.includes("三级指标"))!;
    expect(header.filter((t) => t !== "")).toEqual(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]);
    const unmet = rows.find((r) => r.includes("图书借阅人次"))!;
    expect(unmet).toEqual(["", "", "质量指标", "图书借阅人次", "≥5000人次", "4200人次", "20", "15", "宣传不足，借阅人次未达到年度目标"]);
  });

  it("reads a Node Buffer (what fs.readFile gives) and leaves the caller's bytes intact", async () => {
    const bytes = Buffer.from(reportPdf());
    const copy = Buffer.from(bytes);
    const { doc } = await readDocument(bytes, "buffer.pdf");
    expect(paragraphs(doc)[0]).toBe("社区图书室运维经费项目支出绩效自评报告");
    expect(bytes.equals(copy)).toBe(true);
  });

  it("keeps ASCII words apart and puts text runs that are far apart in separate cells", async () => {
    const pdf = buildPdf([
      {
        texts: [
          { x: 50, y: 700, text: "Budget execution report" },
          { x: 50, y: 670, text: "Item" }, { x: 200, y: 670, text: "Budget" }, { x: 300, y: 670, text: "Spent" },
          { x: 50, y: 650, text: "Meetings" }, { x: 200, y: 650, text: "32.5" }, { x: 300, y: 650, text: "4.55" },
          { x: 50, y: 630, text: "Printing" }, { x: 200, y: 630, text: "15" }, { x: 300, y: 630, text: "0" },
          { x: 50, y: 600, text: "- 1 -" },
        ],
      },
    ]);
    const { doc } = await readDocument(pdf, "a.pdf");
    expect(paragraphs(doc)).toEqual(["Budget execution report"]);
    expect(texts(tables(doc)[0])).toEqual([["Item", "Budget", "Spent"], ["Meetings", "32.5", "4.55"], ["Printing", "15", "0"]]);
  });
  it("joins wrapped cell text to its row, and does not join rows across a page break", async () => {
    const row = (y: number, cells: string[]) => cells.map((text, i) => ({ x: 50 + i * 120, y, text, size: 10 }));
    const pdf = buildPdf([
      {
        texts: [
          ...row(700, ["指标名称", "指标值", "完成值"]),
          ...row(680, ["会议服务保障", ">=2次", "2次"]),
          { x: 50, y: 668, text: "（含培训）", size: 10 },
          ...row(648, ["印刷数量", ">=3批", "1批"]),
        ],
      },
      { texts: [...row(800, ["满意度", ">=90%", "92%"]), ...row(780, ["时效", "12月前", "12月"])] },
    ]);
    const { doc } = await readDocument(pdf, "wrapped.pdf");
    expect(tables(doc).flatMap(texts)).toEqual([
      ["指标名称", "指标值", "完成值"],
      ["会议服务保障\n（含培训）", ">=2次", "2次"],
      ["印刷数量", ">=3批", "1批"],
      ["满意度", ">=90%", "92%"],
      ["时效", "12月前", "12月"],
    ]);
  });
});

describe("html reader", () => {
  it("reads paragraphs and tables, decodes entities, ignores script, style and the head", async () => {
    const { doc } = await readDocument(utf8(reportHtml()), "r.html");
    const all = doc.lines.join("\n");
    expect(all).not.toContain("脚本里的文字");
    expect(all).not.toContain("color");
    expect(all).not.toContain("页面标题");
    expect(all).not.toContain("注释");
    expect(tables(doc)[0].rows[3].cells.map((c) => c.text)).toEqual(["", "年度资金总额", "40", "40", "30", "10", "75%", "7.5"]);
    const d = htmlToDocument("<p>A&amp;B &lt;3 &ge;95&#37; &#x4E2D;&nbsp;文 &unknown;</p><div>第二段<br>第三段</div>");
    expect(paragraphs(d)).toEqual(["A&B <3 ≥95% 中 文 &unknown;", "第二段", "第三段"]);
  });

  it("expands rowspan into empty cells and flattens a nested table into its cell", () => {
    const d = htmlToDocument(
      `<table><tr><td rowspan="2">产出指标</td><td>数量</td><td>3</td></tr><tr><td>质量</td><td>4</td></tr>
       <tr><td colspan=2>合计</td><td><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></td></tr></table>`,
    );
    const [t] = tables(d);
    expect(texts(t)).toEqual([["产出指标", "数量", "3"], ["", "质量", "4"], ["合计", "a b\nc"]]);
    expect(t.rows[2].cells[0].colSpan).toBe(2);
    const captioned = htmlToDocument("<table><caption>项目支出绩效自评表</caption><tr><td>a</td><td>b</td></tr></table><p>后</p>");
    expect(captioned.blocks.map((b) => b.type)).toEqual(["paragraph", "table", "paragraph"]);
    expect(paragraphs(captioned)).toEqual(["项目支出绩效自评表", "后"]);
    expect(expandRowSpans([[{ text: "x", rowSpan: 3 }, { text: "1" }], [{ text: "2" }], []])).toEqual([
      [{ text: "x", rowSpan: 3 }, { text: "1" }],
      [{ text: "" }, { text: "2" }],
      [{ text: "" }],
    ]);
  });

  it("reads a Word document saved as a web page (.htm)", () => {
    const d = htmlToDocument(
      `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>某人</o:Author></o:DocumentProperties></xml><![endif]--></head>
       <body lang=ZH-CN><div class=WordSection1><p class=MsoNormal><![if !supportLists]><span>一、</span><![endif]><span>基本情况<o:p></o:p></span></p>
       <table class=MsoTableGrid border=1><tr><td width=100 valign=top><p class=MsoNormal><span>项目名称<o:p></o:p></span></p></td>
       <td colspan=3><p class=MsoNormal><span>会务&nbsp;经费</span></p><p class=MsoNormal><span>（第二段）</span></p></td></tr>
       <tr><td><p class=MsoNormal>&nbsp;</p></td><td>a</td><td>b</td><td>c</td></tr></table></div></body></html>`,
    );
    expect(paragraphs(d)).toEqual(["一、基本情况"]);
    expect(texts(tables(d)[0])).toEqual([["项目名称", "会务 经费\n（第二段）"], ["", "a", "b", "c"]]);
    expect(d.lines.join("\n")).not.toContain("某人");
  });

  it("decodes a page declared as GB2312", async () => {
    const bytes = iconv.encodeGb(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>项目支出绩效评价报告</p></body></html>`);
    const { doc } = await readDocument(bytes, "gov.htm");
    expect(paragraphs(doc)).toEqual(["项目支出绩效评价报告"]);
  });
});

describe("md reader", () => {
  it("reads pipe tables and paragraphs with their real line numbers", () => {
    const d = markdownToDocument("# 标题\n\n说明 **加粗** 文字\n\n| 指标 | 目标 |\n| --- | :---: |\n| 会议 | ≥2次 |\n| 转义 \\| 竖线 | 1 |\n\n- 结尾\n");
    expect(d.blocks.map((b) => [b.type, b.line])).toEqual([["paragraph", 1], ["paragraph", 3], ["table", 5], ["paragraph", 10]]);
    expect(paragraphs(d)).toEqual(["标题", "说明 加粗 文字", "结尾"]);
    expect(texts(tables(d)[0])).toEqual([["指标", "目标"], ["会议", "≥2次"], ["转义 | 竖线", "1"]]);
    expect(tables(d)[0].rows[1].line).toBe(7);
    expect(d.lines[6]).toBe("| 会议 | ≥2次 |");
  });
});
