import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DB } from "../../db/connection";
import { loadReport } from "../../ingest/load";
import type { Finding, Indicator, ParsedReport } from "../../ingest/types";
import { openStore, type Store } from "../helpers/stores";

/**
 * A small jurisdiction with hand-computed facts for the dashboard's loader and browser tests:
 * 3 departments × 2 years, 6 project reports, written through the real loader.
 *
 *  dept        year project          budget  spent   rate    score grade  unmet  findings
 *  教育局      2023 学生资助项目       100     50     50.00%  92    优     1      1 (warning)
 *  教育局      2024 学生资助项目       200    180     90.00%  85    良     0      0
 *  卫生健康局  2023 基层医疗设备购置   300    270     90.00%  78    中     1      0
 *  卫生健康局  2024 基层医疗设备购置   400    380     95.00%  95    优     0      0
 *  交通运输局  2023 农村公路养护       150     60     40.00%  55    差     1      1 (error)
 *  交通运输局  2024 农村公路养护       120.5  100.25  83.20%  88.5  良     0      0
 *
 * All: budget 1,270.50, spent 1,040.25, rate 81.88%, average score 82.25, 优 2/6 = 33.33%.
 * 2023: budget 550, spent 380, rate 69.09%, average 75.00. 2024: 720.50, 660.25, 91.64%, 89.50.
 */
export const FIXTURE = {
  region: "示范市示范区",
  departments: ["教育局", "卫生健康局", "交通运输局"],
  all: { reports: 6, departments: 3, budget: "1270.5", spent: "1040.25", rate: "81.88", average: "82.25", excellentShare: "33.33", withFindings: 2, unmet: 3 },
  y2023: { reports: 3, budget: "550", spent: "380", rate: "69.09", average: "75.00" },
  y2024: { reports: 3, budget: "720.5", spent: "660.25", rate: "91.64", average: "89.50" },
} as const;

interface Spec {
  department: string;
  year: number;
  project: string;
  budget: string;
  spent: string;
  score: string;
  grade: "优" | "良" | "中" | "差";
  unmet?: { name: string; type: string; target: string; actual: string; reason: string };
  finding?: Finding;
}

const specs: Spec[] = [
  {
    department: "教育局",
    year: 2023,
    project: "学生资助项目",
    budget: "100",
    spent: "50",
    score: "92",
    grade: "优",
    unmet: { name: "受助学生人数", type: "数量指标", target: "≥1000人", actual: "800人", reason: "资金未及时下达，部分学生未获资助" },
    finding: { code: "budget.rate_mismatch", severity: "warning", message: "执行率应为 50 ÷ 100 = 50.00%，报告写 55%", field: "budget.executionRate", line: 7 },
  },
  { department: "教育局", year: 2024, project: "学生资助项目", budget: "200", spent: "180", score: "85", grade: "良" },
  {
    department: "卫生健康局",
    year: 2023,
    project: "基层医疗设备购置",
    budget: "300",
    spent: "270",
    score: "78",
    grade: "中",
    unmet: { name: "设备到位及时率", type: "时效指标", target: "≥95%", actual: "80%", reason: "受疫情影响供货延迟" },
  },
  { department: "卫生健康局", year: 2024, project: "基层医疗设备购置", budget: "400", spent: "380", score: "95", grade: "优" },
  {
    department: "交通运输局",
    year: 2023,
    project: "农村公路养护",
    budget: "150",
    spent: "60",
    score: "55",
    grade: "差",
    unmet: { name: "养护里程", type: "数量指标", target: "≥120公里", actual: "60公里", reason: "项目进度滞后" },
    finding: { code: "score.total_mismatch", severity: "error", message: "各项得分合计 60 与总分 55 不符", field: "score.total", line: 8 },
  },
  { department: "交通运输局", year: 2024, project: "农村公路养护", budget: "120.5", spent: "100.25", score: "88.5", grade: "良" },
];

function rate(spent: string, budget: string): string {
  return ((Number(spent) / Number(budget)) * 100).toFixed(2);
}

function build(spec: Spec): { parsed: ParsedReport; text: string } {
  const lines = [
    `${spec.project}支出绩效自评报告`, // 1
    `项目名称：${spec.project}`, // 2
    `主管部门：${spec.department}`, // 3
    `评价年度：${spec.year}年`, // 4
    `全年预算数：${spec.budget}万元`, // 5
    `全年执行数：${spec.spent}万元`, // 6
    `预算执行率：${spec.finding?.code === "budget.rate_mismatch" ? "55" : rate(spec.spent, spec.budget)}%`, // 7
    `自评得分：${spec.score}分，评价等级：${spec.grade}`, // 8
    spec.unmet
      ? `${spec.unmet.name}：年度指标值${spec.unmet.target}，实际完成值${spec.unmet.actual}，偏差原因：${spec.unmet.reason}`
      : "各项指标均已完成。", // 9
    "服务对象满意度：年度指标值≥90%，实际完成值96%", // 10
  ];
  const indicators: Indicator[] = [];
  if (spec.unmet) {
    indicators.push({
      level1: "产出指标",
      level2: spec.unmet.type,
      name: spec.unmet.name,
      target: spec.unmet.target,
      actual: spec.unmet.actual,
      comparator: ">=",
      targetValue: spec.unmet.target.replace(/[^\d.]/g, ""),
      actualValue: spec.unmet.actual.replace(/[^\d.]/g, ""),
      unit: spec.unmet.target.replace(/[≥\d.]/g, ""),
      weight: "10",
      score: "6",
      completionRate: null,
      met: false,
      deviationReason: spec.unmet.reason,
      line: 9,
    });
  }
  indicators.push({
    level1: "满意度指标",
    level2: "服务对象满意度指标",
    name: "服务对象满意度",
    target: "≥90%",
    actual: "96%",
    comparator: ">=",
    targetValue: "90",
    actualValue: "96",
    unit: "%",
    weight: "10",
    score: "10",
    completionRate: null,
    met: true,
    deviationReason: null,
    line: 10,
  });
  const text = lines.join("\n");
  const sha256 = createHash("sha256").update(text).digest("hex");
  const parsed: ParsedReport = {
    schemaVersion: 1,
    source: { file: `${spec.department}-${spec.year}.txt`, sha256, format: "txt" },
    kind: "project",
    title: `${spec.project}支出绩效自评报告`,
    projectName: spec.project,
    department: spec.department,
    implementingUnit: null,
    region: FIXTURE.region,
    year: spec.year,
    evaluationType: "self",
    budget: { initial: null, adjusted: spec.budget, received: null, spent: spec.spent, executionRate: null, sources: [] },
    score: { total: spec.score, grade: spec.grade, gradeStated: true },
    categories: [
      { name: "决策", weight: "20", score: "18", line: 8 },
      { name: "产出", weight: "40", score: "30", line: 8 },
    ],
    scoreItems: [],
    indicators,
    lineItems: [],
    findings: spec.finding ? [spec.finding] : [],
    provenance: { projectName: 2, department: 3, year: 4, "budget.adjusted": 5, "budget.spent": 6, "budget.executionRate": 7, "score.total": 8 },
  };
  return { parsed, text };
}

export interface FixtureDb {
  db: DB;
  file: string;
  close: () => void;
  departmentId: (name: string) => Promise<number>;
  reportId: (department: string, year: number) => Promise<number>;
}

/**
 * Creates (migrates and fills) the fixture database: an SQLite file at `file` or in a new temp
 * folder, or, with store "postgres", a database of its own on the test server.
 */
export async function createFixtureDb(file?: string, store: Store = "sqlite"): Promise<FixtureDb> {
  const target = store === "postgres" ? "" : (file ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-app-")), "fixture.db"));
  const { db, close } = await openStore(store, { file: target });
  for (const spec of specs) {
    const { parsed, text } = build(spec);
    await loadReport(db, parsed, { sourceText: text, sizeBytes: Buffer.byteLength(text), fileName: parsed.source.file });
  }
  return {
    db,
    file: target,
    close: () => void close(),
    departmentId: async (name) => (await db.selectFrom("departments").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id,
    reportId: async (department, year) =>
      (
        await db
          .selectFrom("reports")
          .innerJoin("departments", "departments.id", "reports.department_id")
          .select("reports.id")
          .where("departments.name", "=", department)
          .where("reports.year", "=", year)
          .executeTakeFirstOrThrow()
      ).id,
  };
}

/** An empty, migrated database (SQLite file, or a database of its own on the test PostgreSQL server). */
export async function createEmptyDb(store: Store = "sqlite"): Promise<{ db: DB; file: string; close: () => void }> {
  const file = store === "postgres" ? "" : path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-empty-")), "empty.db");
  const { db, close } = await openStore(store, { file });
  return { db, file, close: () => void close() };
}
