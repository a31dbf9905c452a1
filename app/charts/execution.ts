import type { EChartsOption } from "echarts";
import { formatCount, formatRate, formatWan, toChartNumber } from "../format";
import { baseOption, barChartHeight, escapeHtml, palette } from "./common";

export interface ExecutionBar {
  key: string;
  label: string;
  departmentId?: number;
  reports: number;
  budget: string;
  spent: string;
  executionRate: string | null;
}

export interface Thresholds {
  low: number;
  mid: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { low: 60, mid: 80 };

/** Below the low line is red, between the lines amber, above blue: the bands analysts read first. */
export function rateColor(rate: number | null, t: Thresholds = DEFAULT_THRESHOLDS): string {
  if (rate === null) return palette.muted;
  if (rate < t.low) return palette.bad;
  if (rate < t.mid) return palette.warn;
  return palette.primary;
}

export interface ExecutionBarDatum {
  value: number | null;
  name: string;
  departmentId?: number;
  itemStyle: { color: string };
  row: ExecutionBar;
}

/**
 * Execution rate per group as horizontal bars, lowest first (so the problems are at the top), with
 * the 60 % and 80 % threshold lines. Each datum carries its departmentId for click-through.
 */
export function executionBarOption(rows: ExecutionBar[], t: Thresholds = DEFAULT_THRESHOLDS): EChartsOption {
  const sorted = [...rows].sort((a, b) => (toChartNumber(b.executionRate) ?? -1) - (toChartNumber(a.executionRate) ?? -1));
  // ECharts draws the first category at the bottom of a category y-axis: highest first → lowest on top.
  const data: ExecutionBarDatum[] = sorted.map((r) => {
    const rate = toChartNumber(r.executionRate);
    return { value: rate, name: r.label, departmentId: r.departmentId, itemStyle: { color: rateColor(rate, t) }, row: r };
  });
  const max = Math.max(100, ...data.map((d) => d.value ?? 0));
  return {
    ...baseOption,
    grid: { left: 8, right: 48, top: 24, bottom: 24, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const d = (p as { data: ExecutionBarDatum }).data;
        const r = d.row;
        return [
          `<b>${escapeHtml(r.label)}</b>`,
          `执行率：${formatRate(r.executionRate)}`,
          `预算：${formatWan(r.budget)} 万元`,
          `支出：${formatWan(r.spent)} 万元`,
          `报告：${formatCount(r.reports)} 份`,
        ].join("<br/>");
      },
    },
    xAxis: {
      type: "value",
      max: Math.ceil(max / 10) * 10,
      axisLabel: { formatter: "{value}%" },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    yAxis: {
      type: "category",
      data: data.map((d) => d.name),
      axisLabel: { width: 180, overflow: "truncate" },
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "执行率",
        data,
        barMaxWidth: 16,
        cursor: "pointer",
        label: { show: true, position: "right", formatter: (p: unknown) => formatRate((p as { data: ExecutionBarDatum }).data.row.executionRate), fontSize: 11 },
        markLine: {
          symbol: "none",
          silent: true,
          label: { formatter: "{c}%", position: "end" },
          data: [
            { xAxis: t.low, lineStyle: { color: palette.bad, type: "dashed" } },
            { xAxis: t.mid, lineStyle: { color: palette.warn, type: "dashed" } },
          ],
        },
      },
    ],
  };
}

export function executionBarHeight(rows: number): number {
  return barChartHeight(rows);
}
