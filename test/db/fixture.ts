import type { DB } from "../../db/connection";
import { dialectOf } from "../../db/dialect";
import { addReportsToAggregates } from "../../db/queries/aggregates";
import type { ReportFilter } from "../../db/queries/types";
import { openStore, syncIdentities, type Store } from "../helpers/stores";

/**
 * A small jurisdiction whose every figure is computed by hand in analytics.test.ts:
 * 3 departments × 2 years, 8 reports. Rows carry explicit ids so that a DB holding only a subset of
 * the reports (see `matches`) gives identical ids — the filter tests compare against such subsets.
 * Amounts are in fen with odd digits so that any float or rounding slip shows.
 */

export const R1 = "安平市西城区";
export const R2 = "北川市河东区";

export const DEPARTMENTS = [
  { id: 1, name: "西城区教育局", normalized_name: "西城区教育局", region: R1 },
  { id: 2, name: "西城区卫生健康委员会", normalized_name: "西城区卫生健康委员会", region: R1 },
  { id: 3, name: "河东区人大常委会", normalized_name: "河东区人民代表大会常务委员会", region: R2 },
];

type Ind = [type: string, name: string, met: 0 | 1 | null, reason: string | null, cause: string | null];
type Cat = [name: string, weight: number | null, score: number | null];
type Find = [code: string, severity: "error" | "warning" | "info", message: string, line: number | null];
type Item = [name: string, budgetFen: number | null, spentFen: number | null, allocated: 0 | 1];

export interface FixtureReport {
  id: number;
  dept: number;
  year: number;
  region: string;
  evaluationType: "self" | "department" | "finance" | "third_party";
  kind: "project" | "summary";
  project: string;
  initialFen: number | null;
  adjustedFen: number | null;
  spentFen: number | null;
  statedRateX100: number | null;
  scoreX100: number | null;
  grade: "优" | "良" | "中" | "差" | null;
  categories: Cat[];
  indicators: Ind[];
  findings: Find[];
  lineItems: Item[];
}

export const REPORTS: FixtureReport[] = [
  {
    id: 1, dept: 1, year: 2022, region: R1, evaluationType: "self", kind: "project", project: "教师培训项目",
    initialFen: 5_000_000, adjustedFen: 5_700_000, spentFen: 3_000_000, statedRateX100: 5500, scoreX100: 9062, grade: "优",
    categories: [["项目决策", 2000, 2000], ["项目过程", 2000, 1811], ["项目产出", 4000, 3251], ["项目效益", 2000, 2000]],
    indicators: [
      ["数量", "会议人数", 0, "受疫情影响参会人数减少", "external_event"],
      ["数量", "会议次数", 1, null, null],
      ["满意度", "满意度", 1, null, null],
      ["质量", "出勤率", 0, "部分人员请假", "other"],
    ],
    findings: [
      ["credibility.high_score_low_execution", "warning", "等级优，执行率52.63%", 12],
      ["budget.rate_mismatch", "error", "执行率55%与30÷57=52.63%不符", 40],
    ],
    lineItems: [],
  },
  {
    id: 2, dept: 1, year: 2023, region: R1, evaluationType: "self", kind: "project", project: "校舍维修项目",
    initialFen: 8_000_000, adjustedFen: null, spentFen: 7_654_321, statedRateX100: null, scoreX100: 8550, grade: "良",
    categories: [["决策", 1500, 1300], ["过程", 2500, 2200], ["产出", 4000, 3550], ["效益", 2000, 1500]],
    indicators: [
      ["时效", "按期完成率", 1, null, null],
      ["成本", "成本控制", 0, "材料价格上涨", "cost_overrun"],
    ],
    findings: [],
    lineItems: [],
  },
  {
    id: 3, dept: 1, year: 2023, region: R1, evaluationType: "department", kind: "summary", project: "部门整体支出",
    initialFen: null, adjustedFen: 12_345_678, spentFen: 10_000_000, statedRateX100: 8100, scoreX100: null, grade: null,
    categories: [],
    indicators: [],
    findings: [["budget.sum_mismatch", "warning", "各项经费合计与总额不符", 7]],
    lineItems: [
      ["教育经费", 3_000_000, 2_500_000, 1],
      ["培训经费", 1_500_000, 0, 0],
      ["设备经费", 2_000_000, 1_999_999, 1],
    ],
  },
  {
    id: 4, dept: 2, year: 2022, region: R1, evaluationType: "self", kind: "project", project: "疾病防控项目",
    initialFen: 20_000_000, adjustedFen: 20_000_000, spentFen: 10_000_000, statedRateX100: 5000, scoreX100: 7000, grade: "中",
    categories: [["决策", 2000, 1500], ["过程", 2000, 1500], ["产出", 4000, 2500], ["效益", 2000, 1500]],
    indicators: [
      ["数量", "培训人次", 0, "资金未到位，培训推迟", "funds_not_allocated"],
      ["数量", "会议人数", 0, "疫情防控要求减少集中活动", "external_event"],
      ["效益", "社会效益", null, null, null],
    ],
    findings: [["indicator.unmet_full_score", "warning", "培训人次未完成却得满分", 31]],
    lineItems: [],
  },
  {
    id: 5, dept: 2, year: 2023, region: R1, evaluationType: "finance", kind: "project", project: "基层医疗设备项目",
    initialFen: null, adjustedFen: 1_000_001, spentFen: null, statedRateX100: null, scoreX100: 5500, grade: "差",
    categories: [["决策", 2000, 1000], ["过程", 2000, 1000], ["产出", 4000, 2000], ["效益", 2000, 1500]],
    indicators: [["数量", "会议人数", 0, null, null]],
    findings: [],
    lineItems: [],
  },
  {
    id: 6, dept: 2, year: 2023, region: R1, evaluationType: "self", kind: "project", project: "健康宣传项目",
    initialFen: null, adjustedFen: null, spentFen: 500_000, statedRateX100: null, scoreX100: 9000, grade: "优",
    categories: [],
    indicators: [],
    findings: [["score.total_mismatch", "error", "分项合计88与总分90不符", null]],
    lineItems: [],
  },
  {
    id: 7, dept: 3, year: 2022, region: R2, evaluationType: "self", kind: "project", project: "人大代表履职项目",
    initialFen: 3_333_333, adjustedFen: 3_333_333, spentFen: 3_333_333, statedRateX100: 10000, scoreX100: 9500, grade: "优",
    categories: [["决策", 2000, 2000], ["产出", 4000, 3800], ["效益", 2000, 1900], ["满意度", 2000, 1800], ["其他加分", 500, null]],
    indicators: [
      ["满意度", "满意度", 1, null, null],
      ["数量", "会议次数", 1, null, null],
    ],
    findings: [],
    lineItems: [],
  },
  {
    id: 8, dept: 3, year: 2023, region: R2, evaluationType: "third_party", kind: "project", project: "人代会会务项目",
    initialFen: 4_000_000, adjustedFen: 6_000_000, spentFen: 3_500_000, statedRateX100: 5833, scoreX100: 8000, grade: "良",
    categories: [["决策", 2000, 1800], ["过程", 2000, 1600], ["产出", 4000, 3000], ["效益", 2000, 1600]],
    indicators: [
      ["时效", "按时完成", 0, "工期延误，进度滞后", "schedule_slipped"],
      ["数量", "会议人数", 1, null, null],
    ],
    findings: [["credibility.high_score_low_execution", "warning", "等级良，执行率58.33%", 20]],
    lineItems: [],
  },
];

/** Whether a fixture report passes a filter — the definition the queries must agree with. */
export function matches(r: FixtureReport, f: ReportFilter): boolean {
  return (
    (!f.years?.length || f.years.includes(r.year)) &&
    (!f.regions?.length || f.regions.includes(r.region)) &&
    (!f.departmentIds?.length || f.departmentIds.includes(r.dept)) &&
    (!f.evaluationTypes?.length || f.evaluationTypes.includes(r.evaluationType)) &&
    (!f.kinds?.length || f.kinds.includes(r.kind))
  );
}

/**
 * Inserts the given reports (default: all) with their children, one position counter per table, and
 * adds each to the summary tables as the loader does (unless the schema predates them).
 */
export async function insertReports(db: DB, reports: FixtureReport[] = REPORTS, opts: { aggregates?: boolean } = {}): Promise<void> {
  const existing = await db.selectFrom("departments").select("id").execute();
  if (existing.length === 0) await db.insertInto("departments").values(DEPARTMENTS).execute();
  for (const r of reports) {
    await db
      .insertInto("source_files")
      .values({
        id: r.id,
        file_name: `report-${r.id}.txt`,
        sha256: `sha-${r.id}`,
        format: "txt",
        size_bytes: 1000 + r.id,
        source_text: `第一行\n${r.project}\n第三行`,
        ingested_at: "2026-11-23T00:00:00.000Z",
      })
      .execute();
    const basis = r.adjustedFen ?? r.initialFen;
    const unmet = r.indicators.filter((i) => i[2] === 0).length;
    await db
      .insertInto("reports")
      .values({
        id: r.id,
        source_file_id: r.id,
        department_id: r.dept,
        report_key: `key-${r.id}`,
        kind: r.kind,
        title: `${r.project}绩效评价报告`,
        project_name: r.project,
        implementing_unit: null,
        region: r.region,
        year: r.year,
        evaluation_type: r.evaluationType,
        budget_initial_fen: r.initialFen,
        budget_adjusted_fen: r.adjustedFen,
        budget_received_fen: null,
        spent_fen: r.spentFen,
        budget_basis_fen: basis,
        budget_basis: r.adjustedFen !== null ? "adjusted" : r.initialFen !== null ? "initial" : null,
        execution_rate_stated_x100: r.statedRateX100,
        score_total_x100: r.scoreX100,
        grade: r.grade,
        grade_stated: r.grade ? 1 : 0,
        indicator_count: r.indicators.length,
        unmet_count: unmet,
        finding_count: r.findings.length,
        error_count: r.findings.filter((f) => f[1] === "error").length,
        warning_count: r.findings.filter((f) => f[1] === "warning").length,
        provenance_json: JSON.stringify({ "budget.spent": 2, "score.total": 3 }),
        created_at: "2026-11-23T00:00:00.000Z",
      })
      .execute();
    await db
      .insertInto("budget_sources")
      .values({ report_id: r.id, position: 0, name: "财政拨款", initial_fen: r.initialFen, adjusted_fen: r.adjustedFen, spent_fen: r.spentFen, execution_rate_x100: r.statedRateX100, source_line: 2 })
      .execute();
    for (const [i, c] of r.categories.entries()) {
      await db.insertInto("categories").values({ report_id: r.id, position: i, name: c[0], weight_x100: c[1], score_x100: c[2], source_line: 10 + i }).execute();
      await db
        .insertInto("score_items")
        .values({ report_id: r.id, position: i, level1: c[0], level2: null, name: `${c[0]}明细`, weight_x100: c[1], score_x100: c[2], source_line: 10 + i })
        .execute();
    }
    for (const [i, ind] of r.indicators.entries()) {
      await db
        .insertInto("indicators")
        .values({
          report_id: r.id, position: i, level1: "产出指标", level2: `${ind[0]}指标`, indicator_type: ind[0], name: ind[1], normalized_name: ind[1],
          target_text: "≥10人", actual_text: "8人", comparator: ">=", target_value: "10", actual_value: "8", unit: "人",
          weight_x100: 500, score_x100: 400, completion_rate_x100: 8000, met: ind[2], deviation_reason: ind[3], cause: ind[4], source_line: 20 + i,
        })
        .execute();
    }
    for (const [i, f] of r.findings.entries()) {
      await db.insertInto("findings").values({ report_id: r.id, position: i, code: f[0], severity: f[1], message: f[2], field: null, source_line: f[3] }).execute();
    }
    for (const [i, l] of r.lineItems.entries()) {
      await db.insertInto("line_items").values({ report_id: r.id, position: i, name: l[0], budget_fen: l[1], spent_fen: l[2], allocated: l[3], source_line: 30 + i }).execute();
    }
    if (opts.aggregates !== false) await addReportsToAggregates(db, { reportIds: [r.id] });
  }
  if (dialectOf(db) === "postgres") {
    await syncIdentities(db, ["departments", "source_files", "reports", "budget_sources", "categories", "score_items", "indicators", "line_items", "findings"]);
  }
}

/** A store (SQLite in memory unless `store` says otherwise) holding the given fixture reports. */
export async function fixtureDb(reports: FixtureReport[] = REPORTS, store: Store = "sqlite"): Promise<{ db: DB; close: () => Promise<void> }> {
  const { db, close } = await openStore(store);
  await insertReports(db, reports);
  return { db, close };
}
