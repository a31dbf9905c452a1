import type { EChartsOption } from "echarts";
import { formatCount, formatScore, toChartNumber } from "../format";
import { GRADE_BANDS, type Grade } from "../../db/vocabulary";
import { baseOption, barChartHeight, escapeHtml, palette } from "./common";

export interface CountBar {
  label: string;
  value: number;
  /** where a click on the bar goes (drill-down), if anywhere */
  href?: string;
}

export interface CountBarDatum {
  value: number;
  name: string;
  href?: string;
}

/**
 * Counts per category as horizontal bars, largest on top (the order of the input is kept, read
 * top to bottom). `unit` is the noun after the count in the tooltip ("项", "份").
 */
export function countBarOption(bars: CountBar[], seriesName: string, unit: string, color = palette.primary): EChartsOption {
  const top = [...bars].reverse();
  const data: CountBarDatum[] = top.map((b) => ({ value: b.value, name: b.label, href: b.href }));
  return {
    ...baseOption,
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const d = (p as { data: CountBarDatum }).data;
        return `${escapeHtml(d.name)}<br/>${seriesName}：${formatCount(d.value)} ${unit}`;
      },
    },
    xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: palette.grid } } },
    yAxis: { type: "category", data: data.map((d) => d.name), axisTick: { show: false }, axisLabel: { width: 140, overflow: "truncate" } },
    series: [
      {
        type: "bar",
        name: seriesName,
        data,
        barMaxWidth: 18,
        itemStyle: { color },
        cursor: bars.some((b) => b.href) ? "pointer" : "default",
        label: { show: true, position: "right", fontSize: 11 },
      },
    ],
  };
}

export function countBarHeight(bars: number): number {
  return barChartHeight(bars, 26, 180, 30);
}

export interface HistogramBin {
  /** lower bound, inclusive */
  from: number;
  /** upper bound, exclusive (the last bin includes 100) */
  to: number;
  count: number;
}

const GRADE_COLOURS: Record<Grade, string> = { 优: "#2e7d4f", 良: "#3d8fd1", 中: "#d18b1f", 差: "#c0392b" };

/** Score histogram: columns per score band, the grade boundaries visible through colour. */
export function histogramOption(bins: HistogramBin[]): EChartsOption {
  const colorFor = (from: number) => GRADE_COLOURS[GRADE_BANDS.find((b) => from >= b.minScore)?.grade ?? "差"];
  return {
    ...baseOption,
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const b = bins[(p as { dataIndex: number }).dataIndex];
        return b ? `${b.from}–${b.to} 分：${formatCount(b.count)} 份` : "";
      },
    },
    xAxis: { type: "category", data: bins.map((b) => `${b.from}–${b.to}`), axisLabel: { interval: 0, rotate: bins.length > 8 ? 40 : 0 } },
    yAxis: { type: "value", minInterval: 1, name: "报告数", splitLine: { lineStyle: { color: palette.grid } } },
    series: [
      {
        type: "bar",
        name: "报告数",
        barCategoryGap: "8%",
        data: bins.map((b) => ({ value: b.count, itemStyle: { color: colorFor(b.from) } })),
      },
    ],
  };
}

export interface ScoreLossBar {
  category: string;
  lost: string; // points lost, decimal string
  weight?: string | null;
}

/** Points lost per category (决策/过程/产出/效益/满意度). */
export function scoreLossOption(rows: ScoreLossBar[]): EChartsOption {
  return {
    ...baseOption,
    grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const r = rows[(p as { dataIndex: number }).dataIndex];
        return r ? `${escapeHtml(r.category)}：失分 ${formatScore(r.lost)}${r.weight ? `（权重 ${formatScore(r.weight)}）` : ""}` : "";
      },
    },
    xAxis: { type: "category", data: rows.map((r) => r.category) },
    yAxis: { type: "value", name: "失分", splitLine: { lineStyle: { color: palette.grid } } },
    series: [
      {
        type: "bar",
        name: "失分",
        barMaxWidth: 40,
        itemStyle: { color: palette.bad },
        label: { show: true, position: "top", formatter: (p: unknown) => formatScore(rows[(p as { dataIndex: number }).dataIndex]?.lost) },
        data: rows.map((r) => toChartNumber(r.lost)),
      },
    ],
  };
}
