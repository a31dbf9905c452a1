import { describe, expect, it } from "vitest";
import { parseBuffer } from "../../ingest/parse";
import type { ParsedReport } from "../../ingest/types";

/**
 * Layout variants of the families the parser reads, written for these tests (not from the seeds):
 * header annotations, amounts in 元, a 自评表 that carries the only score, other wordings.
 */
const T = "\t";
const table = (rows: string[][]) => rows.map((r) => r.map((c) => `${T}${c}`).join("\n")).join("\n\n");

async function parse(text: string, name = "variant.txt"): Promise<ParsedReport> {
  const r = await parseBuffer(new TextEncoder().encode(text), name);
  if ("error" in r) throw new Error(r.error.message);
  return r;
}

describe("a 自评表 that is the report's only scoring", () => {
  const text = [
    "项目支出绩效自评表",
    table([
      ["（2024年度）"],
      ["项目名称", "乡村道路养护"],
      ["主管部门", "某某县交通运输局", "实施单位", "某某县公路养护中心"],
      ["项目资金（万元）", "", "年初预算数（A）", "全年预算数（B）", "全年执行数（C）", "分值", "执行率（C/B）", "得分"],
      ["", "年度资金总额", "200", "180", "144", "10", "80%", "8"],
      ["", "其中：当年财政拨款", "200", "180", "144", "—", "80%", "—"],
      ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成值（B）", "分值", "得分", "偏差原因分析及改进措施"],
      ["", "产出指标", "数量指标", "养护里程（公里）", "≥120公里", "100公里", "20", "16", "雨季工期延误"],
      ["", "", "质量指标", "验收合格率", "≥95%", "98%", "20", "20", ""],
      ["", "", "成本指标", "每公里养护成本", "≤1.5万元", "1.44万元", "10", "10", ""],
      ["", "效益指标", "社会效益指标", "群众出行条件改善", "明显改善", "明显改善", "30", "30", ""],
      ["", "满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "92%", "10", "10", ""],
      ["总分", "", "", "", "", "", "100", "94", ""],
    ]),
  ].join("\n");

  it("reads header facts, budget and the score from the table", async () => {
    const r = await parse(text);
    expect(r).toMatchObject({ projectName: "乡村道路养护", department: "某某县交通运输局", implementingUnit: "某某县公路养护中心", year: 2024, region: "某某县" });
    expect(r.budget).toMatchObject({ initial: "200", adjusted: "180", spent: "144", executionRate: "80" });
    expect(r.score).toEqual({ total: "94", grade: "优", gradeStated: false });
    const cats = Object.fromEntries(r.categories.map((c) => [c.name, [c.weight, c.score]]));
    expect(cats).toEqual({ 产出: ["50", "46"], 效益: ["30", "30"], 满意度: ["10", "10"], 预算执行: ["10", "8"] });
    expect(r.findings.map((f) => f.code)).not.toContain("score.total_mismatch");
  });

  it("reads indicators with annotated headers, and judges them", async () => {
    const r = await parse(text);
    expect(r.indicators).toHaveLength(5);
    expect(r.indicators[0]).toMatchObject({ name: "养护里程", unit: "公里", targetValue: "120", actualValue: "100", met: false, weight: "20", score: "16", deviationReason: "雨季工期延误" });
    expect(r.indicators.find((i) => i.name === "每公里养护成本")).toMatchObject({ comparator: "<=", met: true });
  });
});

describe("labelled cells and other label words", () => {
  it("reads the department from 填报单位 and the total and grade from label cells", async () => {
    const r = await parse(
      [
        "某项目绩效自评报告",
        "填报单位：某某县水利局",
        "全年预算数30万元，全年执行数27万元，执行率90%。",
        table([
          ["自评得分", "86.5"],
          ["评价等级", "良好"],
        ]),
      ].join("\n"),
    );
    expect(r.department).toBe("某某县水利局");
    expect(r.score).toEqual({ total: "86.5", grade: "良", gradeStated: true });
  });
});

describe("a plain 得分 beside the grade", () => {
  it("is the total when no other total is stated", async () => {
    const r = await parse(["某项目绩效自评报告", "全年预算数30万元，全年执行数27万元，执行率90%。", "经自评，该项目得分89分，评价等级为良。"].join("\n"));
    expect(r.score).toEqual({ total: "89", grade: "良", gradeStated: true });
  });
});

describe("amounts in 元", () => {
  it("converts a funding block written in 元 to 万元", async () => {
    const r = await parse(
      [
        "某项目绩效自评报告",
        table([
          ["项目资金（元）", "", "年初预算数", "全年预算数", "全年执行数", "执行率"],
          ["", "年度资金总额", "1,250,000", "1,250,000", "1,000,000", "80%"],
        ]),
        "",
        "自评总得分为88分，等级为良。",
      ].join("\n"),
    );
    expect(r.budget).toMatchObject({ initial: "125", adjusted: "125", spent: "100", executionRate: "80" });
    expect(r.score).toEqual({ total: "88", grade: "良", gradeStated: true });
  });

  it("reads budget sentences in 元 and 亿元", async () => {
    const r = await parse(["某项目绩效评价报告", "该项目全年预算数1.2亿元，全年执行数9000万元，预算执行率为75%。", "综合评分为72分，评价等级为“中”。"].join("\n"));
    expect(r.budget).toMatchObject({ adjusted: "12000", spent: "9000", executionRate: "75" });
    expect(r.score.grade).toBe("中");
  });
});

describe("names in running text", () => {
  it("keeps a bracket that is part of the project name and drops an aside", async () => {
    const body = ["全年预算数50万元，全年执行数45万元，执行率90%。", "综合评分92分，评价等级为优。"];
    const phase = await parse(["某项目绩效评价报告", "项目名称：道路养护经费（二期）（以下简称“该项目”）。主管部门：某某县交通运输局。", ...body].join("\n"));
    const plain = await parse(["某项目绩效评价报告", "项目名称：道路养护经费（以下简称“该项目”），主管部门：某某县交通运输局。", ...body].join("\n"));
    expect(phase.projectName).toBe("道路养护经费（二期）");
    expect(plain.projectName).toBe("道路养护经费");
    expect(phase.department).toBe("某某县交通运输局");
  });
});

describe("narrative wordings", () => {
  it("reads 目标值 / 完成值 lines under level-2 headings", async () => {
    const r = await parse(
      [
        "某项目绩效评价报告",
        "全年预算数50万元，全年执行数50万元，执行率100%。",
        "数量指标方面：",
        "举办讲座场次：目标值：≥12场，完成值：10场，完成率83.33%；偏差原因：疫情停办2场。",
        "时效指标方面：",
        "按时完成率：目标值：=100%，完成值：100%，完成率100%；",
      ].join("\n"),
    );
    expect(r.indicators.map((i) => [i.name, i.level1, i.level2, i.targetValue, i.actualValue, i.met])).toEqual([
      ["举办讲座场次", "产出指标", "数量指标", "12", "10", false],
      ["按时完成率", "产出指标", "时效指标", "100", "100", true],
    ]);
    expect(r.indicators[0].deviationReason).toBe("疫情停办2场");
  });

  it("reads numbered narrative lines and numbered funded items", async () => {
    const project = await parse(
      ["某项目绩效评价报告", "全年预算数20万元，全年执行数18万元，执行率90%。", "（1）巡查次数：年度指标值≥24次，实际完成值20次，完成率83.33%；偏差原因：人员不足。"].join("\n"),
    );
    expect(project.indicators.map((i) => [i.name, i.targetValue, i.actualValue, i.met])).toEqual([["巡查次数", "24", "20", false]]);
    const summary = await parse(
      [
        "某局项目支出绩效自评汇总报告",
        "2024年本部门项目支出为26万元，具体如下：1.培训经费，预算10万元，实际支出8万元；2.宣传经费，预算6万元，财政部门未下达；3.维修经费，预算18万元，实际支出18万元。",
      ].join("\n"),
    );
    expect(summary.lineItems.map((l) => [l.name, l.budget, l.spent, l.allocated])).toEqual([
      ["培训经费", "10", "8", true],
      ["宣传经费", "6", "0", false],
      ["维修经费", "18", "18", true],
    ]);
  });

  it("takes a summary's funded items from a table when the text does not list them", async () => {
    const r = await parse(
      [
        "某局项目支出绩效自评汇总报告",
        "2023年本部门项目支出为30万元。",
        table([
          ["项目名称", "预算数（万元）", "支出数（万元）"],
          ["培训经费", "10", "8"],
          ["宣传经费", "20", "财政部门未下达"],
          ["信息化经费", "22", "22"],
        ]),
      ].join("\n"),
    );
    expect(r.kind).toBe("summary");
    expect(r.lineItems.map((l) => [l.name, l.budget, l.spent, l.allocated])).toEqual([
      ["培训经费", "10", "8", true],
      ["宣传经费", "20", "0", false],
      ["信息化经费", "22", "22", true],
    ]);
  });
});
