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
