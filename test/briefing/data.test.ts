import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTempDb, type TempDb } from "../helpers/temp-db";
import { buildFixture, type Fixture } from "./fixture";
import { buildBriefing, type BriefingData } from "../../app/briefing/data";
import { DEFAULT_THRESHOLDS, gradeBand, isLowExecution, parseThresholds, recommendationLabel } from "../../app/briefing/rules";

/**
 * Every figure of the briefing against values worked out by hand from test/briefing/fixture.ts.
 * 2024 budgets (万元): A 100+50+60, B 200+80, C 30 (+ a summary without budget), D 40 (+20 without a
 * spend), E 10 = 590; spent 95+20+48, 150+80, 9, 38, 5 = 445; the rate over the 8 reports stating
 * both is 445 / 570 = 78.07 %.
 */

let t: TempDb;
let fx: Fixture;
let data: BriefingData;

beforeAll(async () => {
  t = await openTempDb();
  fx = await buildFixture(t.db);
  data = await buildBriefing(t.db, { filter: { years: [2024] } });
});

afterAll(async () => {
  await t.close();
});

const ids = (...keys: string[]) => keys.map((k) => fx.reportIds[k]);

describe("总体情况", () => {
  it("totals the year's reports exactly", () => {
    const c = data.overview.current;
    expect(c.reports).toBe(10);
    expect(c.departments).toBe(5);
    expect(c.rateReports).toBe(8);
    expect(c.budget).toBe("590");
    expect(c.spent).toBe("445");
    expect(c.executionRate).toBe("78.07");
    expect(c.rateBasis).toBe("mixed");
    expect(c.averageScore).toBe("75.31"); // 602.5 / 8 = 75.3125
    expect(c.grades).toEqual({ 优: 2, 良: 2, 中: 2, 差: 2, none: 2 });
    expect(c.reportsWithFindings).toBe(3);
    expect(c.unmetIndicators).toBe(4);
    expect(data.indicators.total).toBe(8);
  });

  it("compares with the previous year", () => {
    expect(data.year).toBe(2024);
    expect(data.previousYear).toBe(2023);
    const p = data.overview.previous!;
    expect(p.reports).toBe(3);
    expect(p.budget).toBe("260");
    expect(p.spent).toBe("181");
    expect(p.executionRate).toBe("69.62"); // 181 / 260 = 69.615…
    expect(p.averageScore).toBe("75.67"); // 227 / 3
    const d = data.overview.change!;
    expect(d.reports).toBe(7);
    expect(d.departments).toBe(2);
    expect(d.budget).toBe("330");
    expect(d.spent).toBe("264");
    expect(d.executionRatePoints).toBe("8.45");
    expect(d.averageScore).toBe("-0.36");
    expect(d.grades).toEqual({ 优: 1, 良: 2, 中: 1, 差: 1 });
  });

  it("has no comparison when the previous year has no reports", async () => {
    const first = await buildBriefing(t.db, { filter: { years: [2023] } });
    expect(first.previousYear).toBeNull();
    expect(first.overview.previous).toBeNull();
    expect(first.overview.change).toBeNull();
  });
});

describe("预算执行", () => {
  it("ranks departments by execution rate, lowest first", () => {
    expect(data.execution.lowestDepartments.map((d) => [d.department, d.executionRate, d.budget, d.spent])).toEqual([
      ["示例市交通运输局", "30.00", "30", "9"],
      ["示例市文化和旅游局", "50.00", "10", "5"],
      ["示例市教育局", "77.62", "210", "163"],
      ["示例市卫生健康委员会", "82.14", "280", "230"],
      ["示例市财政局", "95.00", "60", "38"],
    ]);
    expect(data.execution.lowestDepartments[0].lowExecutionReports).toBe(1);
    expect(data.execution.lowestDepartments[2].lowExecutionReports).toBe(1); // 教师培训经费 40 %
  });

  it("lists the lowest-execution projects (summaries excluded)", () => {
    expect(data.execution.lowestProjects.map((p) => [p.reportId, p.executionRate])).toEqual([
      [fx.reportIds.r5, "30.00"],
      [fx.reportIds.r2, "40.00"],
      [fx.reportIds.r9, "50.00"],
      [fx.reportIds.r3, "75.00"],
      [fx.reportIds.r7, "80.00"],
      [fx.reportIds.r1, "95.00"],
      [fx.reportIds.r8, "95.00"],
      [fx.reportIds.r4, "100.00"],
    ]);
    expect(data.execution.lowExecutionProjects).toBe(3);
  });

  it("totals funds not allocated from summary line items, exactly", () => {
    expect(data.execution.lineItems).toEqual({
      items: 3,
      planned: "17.345678",
      allocated: "10",
      spent: "0",
      notAllocatedItems: 2,
      notAllocated: "7.345678",
    });
    expect(data.execution.notAllocated.map((i) => [i.name, i.budget, i.reportId])).toEqual([
      ["客运补贴", "5", fx.reportIds.r6],
      ["桥梁检测", "2.345678", fx.reportIds.r6],
    ]);
  });

  it("totals funds not spent and not received", () => {
    expect(data.execution.funds).toEqual({ unspentReports: 7, unspent: "125", notReceivedReports: 2, notReceived: "30" });
    expect(data.execution.mostUnspent.map((p) => [p.reportId, p.unspent])).toEqual([
      [fx.reportIds.r3, "50"],
      [fx.reportIds.r2, "30"],
      [fx.reportIds.r5, "21"],
      [fx.reportIds.r7, "12"],
      [fx.reportIds.r1, "5"],
      [fx.reportIds.r9, "5"],
      [fx.reportIds.r8, "2"],
    ]);
  });
});

describe("绩效结果", () => {
  it("ranks departments by average score", () => {
    expect(data.performance.departmentsByScore.map((d) => [d.department, d.averageScore, d.reports])).toEqual([
      ["示例市财政局", "95.00", 2],
      ["示例市教育局", "88.50", 3],
      ["示例市交通运输局", "65.00", 2],
      ["示例市卫生健康委员会", "63.50", 2],
      ["示例市文化和旅游局", "50.00", 1],
    ]);
  });

  it("lists projects graded 中 or 差, lowest score first", () => {
    expect(data.performance.weakProjectCount).toBe(4);
    expect(data.performance.weakProjects.map((p) => [p.reportId, p.score, p.band])).toEqual([
      [fx.reportIds.r9, "50.00", "差"],
      [fx.reportIds.r4, "55.00", "差"],
      [fx.reportIds.r5, "65.00", "中"],
      [fx.reportIds.r3, "72.00", "中"],
    ]);
  });

  it("finds high score with low execution", () => {
    expect(data.performance.highScoreLowExecutionCount).toBe(1);
    expect(data.performance.highScoreLowExecution.map((p) => [p.reportId, p.score, p.executionRate])).toEqual([
      [fx.reportIds.r2, "85.00", "40.00"],
    ]);
  });
});

describe("指标完成", () => {
  it("groups unmet indicators by type, name and cause", () => {
    expect(data.indicators.total).toBe(8);
    expect(data.indicators.unmet).toBe(4);
    expect(data.indicators.byType.map((t) => [t.label, t.indicators, t.judged, t.unmet, t.unmetShare])).toEqual([
      ["数量", 3, 3, 2, "66.67"],
      ["质量", 2, 2, 1, "50.00"],
      ["时效", 1, 1, 1, "100.00"],
    ]);
    expect(data.indicators.byName.map((n) => [n.label, n.indicators, n.unmet, n.reportIds])).toEqual([
      ["培训人次", 2, 2, ids("r2", "r3")],
      ["完成及时率", 1, 1, ids("r3")],
      ["验收合格率", 2, 1, ids("r5")],
    ]);
    expect(data.indicators.causes.map((c) => [c.cause, c.label, c.unmet, c.examples.map((e) => e.reason).sort()])).toEqual([
      ["schedule_slipped", "进度滞后", 2, ["工期延误", "项目进度滞后"]],
      ["funds_not_allocated", "资金未下达或不及时", 1, ["资金未到位，培训推迟"]],
      ["target_set_badly", "指标设置不合理", 1, ["指标值设置偏高"]],
    ]);
  });
});

describe("数据质量", () => {
  it("counts reports with findings by code", () => {
    expect(data.quality.reportsWithFindings).toBe(3);
    expect(data.quality.byCode).toEqual([
      { code: "budget.rate_mismatch", findings: 2, reports: 2, errors: 2, warnings: 0 },
      { code: "credibility.high_score_low_execution", findings: 1, reports: 1, errors: 0, warnings: 1 },
      { code: "score.total_mismatch", findings: 1, reports: 1, errors: 1, warnings: 0 },
    ]);
    expect(data.quality.reports.map((r) => [r.reportId, r.codes])).toEqual([
      [fx.reportIds.r3, ["budget.rate_mismatch", "score.total_mismatch"]],
      [fx.reportIds.r5, ["budget.rate_mismatch"]],
      [fx.reportIds.r2, ["credibility.high_score_low_execution"]],
    ]);
  });
});

describe("建议", () => {
  it("applies the rules to every department, with the reports behind each", () => {
    const byName = Object.fromEntries(data.recommendations.departments.map((r) => [r.department, r]));
    expect(Object.keys(byName)).toHaveLength(5);
    expect(byName["示例市财政局"]).toMatchObject({ band: "优", action: "support", cutCandidate: false, label: "优先支持" });
    expect(byName["示例市教育局"]).toMatchObject({ band: "良", action: "keep", cutCandidate: false, label: "保持" });
    expect(byName["示例市卫生健康委员会"]).toMatchObject({
      band: "中",
      action: "improve",
      cutCandidate: false,
      label: "改进管理、酌情核减",
    });
    expect(byName["示例市交通运输局"]).toMatchObject({
      band: "中",
      action: "improve",
      cutCandidate: true,
      executionRate: "30.00",
      label: "改进管理、酌情核减；核减候选",
    });
    expect(byName["示例市文化和旅游局"]).toMatchObject({ band: "差", action: "cut", cutCandidate: true, label: "核减或暂停；核减候选" });
    expect(byName["示例市教育局"].reportIds).toEqual(ids("r1", "r2", "r7"));
    expect(byName["示例市交通运输局"].reportIds).toEqual(ids("r5", "r6"));
    expect(byName["示例市财政局"].reportIds).toEqual(ids("r8", "r10"));
    expect(byName["示例市教育局"]).toMatchObject({ score: "88.50", executionRate: "77.62", budget: "210", spent: "163" });
  });

  it("applies the rules to every project", () => {
    const r = data.recommendations;
    expect(r.projectTotal).toBe(9);
    expect(r.projectCounts).toEqual({ support: 2, keep: 2, improve: 2, cut: 2, none: 1 });
    expect(r.projectCutCandidates).toBe(3);
    expect(r.projectsTruncated).toBe(false);
    const byId = Object.fromEntries(r.projects.map((p) => [p.reportId, p]));
    expect(byId[fx.reportIds.r2]).toMatchObject({ action: "keep", cutCandidate: true, label: "保持；核减候选", reportIds: ids("r2") });
    expect(byId[fx.reportIds.r8].label).toBe("优先支持");
    expect(byId[fx.reportIds.r9].label).toBe("核减或暂停；核减候选");
    expect(byId[fx.reportIds.r6]).toBeUndefined(); // summaries are not projects
    expect(byId[fx.reportIds.r10]).toMatchObject({ action: null, cutCandidate: false, label: "暂无评分，待补充评价" });
    // Most urgent first: 差 before 中 before 良 before 优.
    expect(r.projects.map((p) => p.band)).toEqual(["差", "差", "中", "中", "良", "良", "优", "优", null]);
  });

  it("follows the thresholds when they change", async () => {
    const custom = await buildBriefing(t.db, {
      filter: { years: [2024] },
      thresholds: { excellent: 85, good: 70, fair: 55, lowExecution: 45 },
    });
    const byName = Object.fromEntries(custom.recommendations.departments.map((r) => [r.department, r]));
    expect(byName["示例市教育局"].action).toBe("support"); // 88.50 ≥ 85
    expect(byName["示例市卫生健康委员会"].action).toBe("improve"); // 63.50 in [55, 70)
    expect(byName["示例市文化和旅游局"]).toMatchObject({ action: "cut", cutCandidate: false }); // 50 % ≥ 45 %
    expect(byName["示例市交通运输局"].cutCandidate).toBe(true); // 30 % < 45 %
    expect(custom.recommendations.projectCutCandidates).toBe(2); // 30 % and 40 %
    expect(custom.performance.highScoreLowExecutionCount).toBe(1); // 85 ≥ 70 at 40 %
  });

  it("treats a rate exactly at the threshold as not low", async () => {
    const at40 = await buildBriefing(t.db, { filter: { years: [2024] }, thresholds: { ...DEFAULT_THRESHOLDS, lowExecution: 40 } });
    // 教师培训经费 spends exactly 40 %: only 农村公路养护 (30 %) is below.
    expect(at40.recommendations.projectCutCandidates).toBe(1);
    expect(at40.recommendations.projects.find((p) => p.reportId === fx.reportIds.r2)?.cutCandidate).toBe(false);
    expect(isLowExecution("40.00", { ...DEFAULT_THRESHOLDS, lowExecution: 40 })).toBe(false);
    expect(isLowExecution("39.99", { ...DEFAULT_THRESHOLDS, lowExecution: 40 })).toBe(true);
  });

  it("caps the project list but keeps complete counts", async () => {
    const capped = await buildBriefing(t.db, { filter: { years: [2024] }, limits: { recommendations: 3 } });
    expect(capped.recommendations.projects).toHaveLength(3);
    expect(capped.recommendations.projectsTruncated).toBe(true);
    expect(capped.recommendations.projectTotal).toBe(9);
  });
});

describe("filters", () => {
  it("honours a department filter everywhere", async () => {
    const a = await buildBriefing(t.db, { filter: { years: [2024], departmentIds: [fx.departmentIds.A] } });
    expect(a.overview.current).toMatchObject({ reports: 3, departments: 1, budget: "210", spent: "163", executionRate: "77.62" });
    expect(a.overview.previous).toMatchObject({ reports: 1, budget: "90", spent: "81", executionRate: "90.00" });
    expect(a.overview.change?.executionRatePoints).toBe("-12.38");
    expect(a.quality.reportsWithFindings).toBe(1);
    expect(a.indicators.unmet).toBe(1);
    expect(a.execution.lineItems.items).toBe(0);
    expect(a.recommendations.departments.map((d) => d.department)).toEqual(["示例市教育局"]);
  });

  it("covers every year when no year is given, without a comparison", async () => {
    const all = await buildBriefing(t.db, { filter: {} });
    expect(all.year).toBeNull();
    expect(all.overview.change).toBeNull();
    expect(all.overview.current).toMatchObject({ reports: 13, budget: "850", spent: "626", executionRate: "75.42" });
  });

  it("is empty for a year without reports", async () => {
    const none = await buildBriefing(t.db, { filter: { years: [2030] } });
    expect(none.overview.current.reports).toBe(0);
    expect(none.overview.current.executionRate).toBeNull();
    expect(none.recommendations.departments).toEqual([]);
  });
});

describe("rules", () => {
  it("bands scores at the thresholds, inclusive", () => {
    expect(gradeBand("90", DEFAULT_THRESHOLDS)).toBe("优");
    expect(gradeBand("89.99", DEFAULT_THRESHOLDS)).toBe("良");
    expect(gradeBand("80", DEFAULT_THRESHOLDS)).toBe("良");
    expect(gradeBand("60", DEFAULT_THRESHOLDS)).toBe("中");
    expect(gradeBand("59.99", DEFAULT_THRESHOLDS)).toBe("差");
    expect(gradeBand(null, DEFAULT_THRESHOLDS)).toBeNull();
    expect(recommendationLabel(null, false)).toBe("暂无评分，待补充评价");
  });

  it("reads thresholds from the URL and rejects inconsistent ones", () => {
    expect(parseThresholds(new URLSearchParams("ex=85&good=75&fair=50&low=50"))).toEqual({
      excellent: 85,
      good: 75,
      fair: 50,
      lowExecution: 50,
    });
    expect(parseThresholds(new URLSearchParams("ex=70&good=80"))).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds(new URLSearchParams("low=abc"))).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds(new URLSearchParams(""))).toEqual(DEFAULT_THRESHOLDS);
  });
});
