import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTempDb, type TempDb } from "../helpers/temp-db";
import { buildFixture, type Fixture } from "./fixture";
import { buildBriefing, type BriefingData } from "../../app/briefing/data";
import { buildBriefingDocument, cellText, type BriefingDocument, type BriefingSection } from "../../app/briefing/document";
import { briefingCharts } from "../../app/briefing/charts";
import { recommendationProse } from "../../app/briefing/prose";

/** The prose and tables of the briefing on the fixture: sentences to the character, numbers traced to tables. */

let t: TempDb;
let fx: Fixture;
let data: BriefingData;
let doc: BriefingDocument;

beforeAll(async () => {
  t = await openTempDb();
  fx = await buildFixture(t.db);
  data = await buildBriefing(t.db, { filter: { years: [2024] } });
  doc = buildBriefingDocument(data);
});

afterAll(async () => {
  await t.close();
});

const NUMBER = /\d[\d,]*(?:\.\d+)?/g;

function numbers(text: string): string[] {
  return text.match(NUMBER) ?? [];
}

/** Numbers in a section's sentences that appear in none of its tables (headers or cells). */
function untracedNumbers(section: BriefingSection): string[] {
  const inTables = new Set<string>();
  for (const table of section.tables) {
    for (const c of table.columns) numbers(c).forEach((n) => inTables.add(n));
    for (const row of table.rows) for (const cell of row) numbers(cellText(cell)).forEach((n) => inTables.add(n));
  }
  return section.paragraphs.flatMap(numbers).filter((n) => !inTables.has(n));
}

function section(id: string): BriefingSection {
  const s = doc.sections.find((x) => x.id === id);
  if (!s) throw new Error(`no section ${id}`);
  return s;
}

function tableRows(sectionId: string, tableId: string): string[][] {
  const table = section(sectionId).tables.find((x) => x.id === tableId);
  if (!table) throw new Error(`no table ${tableId}`);
  return table.rows.map((r) => r.map(cellText));
}

describe("document structure", () => {
  it("has the title and six numbered sections", () => {
    expect(doc.title).toBe("2024年预算绩效评价结果简报");
    expect(doc.sections.map((s) => s.heading)).toEqual([
      "一、总体情况",
      "二、预算执行",
      "三、绩效结果",
      "四、指标完成",
      "五、数据质量",
      "六、建议",
    ]);
  });
});

describe("prose", () => {
  it("writes the overview from the figures", () => {
    expect(section("overview").paragraphs).toEqual([
      "2024年共收到5个部门的10份评价报告，预算合计590.00万元，支出445.00万元，预算执行率78.07%（按同时载明预算和支出的8份报告计算），较上年提高8.45个百分点。",
      "与2023年相比，报告数量增加7份，预算增加330.00万元，支出增加264.00万元。",
      "评价等级为优2份、良2份、中2份、差2份，未评定等级2份，平均得分75.31分。",
    ]);
  });

  it("names the lowest departments and the funds not allocated", () => {
    const p = section("execution").paragraphs;
    expect(p).toContain("预算执行率最低的部门依次为示例市交通运输局（30.00%）、示例市文化和旅游局（50.00%）、示例市教育局（77.62%）。");
    expect(p).toContain("部门汇总报告所列3项资金计划17.35万元，其中财政未下达2项，共7.35万元。");
    expect(p).toContain("7份报告的支出低于预算，未支出资金合计125.00万元，应按规定收回或结转。");
  });

  it("states recommendations per department with the rule that produced them", () => {
    const p = section("recommendations").paragraphs;
    expect(p[0]).toContain("得分90分及以上为优（优先支持）");
    expect(p).toContain(
      "部门层面：优先支持1个（示例市财政局）；保持1个（示例市教育局）；改进管理、酌情核减2个（示例市交通运输局、示例市卫生健康委员会）；核减或暂停1个（示例市文化和旅游局）。",
    );
    expect(p).toContain("示例市交通运输局（执行率30.00%）、示例市文化和旅游局（执行率50.00%）预算执行率低于60%，列为核减候选。");
  });

  it("names a few departments and says how many more there are", () => {
    const edu = data.recommendations.departments.find((d) => d.department === "示例市交通运输局")!;
    const many = Array.from({ length: 12 }, (_, i) => ({ ...edu, department: `部门${"甲乙丙丁戊己庚辛壬癸子丑"[i]}` }));
    const p = recommendationProse({ ...data, recommendations: { ...data.recommendations, departments: many } });
    expect(p[1]).toBe("部门层面：改进管理、酌情核减12个（部门甲、部门乙、部门丙、部门丁、部门戊、部门己、部门庚、部门辛等）。");
    expect(p[2]).toBe(
      "部门甲（执行率30.00%）、部门乙（执行率30.00%）、部门丙（执行率30.00%）、部门丁（执行率30.00%）、部门戊（执行率30.00%）、部门己（执行率30.00%）、部门庚（执行率30.00%）、部门辛（执行率30.00%）等12个部门预算执行率低于60%，列为核减候选。",
    );
  });

  it("says that a previous year is missing instead of inventing a change", async () => {
    const first = buildBriefingDocument(await buildBriefing(t.db, { filter: { years: [2023] } }));
    const text = first.sections[0].paragraphs.join("");
    expect(text).not.toContain("较上年");
    expect(first.sections[0].tables[0].columns).toEqual(["指标", "2023年"]);
  });

  it("every number in every section's prose appears in that section's tables", () => {
    for (const s of doc.sections) {
      expect(numbers(s.paragraphs.join("")).length, s.id).toBeGreaterThan(0);
      expect(untracedNumbers(s), s.id).toEqual([]);
    }
  });

  it("the tracing check catches a number that is not in the tables", () => {
    const s = section("overview");
    const altered = { ...s, paragraphs: s.paragraphs.map((p) => p.replace("78.07%", "78.08%")) };
    expect(untracedNumbers(altered)).toEqual(["78.08"]);
  });
});

describe("tables", () => {
  it("overview table carries this year, last year and the change", () => {
    const rows = tableRows("overview", "overview");
    const byLabel = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
    expect(byLabel["报告数（份）"]).toEqual(["10", "3", "+7"]);
    expect(byLabel["预算合计（万元）"]).toEqual(["590.00", "260.00", "+330.00"]);
    expect(byLabel["支出合计（万元）"]).toEqual(["445.00", "181.00", "+264.00"]);
    expect(byLabel["预算执行率"]).toEqual(["78.07%", "69.62%", "+8.45"]);
    expect(byLabel["平均得分（分）"]).toEqual(["75.31", "75.67", "-0.36"]);
    expect(byLabel["载明预算和支出的报告数（份）"]).toEqual(["8", "3", "—"]);
  });

  it("department recommendations list their reports", () => {
    const table = section("recommendations").tables.find((x) => x.id === "department-recommendations")!;
    const education = table.rows.find((r) => cellText(r[0]) === "示例市教育局")!;
    expect(education.map(cellText)).toEqual([
      "示例市教育局",
      "88.50",
      "良",
      "77.62%",
      "210.00",
      "163.00",
      "保持",
      `#${fx.reportIds.r1} #${fx.reportIds.r2} #${fx.reportIds.r7}`,
    ]);
    const last = education[education.length - 1];
    expect(last.kind === "reports" && last.reportIds).toEqual([fx.reportIds.r1, fx.reportIds.r2, fx.reportIds.r7]);
  });

  it("project rows link to their report", () => {
    const table = section("recommendations").tables.find((x) => x.id === "project-recommendations")!;
    const first = table.rows[0][0];
    expect(first).toEqual({ kind: "report", reportId: fx.reportIds.r9, value: "文化下乡活动" });
  });

  it("shortens long evidence lists and says how many reports there are", () => {
    expect(cellText({ kind: "reports", reportIds: [4, 9], total: 2 })).toBe("#4 #9");
    expect(cellText({ kind: "reports", reportIds: [4, 9], total: 1234 })).toBe("#4 #9 等1,234份");
  });

  it("describes the filter in the subtitle", async () => {
    expect(doc.subtitle).toBe("评价年度：2024年 · 金额单位：万元");
    const scoped = buildBriefingDocument(
      await buildBriefing(t.db, { filter: { years: [2024], departmentIds: [fx.departmentIds.A], regions: ["示例市"], evaluationTypes: ["self"] } }),
    );
    expect(scoped.subtitle).toBe("评价年度：2024年 · 地区：示例市 · 部门：示例市教育局 · 评价类型：单位自评 · 金额单位：万元");
  });

  it("keeps exact amounts in the cells and rounds only when shown", () => {
    const na = section("execution").tables.find((x) => x.id === "not-allocated")!;
    expect(na.rows[1][4]).toEqual({ kind: "wan", value: "2.345678" });
    expect(cellText(na.rows[1][4])).toBe("2.35");
  });
});

describe("charts", () => {
  it("draws the lowest departments, the grade mix of both years and unmet types", () => {
    const charts = briefingCharts(data);
    expect(Object.values(charts).flat().map((c) => c.id)).toEqual([
      "briefing-chart-grades",
      "briefing-chart-execution",
      "briefing-chart-unmet",
    ]);
    const grades = charts.overview[0].option as { xAxis: { data: string[] }; series: { name: string; data: number[] }[] };
    expect(grades.xAxis.data).toEqual(["2023年", "2024年"]);
    expect(grades.series.find((s) => s.name === "优")?.data).toEqual([1, 2]);
    const exec = charts.execution[0].option as { series: { data: { name: string; value: number }[] }[] };
    expect(exec.series[0].data.map((d) => [d.name, d.value])).toContainEqual(["示例市交通运输局", 30]);
  });
});
