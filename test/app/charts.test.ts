import { describe, expect, it } from "vitest";
import { executionBarOption, rateColor, type ExecutionBar } from "~/charts/execution";
import { gradePieOption, gradeStackOption } from "~/charts/grades";
import { credibilityScatterOption, type CredibilityPoint } from "~/charts/scatter";
import { trendOption } from "~/charts/trend";
import { countBarOption, histogramOption, scoreLossOption } from "~/charts/bars";
import { escapeHtml, palette } from "~/charts/common";

/* eslint-disable @typescript-eslint/no-explicit-any -- ECharts options are deeply unioned; tests read them loosely */
const series = (o: any, i = 0) => (Array.isArray(o.series) ? o.series[i] : o.series);
const tooltip = (o: any, params: unknown) => o.tooltip.formatter(params) as string;

const bars: ExecutionBar[] = [
  { key: "1", label: "教育局", departmentId: 1, reports: 2, budget: "300", spent: "230", executionRate: "76.67" },
  { key: "2", label: "卫生健康局", departmentId: 2, reports: 2, budget: "700", spent: "650", executionRate: "92.86" },
  { key: "3", label: "交通运输局", departmentId: 3, reports: 2, budget: "270.5", spent: "160.25", executionRate: "59.24" },
  { key: "4", label: "无预算部门", departmentId: 4, reports: 1, budget: "0", spent: "0", executionRate: null },
];

describe("executionBarOption", () => {
  const o: any = executionBarOption(bars);
  it("puts the lowest rate on top (last category of the y-axis) and keeps department ids for click-through", () => {
    expect(o.yAxis.data).toEqual(["卫生健康局", "教育局", "交通运输局", "无预算部门"]);
    const data = series(o).data;
    expect(data.map((d: any) => d.departmentId)).toEqual([2, 1, 3, 4]);
    expect(data.map((d: any) => d.value)).toEqual([92.86, 76.67, 59.24, null]);
  });
  it("colours by threshold band and draws the 60 % and 80 % lines", () => {
    const colors = series(o).data.map((d: any) => d.itemStyle.color);
    expect(colors).toEqual([palette.primary, palette.warn, palette.bad, palette.muted]);
    expect(series(o).markLine.data.map((d: any) => d.xAxis)).toEqual([60, 80]);
    expect(rateColor(60)).toBe(palette.warn);
    expect(rateColor(80)).toBe(palette.primary);
  });
  it("tooltip shows full figures, formatted, with the name escaped", () => {
    const d = series(o).data[2];
    const html = tooltip(o, { data: d });
    expect(html).toContain("交通运输局");
    expect(html).toContain("执行率：59.24%");
    expect(html).toContain("预算：270.50 万元");
    expect(html).toContain("支出：160.25 万元");
    const evil: any = executionBarOption([{ ...bars[0], label: "<img src=x onerror=alert(1)>" }]);
    expect(tooltip(evil, { data: series(evil).data[0] })).not.toContain("<img");
  });
  it("custom thresholds move the lines", () => {
    const c: any = executionBarOption(bars, { low: 50, mid: 70 });
    expect(series(c).markLine.data.map((d: any) => d.xAxis)).toEqual([50, 70]);
  });
});

describe("grade charts", () => {
  const rows = [
    { label: "2023年", grades: { 优: 1, 良: 0, 中: 1, 差: 1 } },
    { label: "2024年", grades: { 优: 1, 良: 2, 中: 0, 差: 0 } },
  ];
  it("stacks one series per grade band", () => {
    const o: any = gradeStackOption(rows);
    expect(o.xAxis.data).toEqual(["2023年", "2024年"]);
    expect(o.series.map((s: any) => [s.name, s.stack, s.data])).toEqual([
      ["优", "grades", [1, 1]],
      ["良", "grades", [0, 2]],
      ["中", "grades", [1, 0]],
      ["差", "grades", [1, 0]],
    ]);
    const html = tooltip(o, [{ dataIndex: 1 }]);
    expect(html).toContain("共 3 份");
    expect(html).toContain("良：2 份（66.67%）");
  });
  it("pie has the four bands with shares", () => {
    const o: any = gradePieOption({ 优: 2, 良: 2, 中: 1, 差: 1 });
    expect(series(o).data.map((d: any) => [d.name, d.value])).toEqual([
      ["优", 2],
      ["良", 2],
      ["中", 1],
      ["差", 1],
    ]);
    expect(tooltip(o, { name: "优", value: 2 })).toBe("优：2 份（33.33%）");
  });
});

describe("credibilityScatterOption", () => {
  const points: CredibilityPoint[] = [
    { reportId: 1, departmentId: 1, department: "教育局", projectName: "学生资助项目", year: 2023, score: "92.00", executionRate: "50.00", grade: "优", flagged: true },
    { reportId: 2, departmentId: 1, department: "教育局", projectName: "学生资助项目", year: 2024, score: "85.00", executionRate: "90.00", grade: "良", flagged: false },
  ];
  const o: any = credibilityScatterOption(points);
  it("splits flagged points into their own series, with report ids for click-through", () => {
    expect(series(o, 0).data.map((d: any) => [d.reportId, d.value])).toEqual([[2, [90, 85]]]);
    expect(series(o, 1).name).toBe("高分低执行");
    expect(series(o, 1).data.map((d: any) => [d.reportId, d.value])).toEqual([[1, [50, 92]]]);
    expect(series(o, 0).markLine.data).toEqual([{ xAxis: 60 }, { yAxis: 80 }]);
  });
  it("tooltip names the project, year and figures", () => {
    const html = tooltip(o, { data: series(o, 1).data[0] });
    expect(html).toContain("学生资助项目（2023年）");
    expect(html).toContain("执行率：50.00%");
    expect(html).toContain("得分：92.00");
    expect(html).toContain("高分低执行");
  });
});

describe("trendOption", () => {
  it("orders years and puts rate and score on their own axes", () => {
    const o: any = trendOption([
      { year: 2024, executionRate: "91.64", averageScore: "89.50", budget: "720.5", spent: "660.25" },
      { year: 2023, executionRate: "69.09", averageScore: "75.00", budget: "550", spent: "380" },
    ]);
    expect(o.xAxis.data).toEqual(["2023年", "2024年"]);
    expect(series(o, 0).data).toEqual([69.09, 91.64]);
    expect(series(o, 1).data).toEqual([75, 89.5]);
    expect(series(o, 1).yAxisIndex).toBe(1);
    const html = tooltip(o, [{ dataIndex: 1 }]);
    expect(html).toContain("2024年");
    expect(html).toContain("执行率：91.64%");
    expect(html).toContain("预算：720.50 万元");
  });
});

describe("count, histogram and score-loss bars", () => {
  it("countBarOption keeps the given order top to bottom and carries hrefs", () => {
    const o: any = countBarOption(
      [
        { label: "数量", value: 2, href: "/a" },
        { label: "时效", value: 1 },
      ],
      "未完成指标",
      "项",
    );
    expect(o.yAxis.data).toEqual(["时效", "数量"]);
    expect(series(o).data[1]).toEqual({ value: 2, name: "数量", href: "/a" });
    expect(tooltip(o, { data: series(o).data[1] })).toBe("数量<br/>未完成指标：2 项");
  });
  it("histogramOption labels bins and colours them by grade band", () => {
    const o: any = histogramOption([
      { from: 50, to: 60, count: 1 },
      { from: 90, to: 100, count: 3 },
    ]);
    expect(o.xAxis.data).toEqual(["50–60", "90–100"]);
    expect(series(o).data.map((d: any) => d.value)).toEqual([1, 3]);
    expect(series(o).data[0].itemStyle.color).not.toBe(series(o).data[1].itemStyle.color);
  });
  it("scoreLossOption plots points lost per category", () => {
    const o: any = scoreLossOption([
      { category: "决策", lost: "2" },
      { category: "产出", lost: "10.5" },
    ]);
    expect(o.xAxis.data).toEqual(["决策", "产出"]);
    expect(series(o).data).toEqual([2, 10.5]);
    expect(tooltip(o, { dataIndex: 1 })).toBe("产出：失分 10.50");
  });
  it("escapeHtml escapes the five characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
