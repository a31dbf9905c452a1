import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, STORES } from "../helpers/stores";
import type { DB } from "../../db/connection";
import { loadReport } from "../../ingest/load";
import { fakeSha, sampleReport } from "../helpers/parsed-report";
import {
  getCredibility,
  getDataQuality,
  getDepartment,
  getDepartmentReports,
  getDepartmentTable,
  getDeviationCauses,
  getExecutionByDepartment,
  getExecutionByRegion,
  getExecutionByYear,
  getFilterOptions,
  getGradeCounts,
  getLineItemSummary,
  getLowestExecutionProjects,
  getOverview,
  getReportDetail,
  getScoreHistogram,
  getScoreLoss,
  getUnmetIndicators,
  getUnmetIndicatorList,
  getYearOverYear,
} from "../../db/queries";
import { fixtureDb, R1, R2 } from "./fixture";

describe.each(STORES)("on %s", (store) => {
  // Every expected figure below was computed by hand from test/db/fixture.ts (amounts in fen there).
  let db: DB;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await fixtureDb(undefined, store)));
  afterAll(() => close());

  describe("getOverview", () => {
    it("totals, rate over reports stating both, scores and grades", async () => {
      expect(await getOverview(db, {})).toEqual({
        reports: 8,
        departments: 3,
        budget: "56.379012", // every stated basis: r6 states none
        spent: "37.987654", // every stated spend: r5 states none
        executionRate: "67.69", // 37,487,654 ÷ 55,379,011 (r5 and r6 left out)
        rateBasis: "mixed", // r2 states only an initial budget
        rateReports: 6,
        averageScore: "80.87", // 566.12 ÷ 7
        medianScore: "85.50", // 55, 70, 80, [85.5], 90, 90.62, 95
        grades: { 优: 3, 良: 2, 中: 1, 差: 1, none: 1 },
        excellentShare: "42.86", // 3 ÷ 7
        reportsWithFindings: 5,
        unmetIndicators: 7,
      });
    });

    it("honours a year filter, with an even-count median", async () => {
      const o = await getOverview(db, { filter: { years: [2023] } });
      expect(o).toMatchObject({
        reports: 5,
        departments: 3,
        budget: "27.345679",
        spent: "21.654321",
        executionRate: "80.30", // 21,154,321 ÷ 26,345,678
        rateReports: 3,
        averageScore: "77.63", // (85.5 + 55 + 90 + 80) ÷ 4 = 77.625 → half-up
        medianScore: "82.75", // (80 + 85.5) ÷ 2
        grades: { 优: 1, 良: 2, 中: 0, 差: 1, none: 1 },
        excellentShare: "25.00",
        reportsWithFindings: 3,
        unmetIndicators: 3,
      });
    });

    it("an empty selection gives zeros and nulls, not NaN", async () => {
      expect(await getOverview(db, { filter: { years: [1999] } })).toEqual({
        reports: 0, departments: 0, budget: "0", spent: "0", executionRate: null, rateBasis: null, rateReports: 0,
        averageScore: null, medianScore: null, grades: { 优: 0, 良: 0, 中: 0, 差: 0, none: 0 }, excellentShare: null,
        reportsWithFindings: 0, unmetIndicators: 0,
      });
    });

    it("a single-basis selection names its basis", async () => {
      expect((await getOverview(db, { filter: { departmentIds: [3] } })).rateBasis).toBe("adjusted");
      expect((await getOverview(db, { filter: { departmentIds: [1], years: [2023], kinds: ["project"] } })).rateBasis).toBe("initial");
    });
  });

  describe("execution", () => {
    it("by department, with per-report threshold counts", async () => {
      expect(await getExecutionByDepartment(db, {})).toEqual([
        { key: "3", label: "河东区人大常委会", departmentId: 3, reports: 2, budget: "9.333333", spent: "6.833333", executionRate: "73.21", rateReports: 2, belowLow: 1, belowMid: 1, averageScore: "87.50" },
        { key: "1", label: "西城区教育局", departmentId: 1, reports: 3, budget: "26.045678", spent: "20.654321", executionRate: "79.30", rateReports: 3, belowLow: 1, belowMid: 1, averageScore: "88.06" },
        { key: "2", label: "西城区卫生健康委员会", departmentId: 2, reports: 3, budget: "21.000001", spent: "10.5", executionRate: "50.00", rateReports: 1, belowLow: 1, belowMid: 1, averageScore: "71.67" },
      ]);
    });

    it("thresholds are parameters", async () => {
      const rows = await getExecutionByDepartment(db, { lowThreshold: 52.64, midThreshold: 95.68 });
      // r1 52.631…% < 52.64; r2 95.679…% < 95.68 and r3 81.00% too; r4 50%; r8 58.33%
      expect(rows.map((r) => [r.key, r.belowLow, r.belowMid])).toEqual([["3", 0, 1], ["1", 1, 3], ["2", 1, 1]]);
      const exact = await getExecutionByDepartment(db, { lowThreshold: 50 });
      expect(exact.find((r) => r.key === "2")?.belowLow).toBe(0); // exactly 50% is not below 50
    });

    it("a year's average score is the one its overview gives", async () => {
      for (const y of await getExecutionByYear(db, {})) {
        expect(y.averageScore).toBe((await getOverview(db, { filter: { years: [Number(y.key)] } })).averageScore);
      }
    });

    it("counts below any threshold exactly, from the rate points, by every dimension", async () => {
      // brute force over the stored reports, in integers: rate < t ⇔ spent × 10000 < t_x100 × budget
      const reports = await db.selectFrom("reports").select(["department_id", "region", "year", "spent_fen", "budget_basis_fen"]).execute();
      const rated = reports.filter((r) => r.budget_basis_fen !== null && r.budget_basis_fen > 0 && r.spent_fen !== null);
      const expected = (key: (r: (typeof rated)[number]) => string, tX100: number) => {
        const m = new Map<string, number>();
        for (const r of rated) {
          if (m.get(key(r)) === undefined) m.set(key(r), 0);
          if (BigInt(r.spent_fen!) * 10000n < BigInt(tX100) * BigInt(r.budget_basis_fen!)) m.set(key(r), m.get(key(r))! + 1);
        }
        return m;
      };
      const byDimension = [
        [getExecutionByDepartment, (r: (typeof rated)[number]) => String(r.department_id ?? 0)],
        [getExecutionByRegion, (r: (typeof rated)[number]) => r.region ?? ""],
        [getExecutionByYear, (r: (typeof rated)[number]) => String(r.year ?? 0)],
      ] as const;
      // whole and fractional thresholds, on a report's exact rate, and past the last rate point
      for (const [low, mid] of [[50, 79.3], [52.63, 52.64], [58, 95.68], [0.5, 81], [100, 150], [120.5, 400]]) {
        for (const [query, key] of byDimension) {
          const rows = await query(db, { lowThreshold: low, midThreshold: mid });
          const lowCounts = expected(key, Math.round(low * 100));
          const midCounts = expected(key, Math.round(mid * 100));
          for (const r of rows) {
            expect({ t: [low, mid], key: r.key, below: [r.belowLow, r.belowMid] }).toEqual({ t: [low, mid], key: r.key, below: [lowCounts.get(r.key) ?? 0, midCounts.get(r.key) ?? 0] });
          }
        }
      }
    });

    it("by region and by year", async () => {
      expect(await getExecutionByRegion(db, {})).toEqual([
        { key: R1, label: R1, reports: 6, budget: "47.045679", spent: "31.154321", executionRate: "66.57", rateReports: 4, belowLow: 2, belowMid: 2, averageScore: "78.22" },
        { key: R2, label: R2, reports: 2, budget: "9.333333", spent: "6.833333", executionRate: "73.21", rateReports: 2, belowLow: 1, belowMid: 1, averageScore: "87.50" },
      ]);
      expect(await getExecutionByYear(db, {})).toEqual([
        { key: "2022", label: "2022", reports: 3, budget: "29.033333", spent: "16.333333", executionRate: "56.26", rateReports: 3, belowLow: 2, belowMid: 2, averageScore: "85.21" },
        { key: "2023", label: "2023", reports: 5, budget: "27.345679", spent: "21.654321", executionRate: "80.30", rateReports: 3, belowLow: 1, belowMid: 1, averageScore: "77.63" },
      ]);
    });

    it("lowest-execution projects, lowest first", async () => {
      const rows = await getLowestExecutionProjects(db, { limit: 4 });
      expect(rows.map((r) => [r.reportId, r.executionRate])).toEqual([[4, "50.00"], [1, "52.63"], [8, "58.33"], [3, "81.00"]]);
      expect(rows[0]).toEqual({
        reportId: 4, departmentId: 2, department: "西城区卫生健康委员会", projectName: "疾病防控项目", year: 2022,
        budget: "20", spent: "10", executionRate: "50.00", score: "70.00", grade: "中",
      });
      expect((await getLowestExecutionProjects(db, { filter: { years: [2023] }, limit: 10 })).map((r) => r.reportId)).toEqual([8, 3, 2]);
    });
  });

  describe("departments", () => {
    it("the /departments table", async () => {
      expect(await getDepartmentTable(db, {})).toEqual([
        // sorted by name in pinyin order: 沙 (sha) < 西城区教 (jiao) < 西城区卫 (wei)
        {
          departmentId: 3, department: "河东区人大常委会", region: R2, reports: 2, budget: "9.333333", spent: "6.833333", executionRate: "73.21",
          averageScore: "87.50", grades: { 优: 1, 良: 1, 中: 0, 差: 0, none: 0 }, unmetIndicators: 1, findings: 1,
        },
        {
          departmentId: 1, department: "西城区教育局", region: R1, reports: 3, budget: "26.045678", spent: "20.654321", executionRate: "79.30",
          averageScore: "88.06", grades: { 优: 1, 良: 1, 中: 0, 差: 0, none: 1 }, unmetIndicators: 3, findings: 3,
        },
        {
          departmentId: 2, department: "西城区卫生健康委员会", region: R1, reports: 3, budget: "21.000001", spent: "10.5", executionRate: "50.00",
          averageScore: "71.67", grades: { 优: 1, 良: 0, 中: 1, 差: 1, none: 0 }, unmetIndicators: 3, findings: 2,
        },
      ]);
    });

    it("getDepartment and its reports; null for an unknown id", async () => {
      expect(await getDepartment(db, { departmentId: 1 })).toEqual({
        id: 1, name: "西城区教育局", normalizedName: "西城区教育局", region: R1, reports: 3, years: [2022, 2023],
      });
      expect(await getDepartment(db, { departmentId: 99 })).toBeNull();
      const reps = await getDepartmentReports(db, { departmentId: 1 });
      expect(reps.total).toBe(3);
      expect(reps.rows.map((r) => r.reportId)).toEqual([3, 2, 1]);
      expect(reps.rows[2]).toEqual({
        reportId: 1, departmentId: 1, department: "西城区教育局", projectName: "教师培训项目", title: "教师培训项目绩效评价报告",
        kind: "project", evaluationType: "self", year: 2022, budget: "5.7", spent: "3", executionRate: "52.63", score: "90.62",
        grade: "优", unmetIndicators: 2, findings: 2,
      });
      const page = await getDepartmentReports(db, { departmentId: 1, limit: 1, offset: 1, filter: { kinds: ["project"] } });
      expect([page.total, page.rows.map((r) => r.reportId)]).toEqual([2, [1]]);
    });
  });

  describe("grades and scores", () => {
    it("grade counts by department and by year", async () => {
      expect(await getGradeCounts(db, { by: "department" })).toEqual([
        { key: "1", label: "西城区教育局", departmentId: 1, reports: 3, grades: { 优: 1, 良: 1, 中: 0, 差: 0, none: 1 } },
        { key: "2", label: "西城区卫生健康委员会", departmentId: 2, reports: 3, grades: { 优: 1, 良: 0, 中: 1, 差: 1, none: 0 } },
        { key: "3", label: "河东区人大常委会", departmentId: 3, reports: 2, grades: { 优: 1, 良: 1, 中: 0, 差: 0, none: 0 } },
      ]);
      expect(await getGradeCounts(db, { by: "year" })).toEqual([
        { key: "2022", label: "2022", year: 2022, reports: 3, grades: { 优: 2, 良: 0, 中: 1, 差: 0, none: 0 } },
        { key: "2023", label: "2023", year: 2023, reports: 5, grades: { 优: 1, 良: 2, 中: 0, 差: 1, none: 1 } },
      ]);
    });

    it("score histogram, default and custom edges", async () => {
      const bins = await getScoreHistogram(db, {});
      expect(bins).toHaveLength(20);
      expect(bins.filter((b) => b.count > 0)).toEqual([
        { from: 55, to: 60, count: 1 },
        { from: 70, to: 75, count: 1 },
        { from: 80, to: 85, count: 1 },
        { from: 85, to: 90, count: 1 },
        { from: 90, to: 95, count: 2 },
        { from: 95, to: 100, count: 1 },
      ]);
      expect(await getScoreHistogram(db, { edges: [0, 60, 80, 90, 100] })).toEqual([
        { from: 0, to: 60, count: 1 },
        { from: 60, to: 80, count: 1 },
        { from: 80, to: 90, count: 2 },
        { from: 90, to: 100, count: 3 },
      ]);
      // fractional edges take the exact-score path: 85.5 itself falls in the upper bin
      expect(await getScoreHistogram(db, { edges: [0, 85.5, 100] })).toEqual([
        { from: 0, to: 85.5, count: 3 },
        { from: 85.5, to: 100, count: 4 },
      ]);
      expect((await getScoreHistogram(db, { filter: { years: [2022] }, edges: [0, 80, 100] })).map((b) => b.count)).toEqual([1, 2]);
    });

    it("points lost per category and department", async () => {
      expect(await getScoreLoss(db, {})).toEqual([
        { departmentId: 2, department: "西城区卫生健康委员会", lost: { 决策: "15.00", 过程: "15.00", 产出: "35.00", 效益: "10.00", 满意度: "0.00", 其他: "0.00" }, total: "75.00", categories: 8 },
        { departmentId: 3, department: "河东区人大常委会", lost: { 决策: "2.00", 过程: "4.00", 产出: "12.00", 效益: "5.00", 满意度: "2.00", 其他: "0.00" }, total: "25.00", categories: 8 },
        { departmentId: 1, department: "西城区教育局", lost: { 决策: "2.00", 过程: "4.89", 产出: "11.99", 效益: "5.00", 满意度: "0.00", 其他: "0.00" }, total: "23.88", categories: 8 },
      ]);
    });

    it("credibility: points and the high-score-low-execution list", async () => {
      const c = await getCredibility(db, {});
      expect(c.totalPoints).toBe(5);
      expect(c.points.map((p) => [p.reportId, p.score, p.executionRate, p.flagged])).toEqual([
        [8, "80.00", "58.33", true],
        [7, "95.00", "100.00", false],
        [4, "70.00", "50.00", false],
        [2, "85.50", "95.68", false],
        [1, "90.62", "52.63", true],
      ]);
      expect(c.highScoreLowExecutionCount).toBe(2);
      expect(c.highScoreLowExecution.map((p) => p.reportId)).toEqual([8, 1]);
      expect(c.highScoreLowExecution[1]).toEqual({
        reportId: 1, departmentId: 1, department: "西城区教育局", projectName: "教师培训项目", year: 2022, score: "90.62",
        executionRate: "52.63", grade: "优", flagged: true,
      });
      const strict = await getCredibility(db, { lowThreshold: 55, limit: 2 });
      expect([strict.highScoreLowExecutionCount, strict.points.length]).toEqual([1, 2]);
    });
  });

  describe("indicators", () => {
    it("unmet by type", async () => {
      expect(await getUnmetIndicators(db, { by: "type" })).toEqual([
        { key: "数量", label: "数量", indicators: 7, judged: 7, unmet: 4, unmetShare: "57.14" },
        { key: "质量", label: "质量", indicators: 1, judged: 1, unmet: 1, unmetShare: "100.00" },
        { key: "时效", label: "时效", indicators: 2, judged: 2, unmet: 1, unmetShare: "50.00" },
        { key: "成本", label: "成本", indicators: 1, judged: 1, unmet: 1, unmetShare: "100.00" },
        { key: "效益", label: "效益", indicators: 1, judged: 0, unmet: 0, unmetShare: null },
        { key: "满意度", label: "满意度", indicators: 2, judged: 2, unmet: 0, unmetShare: "0.00" },
      ]);
    });

    it("most-missed names and by department", async () => {
      expect((await getUnmetIndicators(db, { by: "name" })).map((r) => [r.key, r.indicators, r.unmet, r.unmetShare])).toEqual([
        ["会议人数", 4, 3, "75.00"],
        ["出勤率", 1, 1, "100.00"],
        ["培训人次", 1, 1, "100.00"],
        ["成本控制", 1, 1, "100.00"],
        ["按时完成", 1, 1, "100.00"],
      ]);
      expect((await getUnmetIndicators(db, { by: "name", limit: 1 })).length).toBe(1);
      expect(await getUnmetIndicators(db, { by: "department" })).toEqual([
        // ties on unmet go by name in pinyin order
        { key: "1", label: "西城区教育局", departmentId: 1, indicators: 6, judged: 6, unmet: 3, unmetShare: "50.00" },
        { key: "2", label: "西城区卫生健康委员会", departmentId: 2, indicators: 4, judged: 3, unmet: 3, unmetShare: "100.00" },
        { key: "3", label: "河东区人大常委会", departmentId: 3, indicators: 4, judged: 4, unmet: 1, unmetShare: "25.00" },
      ]);
    });

    it("the unmet indicators behind a type or a name, with their reports", async () => {
      const byName = await getUnmetIndicatorList(db, { name: "会议人数" });
      expect(byName.map((r) => r.reportId)).toEqual([5, 4, 1]);
      expect(byName.every((r) => r.indicator === "会议人数" && r.indicatorType === "数量")).toBe(true);
      expect(byName.map((r) => r.reason)).toEqual(expect.arrayContaining(["受疫情影响参会人数减少", "疫情防控要求减少集中活动", null]));
      const cost = await getUnmetIndicatorList(db, { type: "成本" });
      expect(cost.map((r) => [r.indicator, r.reason])).toEqual([["成本控制", "材料价格上涨"]]);
      expect((await getUnmetIndicatorList(db, { type: "数量" })).length).toBe(4);
      expect(await getUnmetIndicatorList(db, { type: "满意度" })).toEqual([]);
      expect(await getUnmetIndicatorList(db, {})).toEqual([]);
      // honours the filter: one year holds fewer of them
      const oneYear = await getUnmetIndicatorList(db, { name: "会议人数", filter: { years: [2022] } });
      expect(oneYear.map((r) => [r.reportId, r.year])).toEqual([[4, 2022], [1, 2022]]);
    });

    it("deviation causes with examples", async () => {
      const causes = await getDeviationCauses(db, {});
      expect(causes.map((c) => [c.cause, c.unmet, c.withReason, c.examples.length])).toEqual([
        ["external_event", 2, 2, 2],
        ["funds_not_allocated", 1, 1, 1],
        ["schedule_slipped", 1, 1, 1],
        ["cost_overrun", 1, 1, 1],
        ["other", 1, 1, 1],
        ["", 1, 0, 0],
      ]);
      expect(causes[0].label).toBe("疫情等外部因素");
      expect(causes[0].examples).toEqual([
        { reportId: 4, indicator: "会议人数", reason: "疫情防控要求减少集中活动", department: "西城区卫生健康委员会", year: 2022 },
        { reportId: 1, indicator: "会议人数", reason: "受疫情影响参会人数减少", department: "西城区教育局", year: 2022 },
      ]);
      const one = await getDeviationCauses(db, { examples: 1, filter: { departmentIds: [1] } });
      expect(one.map((c) => [c.cause, c.unmet, c.examples.map((e) => e.reportId)])).toEqual([
        ["external_event", 1, [1]],
        ["cost_overrun", 1, [2]],
        ["other", 1, [1]],
      ]);
    });
  });

  describe("year over year, line items, data quality", () => {
    it("per department, changes from the previous year", async () => {
      const yoy = await getYearOverYear(db, {});
      expect(yoy.map((d) => d.departmentId)).toEqual([3, 1, 2]);
      const edu = yoy.find((d) => d.departmentId === 1)!;
      expect(edu.years).toEqual([
        { year: 2022, reports: 1, budget: "5.7", spent: "3", executionRate: "52.63", averageScore: "90.62", grades: { 优: 1, 良: 0, 中: 0, 差: 0, none: 0 }, rateChange: null, scoreChange: null, gradeChange: null },
        { year: 2023, reports: 2, budget: "20.345678", spent: "17.654321", executionRate: "86.77", averageScore: "85.50", grades: { 优: 0, 良: 1, 中: 0, 差: 0, none: 1 }, rateChange: "34.14", scoreChange: "-5.12", gradeChange: { 优: -1, 良: 1, 中: 0, 差: 0 } },
      ]);
      const health = yoy.find((d) => d.departmentId === 2)!;
      expect(health.years[1]).toMatchObject({ executionRate: null, averageScore: "72.50", rateChange: null, scoreChange: "2.50", gradeChange: { 优: 1, 良: 0, 中: -1, 差: 1 } });
      const npc = yoy.find((d) => d.departmentId === 3)!;
      expect(npc.years[1]).toMatchObject({ executionRate: "58.33", rateChange: "-41.67", scoreChange: "-15.00", gradeChange: { 优: -1, 良: 1, 中: 0, 差: 0 } });
    });

    it("summary line items: planned, allocated, spent, not allocated", async () => {
      expect(await getLineItemSummary(db, {})).toEqual({
        totals: { items: 3, planned: "6.5", allocated: "5", spent: "4.499999", notAllocatedItems: 1, notAllocated: "1.5" },
        byDepartment: [{ key: "1", departmentId: 1, department: "西城区教育局", items: 3, planned: "6.5", allocated: "5", spent: "4.499999", notAllocatedItems: 1, notAllocated: "1.5" }],
      });
      expect((await getLineItemSummary(db, { filter: { years: [2022] } })).totals.items).toBe(0);
    });

    it("summary line items stay exact past 2^53 fen, where a JS number would round", async () => {
      const { db: big, close: closeBig } = await openStore(store);
      try {
        // 6,000,000,000.000001 and …002 万元: 12,000,000,000,000,003 fen together, past 2^53 (≈ 9.007e15) and odd,
        // so a JS number would round it. A department's summary per year: two years, so the second does not replace the first.
        const huge = (year: number, sha: string, budget: string) =>
          sampleReport({
            kind: "summary",
            year,
            source: { file: `${sha}.txt`, sha256: fakeSha(sha), format: "txt" },
            lineItems: [{ name: "专项经费", budget, spent: "1", allocated: false, line: 3 }],
          });
        await loadReport(big, huge(2023, "big1", "6000000000.000001"), { sizeBytes: 1, fileName: "a.txt" });
        await loadReport(big, huge(2024, "big2", "6000000000.000002"), { sizeBytes: 1, fileName: "b.txt" });
        const summary = await getLineItemSummary(big, {});
        expect(summary.totals).toMatchObject({ items: 2, planned: "12000000000.000003", notAllocated: "12000000000.000003", spent: "2", allocated: "0" });
        expect(summary.byDepartment[0]).toMatchObject({ planned: "12000000000.000003", spent: "2" });
      } finally {
        await closeBig();
      }
    });

    it("findings by code, severity and department, with a linked list", async () => {
      const q = await getDataQuality(db, {});
      expect(q.total).toBe(6);
      expect(q.reportsWithFindings).toBe(5);
      expect(q.byCode.map((r) => [r.key, r.count])).toEqual([
        ["credibility.high_score_low_execution", 2],
        ["budget.rate_mismatch", 1],
        ["budget.sum_mismatch", 1],
        ["indicator.unmet_full_score", 1],
        ["score.total_mismatch", 1],
      ]);
      expect(q.bySeverity.map((r) => [r.key, r.count])).toEqual([["error", 2], ["warning", 4]]);
      expect(q.byDepartment).toEqual([
        { key: "1", label: "西城区教育局", departmentId: 1, count: 3 },
        { key: "2", label: "西城区卫生健康委员会", departmentId: 2, count: 2 },
        { key: "3", label: "河东区人大常委会", departmentId: 3, count: 1 },
      ]);
      expect(q.list.map((f) => [f.reportId, f.code])).toEqual([
        [8, "credibility.high_score_low_execution"],
        [6, "score.total_mismatch"],
        [4, "indicator.unmet_full_score"],
        [3, "budget.sum_mismatch"],
        [1, "budget.rate_mismatch"],
        [1, "credibility.high_score_low_execution"],
      ]);
      expect(q.list[4]).toMatchObject({ departmentId: 1, department: "西城区教育局", projectName: "教师培训项目", year: 2022, severity: "error", sourceLine: 40 });
      const errors = await getDataQuality(db, { severity: "error", limit: 1 });
      expect(errors.list.map((f) => f.reportId)).toEqual([6]);
    });
  });

  describe("drill-down and options", () => {
    it("one report with every row", async () => {
      const r = await getReportDetail(db, { reportId: 1 });
      expect(r).not.toBeNull();
      expect(r!.budget).toEqual({
        initial: "5", adjusted: "5.7", received: null, spent: "3", basis: "5.7", basisKind: "adjusted", executionRateStated: "55.00", executionRate: "52.63",
      });
      expect(r!.score).toEqual({ total: "90.62", grade: "优", gradeStated: true });
      expect(r!.categories.map((c) => [c.name, c.weight, c.score])).toEqual([
        ["项目决策", "20.00", "20.00"], ["项目过程", "20.00", "18.11"], ["项目产出", "40.00", "32.51"], ["项目效益", "20.00", "20.00"],
      ]);
      expect(r!.scoreItems).toHaveLength(4);
      expect(r!.sources).toEqual([{ position: 0, name: "财政拨款", initial: "5", adjusted: "5.7", spent: "3", executionRate: "55.00", sourceLine: 2 }]);
      expect(r!.indicators.map((i) => [i.name, i.met, i.deviationReason, i.cause])).toEqual([
        ["会议人数", false, "受疫情影响参会人数减少", "external_event"],
        ["会议次数", true, null, null],
        ["满意度", true, null, null],
        ["出勤率", false, "部分人员请假", "other"],
      ]);
      expect(r!.indicators[0]).toMatchObject({ target: "≥10人", actual: "8人", comparator: ">=", weight: "5.00", score: "4.00", completionRate: "80.00", sourceLine: 20 });
      expect(r!.findings.map((f) => [f.code, f.sourceLine])).toEqual([["credibility.high_score_low_execution", 12], ["budget.rate_mismatch", 40]]);
      expect(r!.provenance).toEqual({ "budget.spent": 2, "score.total": 3 });
      expect(r!.source).toMatchObject({ fileName: "report-1.txt", sizeBytes: 1001, text: "第一行\n教师培训项目\n第三行" });
      const summary = await getReportDetail(db, { reportId: 3 });
      expect(summary!.lineItems.map((l) => [l.name, l.budget, l.spent, l.allocated])).toEqual([
        ["教育经费", "3", "2.5", true], ["培训经费", "1.5", "0", false], ["设备经费", "2", "1.999999", true],
      ]);
      expect(summary!.budget.basisKind).toBe("adjusted");
      expect(await getReportDetail(db, { reportId: 999 })).toBeNull();
    });

    it("filter options from the data", async () => {
      expect(await getFilterOptions(db, {})).toEqual({
        years: [2022, 2023],
        regions: [R1, R2], // 安 (an) < 北 (bei)
        departments: [
          { id: 3, name: "河东区人大常委会" },
          { id: 1, name: "西城区教育局" },
          { id: 2, name: "西城区卫生健康委员会" },
        ],
        evaluationTypes: ["department", "finance", "self", "third_party"],
        kinds: ["project", "summary"],
      });
    });
  });
});
