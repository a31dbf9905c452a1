/**
 * .zip archives of reports: expanded in memory under limits that stop a zip bomb while it inflates.
 */
import { deflateSync, strToU8, zipSync, type Zippable } from "fflate";
import { entryLabel, expandZip, inflateZip } from "../../ingest/readers/zip";
import { reportDocx } from "./helpers/report-fixture";

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error("expected an error");
}

/** A zip whose one entry is a raw deflate stream: lets a test state any inflated size cheaply. */
function zipWithDeflated(name: string, deflated: Uint8Array, inflatedSize: number): Uint8Array {
  const nameBytes = strToU8(name);
  const header = new Uint8Array(30 + nameBytes.length);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 20, true);
  v.setUint16(8, 8, true); // deflate
  v.setUint32(18, deflated.length, true);
  v.setUint32(22, inflatedSize, true);
  v.setUint16(26, nameBytes.length, true);
  header.set(nameBytes, 30);
  const out = new Uint8Array(header.length + deflated.length);
  out.set(header, 0);
  out.set(deflated, header.length);
  return out;
}

describe("expandZip", () => {
  it("returns the report files, with sanitized labels, and lists what it skipped", async () => {
    const docx = await reportDocx();
    const zip = zipSync({
      "2024/自评报告.docx": docx,
      "2024/说明.txt": strToU8("项目支出绩效评价报告"),
      "inner.zip": zipSync({ "a.txt": strToU8("x") }),
      "photo.png": new Uint8Array([1, 2, 3]),
      "__MACOSX/._自评报告.docx": new Uint8Array([0]),
      "empty/": new Uint8Array(0),
    });
    const { entries, skipped } = expandZip(zip, "batch.zip");
    expect(entries.map((e) => e.name)).toEqual(["2024/自评报告.docx", "2024/说明.txt"]);
    expect(entries[0].bytes).toEqual(docx);
    expect(skipped.map((s) => s.name)).toEqual(["inner.zip", "photo.png"]);
    expect(skipped[0].reason).toContain("嵌套");
  });

  it("refuses an archive with more entries than the limit", () => {
    const files: Zippable = {};
    for (let i = 0; i < 10_000; i++) files[`r${i}.txt`] = strToU8("x");
    const err = errorOf(() => expandZip(zipSync(files, { level: 0 }), "many.zip"));
    expect(err.code).toBe("zip_limit");
    expect(err.message).toContain("2000");
    expect(err.message).toContain("many.zip");
  });

  it("stops a zip bomb by its inflation ratio", () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const bomb = zipSync({ "report.txt": zeros });
    expect(bomb.length).toBeLessThan(200_000);
    const err = errorOf(() => expandZip(bomb, "bomb.zip"));
    expect(err.code).toBe("zip_limit");
    expect(err.message).toMatch(/压缩比|ratio/);
  });

  it("stops at the total inflated size even when the header lies about it", () => {
    // 64 MB of zeros declared as 10 bytes: the running count, not the header, is trusted.
    const deflated = deflateSync(new Uint8Array(64 * 1024 * 1024));
    const zip = zipWithDeflated("liar.txt", deflated, 10);
    const err = errorOf(() => inflateZip(zip, { limits: { maxRatio: 1_000_000, maxTotalBytes: 8 * 1024 * 1024 } }));
    expect(err.code).toBe("zip_limit");
    expect(err.message).toContain("MB");
  });

  it("reports a corrupt or truncated archive clearly", async () => {
    const zip = zipSync({ "a.docx": await reportDocx() });
    const broken = zip.slice();
    for (let i = 200; i < 2000; i++) broken[i] = (broken[i] * 7 + 13) & 0xff;
    expect(errorOf(() => expandZip(broken, "broken.zip")).code).toBe("corrupt_zip");
    expect(errorOf(() => expandZip(strToU8("not a zip at all"), "fake.zip")).code).toBe("not_zip");
  });

  it("notices damage the inflater cannot, by the entries' checksums", () => {
    // a stored (uncompressed) entry inflates whatever its bytes: only the CRC-32 tells
    const text = strToU8("项目支出绩效自评报告\n预算执行率 95%\n".repeat(20));
    const zip = zipSync({ "r.txt": [text, { level: 0 }] });
    expect(expandZip(zip, "ok.zip").entries[0].bytes).toEqual(text);
    // the entry's bytes follow its 30-byte local header and its name
    const at = 30 + "r.txt".length;
    expect(zip.subarray(at, at + text.length)).toEqual(text);
    const damaged = zip.slice();
    damaged[at + 40] ^= 0x01;
    const err = errorOf(() => expandZip(damaged, "damaged.zip"));
    expect(err.code).toBe("corrupt_zip");
    expect(err.message).toContain("r.txt");
  });

  it("never lets an entry name climb out of the archive or carry control characters", () => {
    expect(entryLabel("../../etc/passwd")).toBe("etc/passwd");
    expect(entryLabel("a/./b/../c\u0007\u001b.txt")).toBe("a/b/c.txt");
    expect(entryLabel("C:\\Windows\\win.ini")).toBe("C:/Windows/win.ini");
    expect(entryLabel("")).toBe("unnamed");
    // GBK name bytes without the UTF-8 flag (Windows zip tools) are decoded, not left as mojibake.
    const gbk = String.fromCharCode(0xb1, 0xa8, 0xb8, 0xe6) + ".txt"; // 报告 in GBK, read as Latin-1
    expect(entryLabel(gbk)).toBe("报告.txt");
  });
});
