import { describe, expect, it } from "vitest";
import { textToDocument } from "../../ingest/readers/text";
import type { Table } from "../../ingest/document";

const T = "\t";
const cells = (t: Table) => t.rows.map((r) => r.cells.map((c) => c.text.replace(/\n/g, "/")));

describe("rebuilding tables from tab-cell-per-line dumps", () => {
  it("reads rows separated by blank lines, with line numbers", () => {
    const doc = textToDocument(["标题", `${T}一级指标`, `${T}权重分`, `${T}得分`, "", `${T}项目决策`, `${T}20`, `${T}20`, "", "正文"].join("\n"));
    expect(doc.blocks.map((b) => b.type)).toEqual(["paragraph", "table", "paragraph"]);
    const t = doc.blocks[1] as Table;
    expect(cells(t)).toEqual([["一级指标", "权重分", "得分"], ["项目决策", "20", "20"]]);
    expect(t.rows[1].line).toBe(6);
    expect(t.rows[1].cells[2].line).toBe(8);
    expect((doc.blocks[2] as { line: number }).line).toBe(10);
  });

  it("continues a cell on lines without a tab", () => {
    const doc = textToDocument([`${T}年度`, "总体", "目标", `${T}预期目标`, "", `${T}`, `${T}内容`].join("\n"));
    const t = doc.blocks[0] as Table;
    expect(cells(t)[0]).toEqual(["年度/总体/目标", "预期目标"]);
    expect(t.rows[0].cells[0].endLine).toBe(3);
    expect(cells(t)[1]).toEqual(["", "内容"]);
  });

  it("keeps a blank line inside a row when the row would otherwise fall short of the table's width", () => {
    const doc = textToDocument([`${T}a`, `${T}b`, `${T}c`, "", `${T}决策`, "", `${T}40`, `${T}4`, "", `${T}x`, `${T}y`, `${T}z`].join("\n"));
    expect(cells(doc.blocks[0] as Table)).toEqual([["a", "b", "c"], ["决策", "40", "4"], ["x", "y", "z"]]);
  });

  it("lets text after blank lines continue a cell of a short row, but end the table after a full row", () => {
    const doc = textToDocument([`${T}h1`, `${T}h2`, "", `${T}`, "", "", "决策", `${T}v`, "", "", "附件1"].join("\n"));
    const t = doc.blocks[0] as Table;
    expect(cells(t)).toEqual([["h1", "h2"], ["决策", "v"]]);
    expect(doc.blocks[1]).toMatchObject({ type: "paragraph", text: "附件1", line: 11 });
  });

  it("ends the table at text after a short last row whose cells have text", () => {
    const doc = textToDocument([`${T}a`, `${T}b`, `${T}c`, "", `${T}总分`, `${T}72.5`, "", "五、评价结论：较好"].join("\n"));
    expect(cells(doc.blocks[0] as Table)).toEqual([["a", "b", "c"], ["总分", "72.5"]]);
    expect(doc.blocks[1]).toMatchObject({ type: "paragraph", text: "五、评价结论：较好" });
  });

  it("keeps empty cells of merged regions as empty strings", () => {
    const doc = textToDocument([`${T}产出指标`, `${T}数量指标`, `${T}人数`, "", `${T}`, `${T}`, `${T}次数`].join("\n"));
    expect(cells(doc.blocks[0] as Table)[1]).toEqual(["", "", "次数"]);
  });

  it("drops Word bookmark artefacts", () => {
    const doc = textToDocument("[bookmark: _GoBack]正文");
    expect(doc.blocks[0]).toMatchObject({ text: "正文" });
  });
});

describe("where a Word dump's table ends", () => {
  it("takes text after the last row's empty cell for the paragraph after the table", () => {
    const doc = textToDocument([`${T}总分`, `${T}100`, `${T}96`, `${T}`, "", "自评结论：得分96分。"].join("\n"));
    expect(doc.blocks.map((b) => b.type)).toEqual(["table", "paragraph"]);
  });

  it("still puts a merged cell's text below empty paragraphs into the cell when its row goes on", () => {
    const doc = textToDocument([`${T}a`, `${T}b`, `${T}c`, "", `${T}`, "", "合并单元格文字", `${T}y`, `${T}z`].join("\n"));
    expect(cells(doc.blocks[0] as Table)).toEqual([["a", "b", "c"], ["合并单元格文字", "y", "z"]]);
  });

  it("does not let a figure cell wrap onto a line of words or a section heading", () => {
    const afterFigure = textToDocument([`${T}总分`, `${T}100`, `${T}97`, "自评结论：合计97分。"].join("\n"));
    expect(afterFigure.blocks.map((b) => b.type)).toEqual(["table", "paragraph"]);
    const heading = textToDocument([`${T}原因`, `${T}说明`, "二、问题和建议"].join("\n"));
    expect(heading.blocks.map((b) => b.type)).toEqual(["table", "paragraph"]);
  });
});

describe("pipe and tab-separated rows in a text file", () => {
  it("reads pipe rows as a table, joining a row the copy wrapped inside a cell", () => {
    const doc = textToDocument(["标题", "| 项目名称 | 道路养护 |", "| --- | --- |", "| 产出指标 | 养护里程 | ≥120", "公里 | 100公里 | 20 | 16 |", "正文"].join("\n"));
    expect(doc.blocks.map((b) => b.type)).toEqual(["paragraph", "table", "paragraph"]);
    expect(cells(doc.blocks[1] as Table)).toEqual([["项目名称", "道路养护"], ["产出指标", "养护里程", "≥120公里", "100公里", "20", "16"]]);
  });

  it("starts a new cell when the wrapped line broke between cells", () => {
    const doc = textToDocument(["| 学生营养 | 有所改善 |", "明显改善 | 10 | 10 |"].join("\n"));
    expect(cells(doc.blocks[0] as Table)).toEqual([["学生营养", "有所改善", "明显改善", "10", "10"]]);
  });

  it("reads tab-separated rows, keeping empty leading cells", () => {
    const doc = textToDocument([`项目名称${T}道路养护`, `${T}年度资金总额${T}200${T}180`].join("\n"));
    expect(cells(doc.blocks[0] as Table)).toEqual([["项目名称", "道路养护"], ["", "年度资金总额", "200", "180"]]);
  });
});
