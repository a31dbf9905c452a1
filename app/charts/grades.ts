import type { EChartsOption } from "echarts";
import { formatCount, sharePercent, formatRate } from "../format";
import { asArray, baseOption, gradeColors, GRADE_BANDS, palette } from "./common";

export interface GradeRow {
  label: string; // a year, a department …
  grades: { 优: number; 良: number; 中: number; 差: number };
}

/** 优/良/中/差 counts stacked per row (one bar per year), tooltip with counts and shares. */
export function gradeStackOption(rows: GradeRow[]): EChartsOption {
  return {
    ...baseOption,
    legend: { top: 0, data: [...GRADE_BANDS] },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: unknown) => {
        const ps = asArray(params as { dataIndex: number }[] | { dataIndex: number });
        const row = rows[ps[0]?.dataIndex ?? 0];
        if (!row) return "";
        const total = GRADE_BANDS.reduce((s, g) => s + row.grades[g], 0);
        const lines = GRADE_BANDS.map(
          (g) => `${g}：${formatCount(row.grades[g])} 份（${formatRate(sharePercent(row.grades[g], total))}）`,
        );
        return [`<b>${row.label}</b>（共 ${formatCount(total)} 份）`, ...lines].join("<br/>");
      },
    },
    xAxis: { type: "category", data: rows.map((r) => r.label) },
    yAxis: { type: "value", name: "报告数", minInterval: 1, splitLine: { lineStyle: { color: palette.grid } } },
    series: GRADE_BANDS.map((g) => ({
      type: "bar" as const,
      name: g,
      stack: "grades",
      barMaxWidth: 48,
      itemStyle: { color: gradeColors[g] },
      data: rows.map((r) => r.grades[g]),
    })),
  };
}

/** One group's grade mix as a ring. */
export function gradePieOption(grades: GradeRow["grades"]): EChartsOption {
  const total = GRADE_BANDS.reduce((s, g) => s + grades[g], 0);
  return {
    ...baseOption,
    legend: { bottom: 0 },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const { name, value } = p as { name: string; value: number };
        return `${name}：${formatCount(value)} 份（${formatRate(sharePercent(value, total))}）`;
      },
    },
    series: [
      {
        type: "pie",
        radius: ["40%", "68%"],
        center: ["50%", "45%"],
        label: { formatter: "{b} {c}" },
        data: GRADE_BANDS.map((g) => ({ name: g, value: grades[g], itemStyle: { color: gradeColors[g] } })),
      },
    ],
  };
}
