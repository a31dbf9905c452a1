import type { EChartsOption } from "echarts";
import { formatRate, formatScore, formatWan, toChartNumber } from "../format";
import { asArray, baseOption, palette } from "./common";

export interface TrendPoint {
  year: number;
  executionRate: string | null;
  averageScore: string | null;
  budget?: string;
  spent?: string;
}

/** Execution rate (left axis, %) and average score (right axis) over the years. */
export function trendOption(points: TrendPoint[]): EChartsOption {
  const sorted = [...points].sort((a, b) => a.year - b.year);
  return {
    ...baseOption,
    legend: { top: 0, data: ["执行率", "平均得分"] },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      formatter: (params: unknown) => {
        const ps = asArray(params as { dataIndex: number } | { dataIndex: number }[]);
        const p = sorted[ps[0]?.dataIndex ?? 0];
        if (!p) return "";
        const lines = [`<b>${p.year}年</b>`, `执行率：${formatRate(p.executionRate)}`, `平均得分：${formatScore(p.averageScore)}`];
        if (p.budget !== undefined) lines.push(`预算：${formatWan(p.budget)} 万元`);
        if (p.spent !== undefined) lines.push(`支出：${formatWan(p.spent)} 万元`);
        return lines.join("<br/>");
      },
    },
    xAxis: { type: "category", data: sorted.map((p) => `${p.year}年`), boundaryGap: true },
    yAxis: [
      { type: "value", name: "执行率", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { lineStyle: { color: palette.grid } } },
      { type: "value", name: "得分", min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      {
        type: "line",
        name: "执行率",
        yAxisIndex: 0,
        symbolSize: 8,
        itemStyle: { color: palette.primary },
        data: sorted.map((p) => toChartNumber(p.executionRate)),
      },
      {
        type: "line",
        name: "平均得分",
        yAxisIndex: 1,
        symbolSize: 8,
        itemStyle: { color: palette.good },
        data: sorted.map((p) => toChartNumber(p.averageScore)),
      },
    ],
  };
}
