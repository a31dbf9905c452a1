/**
 * Broken and hostile files in the new formats: each gives a clear error that names the file and
 * the reason, and nothing throws.
 */
import ExcelJS from "exceljs";
import { strToU8, zipSync } from "fflate";
import { parseBuffer } from "../../ingest/parse";
import { sanitizeFileName } from "../../ingest/readers/formats";
import { buildPdf } from "./helpers/pdf-writer";
import { encryptedDoc, encryptedOoxml, encryptedXls, fixture, xlsWithEmptyRows } from "./helpers/ole";
import { reportDocx, reportHtml, reportXlsx } from "./helpers/report-fixture";

async function failureOf(bytes: Uint8Array, name: string): Promise<{ code: string; message: string }> {
  const r = await parseBuffer(bytes, name);
  if (!("error" in r)) throw new Error(`${name} parsed although it should fail`);
  return r.error;
}

const OLE_HEADER = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

describe("bad input in the new formats", () => {
  it("a .docx that is a renamed text file", async () => {
    const err = await failureOf(strToU8("项目支出绩效评价报告\n年初预算数32.5万元"), "报告.docx");
    expect(err.code).toBe("not_docx");
    expect(err.message).toContain("报告.docx");
    expect(err.message).toContain("不是有效的 Word");
  });

  it("a corrupt .docx (damaged zip)", async () => {
    const good = await reportDocx();
    const broken = good.slice(0, Math.floor(good.length / 2));
    for (let i = 100; i < broken.length; i += 3) broken[i] ^= 0x5a;
    const err = await failureOf(broken, "坏的.docx");
    expect(["corrupt_docx", "not_docx"]).toContain(err.code);
    expect(err.message).toContain("坏的.docx");
  });

  it("a zip that is not a Word document", async () => {
    const err = await failureOf(zipSync({ "hello.txt": strToU8("hi") }), "x.docx");
    expect(err.code).toBe("not_docx");
    expect(err.message).toContain("word/document.xml");
  });

  it("an encrypted .xlsx (an OLE compound file)", async () => {
    const bytes = new Uint8Array(4096);
    bytes.set(OLE_HEADER, 0);
    const err = await failureOf(bytes, "加密.xlsx");
    expect(err.code).toBe("encrypted_or_legacy_office");
    expect(err.message).toContain("文件已加密或为旧版 Office 格式");
    const docErr = await failureOf(bytes, "加密.docx");
    expect(docErr.code).toBe("encrypted_or_legacy_office");
  });

  it("an .xlsx whose sheets are empty", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Sheet1");
    wb.addWorksheet("Sheet2").getCell("C3").numFmt = "0.00"; // formatted but empty
    const err = await failureOf(new Uint8Array(await wb.xlsx.writeBuffer()), "空表.xlsx");
    expect(err.code).toBe("empty_sheet");
    expect(err.message).toContain("工作表是空的");
  });

  it("an .xlsx that is really a .docx", async () => {
    const err = await failureOf(await reportDocx(), "表.xlsx");
    expect(err.code).toBe("not_xlsx");
  });

  it("a .docx that is really an .xlsx", async () => {
    const err = await failureOf(await reportXlsx(), "文.docx");
    expect(err.code).toBe("not_docx");
  });

  it("a PDF of images (no text layer)", async () => {
    const err = await failureOf(buildPdf([{ image: true }, { image: true }]), "扫描件.pdf");
    expect(err.code).toBe("no_text_layer");
    expect(err.message).toContain("PDF 没有文字层（可能是扫描件），请提供可复制文字的版本");
    expect(err.message).toContain("扫描件.pdf");
  });

  it("a file named .pdf that is not one, and a truncated PDF", async () => {
    expect((await failureOf(strToU8("hello"), "a.pdf")).code).toBe("not_pdf");
    const pdf = buildPdf([{ texts: [{ x: 50, y: 700, text: "项目支出绩效评价报告" }] }]);
    const err = await failureOf(pdf.slice(0, 120), "截断.pdf");
    expect(["corrupt_pdf", "no_text_layer"]).toContain(err.code);
  });

  it("an HTML file without markup, and an empty page", async () => {
    expect((await failureOf(strToU8("just words"), "a.html")).code).toBe("not_html");
    expect((await failureOf(strToU8("<html><body><script>x</script></body></html>"), "b.htm")).code).toBe("empty_document");
  });


  it("a file name with ../ or control characters is reduced to a harmless display name", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("..\\..\\Windows\\报告.docx")).toBe("报告.docx");
    expect(sanitizeFileName("报\u0000告\u0007\u001b[31m.docx")).toBe("报告[31m.docx");
    expect(sanitizeFileName("a\u202e\u200bxcod.txt")).toBe("axcod.txt");
    expect(sanitizeFileName("..")).toBe("unnamed");
    expect(sanitizeFileName(".hidden.txt")).toBe("hidden.txt");
    expect([...sanitizeFileName(`${"很".repeat(500)}.docx`)].length).toBe(200);
    expect(sanitizeFileName(`${"很".repeat(500)}.docx`).endsWith(".docx")).toBe(true);
  });
});

describe("bad input in the binary spreadsheet formats (.xls, .et)", () => {
  const xls = fixture("rural-water.xls");

  it("a truncated .xls (half a download)", async () => {
    const err = await failureOf(xls.slice(0, Math.floor(xls.length / 2)), "截断.xls");
    expect(err.code).toBe("corrupt_xls");
    expect(err.message).toContain("截断.xls");
    expect(err.message).toContain("Excel 文件已损坏");
  });

  it("an OLE header and nothing else", async () => {
    const err = await failureOf(new Uint8Array(OLE_HEADER), "表.xls");
    expect(err.code).toBe("corrupt_xls");
  });

  it("an .xls with an open password", async () => {
    const err = await failureOf(encryptedXls(xls), "加密.xls");
    expect(err.code).toBe("encrypted_office");
    expect(err.message).toContain("加密.xls");
    expect(err.message).toContain("Excel 文件已加密");
  });

  it("a password-protected .xlsx saved under .et or .xls (OOXML inside an OLE file)", async () => {
    expect((await failureOf(encryptedOoxml(), "加密.et")).code).toBe("encrypted_office");
    expect((await failureOf(encryptedOoxml(), "加密.xlsx")).code).toBe("encrypted_or_legacy_office");
  });

  it("a zero-byte .et", async () => {
    const err = await failureOf(new Uint8Array(0), "空.et");
    expect(err.code).toBe("empty_file");
    expect(err.message).toContain("空.et");
    expect(err.message).toContain("文件是空的");
  });

  it("an .xls that is a Word binary", async () => {
    const err = await failureOf(fixture("rural-water.doc"), "文.xls");
    expect(err.code).toBe("not_xls");
    expect(err.message).toContain("Word 文档");
  });

  it("an .xls that is plain text", async () => {
    expect((await failureOf(strToU8("项目名称\t年初预算数\n"), "t.xls")).code).toBe("not_xls");
  });

  it("an .xls with 100,000 formatted empty rows after the report still reads as the report", async () => {
    const padded = xlsWithEmptyRows(xls, 100_000);
    expect(padded.length).toBeGreaterThan(2_000_000);
    const before = process.memoryUsage().rss;
    const r = await parseBuffer(padded, "补空行.xls");
    if ("error" in r) throw new Error(r.error.message);
    expect(r.projectName).toBe("农村供水工程维修养护");
    expect(r.indicators).toHaveLength(8);
    // Empty cells are skipped while reading, so memory stays far from one object per row and column.
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
  });

  it("what web systems export as .xls — an HTML table — reads as the HTML report it is", async () => {
    const r = await parseBuffer(strToU8(reportHtml()), "导出.xls");
    if ("error" in r) throw new Error(r.error.message);
    expect(r.source.format).toBe("xls");
    expect(r.projectName).toBe("社区图书室运维经费");
  });

  it("an .xlsx saved with the old extension reads as the workbook it is", async () => {
    const r = await parseBuffer(await reportXlsx(), "改名.xls");
    if ("error" in r) throw new Error(r.error.message);
    expect(r.projectName).toBe("社区图书室运维经费");
  });
});

describe("bad input in the Word binary formats (.doc, .wps)", () => {
  const doc = fixture("rural-water.doc");

  it("a truncated .doc (half a download)", async () => {
    const err = await failureOf(doc.slice(0, Math.floor(doc.length / 2)), "截断.doc");
    expect(err.code).toBe("corrupt_doc");
    expect(err.message).toContain("截断.doc");
    expect(err.message).toContain("Word 文件已损坏");
  });

  it("a .doc cut anywhere, or with bytes flipped, fails with a reason or reads; it never throws", async () => {
    for (let cut = 512; cut < doc.length; cut += 1536) {
      const r = await parseBuffer(doc.slice(0, cut), "截断.doc");
      if ("error" in r) expect(r.error.code).not.toBe("internal");
    }
    for (let seed = 1; seed <= 12; seed++) {
      const damaged = doc.slice();
      for (let i = 512 + seed; i < damaged.length; i += 97 + seed) damaged[i] ^= 0xa5;
      const r = await parseBuffer(damaged, "损坏.doc");
      if ("error" in r) expect(r.error.code).not.toBe("internal");
    }
  });

  it("an OLE header and nothing else", async () => {
    expect((await failureOf(new Uint8Array(OLE_HEADER), "文.doc")).code).toBe("corrupt_doc");
  });

  it("a .doc with an open password", async () => {
    const err = await failureOf(encryptedDoc(doc), "加密.doc");
    expect(err.code).toBe("encrypted_office");
    expect(err.message).toContain("Word 文件已加密");
    expect((await failureOf(encryptedOoxml(), "加密.wps")).code).toBe("encrypted_office");
  });

  it("a zero-byte .wps", async () => {
    const err = await failureOf(new Uint8Array(0), "空.wps");
    expect(err.code).toBe("empty_file");
    expect(err.message).toContain("空.wps");
  });

  it("a .doc that is an Excel binary, and one that is plain text", async () => {
    const err = await failureOf(fixture("rural-water.xls"), "表.doc");
    expect(err.code).toBe("not_doc");
    expect(err.message).toContain("Excel 工作簿");
    expect((await failureOf(strToU8("项目支出绩效评价报告"), "t.doc")).code).toBe("not_doc");
  });

  it("an RTF file named .doc is named as RTF", async () => {
    const err = await failureOf(strToU8("{\\rtf1\\ansi 项目}"), "r.doc");
    expect(err.code).toBe("unsupported_rtf");
  });

  it("a .doc that is really HTML (Word's save as web page) is read as the HTML report it is", async () => {
    const r = await parseBuffer(strToU8(reportHtml()), "网页.doc");
    if ("error" in r) throw new Error(r.error.message);
    expect(r.source.format).toBe("doc");
    expect(r.projectName).toBe("社区图书室运维经费");
    expect(r.indicators).toHaveLength(4);
  });

  it("a .docx saved with the old extension reads as the document it is", async () => {
    const r = await parseBuffer(await reportDocx(), "改名.doc");
    if ("error" in r) throw new Error(r.error.message);
    expect(r.projectName).toBe("社区图书室运维经费");
  });
});
