/**
 * OOXML details the `docx` package does not write: hand-made document.xml parts exercise legacy
 * merges, revisions, hidden text, content controls, nested tables and entities.
 */
import { strToU8, zipSync } from "fflate";
import { readDocx } from "../../ingest/readers/docx";
import type { Table } from "../../ingest/document";

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

function docxOf(body: string, prefix = "w"): Uint8Array {
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${prefix}:document xmlns:${prefix}="${W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><${prefix}:body>${body}</${prefix}:body></${prefix}:document>`;
  return zipSync({
    "[Content_Types].xml": strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    "_rels/.rels": strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    "word/document.xml": strToU8(xml),
  });
}

const p = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const tc = (inner: string, props = "") => `<w:tc><w:tcPr>${props}</w:tcPr>${inner}</w:tc>`;

describe("docx reader on hand-written OOXML", () => {
  it("reads runs, tabs, breaks and entities, and skips deleted, hidden and field-code text", async () => {
    const doc = await readDocx(
      docxOf(
        `<w:p><w:r><w:t>预算&lt;执行&gt;率</w:t></w:r><w:r><w:tab/><w:t>14%</w:t></w:r>` +
          `<w:del><w:r><w:delText>删掉的字</w:delText></w:r></w:del><w:ins><w:r><w:t>（修订）</w:t></w:r></w:ins>` +
          `<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>` +
          `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
          `<w:r><w:br/><w:t>第二行&#x4E2D;</w:t></w:r></w:p>` +
          `<w:sdt><w:sdtContent>${p("控件里的段落")}</w:sdtContent></w:sdt>` +
          `<w:p><w:hyperlink><w:r><w:t>链接文字</w:t></w:r></w:hyperlink></w:p>` +
          `<w:p><mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>新</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>旧</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`,
      ),
    );
    expect(doc.blocks.map((b) => (b.type === "paragraph" ? b.text : "table"))).toEqual([
      "预算<执行>率\t14%（修订）3",
      "第二行中",
      "控件里的段落",
      "链接文字",
      "新",
    ]);
  });

  it("resolves legacy hMerge, gridBefore, vMerge under a span, and flattens a nested table", async () => {
    const doc = await readDocx(
      docxOf(
        `<w:tbl>` +
          `<w:tr>${tc(p("一级"), '<w:vMerge w:val="restart"/>')}${tc(p("合并"), '<w:hMerge w:val="restart"/>')}${tc("<w:p/>", "<w:hMerge/>")}${tc(p("得分"))}</w:tr>` +
          `<w:tr>${tc("<w:p/>", "<w:vMerge/>")}${tc(p("数量"))}${tc(p("质量"))}${tc(
            `<w:tbl><w:tr>${tc(p("内1"))}${tc(p("内2"))}</w:tr><w:tr>${tc(p("内3"))}</w:tr></w:tbl>` + p("表后"),
          )}</w:tr>` +
          `<w:tr>${tc(p("跨两列"), '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>')}${tc(p("x"))}${tc(p("y"))}</w:tr>` +
          `<w:tr>${tc("<w:p/>", '<w:gridSpan w:val="2"/><w:vMerge w:val="continue"/>')}${tc(p("x2"))}${tc(p("y2"))}</w:tr>` +
          `<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>${tc(p("右"))}${tc(p("下"))}</w:tr>` +
          `</w:tbl>`,
      ),
    );
    const table = doc.blocks[0] as Table;
    expect(table.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ["一级", "合并", "得分"],
      ["", "数量", "质量", "内1 内2\n内3\n表后"],
      ["跨两列", "x", "y"],
      ["", "x2", "y2"],
      ["右", "下"],
    ]);
    expect(table.rows[0].cells[0].rowSpan).toBe(2);
    expect(table.rows[0].cells[1].colSpan).toBe(2);
    expect(table.rows[2].cells[0]).toMatchObject({ colSpan: 2, rowSpan: 2 });
    expect(table.rows[3].cells[0]).toMatchObject({ text: "", colSpan: 2 });
  });

  it("accepts another namespace prefix for WordprocessingML", async () => {
    const doc = await readDocx(docxOf(`<ns0:p><ns0:r><ns0:t>前缀不同</ns0:t></ns0:r></ns0:p>`, "ns0"));
    expect(doc.blocks).toEqual([{ type: "paragraph", text: "前缀不同", line: 1 }]);
  });

  it("refuses a document part that is not well-formed, and one with no text", async () => {
    await expect(readDocx(docxOf(`<w:p><w:r><w:t>未闭合</w:r></w:p>`))).rejects.toMatchObject({ code: "corrupt_docx" });
    await expect(readDocx(docxOf(`<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>`))).rejects.toMatchObject({ code: "empty_document" });
  });
  it("reads text boxes after the paragraph that anchors them, once, and not the markup-compatibility fallback", async () => {
    const box = (inner: string) => `<w:txbxContent>${inner}</w:txbxContent>`;
    const doc = await readDocx(
      docxOf(
        p("正文第一段") +
          `<w:p><w:r><w:t>锚定段落</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>` +
          box(p("文本框：评价结论为良") + `<w:tbl><w:tr>${tc(p("得分"))}${tc(p("85"))}</w:tr><w:tr>${tc(p("等级"))}${tc(p("良"))}</w:tr></w:tbl>`) +
          `</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
          `<mc:Fallback><w:pict><v:shape><v:textbox>${box(p("文本框：评价结论为良"))}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
          `<w:p><w:r><w:pict><v:shape><v:textbox>${box(p("旧式 VML 文本框"))}</v:textbox></v:shape></w:pict></w:r></w:p>` +
          p("正文最后一段"),
      ),
    );
    expect(doc.blocks.map((b) => (b.type === "paragraph" ? b.text : (b as Table).rows.map((r) => r.cells.map((c) => c.text))))).toEqual([
      "正文第一段",
      "锚定段落",
      "文本框：评价结论为良",
      [["得分", "85"], ["等级", "良"]],
      "旧式 VML 文本框",
      "正文最后一段",
    ]);
  });
});
