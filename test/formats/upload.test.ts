/**
 * The upload handlers, without a browser: limits (a setting), reading bodies without trusting
 * their declared length, per-file results, nothing written for a rejected file.
 */
import { strToU8, zipSync } from "fflate";
import {
  checkDeclaredLength,
  ingestUpload,
  readLimited,
  receiveFormUpload,
  receiveSingleUpload,
  uploadedName,
  uploadLimits,
  UploadRejected,
} from "../../app/upload.server";
import { openTempDb, type TempDb } from "../helpers/temp-db";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ingestPaths } from "../../ingest/pipeline";
import { SHOWN_EXTENSIONS } from "../../ingest/readers/formats";
import { fixture } from "./helpers/ole";
import { reportDocx, reportXlsx } from "./helpers/report-fixture";

const MB = 1024 * 1024;

/** A body that produces `total` bytes lazily and counts how many were pulled. */
function lazyBody(total: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const chunk = new Uint8Array(256 * 1024);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      controller.enqueue(chunk.subarray(0, n));
    },
  });
  return { body, pulled: () => sent };
}

function fileRequest(bytes: Uint8Array | ReadableStream<Uint8Array>, name: string, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/upload/file", {
    method: "POST",
    body: bytes,
    headers: { "X-File-Name": encodeURIComponent(name), ...headers },
    // Node's fetch needs this to send a stream body.
    ...(bytes instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

const empty = async (t: TempDb) => Object.values(await t.counts()).every((n) => n === 0);

describe("upload limits", () => {
  it("default to 20 MB per file and read UPLOAD_MAX_MB / UPLOAD_MAX_REQUEST_MB", () => {
    expect(uploadLimits({})).toEqual({ maxFileBytes: 20 * MB, maxRequestBytes: 100 * MB });
    expect(uploadLimits({ UPLOAD_MAX_MB: "5", UPLOAD_MAX_REQUEST_MB: "12" })).toEqual({ maxFileBytes: 5 * MB, maxRequestBytes: 12 * MB });
    // Nonsense falls back to the default; a request limit never undercuts the file limit.
    expect(uploadLimits({ UPLOAD_MAX_MB: "-3", UPLOAD_MAX_REQUEST_MB: "1" })).toEqual({ maxFileBytes: 20 * MB, maxRequestBytes: 20 * MB });
  });

  it("reject a 100 MB upload by its declared length before reading it", () => {
    expect(() => checkDeclaredLength(String(100 * MB), 20 * MB)).toThrow(UploadRejected);
    expect(() => checkDeclaredLength(String(100 * MB), 20 * MB)).toThrow("超过 20 MB 上限");
    expect(() => checkDeclaredLength(String(20 * MB), 20 * MB)).not.toThrow();
    expect(() => checkDeclaredLength(null, 20 * MB)).not.toThrow();
  });

  it("stop reading a body at the limit whatever it declares", async () => {
    const { body, pulled } = lazyBody(100 * MB);
    await expect(readLimited(body, 20 * MB)).rejects.toThrow("超过 20 MB 上限");
    expect(pulled()).toBeLessThan(21 * MB);
    const small = lazyBody(1000);
    expect((await readLimited(small.body, 20 * MB)).byteLength).toBe(1000);
  });

  it("sanitize the uploaded name: no path parts, no control characters", () => {
    expect(uploadedName(encodeURIComponent("../../etc/自评报告.docx"))).toBe("自评报告.docx");
    expect(uploadedName(encodeURIComponent("a\u0000b\u001b.txt"))).toBe("ab.txt");
    expect(uploadedName("%E0%A4%A")).toBe("%E0%A4%A");
    expect(uploadedName(null)).toBe("unnamed");
  });
});

describe("upload handlers", () => {
  let t: TempDb;
  beforeEach(async () => {
    t = await openTempDb();
  });
  afterEach(async () => {
    await t.close();
  });

  it("load a .docx and an .xlsx, each with its own result, and report the second upload as unchanged", async () => {
    const docxBytes = await reportDocx();
    const docx = await receiveSingleUpload(t.db, fileRequest(docxBytes, "自评报告.docx"));
    expect(docx).toMatchObject({ name: "自评报告.docx", status: "loaded" });
    expect(docx.reportId).toBeGreaterThan(0);
    expect(typeof docx.findings).toBe("number");
    const again = await receiveSingleUpload(t.db, fileRequest(docxBytes, "自评报告.docx"));
    expect(again).toMatchObject({ status: "unchanged", reportId: docx.reportId });
    // The same project and year as an Excel form: a new version of the same report.
    const xlsx = await receiveSingleUpload(t.db, fileRequest(await reportXlsx(), "自评表.xlsx"));
    expect(xlsx.status).toBe("replaced");
    expect(xlsx.replaced?.reportId).toBe(docx.reportId);
    expect((await t.counts()).reports).toBe(1);
  });

  it("load the old Office and WPS binaries (.doc .wps .xls .et), offered in the file picker", async () => {
    for (const ext of [".doc", ".wps", ".xls", ".et"]) expect(SHOWN_EXTENSIONS).toContain(ext);
    const doc = await receiveSingleUpload(t.db, fileRequest(fixture("rural-water.doc"), "自评报告.doc"));
    expect(doc).toMatchObject({ name: "自评报告.doc", status: "loaded" });
    // A .wps is the same Word binary under WPS's name: these bytes are already loaded.
    expect((await receiveSingleUpload(t.db, fileRequest(fixture("rural-water.wps"), "自评报告.wps"))).status).toBe("unchanged");
    // The same report as a workbook: a new version of it, not a second report.
    const xls = await receiveSingleUpload(t.db, fileRequest(fixture("rural-water.xls"), "自评表.xls"));
    expect(xls).toMatchObject({ status: "replaced" });
    expect((await receiveSingleUpload(t.db, fileRequest(fixture("rural-water.et"), "自评表.et"))).status).toBe("unchanged");
    expect((await t.counts()).reports).toBe(1);
  });

  it("ingest picks the new extensions up when walking a folder", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-formats-"));
    try {
      fs.writeFileSync(path.join(dir, "a.wps"), fixture("rural-water.wps"));
      fs.writeFileSync(path.join(dir, "b.et"), new Uint8Array(0));
      fs.writeFileSync(path.join(dir, "c.png"), new Uint8Array([0x89, 0x50]));
      const summary = await ingestPaths(t.db, [dir]);
      expect(summary).toMatchObject({ files: 2, loaded: 1, failed: 1 });
      expect(summary.failures.map((f) => path.basename(f.file))).toEqual(["b.et"]);
      expect(summary.failures[0].message).toContain("文件是空的");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reject a 100 MB upload with a clear message and write nothing", async () => {
    const { body, pulled } = lazyBody(100 * MB);
    const declared = await receiveSingleUpload(t.db, fileRequest(body, "大文件.pdf", { "Content-Length": String(100 * MB) }), {
      maxFileBytes: 20 * MB,
      maxRequestBytes: 100 * MB,
    });
    expect(declared).toMatchObject({ status: "failed", error: { code: "too_large" } });
    expect(declared.error?.message).toContain("大文件.pdf");
    expect(declared.error?.message).toContain("20 MB");
    expect(pulled()).toBeLessThan(2 * MB);
    const undeclared = lazyBody(100 * MB);
    const streamed = await receiveSingleUpload(t.db, fileRequest(undeclared.body, "大文件.pdf"), { maxFileBytes: 20 * MB, maxRequestBytes: 100 * MB });
    expect(streamed.error?.code).toBe("too_large");
    expect(undeclared.pulled()).toBeLessThan(21 * MB);
    expect(await empty(t)).toBe(true);
  });

  it("refuse unknown types with the list of known ones, and broken files with their reason, writing nothing", async () => {
    const png = await receiveSingleUpload(t.db, fileRequest(new Uint8Array([0x89, 0x50]), "图.png"));
    expect(png).toMatchObject({ status: "failed", error: { code: "unsupported_type" } });
    expect(png.error?.message).toContain(".docx");
    const xls = await ingestUpload(t.db, { bytes: new Uint8Array(10), name: "表.xls" });
    expect(xls).toMatchObject({ status: "failed", error: { code: "not_xls" } });
    expect(xls.error?.message).toContain("表.xls");
    expect(xls.error?.message).toContain("不是有效的 Excel");
    const fake = await receiveSingleUpload(t.db, fileRequest(strToU8("这不是 Word 文件"), "../../坏.docx"));
    expect(fake).toMatchObject({ name: "坏.docx", status: "failed", error: { code: "not_docx" } });
    expect(fake.error?.message).toContain("坏.docx");
    expect(await empty(t)).toBe(true);
  });

  it("load the reports inside a .zip one by one; a bad entry does not stop the good one", async () => {
    const zip = zipSync({ "a/自评报告.docx": await reportDocx(), "b/坏.docx": strToU8("not a docx"), "c/内层.zip": zipSync({ "x.txt": strToU8("x") }) });
    const r = await ingestUpload(t.db, { bytes: zip, name: "一批报告.zip" });
    expect(r.status).toBe("loaded");
    expect(r.entries?.map((e) => [e.name, e.status])).toEqual([
      ["a/自评报告.docx", "loaded"],
      ["b/坏.docx", "failed"],
      ["c/内层.zip", "failed"],
    ]);
    expect((await t.counts()).reports).toBe(1);
    const again = await ingestUpload(t.db, { bytes: zip, name: "一批报告.zip" });
    expect(again.status).toBe("unchanged");
    const bomb = await ingestUpload(t.db, { bytes: zipSync({ "r.txt": new Uint8Array(64 * MB) }), name: "炸弹.zip" });
    expect(bomb).toMatchObject({ status: "failed", error: { code: "zip_limit" } });
    expect((await t.counts()).reports).toBe(1);
  });

  it("take a multipart form of several files (the page without JavaScript), each limited and judged on its own", async () => {
    const form = new FormData();
    form.append("files", new Blob([(await reportDocx()).slice()]), "自评报告.docx");
    form.append("files", new Blob([new Uint8Array(3 * MB)]), "太大.pdf");
    form.append("files", new Blob([strToU8("hello")]), "说明.exe");
    const request = new Request("http://localhost/upload", { method: "POST", body: form });
    const results = await receiveFormUpload(t.db, request, { maxFileBytes: 2 * MB, maxRequestBytes: 10 * MB });
    expect(results.map((r) => [r.name, r.status, r.error?.code])).toEqual([
      ["自评报告.docx", "loaded", undefined],
      ["太大.pdf", "failed", "too_large"],
      ["说明.exe", "failed", "unsupported_type"],
    ]);
    const big = new FormData();
    big.append("files", new Blob([new Uint8Array(3 * MB)]), "a.txt");
    const tooBig = new Request("http://localhost/upload", { method: "POST", body: big });
    await expect(receiveFormUpload(t.db, tooBig, { maxFileBytes: 2 * MB, maxRequestBytes: 2 * MB })).rejects.toThrow("本次上传的总大小");
  });
});
