import type { EChartsOption } from "echarts";
import { countBarHeight, countBarOption } from "../charts/bars";
import { DEFAULT_THRESHOLDS as RATE_LINES, executionBarHeight, executionBarOption } from "../charts/execution";
import { gradeStackOption } from "../charts/grades";
import { formatYear } from "../format";
import type { BriefingData } from "./data";

/**
 * The briefing's charts, as inputs to the dashboard's pure option builders (same look, same
 * tooltips), so a figure drawn here is the figure drawn on the dashboard.
 */

export interface BriefingChart {
  id: string;
  label: string;
  option: EChartsOption;
  height: number;
}

export function lowestExecutionChart(data: BriefingData): BriefingChart | null {
  const rows = data.execution.lowestDepartments;
  if (!rows.length) return null;
  return {
    id: "briefing-chart-execution",
    label: "执行率最低部门柱状图",
    option: executionBarOption(
      rows.map((d) => ({
        key: String(d.departmentId),
        label: d.department,
        departmentId: d.departmentId,
        reports: d.reports,
        budget: d.budget,
        spent: d.spent,
        executionRate: d.executionRate,
      })),
      { low: data.thresholds.lowExecution, mid: Math.max(RATE_LINES.mid, data.thresholds.lowExecution) },
    ),
    height: executionBarHeight(rows.length),
  };
}

export function gradeComparisonChart(data: BriefingData): BriefingChart | null {
  const { current, previous } = data.overview;
  if (current.reports === 0) return null;
  const rows = [];
  if (previous && data.previousYear !== null) rows.push({ label: formatYear(data.previousYear), grades: previous.grades });
  rows.push({ label: data.year !== null ? formatYear(data.year) : "所选范围", grades: current.grades });
  return { id: "briefing-chart-grades", label: "评价等级分布柱状图", option: gradeStackOption(rows), height: 260 };
}

export function unmetByTypeChart(data: BriefingData): BriefingChart | null {
  const rows = data.indicators.byType;
  if (!rows.length) return null;
  return {
    id: "briefing-chart-unmet",
    label: "未完成指标类型柱状图",
    option: countBarOption(
      rows.map((t) => ({ label: t.label, value: t.unmet })),
      "未完成指标",
      "项",
    ),
    height: countBarHeight(rows.length),
  };
}

export function briefingCharts(data: BriefingData): Record<string, BriefingChart[]> {
  const keep = (charts: (BriefingChart | null)[]) => charts.filter((c): c is BriefingChart => c !== null);
  return {
    overview: keep([gradeComparisonChart(data)]),
    execution: keep([lowestExecutionChart(data)]),
    indicators: keep([unmetByTypeChart(data)]),
  };
}
