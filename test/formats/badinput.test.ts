/**
 * Broken and hostile files in the new formats: each gives a clear error that names the file and
 * the reason, and nothing throws.
 */
import ExcelJS from "exceljs";
import { strToU8, zipSync } from "fflate";
import { parseBuffer } from "../../ingest/parse";
import { sanitizeFileName } from "../../ingest/readers/formats";
import { buildPdf } from "./helpers/pdf-writer";
import { reportDocx, reportXlsx } from "./helpers/report-fixture";

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

  it("legacy .xls and .doc are explained, not attempted", async () => {
    const bytes = new Uint8Array(OLE_HEADER);
    expect((await failureOf(bytes, "表.xls")).message).toContain("另存为 .xlsx");
    expect((await failureOf(bytes, "文.doc")).message).toContain("另存为 .docx");
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
