import type { EChartsOption } from "echarts";

/** Shared look of every chart: the palette and typography of the stylesheet (app/styles). */
export const palette = {
  primary: "#1f5fa8",
  primaryLight: "#7fa7d6",
  good: "#2e7d4f",
  fair: "#3d8fd1",
  warn: "#d18b1f",
  bad: "#c0392b",
  muted: "#8a94a6",
  grid: "#e3e7ee",
  text: "#333b48",
};

export const gradeColors: Record<string, string> = {
  优: palette.good,
  良: palette.fair,
  中: palette.warn,
  差: palette.bad,
};

export const GRADE_BANDS = ["优", "良", "中", "差"] as const;

export const baseOption: EChartsOption = {
  animation: false,
  textStyle: { fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', color: palette.text },
};

/** ECharts tooltip params come as one object or an array depending on trigger; normalise. */
export function asArray<T>(p: T | T[]): T[] {
  return Array.isArray(p) ? p : [p];
}

/** Text that goes into a tooltip's HTML string: ECharts renders it as HTML, so escape report text. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/** Pixel height for a horizontal bar chart so every category label stays readable. */
export function barChartHeight(categories: number, perBar = 22, min = 260, chrome = 70): number {
  return Math.max(min, categories * perBar + chrome);
}
