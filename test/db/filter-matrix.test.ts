import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import type { DB } from "../../db/connection";
import * as q from "../../db/queries";
import * as b from "../../db/queries/briefing";
import type { ExecutionRow, ReportFilter } from "../../db/queries/types";
import { fixtureDb, R1, R2, REPORTS, type FixtureReport } from "./fixture";

/**
 * The query × filter cells that test/db/filters.test.ts and analytics.test.ts leave open (see the
 * audit of "honours every filter"): code paths those files never run with a filter (non-default and fractional
 * execution thresholds, a non-default credibility threshold, fractional histogram edges, the list
 * narrowed by code or severity, the unmet-indicator drill-down) and the briefing's own queries.
 *
 * Every expected value is computed by hand from test/db/fixture.ts. Per report (amounts in fen):
 *   r1 d1 2022 R1 self        project  basis  5,700,000 spent  3,000,000 → 52.63 %  score 90.62 优
 *   r2 d1 2023 R1 self        project  basis  8,000,000 spent  7,654,321 → 95.68 %  score 85.50 良
 *   r3 d1 2023 R1 department  summary  basis 12,345,678 spent 10,000,000 → 81.00 %  no score
 *   r4 d2 2022 R1 self        project  basis 20,000,000 spent 10,000,000 → 50.00 %  score 70.00 中
 *   r5 d2 2023 R1 finance     project  basis  1,000,001 spent —          → no rate  score 55.00 差
 *   r6 d2 2023 R1 self        project  basis —          spent    500,000 → no rate  score 90.00 优
 *   r7 d3 2022 R2 self        project  basis  3,333,333 spent  3,333,333 → 100 %    score 95.00 优
 *   r8 d3 2023 R2 third_party project  basis  6,000,000 spent  3,500,000 → 58.33 %  score 80.00 良
 *
 * Each case states the projection it asserts, the filter and the expected value, and also checks
 * that the unfiltered projection differs, so that a query ignoring the filter fails the case.
 */

interface Case {
  /** "function [path] × filter dimension" */
  name: string;
  filter: ReportFilter;
  run: (db: DB, filter: ReportFilter | undefined) => Promise<unknown>;
  expected: unknown;
}

/** [key, reports, belowLow, belowMid] per row: the threshold counts come from rate_agg (and reports for a fractional threshold). */
const below = (rows: ExecutionRow[]) => rows.map((r) => [r.key, r.reports, r.belowLow, r.belowMid]);
const byDept = (low: number, mid: number) => async (db: DB, filter?: ReportFilter) => below(await q.getExecutionByDepartment(db, { filter, lowThreshold: low, midThreshold: mid }));
const byYear = (low: number, mid: number) => async (db: DB, filter?: ReportFilter) => below(await q.getExecutionByYear(db, { filter, lowThreshold: low, midThreshold: mid }));
const byRegion = (low: number, mid: number) => async (db: DB, filter?: ReportFilter) => below(await q.getExecutionByRegion(db, { filter, lowThreshold: low, midThreshold: mid }));

// Whole thresholds 55 / 90: below 55 = {r1, r4}; below 90 = {r1, r3, r4, r8}.
// Fractional thresholds 52.64 / 95.68 split rate points 52 and 95: below 52.64 = {r4, r1 (52.631…)}; below 95.68 = {r1, r3, r4, r8, r2 (95.679…)}.
// Grouping by the filtered dimension itself cannot show a sub-query ignoring the filter (the other groups' rows are simply not shown): not listed.
const EXECUTION_CASES: Case[] = [
  // department rows in pinyin order: d3 河东区人大常委会, d1 西城区教育局, d2 西城区卫生健康委员会
  { name: "getExecutionByDepartment 55/90 × years", filter: { years: [2023] }, run: byDept(55, 90), expected: [["3", 1, 0, 1], ["1", 2, 0, 1], ["2", 2, 0, 0]] }, // d3 r8; d1 r2 r3 (r3 < 90); d2 r5 r6 unrated
  { name: "getExecutionByDepartment 55/90 × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: byDept(55, 90), expected: [["3", 1, 0, 0], ["1", 2, 1, 1], ["2", 2, 1, 1]] }, // d3 r7; d1 r1 r2; d2 r4 r6
  { name: "getExecutionByDepartment 55/90 × kinds", filter: { kinds: ["project"] }, run: byDept(55, 90), expected: [["3", 2, 0, 1], ["1", 2, 1, 1], ["2", 3, 1, 1]] }, // d1 without r3
  { name: "getExecutionByDepartment 52.64/95.68 × years", filter: { years: [2023] }, run: byDept(52.64, 95.68), expected: [["3", 1, 0, 1], ["1", 2, 0, 2], ["2", 2, 0, 0]] }, // d1: r2 95.679 and r3 81 below 95.68, r1 left out
  { name: "getExecutionByDepartment 52.64/95.68 × evaluationTypes", filter: { evaluationTypes: ["department"] }, run: byDept(52.64, 95.68), expected: [["1", 1, 0, 1]] }, // r3 only
  { name: "getExecutionByDepartment 52.64/95.68 × kinds", filter: { kinds: ["summary"] }, run: byDept(52.64, 95.68), expected: [["1", 1, 0, 1]] }, // r3 only
  { name: "getExecutionByYear 55/90 × regions", filter: { regions: [R1] }, run: byYear(55, 90), expected: [["2022", 2, 2, 2], ["2023", 4, 0, 1]] }, // 2022 r1 r4; 2023 r2 r3 r5 r6 (r3 < 90), r8 left out
  { name: "getExecutionByYear 55/90 × departmentIds", filter: { departmentIds: [1] }, run: byYear(55, 90), expected: [["2022", 1, 1, 1], ["2023", 2, 0, 1]] }, // r1; r2 r3
  { name: "getExecutionByYear 55/90 × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: byYear(55, 90), expected: [["2022", 3, 2, 2], ["2023", 2, 0, 0]] }, // r1 r4 r7; r2 r6
  { name: "getExecutionByYear 55/90 × kinds", filter: { kinds: ["project"] }, run: byYear(55, 90), expected: [["2022", 3, 2, 2], ["2023", 4, 0, 1]] }, // r1 r4 r7; r2 r5 r6 r8 (r8 < 90)
  { name: "getExecutionByYear 52.64/95.68 × regions", filter: { regions: [R2] }, run: byYear(52.64, 95.68), expected: [["2022", 1, 0, 0], ["2023", 1, 0, 1]] }, // r7 100; r8 58.33
  { name: "getExecutionByYear 52.64/95.68 × departmentIds", filter: { departmentIds: [3] }, run: byYear(52.64, 95.68), expected: [["2022", 1, 0, 0], ["2023", 1, 0, 1]] }, // r7; r8
  { name: "getExecutionByYear 52.64/95.68 × evaluationTypes", filter: { evaluationTypes: ["third_party"] }, run: byYear(52.64, 95.68), expected: [["2023", 1, 0, 1]] }, // r8
  { name: "getExecutionByYear 52.64/95.68 × kinds", filter: { kinds: ["summary"] }, run: byYear(52.64, 95.68), expected: [["2023", 1, 0, 1]] }, // r3 81
  { name: "getExecutionByRegion 52.64/95.68 × years", filter: { years: [2023] }, run: byRegion(52.64, 95.68), expected: [[R1, 4, 0, 2], [R2, 1, 0, 1]] }, // R1 r2 r3 r5 r6; R2 r8
  { name: "getExecutionByRegion 52.64/95.68 × departmentIds", filter: { departmentIds: [2] }, run: byRegion(52.64, 95.68), expected: [[R1, 3, 1, 1]] }, // r4 50 (r5 r6 unrated)
  { name: "getExecutionByRegion 52.64/95.68 × evaluationTypes", filter: { evaluationTypes: ["department"] }, run: byRegion(52.64, 95.68), expected: [[R1, 1, 0, 1]] }, // r3
  { name: "getExecutionByRegion 52.64/95.68 × kinds", filter: { kinds: ["summary"] }, run: byRegion(52.64, 95.68), expected: [[R1, 1, 0, 1]] }, // r3
];

// lowThreshold 59 is not the default 60, so the counts come from the reports, not report_agg.
// Points (score and rate): r1 r2 r4 r7 r8; flagged (优/良 below 59 %): r1 52.63, r8 58.33.
const credibility = async (db: DB, filter?: ReportFilter) => {
  const c = await q.getCredibility(db, { filter, lowThreshold: 59 });
  return [c.totalPoints, c.points.map((p) => p.reportId), c.highScoreLowExecutionCount, c.highScoreLowExecution.map((p) => p.reportId)];
};
const CREDIBILITY_CASES: Case[] = [
  { name: "getCredibility 59 × years", filter: { years: [2023] }, run: credibility, expected: [2, [8, 2], 1, [8]] },
  { name: "getCredibility 59 × regions", filter: { regions: [R1] }, run: credibility, expected: [3, [4, 2, 1], 1, [1]] },
  { name: "getCredibility 59 × departmentIds", filter: { departmentIds: [3] }, run: credibility, expected: [2, [8, 7], 1, [8]] },
  { name: "getCredibility 59 × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: credibility, expected: [4, [7, 4, 2, 1], 1, [1]] },
  { name: "getCredibility 59 × kinds", filter: { kinds: ["summary"] }, run: credibility, expected: [0, [], 0, []] }, // r3 has no score
];

// Fractional edges read exact scores from the reports: 85.50 itself falls in the upper bin.
const histogram = async (db: DB, filter?: ReportFilter) => (await q.getScoreHistogram(db, { filter, edges: [0, 85.5, 100] })).map((bin) => bin.count);
const HISTOGRAM_CASES: Case[] = [
  { name: "getScoreHistogram fractional × years", filter: { years: [2023] }, run: histogram, expected: [2, 2] }, // 55, 80 | 85.5, 90
  { name: "getScoreHistogram fractional × regions", filter: { regions: [R2] }, run: histogram, expected: [1, 1] }, // 80 | 95
  { name: "getScoreHistogram fractional × departmentIds", filter: { departmentIds: [1] }, run: histogram, expected: [0, 2] }, // 90.62, 85.5
  { name: "getScoreHistogram fractional × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: histogram, expected: [1, 4] }, // 70 | 90.62 85.5 90 95
  { name: "getScoreHistogram fractional × kinds", filter: { kinds: ["summary"] }, run: histogram, expected: [0, 0] },
];

// Unmet 数量 indicators: r1 会议人数, r4 培训人次 and 会议人数, r5 会议人数 — newest year first, then report id desc, then position.
const unmetQuantity = async (db: DB, filter?: ReportFilter) => (await q.getUnmetIndicatorList(db, { filter, type: "数量" })).map((r) => [r.reportId, r.indicator]);
const UNMET_LIST_CASES: Case[] = [
  { name: "getUnmetIndicatorList × regions", filter: { regions: [R2] }, run: unmetQuantity, expected: [] }, // r7, r8 meet their 数量 targets
  { name: "getUnmetIndicatorList × departmentIds", filter: { departmentIds: [2] }, run: unmetQuantity, expected: [[5, "会议人数"], [4, "培训人次"], [4, "会议人数"]] },
  { name: "getUnmetIndicatorList × evaluationTypes", filter: { evaluationTypes: ["finance"] }, run: unmetQuantity, expected: [[5, "会议人数"]] },
  { name: "getUnmetIndicatorList × kinds", filter: { kinds: ["summary"] }, run: unmetQuantity, expected: [] }, // r3 has no indicators
];

// The list narrowed by code or severity. Finding ids follow insertion: r1 (1, 2), r3 3, r4 4, r6 5, r8 6; newest first.
const findingList = (narrow: { code?: string; severity?: "error" | "warning" }) => async (db: DB, filter?: ReportFilter) =>
  (await q.getDataQuality(db, { filter, ...narrow })).list.map((f) => [f.reportId, f.code]);
const DATA_QUALITY_CASES: Case[] = [
  { name: "getDataQuality list(warning) × years", filter: { years: [2022] }, run: findingList({ severity: "warning" }), expected: [[4, "indicator.unmet_full_score"], [1, "credibility.high_score_low_execution"]] },
  { name: "getDataQuality list(code) × regions", filter: { regions: [R2] }, run: findingList({ code: "credibility.high_score_low_execution" }), expected: [[8, "credibility.high_score_low_execution"]] },
  { name: "getDataQuality list(error) × departmentIds", filter: { departmentIds: [2] }, run: findingList({ severity: "error" }), expected: [[6, "score.total_mismatch"]] },
  { name: "getDataQuality list(warning) × evaluationTypes", filter: { evaluationTypes: ["department"] }, run: findingList({ severity: "warning" }), expected: [[3, "budget.sum_mismatch"]] },
  { name: "getDataQuality list(warning) × kinds", filter: { kinds: ["project"] }, run: findingList({ severity: "warning" }), expected: [[8, "credibility.high_score_low_execution"], [4, "indicator.unmet_full_score"], [1, "credibility.high_score_low_execution"]] },
];

// ---------------------------------------------------------------------------------------------
// The briefing's queries (db/queries/briefing.ts), default briefing thresholds: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, low execution < 60 %.
// Bands: r1 优 r2 良 r4 中 r5 差 r6 优 r7 优 r8 良; low execution: r1 52.63, r4 50, r8 58.33 (r5, r6 state no rate).
const T = { excellent: 9000, good: 8000, fair: 6000, lowExecution: 6000 };

// "all" orders 差, 中, 良, 优 (low execution first within a band), then id; project reports only.
const projectsAll = async (db: DB, filter?: ReportFilter) =>
  (await b.getBriefingProjects(db, { filter: filter ?? {}, thresholds: T, selection: "all", limit: 100 })).map((r) => r.reportId);
// (band, low) cells, sorted for comparison
const bandCounts = async (db: DB, filter?: ReportFilter) =>
  (await b.getProjectBandCounts(db, { filter: filter ?? {}, thresholds: T })).map((c) => `${c.band}${c.lowExecution ? "低" : ""}:${c.projects}`).sort();
const funds = (db: DB, filter?: ReportFilter) => b.getFundsSummary(db, { filter: filter ?? {} });
const notAllocated = (db: DB, filter?: ReportFilter) => b.getNotAllocatedItems(db, { filter: filter ?? {}, limit: 10 });
const qualityFacts = async (db: DB, filter?: ReportFilter) => {
  const f = await b.getQualityFacts(db, { filter: filter ?? {}, limit: 10 });
  return { byCode: f.byCode.map((c) => [c.code, c.findings, c.reports, c.errors, c.warnings]), reports: f.reports.map((r) => [r.reportId, r.codes, r.errors, r.warnings]) };
};
const evidence = async (db: DB, filter?: ReportFilter) =>
  (await b.getDepartmentEvidence(db, { filter: filter ?? {}, thresholds: T })).map((e) => [e.departmentId, e.lowExecutionReports, e.reportIds]).sort((x, y) => Number(x[0]) - Number(y[0]));
const unmetReports = async (db: DB, filter?: ReportFilter) =>
  [...(await b.getUnmetIndicatorReports(db, { filter: filter ?? {}, normalizedNames: ["会议人数", "成本控制", "按时完成"] }))].sort();
const briefingYears = (db: DB, filter?: ReportFilter) => b.getBriefingYears(db, { filter: filter ?? {} });

const RATE = "credibility.high_score_low_execution";
const BRIEFING_CASES: Case[] = [
  { name: "getBriefingProjects(all) × years", filter: { years: [2023] }, run: projectsAll, expected: [5, 8, 2, 6] }, // 差 r5, 良 r8 (low) r2, 优 r6
  { name: "getBriefingProjects(all) × regions", filter: { regions: [R2] }, run: projectsAll, expected: [8, 7] },
  { name: "getBriefingProjects(all) × departmentIds", filter: { departmentIds: [2] }, run: projectsAll, expected: [5, 4, 6] },
  { name: "getBriefingProjects(all) × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: projectsAll, expected: [4, 2, 1, 6, 7] }, // 中 r4, 良 r2, 优 r1 (low) r6 r7
  { name: "getBriefingProjects(all) × kinds", filter: { kinds: ["summary"] }, run: projectsAll, expected: [] }, // the briefing lists projects only
  { name: "getProjectBandCounts × years", filter: { years: [2023] }, run: bandCounts, expected: ["优:1", "差:1", "良:1", "良低:1"].sort() }, // r6; r5; r2; r8
  { name: "getProjectBandCounts × regions", filter: { regions: [R2] }, run: bandCounts, expected: ["优:1", "良低:1"].sort() }, // r7; r8
  { name: "getProjectBandCounts × departmentIds", filter: { departmentIds: [1] }, run: bandCounts, expected: ["优低:1", "良:1"].sort() }, // r1; r2
  { name: "getProjectBandCounts × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: bandCounts, expected: ["中低:1", "优:2", "优低:1", "良:1"].sort() }, // r4; r6 r7; r1; r2
  { name: "getProjectBandCounts × kinds", filter: { kinds: ["summary"] }, run: bandCounts, expected: [] },
  // unspent = Σ(basis − spent) where spent < basis: r1 2,700,000; r2 345,679; r3 2,345,678; r4 10,000,000; r8 2,500,000 (r7 spends all). No report states a received amount.
  { name: "getFundsSummary × years", filter: { years: [2023] }, run: funds, expected: { unspentReports: 3, unspent: "5.191357", notReceivedReports: 0, notReceived: "0" } }, // 345,679 + 2,345,678 + 2,500,000 = 5,191,357 fen
  { name: "getFundsSummary × regions", filter: { regions: [R2] }, run: funds, expected: { unspentReports: 1, unspent: "2.5", notReceivedReports: 0, notReceived: "0" } }, // r8
  { name: "getFundsSummary × departmentIds", filter: { departmentIds: [1] }, run: funds, expected: { unspentReports: 3, unspent: "5.391357", notReceivedReports: 0, notReceived: "0" } }, // 2,700,000 + 345,679 + 2,345,678
  { name: "getFundsSummary × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: funds, expected: { unspentReports: 3, unspent: "13.045679", notReceivedReports: 0, notReceived: "0" } }, // 2,700,000 + 345,679 + 10,000,000
  { name: "getFundsSummary × kinds", filter: { kinds: ["summary"] }, run: funds, expected: { unspentReports: 1, unspent: "2.345678", notReceivedReports: 0, notReceived: "0" } }, // r3
  // the one unallocated item is r3's 培训经费 (d1, 2023, R1, department, summary): each other value of a dimension empties the list
  { name: "getNotAllocatedItems × years", filter: { years: [2022] }, run: notAllocated, expected: [] },
  { name: "getNotAllocatedItems × regions", filter: { regions: [R2] }, run: notAllocated, expected: [] },
  { name: "getNotAllocatedItems × departmentIds", filter: { departmentIds: [2] }, run: notAllocated, expected: [] },
  { name: "getNotAllocatedItems × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: notAllocated, expected: [] },
  { name: "getNotAllocatedItems × kinds", filter: { kinds: ["project"] }, run: notAllocated, expected: [] },
  // by code: most reports first, then code; reports: most errors first, then most findings, then id
  {
    name: "getQualityFacts × years", filter: { years: [2022] }, run: qualityFacts, // r1 (error + warning), r4 (warning)
    expected: {
      byCode: [["budget.rate_mismatch", 1, 1, 1, 0], [RATE, 1, 1, 0, 1], ["indicator.unmet_full_score", 1, 1, 0, 1]],
      reports: [[1, ["budget.rate_mismatch", RATE], 1, 1], [4, ["indicator.unmet_full_score"], 0, 1]],
    },
  },
  { name: "getQualityFacts × regions", filter: { regions: [R2] }, run: qualityFacts, expected: { byCode: [[RATE, 1, 1, 0, 1]], reports: [[8, [RATE], 0, 1]] } },
  {
    name: "getQualityFacts × departmentIds", filter: { departmentIds: [2] }, run: qualityFacts, // r4 warning, r6 error
    expected: {
      byCode: [["indicator.unmet_full_score", 1, 1, 0, 1], ["score.total_mismatch", 1, 1, 1, 0]],
      reports: [[6, ["score.total_mismatch"], 1, 0], [4, ["indicator.unmet_full_score"], 0, 1]],
    },
  },
  {
    name: "getQualityFacts × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: qualityFacts, // r1, r4, r6
    expected: {
      byCode: [["budget.rate_mismatch", 1, 1, 1, 0], [RATE, 1, 1, 0, 1], ["indicator.unmet_full_score", 1, 1, 0, 1], ["score.total_mismatch", 1, 1, 1, 0]],
      reports: [[1, ["budget.rate_mismatch", RATE], 1, 1], [6, ["score.total_mismatch"], 1, 0], [4, ["indicator.unmet_full_score"], 0, 1]],
    },
  },
  { name: "getQualityFacts × kinds", filter: { kinds: ["summary"] }, run: qualityFacts, expected: { byCode: [["budget.sum_mismatch", 1, 1, 0, 1]], reports: [[3, ["budget.sum_mismatch"], 0, 1]] } },
  // [department, reports below 60 %, its report ids]
  { name: "getDepartmentEvidence × years", filter: { years: [2023] }, run: evidence, expected: [[1, 0, [2, 3]], [2, 0, [5, 6]], [3, 1, [8]]] },
  { name: "getDepartmentEvidence × regions", filter: { regions: [R2] }, run: evidence, expected: [[3, 1, [7, 8]]] },
  { name: "getDepartmentEvidence × departmentIds", filter: { departmentIds: [2] }, run: evidence, expected: [[2, 1, [4, 5, 6]]] },
  { name: "getDepartmentEvidence × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: evidence, expected: [[1, 1, [1, 2]], [2, 1, [4, 6]], [3, 0, [7]]] },
  { name: "getDepartmentEvidence × kinds", filter: { kinds: ["summary"] }, run: evidence, expected: [[1, 0, [3]]] },
  // unmet: 会议人数 in r1 r4 r5, 成本控制 in r2, 按时完成 in r8
  { name: "getUnmetIndicatorReports × years", filter: { years: [2023] }, run: unmetReports, expected: [["会议人数", [5]], ["成本控制", [2]], ["按时完成", [8]]].sort() },
  { name: "getUnmetIndicatorReports × regions", filter: { regions: [R2] }, run: unmetReports, expected: [["按时完成", [8]]] },
  { name: "getUnmetIndicatorReports × departmentIds", filter: { departmentIds: [2] }, run: unmetReports, expected: [["会议人数", [4, 5]]] },
  { name: "getUnmetIndicatorReports × evaluationTypes", filter: { evaluationTypes: ["self"] }, run: unmetReports, expected: [["会议人数", [1, 4]], ["成本控制", [2]]].sort() },
  { name: "getUnmetIndicatorReports × kinds", filter: { kinds: ["summary"] }, run: unmetReports, expected: [] },
  // years present under the other dimensions (a years filter is ignored on purpose: see below)
  { name: "getBriefingYears × evaluationTypes", filter: { evaluationTypes: ["department", "third_party"] }, run: briefingYears, expected: [2023] }, // r3, r8
  { name: "getBriefingYears × kinds", filter: { kinds: ["summary"] }, run: briefingYears, expected: [2023] }, // r3
];

describe.each(STORES)("on %s", (store) => {
  let db: DB;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await fixtureDb(undefined, store)));
  afterAll(() => close());

  describe.each([
    ["execution thresholds", EXECUTION_CASES],
    ["credibility threshold", CREDIBILITY_CASES],
    ["histogram exact scores", HISTOGRAM_CASES],
    ["unmet-indicator drill-down", UNMET_LIST_CASES],
    ["data-quality list narrowed", DATA_QUALITY_CASES],
    ["briefing", BRIEFING_CASES],
  ])("filter matrix: %s", (_group, cases) => {
    it.each(cases)("$name", async ({ filter, run, expected }) => {
      expect(await run(db, filter)).toEqual(expected);
      // the case can fail: ignoring the filter would give something else
      expect(await run(db, undefined)).not.toEqual(expected);
    });
  });

  describe("to the digit: paths and queries the other files assert only in part", () => {
    it("execution by department under a year filter and non-default thresholds, whole rows", async () => {
      expect(await q.getExecutionByDepartment(db, { filter: { years: [2023] }, lowThreshold: 55, midThreshold: 90 })).toEqual([
        // r8: 3,500,000 ÷ 6,000,000 = 58.33 %
        { key: "3", label: "河东区人大常委会", departmentId: 3, reports: 1, budget: "6", spent: "3.5", executionRate: "58.33", rateReports: 1, belowLow: 0, belowMid: 1, averageScore: "80.00" },
        // r2 + r3: 8,000,000 + 12,345,678 = 20,345,678; 7,654,321 + 10,000,000 = 17,654,321; ÷ = 86.77 %; score r2 only
        { key: "1", label: "西城区教育局", departmentId: 1, reports: 2, budget: "20.345678", spent: "17.654321", executionRate: "86.77", rateReports: 2, belowLow: 0, belowMid: 1, averageScore: "85.50" },
        // r5 states a basis (1,000,001) only, r6 a spend (500,000) only: no rate; (55 + 90) ÷ 2 = 72.50
        { key: "2", label: "西城区卫生健康委员会", departmentId: 2, reports: 2, budget: "1.000001", spent: "0.5", executionRate: null, rateReports: 0, belowLow: 0, belowMid: 0, averageScore: "72.50" },
      ]);
    });

    it("execution by year under a region filter, whole rows", async () => {
      expect(await q.getExecutionByYear(db, { filter: { regions: [R1] }, lowThreshold: 52.64, midThreshold: 95.68 })).toEqual([
        // r1 + r4: 5,700,000 + 20,000,000 = 25,700,000; 3,000,000 + 10,000,000 = 13,000,000; 50.58 %; (90.62 + 70) ÷ 2 = 80.31
        { key: "2022", label: "2022", reports: 2, budget: "25.7", spent: "13", executionRate: "50.58", rateReports: 2, belowLow: 2, belowMid: 2, averageScore: "80.31" },
        // r2 r3 r5 r6: basis 8,000,000 + 12,345,678 + 1,000,001 = 21,345,679; spent 7,654,321 + 10,000,000 + 500,000 = 18,154,321;
        // rate over r2 + r3 = 86.77 %; below 95.68: r2 95.679…, r3 81; (85.5 + 55 + 90) ÷ 3 = 76.83
        { key: "2023", label: "2023", reports: 4, budget: "21.345679", spent: "18.154321", executionRate: "86.77", rateReports: 2, belowLow: 0, belowMid: 2, averageScore: "76.83" },
      ]);
    });

    it("year over year: the departments analytics.test.ts asserts only in part", async () => {
      const yoy = await q.getYearOverYear(db, {});
      expect(yoy.find((d) => d.departmentId === 3)).toEqual({
        departmentId: 3, department: "河东区人大常委会",
        years: [
          // r7: 3,333,333 of 3,333,333
          { year: 2022, reports: 1, budget: "3.333333", spent: "3.333333", executionRate: "100.00", averageScore: "95.00", grades: { 优: 1, 良: 0, 中: 0, 差: 0, none: 0 }, rateChange: null, scoreChange: null, gradeChange: null },
          // r8: 58.33 − 100.00 = −41.67; 80 − 95 = −15
          { year: 2023, reports: 1, budget: "6", spent: "3.5", executionRate: "58.33", averageScore: "80.00", grades: { 优: 0, 良: 1, 中: 0, 差: 0, none: 0 }, rateChange: "-41.67", scoreChange: "-15.00", gradeChange: { 优: -1, 良: 1, 中: 0, 差: 0 } },
        ],
      });
      expect(yoy.find((d) => d.departmentId === 2)).toEqual({
        departmentId: 2, department: "西城区卫生健康委员会",
        years: [
          { year: 2022, reports: 1, budget: "20", spent: "10", executionRate: "50.00", averageScore: "70.00", grades: { 优: 0, 良: 0, 中: 1, 差: 0, none: 0 }, rateChange: null, scoreChange: null, gradeChange: null },
          // r5 states only a basis, r6 only a spend: no rate, so no rate change; (55 + 90) ÷ 2 = 72.50, 72.50 − 70 = 2.50
          { year: 2023, reports: 2, budget: "1.000001", spent: "0.5", executionRate: null, averageScore: "72.50", grades: { 优: 1, 良: 0, 中: 0, 差: 1, none: 0 }, rateChange: null, scoreChange: "2.50", gradeChange: { 优: 1, 良: 0, 中: -1, 差: 1 } },
        ],
      });
    });

    it("most-missed names, whole rows", async () => {
      // 会议人数: r1, r4, r5 unmet, r8 met → 3 of 4
      expect((await q.getUnmetIndicators(db, { by: "name", limit: 1 }))).toEqual([{ key: "会议人数", label: "会议人数", indicators: 4, judged: 4, unmet: 3, unmetShare: "75.00" }]);
    });

    it("an unmet indicator's drill-down row", async () => {
      expect((await q.getUnmetIndicatorList(db, { type: "数量", filter: { evaluationTypes: ["finance"] } }))[0]).toEqual({
        reportId: 5, department: "西城区卫生健康委员会", year: 2023, projectName: "基层医疗设备项目", indicator: "会议人数", indicatorType: "数量",
        target: "≥10人", actual: "8人", reason: null,
      });
    });

    it("briefing lists: every selection, and a whole row", async () => {
      const ids = async (selection: b.ProjectSelection, filter: ReportFilter = {}) =>
        (await b.getBriefingProjects(db, { filter, thresholds: T, selection, limit: 100 })).map((r) => r.reportId);
      expect(await ids("all")).toEqual([5, 4, 8, 2, 1, 6, 7]); // 差 r5, 中 r4, 良 r8 (low) r2, 优 r1 (low) r6 r7
      expect(await ids("lowestExecution")).toEqual([4, 1, 8, 2, 7]); // 50, 52.63, 58.33, 95.68, 100 (r3 is a summary)
      expect(await ids("weakGrade")).toEqual([5, 4]); // 55, 70
      expect(await ids("highScoreLowExecution")).toEqual([1, 8]); // 90.62, 80
      expect(await ids("highScoreLowExecution", { years: [2023] })).toEqual([8]);
      expect(await ids("mostUnspent")).toEqual([4, 1, 8, 2]); // 10,000,000; 2,700,000; 2,500,000; 345,679
      expect(await ids("mostUnspent", { regions: [R1] })).toEqual([4, 1, 2]);
      const [r8] = await b.getBriefingProjects(db, { filter: { departmentIds: [3] }, thresholds: T, selection: "highScoreLowExecution", limit: 10 });
      expect(r8).toEqual({
        reportId: 8, departmentId: 3, department: "河东区人大常委会", projectName: "人代会会务项目", year: 2023, budget: "6", spent: "3.5",
        executionRate: "58.33", score: "80.00", grade: "良", band: "良", lowExecution: true, unspent: "2.5", notReceived: null,
      });
    });

    it("briefing totals unfiltered", async () => {
      // 2,700,000 + 345,679 + 2,345,678 + 10,000,000 + 2,500,000 = 17,891,357 fen
      expect(await funds(db)).toEqual({ unspentReports: 5, unspent: "17.891357", notReceivedReports: 0, notReceived: "0" });
      expect(await notAllocated(db)).toEqual([{ reportId: 3, department: "西城区教育局", year: 2023, name: "培训经费", budget: "1.5" }]);
      expect(await evidence(db)).toEqual([[1, 1, [1, 2, 3]], [2, 1, [4, 5, 6]], [3, 1, [7, 8]]]);
      expect(await bandCounts(db)).toEqual(["中低:1", "优:2", "优低:1", "差:1", "良:1", "良低:1"].sort());
      expect(await unmetReports(db)).toEqual([["会议人数", [1, 4, 5]], ["成本控制", [2]], ["按时完成", [8]]].sort());
      expect(await b.getUnmetIndicatorReports(db, { filter: {}, normalizedNames: [] })).toEqual(new Map());
    });

    it("the briefing's years ignore a year filter (it picks the default year), and honour the others", async () => {
      expect(await briefingYears(db)).toEqual([2023, 2022]);
      expect(await briefingYears(db, { years: [2022] })).toEqual([2023, 2022]);
      expect(await briefingYears(db, { years: [2022], kinds: ["summary"] })).toEqual([2023]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Cells the shared fixture cannot tell apart, on the fixture plus two reports:
  //  - every deviation-cause example of the fixture comes from a 2022, R1, self, project report, so
  //    examples ignoring those filters would go unseen; r9 adds one from 2024, R2, finance, summary;
  //  - every department reports from one region only, so figures grouped by department (execution
  //    threshold counts, unmet indicators in the department table) cannot show a region filter
  //    ignored; r10 is d2's project in R2 (40.49 %, one unmet indicator without a reason);
  //  - every department and region has reports in both years (briefing years);
  //  - the only line items and unallocated item belong to one report (partial, non-empty results);
  //  - no report states a received amount (set here for r2, r8, r10);
  //  - the median reads the k-th score inside its whole point from the reports: only a lower score of
  //    the same point left out by the filter shows that read ignoring it. r9's 90.10 shares point 90
  //    with r6's 90.00, and r6 is the only 2023-R1-self-project report there.
  const R9: FixtureReport = {
    id: 9, dept: 3, year: 2024, region: R2, evaluationType: "finance", kind: "summary", project: "部门整体支出",
    initialFen: null, adjustedFen: 2_000_000, spentFen: 1_000_000, statedRateX100: 5000, scoreX100: 9010, grade: "优",
    categories: [],
    indicators: [["数量", "会议人数", 0, "疫情导致会议取消", "external_event"]],
    findings: [["budget.sum_mismatch", "warning", "各项经费合计与总额不符", 5]],
    lineItems: [["会务经费", 800_000, 0, 0], ["办公经费", 1_200_000, 1_000_000, 1]],
  };
  const R10: FixtureReport = {
    id: 10, dept: 2, year: 2023, region: R2, evaluationType: "self", kind: "project", project: "对口支援项目",
    initialFen: 2_500_000, adjustedFen: null, spentFen: 1_012_345, statedRateX100: null, scoreX100: 6000, grade: "中",
    categories: [],
    indicators: [["数量", "援助人次", 0, null, null]],
    findings: [], lineItems: [],
  };

  const causes = async (db: DB, filter?: ReportFilter) => (await q.getDeviationCauses(db, { filter })).map((c) => [c.cause, c.unmet, c.withReason, c.examples.map((e) => e.reportId)]);
  const lineItems = async (db: DB, filter?: ReportFilter) => {
    const s = await q.getLineItemSummary(db, { filter });
    return [s.totals, s.byDepartment.map((d) => d.key)];
  };
  // line items: d1 (r3) items 3, planned 6,500,000, allocated 5,000,000, spent 4,499,999, 1 unallocated of 1,500,000;
  //             d3 (r9) items 2, planned 2,000,000, allocated 1,200,000, spent 1,000,000, 1 unallocated of 800,000
  const D1_ITEMS = { items: 3, planned: "6.5", allocated: "5", spent: "4.499999", notAllocatedItems: 1, notAllocated: "1.5" };
  const D3_ITEMS = { items: 2, planned: "2", allocated: "1.2", spent: "1", notAllocatedItems: 1, notAllocated: "0.8" };
  const NOT_ALLOCATED_3 = { reportId: 3, department: "西城区教育局", year: 2023, name: "培训经费", budget: "1.5" };
  const NOT_ALLOCATED_9 = { reportId: 9, department: "河东区人大常委会", year: 2024, name: "会务经费", budget: "0.8" };

  const departmentUnmet = async (db: DB, filter?: ReportFilter) => (await q.getDepartmentTable(db, { filter })).map((d) => [d.departmentId, d.reports, d.unmetIndicators]);
  const median = async (db: DB, filter?: ReportFilter) => (await q.getOverview(db, { filter })).medianScore;

  const EXTENDED_CASES: Case[] = [
    // scores: r5 55, r10 60, r4 70, r8 80, r2 85.50, r6 90, r9 90.10, r1 90.62, r7 95 (unfiltered median 85.50)
    { name: "getOverview median × regions", filter: { regions: [R2] }, run: median, expected: "85.05" }, // 60, 80, 90.10, 95 → (80 + 90.10) ÷ 2
    { name: "getOverview median × evaluationTypes", filter: { evaluationTypes: ["finance"] }, run: median, expected: "72.55" }, // 55, 90.10 → (55 + 90.10) ÷ 2
    { name: "getOverview median × kinds", filter: { kinds: ["summary"] }, run: median, expected: "90.10" }, // r9 (r3 has no score)
    // causes: external_event r1 r4 r9; unmet desc, then funds, external, target, schedule, cost, other, ""
    { name: "getDeviationCauses examples × years", filter: { years: [2024] }, run: causes, expected: [["external_event", 1, 1, [9]]] },
    { name: "getDeviationCauses examples × years (2022)", filter: { years: [2022] }, run: causes, expected: [["external_event", 2, 2, [4, 1]], ["funds_not_allocated", 1, 1, [4]], ["other", 1, 1, [1]]] },
    { name: "getDeviationCauses examples × regions", filter: { regions: [R2] }, run: causes, expected: [["external_event", 1, 1, [9]], ["schedule_slipped", 1, 1, [8]], ["", 1, 0, []]] }, // "" is r10's
    { name: "getDeviationCauses examples × departmentIds", filter: { departmentIds: [3] }, run: causes, expected: [["external_event", 1, 1, [9]], ["schedule_slipped", 1, 1, [8]]] },
    { name: "getDeviationCauses examples × evaluationTypes", filter: { evaluationTypes: ["finance"] }, run: causes, expected: [["external_event", 1, 1, [9]], ["", 1, 0, []]] }, // r9; r5 gives no reason
    { name: "getDeviationCauses examples × kinds", filter: { kinds: ["summary"] }, run: causes, expected: [["external_event", 1, 1, [9]]] },
    // by department, 55/90 and 40.5/90 (40.5 splits r10's rate point 40: 40.49 < 40.5); r9 50 %
    { name: "getExecutionByDepartment 55/90 × regions", filter: { regions: [R1] }, run: byDept(55, 90), expected: [["1", 3, 1, 2], ["2", 3, 1, 1]] }, // d2: r4 only, r10 left out
    { name: "getExecutionByDepartment 55/90 × regions (R2)", filter: { regions: [R2] }, run: byDept(55, 90), expected: [["3", 3, 1, 2], ["2", 1, 1, 1]] }, // d3 r7 r8 r9; d2 r10
    { name: "getExecutionByDepartment 40.5/90 × regions", filter: { regions: [R1] }, run: byDept(40.5, 90), expected: [["1", 3, 0, 2], ["2", 3, 0, 1]] },
    // [department, reports, unmet indicators]: d1 r1 (2) r2 (1); d2 r4 (2) r5 (1), r10's in R2 left out
    { name: "getDepartmentTable unmet × regions", filter: { regions: [R1] }, run: departmentUnmet, expected: [[1, 3, 3], [2, 3, 3]] },
    // briefing years: r9 adds 2024 (d3, R2)
    { name: "getBriefingYears × regions", filter: { regions: [R1] }, run: briefingYears, expected: [2023, 2022] },
    { name: "getBriefingYears × departmentIds", filter: { departmentIds: [1] }, run: briefingYears, expected: [2023, 2022] },
    // line items and unallocated items, now partial
    { name: "getLineItemSummary × years", filter: { years: [2024] }, run: lineItems, expected: [D3_ITEMS, ["3"]] },
    { name: "getLineItemSummary × regions", filter: { regions: [R1] }, run: lineItems, expected: [D1_ITEMS, ["1"]] },
    { name: "getLineItemSummary × departmentIds", filter: { departmentIds: [3] }, run: lineItems, expected: [D3_ITEMS, ["3"]] },
    { name: "getLineItemSummary × evaluationTypes", filter: { evaluationTypes: ["department"] }, run: lineItems, expected: [D1_ITEMS, ["1"]] },
    { name: "getNotAllocatedItems × years", filter: { years: [2024] }, run: notAllocated, expected: [NOT_ALLOCATED_9] },
    { name: "getNotAllocatedItems × regions", filter: { regions: [R1] }, run: notAllocated, expected: [NOT_ALLOCATED_3] },
    { name: "getNotAllocatedItems × departmentIds", filter: { departmentIds: [3] }, run: notAllocated, expected: [NOT_ALLOCATED_9] },
    { name: "getNotAllocatedItems × evaluationTypes", filter: { evaluationTypes: ["finance"] }, run: notAllocated, expected: [NOT_ALLOCATED_9] },
    // received: r2 7,000,000 of 8,000,000; r8 5,500,000 of 6,000,000; r10 all 2,500,000
    // unspent adds r9 2,000,000 − 1,000,000 = 1,000,000 and r10 2,500,000 − 1,012,345 = 1,487,655
    { name: "getFundsSummary notReceived × regions", filter: { regions: [R2] }, run: funds, expected: { unspentReports: 3, unspent: "4.987655", notReceivedReports: 1, notReceived: "0.5" } }, // 2,500,000 + 1,000,000 + 1,487,655
    { name: "getFundsSummary notReceived × departmentIds", filter: { departmentIds: [1] }, run: funds, expected: { unspentReports: 3, unspent: "5.391357", notReceivedReports: 1, notReceived: "1" } },
    { name: "getFundsSummary notReceived × evaluationTypes", filter: { evaluationTypes: ["third_party"] }, run: funds, expected: { unspentReports: 1, unspent: "2.5", notReceivedReports: 1, notReceived: "0.5" } },
    { name: "getFundsSummary notReceived × kinds", filter: { kinds: ["summary"] }, run: funds, expected: { unspentReports: 2, unspent: "3.345678", notReceivedReports: 0, notReceived: "0" } }, // r3 2,345,678 + r9 1,000,000
  ];

  describe("filter matrix on the fixture plus two reports", () => {
    let ext: DB;
    let closeExt: () => Promise<void>;
    beforeAll(async () => {
      ({ db: ext, close: closeExt } = await fixtureDb([...REPORTS, R9, R10], store));
      for (const [id, receivedFen] of [[2, 7_000_000], [8, 5_500_000], [10, 2_500_000]]) {
        await ext.updateTable("reports").set({ budget_received_fen: receivedFen }).where("id", "=", id).execute();
      }
    });
    afterAll(() => closeExt());

    it.each(EXTENDED_CASES)("$name", async ({ filter, run, expected }) => {
      expect(await run(ext, filter)).toEqual(expected);
      expect(await run(ext, undefined)).not.toEqual(expected);
    });

    it("unfiltered, to the digit", async () => {
      expect(await causes(ext)).toEqual([
        ["external_event", 3, 3, [9, 4, 1]],
        ["", 2, 0, []], // r5, r10: most unmet first
        ["funds_not_allocated", 1, 1, [4]],
        ["schedule_slipped", 1, 1, [8]],
        ["cost_overrun", 1, 1, [2]],
        ["other", 1, 1, [1]],
      ]);
      // d3 before d1: one unallocated item each, then 河 (he) before 西 (xi)
      expect(await q.getLineItemSummary(ext, {})).toEqual({
        totals: { items: 5, planned: "8.5", allocated: "6.2", spent: "5.499999", notAllocatedItems: 2, notAllocated: "2.3" },
        byDepartment: [
          { key: "3", departmentId: 3, department: "河东区人大常委会", ...D3_ITEMS },
          { key: "1", departmentId: 1, department: "西城区教育局", ...D1_ITEMS },
        ],
      });
      expect(await notAllocated(ext)).toEqual([NOT_ALLOCATED_3, NOT_ALLOCATED_9]);
      expect(await briefingYears(ext)).toEqual([2024, 2023, 2022]);
      // unspent: 17,891,357 + 1,000,000 + 1,487,655 = 20,379,012; not received: 1,000,000 + 500,000
      expect(await funds(ext)).toEqual({ unspentReports: 7, unspent: "20.379012", notReceivedReports: 2, notReceived: "1.5" });
      const [r2] = await b.getBriefingProjects(ext, { filter: { departmentIds: [1], years: [2023] }, thresholds: T, selection: "all", limit: 10 });
      expect([r2.reportId, r2.unspent, r2.notReceived]).toEqual([2, "0.345679", "1"]);
    });
  });
});
