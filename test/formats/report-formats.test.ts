/**
 * The same made-up report in every format: each must parse to the facts it was written from.
 */
import { parseBuffer } from "../../ingest/parse";
import type { ParsedReport } from "../../ingest/types";
import { FACTS, reportDocx, reportHtml, reportMarkdown, reportPdf, reportXlsx } from "./helpers/report-fixture";

const utf8 = (s: string) => new TextEncoder().encode(s);

const cases: [string, () => Promise<Uint8Array> | Uint8Array][] = [
  ["自评报告.docx", reportDocx],
  ["自评表.xlsx", reportXlsx],
  ["自评报告.pdf", reportPdf],
  ["自评报告.html", () => utf8(reportHtml())],
  ["自评报告.md", () => utf8(reportMarkdown())],
];

describe.each(cases)("%s", (fileName, build) => {
  let report: ParsedReport;
  beforeAll(async () => {
    const result = await parseBuffer(await build(), fileName);
    if ("error" in result) throw new Error(`${fileName} failed to parse: ${result.error.message}`);
    report = result;
  });

  it("records its format", () => {
    expect(report.source.format).toBe(fileName.split(".").pop());
    expect(report.source.file).toBe(fileName);
  });

  it("gives the header facts", () => {
    expect(report.title).toBe(FACTS.title);
    expect(report.projectName).toBe(FACTS.projectName);
    expect(report.department).toBe(FACTS.department);
    expect(report.implementingUnit).toBe(FACTS.implementingUnit);
    expect(report.year).toBe(FACTS.year);
  });

  it("gives the budget and the score", () => {
    expect(report.budget).toMatchObject(FACTS.budget);
    expect(report.score.total).toBe(FACTS.score.total);
    expect(report.score.grade).toBe(FACTS.score.grade);
  });

  it("gives every performance target once, with its values, score and whether it was met", () => {
    expect(report.indicators.map((i) => i.name)).toEqual(FACTS.indicators.map((i) => i.name));
    for (const expected of FACTS.indicators) {
      const got = report.indicators.find((i) => i.name === expected.name)!;
      expect(got).toMatchObject({
        level1: expected.level1,
        level2: expected.level2,
        target: expected.target,
        actual: expected.actual,
        weight: expected.weight,
        score: expected.score,
        met: expected.met,
      });
    }
    expect(report.indicators.find((i) => i.name === "图书借阅人次")!.deviationReason).toContain("宣传不足");
  });
});
