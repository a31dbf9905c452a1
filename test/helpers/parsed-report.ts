import { createHash } from "node:crypto";
import type { Indicator, ParsedReport } from "../../ingest/types";

/** A made-up sha256 that differs per label, so fixtures can pose as different files. */
export function fakeSha(label: string): string {
  return createHash("sha256").update(label).digest("hex");
}

export function indicator(overrides: Partial<Indicator> & { name: string }): Indicator {
  return {
    level1: "产出指标",
    level2: "数量指标",
    target: null,
    actual: null,
    comparator: null,
    targetValue: null,
    actualValue: null,
    unit: null,
    weight: null,
    score: null,
    completionRate: null,
    met: null,
    deviationReason: null,
    ...overrides,
  };
}

/**
 * A hand-written ParsedReport (no parser involved) with a figure of every kind the loader
 * converts, including amounts that only survive exact decimal arithmetic.
 */
export function sampleReport(overrides: Partial<ParsedReport> = {}): ParsedReport {
  return {
    schemaVersion: 1,
    source: { file: "sample.txt", sha256: fakeSha("sample-v1"), format: "txt" },
    kind: "project",
    title: "会务保障经费项目支出绩效评价报告",
    projectName: "会务保障经费",
    department: "示范区人民代表大会常务委员会",
    implementingUnit: "示范区人大常委会办公室",
    region: "示范市示范区",
    year: 2023,
    evaluationType: "self",
    budget: {
      initial: "4.55",
      adjusted: "32.5",
      received: "32.5",
      spent: "20.78",
      executionRate: "63.94",
      sources: [
        { name: "财政拨款", initial: "4.55", adjusted: "32.5", spent: "20.78", executionRate: "63.94", line: 40 },
        { name: "其他资金", initial: "0", adjusted: "0.000001", spent: null, executionRate: null, line: 41 },
      ],
    },
    score: { total: "89.455", grade: "良", gradeStated: true },
    categories: [
      { name: "决策", weight: "20", score: "18.5", line: 60 },
      { name: "产出", weight: "40", score: "32.51", line: 61 },
    ],
    scoreItems: [{ level1: "决策", level2: "项目立项", name: "立项依据充分性", weight: "5", score: "4.995", line: 70 }],
    indicators: [
      indicator({
        name: "参会人数（人）",
        target: "≥350人",
        actual: "271人",
        comparator: ">=",
        targetValue: "350",
        actualValue: "271",
        unit: "人",
        weight: "10",
        score: "7.74",
        completionRate: "77.43",
        met: false,
        deviationReason: "因疫情原因部分代表无法参会",
        line: 80,
      }),
      indicator({
        level1: "满意度指标",
        level2: "服务对象满意度指标",
        name: "代表满意度",
        target: "≥95%",
        actual: "98%",
        comparator: ">=",
        targetValue: "95",
        actualValue: "98",
        unit: "%",
        weight: "10",
        score: "10",
        completionRate: "103.16",
        met: true,
        deviationReason: "无偏差",
        line: 81,
      }),
    ],
    lineItems: [
      { name: "会议费", budget: "12.345678", spent: "0", allocated: true, line: 90 },
      { name: "培训费", budget: "3", spent: null, allocated: false, line: 91 },
    ],
    findings: [
      { code: "budget.rate_mismatch", severity: "warning", message: "20.78 ÷ 32.5 = 63.94%", field: "budget.executionRate", line: 42 },
      { code: "score.total_mismatch", severity: "error", message: "18.5 + 32.51 ≠ 89.455" },
      { code: "text.conflict", severity: "info", message: "预算 32.5 / 32.50" },
    ],
    provenance: { "budget.adjusted": 12, "score.total": 50 },
    ...overrides,
  };
}
