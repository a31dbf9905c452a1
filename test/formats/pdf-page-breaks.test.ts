/**
 * The PDF reader where LibreOffice Writer (as Word does) let a 自评表 row break across a page: the
 * rest of the row's wrapped cells is drawn as a row of its own at the top of the next page. Fixtures:
 * test/fixtures/formats/ (corpus reports, made by corpus.ts and make.sh there).
 */
import type { DocumentModel, Table } from "../../ingest/document";
import { readDocument } from "../../ingest/readers";
import { fixture } from "./helpers/ole";

async function rowsOf(name: string): Promise<string[][]> {
  const doc: DocumentModel = (await readDocument(fixture(name), name)).doc;
  const tables = doc.blocks.filter((b): b is Table => b.type === "table");
  expect(tables).toHaveLength(1);
  return tables[0].rows.map((r) => r.cells.map((c) => c.text));
}

describe("a table row cut by a page break", () => {
  it("is one row again: the cut cells' text joined, no row of leftovers", async () => {
    // 满意度指标 wraps in its narrow column as 满意 / 度指 / 标, and the page ends before 标.
    const rows = await rowsOf("canon-school-repairs.pdf");
    expect(rows.find((r) => r.includes("师生满意度"))).toEqual(["", "满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "92%", "15", "15", ""]);
    expect(rows.filter((r) => r.filter((t) => t !== "").join("") === "标")).toEqual([]);
    const health = await rowsOf("canon-public-health.pdf");
    expect(health.find((r) => r.includes("成本指标"))).toEqual(["", "", "成本指标", "人均基本公共卫生服务补助", "5", "≥89元", "89元", "5", ""]);
    expect(health.find((r) => r.includes("效益指标"))?.[3]).toBe("城乡居民公共卫生服务差距");
  });

  it("is not joined to a new row that starts the next page under a name that ended short", async () => {
    // The page ends after 指标1：残疾人基本生活保障水平 (its last line short of the cell's width); the
    // next page starts with the form's …… placeholder row, in the same column.
    const rows = await rowsOf("cpl-disability-subsidies.pdf");
    const i = rows.findIndex((r) => r.includes("指标1：残疾人基本生活保障水平"));
    expect(rows[i + 1].filter((t) => t !== "")).toEqual(["……"]);
    expect(rows[i + 2]).toContain("指标1：补贴对象满意度");
  });
});

describe("cell text wrapped in a narrow column", () => {
  it("keeps a number with its sign and its digits together, with no space put in", async () => {
    // The 实际完成值 column wraps 91.3% as 91.3 / %.
    const health = (await rowsOf("canon-public-health.pdf")).flat();
    expect(health).toEqual(expect.arrayContaining(["91.3%", "63.8%", "90.6%"]));
    expect(health.filter((t) => /\d\s+[%‰]/.test(t))).toEqual([]);
    expect((await rowsOf("pipe-forest-pests.pdf")).flat()).toContain("0.35‰");
  });
});
