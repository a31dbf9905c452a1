import { createHash } from "node:crypto";
import type { DB } from "../../db/connection";
import { addReportsToAggregates } from "../../db/queries/aggregates";

/**
 * A small jurisdiction with known facts for the briefing tests, written by direct inserts so the
 * expected figures below depend on nothing but this file. Amounts are given in 万元 and stored as
 * fen (× 1,000,000); scores as hundredths.
 *
 * 2024: departments A 教育局 (3 projects), B 卫健委 (2), C 交通局 (1 project + 1 summary),
 *       D 财政局 (2, one without a spend or score), E 文旅局 (1).  2023: A, B, C with one project each.
 */

interface IndicatorSpec {
  type: string;
  name: string;
  met: 0 | 1 | null;
  cause?: string;
  reason?: string;
}

interface LineItemSpec {
  name: string;
  budgetFen: number;
  allocated: 0 | 1;
}

interface FindingSpec {
  code: string;
  severity: "error" | "warning" | "info";
}

interface ReportSpec {
  key: string;
  dept: "A" | "B" | "C" | "D" | "E";
  year: number;
  kind?: "project" | "summary";
  project: string;
  budgetWan?: number | null;
  spentWan?: number | null;
  receivedWan?: number | null;
  basis?: "adjusted" | "initial";
  score?: number | null;
  grade?: "优" | "良" | "中" | "差" | null;
  indicators?: IndicatorSpec[];
  lineItems?: LineItemSpec[];
  findings?: FindingSpec[];
}

export const DEPARTMENTS = {
  A: "示例市教育局",
  B: "示例市卫生健康委员会",
  C: "示例市交通运输局",
  D: "示例市财政局",
  E: "示例市文化和旅游局",
} as const;

export const REPORTS: ReportSpec[] = [
  {
    key: "r1",
    dept: "A",
    year: 2024,
    project: "学前教育补助",
    budgetWan: 100,
    spentWan: 95,
    receivedWan: 100,
    score: 92.5,
    grade: "优",
    indicators: [
      { type: "数量", name: "会议次数", met: 1 },
      { type: "满意度", name: "群众满意度", met: 1 },
    ],
  },
  {
    key: "r2",
    dept: "A",
    year: 2024,
    project: "教师培训经费",
    budgetWan: 50,
    spentWan: 20,
    receivedWan: 40,
    score: 85,
    grade: "良",
    indicators: [
      { type: "数量", name: "培训人次", met: 0, cause: "funds_not_allocated", reason: "资金未到位，培训推迟" },
    ],
    findings: [{ code: "credibility.high_score_low_execution", severity: "warning" }],
  },
  {
    key: "r3",
    dept: "B",
    year: 2024,
    project: "基层医疗设备购置",
    budgetWan: 200,
    spentWan: 150,
    receivedWan: 180,
    score: 72,
    grade: "中",
    indicators: [
      { type: "数量", name: "培训人次", met: 0, cause: "schedule_slipped", reason: "项目进度滞后" },
      { type: "时效", name: "完成及时率", met: 0, cause: "schedule_slipped", reason: "工期延误" },
      { type: "质量", name: "验收合格率", met: 1 },
    ],
    findings: [
      { code: "budget.rate_mismatch", severity: "error" },
      { code: "score.total_mismatch", severity: "error" },
    ],
  },
  {
    key: "r4",
    dept: "B",
    year: 2024,
    project: "公共卫生宣传",
    budgetWan: 80,
    spentWan: 80,
    score: 55,
    grade: "差",
  },
  {
    key: "r5",
    dept: "C",
    year: 2024,
    project: "农村公路养护",
    budgetWan: 30,
    spentWan: 9,
    score: 65,
    grade: "中",
    indicators: [
      { type: "质量", name: "验收合格率", met: 0, cause: "target_set_badly", reason: "指标值设置偏高" },
      { type: "效益", name: "社会效益", met: null },
    ],
    findings: [{ code: "budget.rate_mismatch", severity: "error" }],
  },
  {
    key: "r6",
    dept: "C",
    year: 2024,
    kind: "summary",
    project: "交通运输局部门整体支出",
    budgetWan: null,
    spentWan: null,
    score: null,
    grade: null,
    lineItems: [
      { name: "道路维修", budgetFen: 10_000_000, allocated: 1 },
      { name: "客运补贴", budgetFen: 5_000_000, allocated: 0 },
      { name: "桥梁检测", budgetFen: 2_345_678, allocated: 0 },
    ],
  },
  {
    key: "r7",
    dept: "A",
    year: 2024,
    project: "校园安全改造",
    budgetWan: 60,
    spentWan: 48,
    basis: "initial",
    score: 88,
    grade: "良",
  },
  { key: "r8", dept: "D", year: 2024, project: "财政信息化建设", budgetWan: 40, spentWan: 38, score: 95, grade: "优" },
  { key: "r9", dept: "E", year: 2024, project: "文化下乡活动", budgetWan: 10, spentWan: 5, score: 50, grade: "差" },
  // A budget without a spend: counts in the budget total, not in the execution rate.
  { key: "r10", dept: "D", year: 2024, project: "政务数据共享", budgetWan: 20, spentWan: null, score: null, grade: null },
  {
    key: "p1",
    dept: "A",
    year: 2023,
    project: "学前教育补助",
    budgetWan: 90,
    spentWan: 81,
    score: 91,
    grade: "优",
    findings: [{ code: "amount.outlier", severity: "warning" }],
  },
  {
    key: "p2",
    dept: "B",
    year: 2023,
    project: "基层医疗设备购置",
    budgetWan: 150,
    spentWan: 90,
    score: 78,
    grade: "中",
    indicators: [{ type: "数量", name: "培训人次", met: 0, cause: "schedule_slipped", reason: "进度滞后" }],
  },
  { key: "p3", dept: "C", year: 2023, project: "农村公路养护", budgetWan: 20, spentWan: 10, score: 58, grade: "差" },
];

const fen = (wan: number | null | undefined) => (wan === null || wan === undefined ? null : Math.round(wan * 1_000_000));

export interface Fixture {
  departmentIds: Record<keyof typeof DEPARTMENTS, number>;
  reportIds: Record<string, number>;
}

export async function buildFixture(db: DB): Promise<Fixture> {
  const departmentIds = {} as Record<keyof typeof DEPARTMENTS, number>;
  for (const [key, name] of Object.entries(DEPARTMENTS) as [keyof typeof DEPARTMENTS, string][]) {
    const row = await db
      .insertInto("departments")
      .values({ name, normalized_name: name, region: "示例市" })
      .returning("id")
      .executeTakeFirstOrThrow();
    departmentIds[key] = row.id;
  }
  const reportIds: Record<string, number> = {};
  for (const r of REPORTS) {
    const file = await db
      .insertInto("source_files")
      .values({
        file_name: `${r.key}.txt`,
        sha256: createHash("sha256").update(r.key).digest("hex"),
        format: "txt",
        size_bytes: 100,
        source_text: null,
        ingested_at: "2026-11-23T00:00:00Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const indicators = r.indicators ?? [];
    const findings = r.findings ?? [];
    const basisFen = fen(r.budgetWan);
    const report = await db
      .insertInto("reports")
      .values({
        source_file_id: file.id,
        department_id: departmentIds[r.dept],
        report_key: r.key,
        kind: r.kind ?? "project",
        title: `${r.project}绩效评价报告`,
        project_name: r.project,
        implementing_unit: null,
        region: "示例市",
        year: r.year,
        evaluation_type: "self",
        budget_initial_fen: r.basis === "initial" ? basisFen : null,
        budget_adjusted_fen: r.basis === "initial" ? null : basisFen,
        budget_received_fen: fen(r.receivedWan),
        spent_fen: fen(r.spentWan),
        budget_basis_fen: basisFen,
        budget_basis: basisFen === null ? null : (r.basis ?? "adjusted"),
        execution_rate_stated_x100: null,
        score_total_x100: r.score === null || r.score === undefined ? null : Math.round(r.score * 100),
        grade: r.grade ?? null,
        grade_stated: 1,
        indicator_count: indicators.length,
        unmet_count: indicators.filter((i) => i.met === 0).length,
        finding_count: findings.length,
        error_count: findings.filter((f) => f.severity === "error").length,
        warning_count: findings.filter((f) => f.severity === "warning").length,
        provenance_json: null,
        created_at: "2026-11-23T00:00:00Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    reportIds[r.key] = report.id;
    for (const [position, i] of indicators.entries()) {
      await db
        .insertInto("indicators")
        .values({
          report_id: report.id,
          position,
          level1: null,
          level2: `${i.type}指标`,
          indicator_type: i.type,
          name: i.name,
          normalized_name: i.name,
          target_text: null,
          actual_text: null,
          comparator: null,
          target_value: null,
          actual_value: null,
          unit: null,
          weight_x100: null,
          score_x100: null,
          completion_rate_x100: null,
          met: i.met,
          deviation_reason: i.reason ?? null,
          cause: i.cause ?? null,
          source_line: null,
        })
        .execute();
    }
    for (const [position, li] of (r.lineItems ?? []).entries()) {
      await db
        .insertInto("line_items")
        .values({
          report_id: report.id,
          position,
          name: li.name,
          budget_fen: li.budgetFen,
          spent_fen: null,
          allocated: li.allocated,
          source_line: null,
        })
        .execute();
    }
    for (const [position, f] of findings.entries()) {
      await db
        .insertInto("findings")
        .values({
          report_id: report.id,
          position,
          code: f.code,
          severity: f.severity,
          message: `${f.code} in ${r.key}`,
          field: null,
          source_line: null,
        })
        .execute();
    }
    // Rows written outside the loader add their report to the summary tables themselves.
    await addReportsToAggregates(db, { reportIds: [report.id] });
  }
  return { departmentIds, reportIds };
}
