import type { EChartsOption } from "echarts";
import { formatRate, formatScore } from "../format";
import { baseOption, escapeHtml, palette } from "./common";

import type { CredibilityPoint } from "../../db/queries/types";

export type { CredibilityPoint };

export function pointLabel(p: CredibilityPoint): string {
  return `${p.projectName ?? `报告 ${p.reportId}`}${p.year ? `（${p.year}年）` : ""}`;
}

export interface ScatterDatum {
  value: [number, number];
  reportId: number;
  point: CredibilityPoint;
}

function toDatum(p: CredibilityPoint): ScatterDatum | null {
  const x = p.executionRate === null ? NaN : Number(p.executionRate);
  const y = p.score === null ? NaN : Number(p.score);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  return { value: [x, y], reportId: p.reportId, point: p };
}

/**
 * Score against execution rate, one point per report. Flagged points (high score, low execution)
 * (graded 优/良, execution below the low line) are a separate red series with their own legend entry.
 */
export function credibilityScatterOption(points: CredibilityPoint[], lowRate = 60, highScore = 80): EChartsOption {
  const data = points.map(toDatum).filter((d): d is ScatterDatum => d !== null);
  const normal = data.filter((d) => !d.point.flagged);
  const flagged = data.filter((d) => d.point.flagged);
  const maxX = Math.max(100, ...data.map((d) => d.value[0]));
  return {
    ...baseOption,
    legend: { top: 0, data: ["报告", "高分低执行"] },
    grid: { left: 8, right: 24, top: 36, bottom: 28, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const d = (p as { data: ScatterDatum }).data;
        return [
          `<b>${escapeHtml(pointLabel(d.point))}</b>`,
          d.point.department ? escapeHtml(d.point.department) : "",
          `执行率：${formatRate(d.point.executionRate)}`,
          `得分：${formatScore(d.point.score)}`,
          d.point.flagged ? '<span style="color:#c0392b">高分低执行</span>' : "",
        ]
          .filter(Boolean)
          .join("<br/>");
      },
    },
    xAxis: {
      type: "value",
      name: "执行率",
      nameLocation: "middle",
      nameGap: 24,
      min: 0,
      max: Math.ceil(maxX / 10) * 10,
      axisLabel: { formatter: "{value}%" },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    yAxis: {
      type: "value",
      name: "得分",
      min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 10) * 10),
      max: 100,
      splitLine: { lineStyle: { color: palette.grid } },
    },
    series: [
      {
        type: "scatter",
        name: "报告",
        symbolSize: 7,
        cursor: "pointer",
        itemStyle: { color: palette.primary, opacity: 0.55 },
        data: normal,
        markLine: {
          symbol: "none",
          silent: true,
          lineStyle: { type: "dashed", color: palette.muted },
          label: { formatter: "{c}" },
          data: [{ xAxis: lowRate }, { yAxis: highScore }],
        },
      },
      {
        type: "scatter",
        name: "高分低执行",
        symbolSize: 11,
        symbol: "diamond",
        cursor: "pointer",
        itemStyle: { color: palette.bad },
        data: flagged,
      },
    ],
  };
}
