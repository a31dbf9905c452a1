import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { atomize } from "../../ingest/normalize/atoms";
import { parseQuantity } from "../../ingest/normalize/numbers";
import { placeFigures, placeGluedRow, readFigure, type BudgetColumn } from "../../ingest/extract/template/budget";
import { chooseByCompletion, pointsAndRestCuts, splitPoints, splitRepeated, splitTwice } from "../../ingest/extract/template/rows";
import { templateTokens } from "../../ingest/extract/template/tokens";
import { readTemplate } from "../../ingest/extract/template";
import { textToDocument } from "../../ingest/readers/text";
import { parseBuffer } from "../../ingest/parse";
import type { ParsedReport } from "../../ingest/types";

const kinds = (s: string) => atomize(s).map((a) => `${a.kind}:${a.text}`);
const COLUMNS: BudgetColumn[] = ["initial", "adjusted", "spent", "weight", "rate", "score"];
const values = (v: Partial<Record<BudgetColumn, Decimal>>) => Object.fromEntries(Object.entries(v).map(([k, d]) => [k, d!.toFixed()]));

describe("atoms of a cell that may have run together", () => {
  it("splits name, figures with comparators and units, and bare scores", () => {
    expect(kinds("新建排水沟渠10≥120米≥120米10")).toEqual(["text:新建排水沟渠", "number:10", "quantity:≥120米", "quantity:≥120米", "number:10"]);
    expect(kinds("项目总投资控制10≤35万元34.2万元10")).toEqual(["text:项目总投资控制", "number:10", "quantity:≤35万元", "quantity:34.2万元", "number:10"]);
  });

  it("keeps comparator words, 以内/以上 suffixes, dates, ranges and compound units whole", () => {
    expect(kinds("控制在35万元以内")).toEqual(["quantity:控制在35万元以内"]);
    expect(kinds("2024年12月底前")).toEqual(["date:2024年12月底前"]);
    expect(kinds("80-89周岁津贴发放人数")).toEqual(["number:80-89", "text:周岁津贴发放人数"]);
    expect(kinds("≥2.4万平方米2.26万平方米")).toEqual(["quantity:≥2.4万平方米", "quantity:2.26万平方米"]);
    expect(kinds("达到预期")).toEqual(["text:达到预期"]);
  });

  it("does not take the first character of a following word for a unit", () => {
    expect(kinds("36座18部分点位施工受阻")).toEqual(["quantity:36座", "number:18", "text:部分点位施工受阻"]);
    // a score run into a reason that opens with 项目; 项 alone stays a unit
    expect(kinds("69.8%64.65项目实施进度滞后")).toEqual(["quantity:69.8%", "number:64.65", "text:项目实施进度滞后"]);
    expect(kinds("≥5项")).toEqual(["quantity:≥5项"]);
  });

  it("splits a word written twice off a run-together cell as a target and its actual", async () => {
    const text = [
      "绩效指标一级指标二级指标三级指标年度指标值实际完成值偏差原因分析及改进措施",
      "产出指标数量指标宣传活动场次≥12场12场",
      "效益指标社会效益指标公众认知程度明显提高明显提高",
      "办事便利程度持续改善持续改善",
      "满意度指标服务对象满意度指标群众满意度≥90%93%",
    ].join("\n");
    const parsed = (await parseBuffer(new TextEncoder().encode(`某项目绩效自评报告\n${text}\n`), "x.txt")) as ParsedReport;
    expect(parsed.indicators.map((i) => [i.name, i.target, i.actual, i.deviationReason])).toEqual([
      ["宣传活动场次", "≥12场", "12场", null],
      ["公众认知程度", "明显提高", "明显提高", null],
      ["办事便利程度", "持续改善", "持续改善", null],
      ["群众满意度", "≥90%", "93%", null],
    ]);
  });

  it("splits a score run into a year or into a rate", () => {
    expect(kinds("52022年10月底前")).toEqual(["number:5", "date:2022年10月底前"]);
    expect(kinds("15100%")).toEqual(["number:15", "quantity:100%"]);
    expect(kinds("95%")).toEqual(["quantity:95%"]);
  });
});

describe("targets with comparator words and suffixes", () => {
  it.each([
    ["95%以上", ">=", "95", "%"],
    ["3000元以下", "<=", "3000", "元"],
    ["控制在35万元以内", "<=", "35", "万元"],
    ["═0起", "=", "0", "起"],
    ["＞＝12次", ">=", "12", "次"],
    ["≦3起", "<=", "3", "起"],
    ["不少于5次", ">=", "5", "次"],
  ])("%s", (text, comparator, value, unit) => {
    const q = parseQuantity(text)!;
    expect([q.comparator, q.value.toFixed(), q.unit]).toEqual([comparator, value, unit]);
  });
});

describe("placing a funding row's figures", () => {
  const figs = (...t: string[]) => t.map((x) => readFigure(x)!);

  it("leaves the blank 年初预算数 out when a copy dropped it", () => {
    const p = placeFigures(COLUMNS, figs("86", "79.12", "10", "92%", "9.2"));
    expect(values(p.values)).toEqual({ adjusted: "86", spent: "79.12", weight: "10", rate: "92", score: "9.2" });
    expect(p.confirmed).toBe(true);
  });

  it("leaves a figure out when two placements explain it equally", () => {
    const p = placeFigures(["weight", "score"], figs("5"));
    expect(p.doubtful).toEqual(["weight", "score"]);
    expect(p.values).toEqual({});
  });

  it("cuts a run-together row only where spent ÷ budget confirms it", () => {
    expect(values(placeGluedRow(COLUMNS, "120150138.61092.4%9.24")!.values)).toEqual({ initial: "120", adjusted: "150", spent: "138.6", weight: "10", rate: "92.4", score: "9.24" });
    expect(values(placeGluedRow(COLUMNS, "2020—100%—")!.values)).toEqual({ adjusted: "20", spent: "20", rate: "100" });
    // Nothing confirms a cut of a row without a rate.
    expect(placeGluedRow(COLUMNS, "120150138")).toBeNull();
  });
});

describe("cells of an indicator row that ran together", () => {
  it("splits 分值 and 得分 when one reading fits", () => {
    expect(splitPoints("1010")).toEqual(["10", "10"]);
    expect(splitPoints("2018")).toEqual(["20", "18"]);
    expect(splitPoints("105")).toEqual(["10", "5"]);
  });

  it("splits a score run into the figure that opens the reason, by the row's completion when needed", () => {
    expect(pointsAndRestCuts("1082辆")).toEqual([["10", "8", "2辆"]]);
    const cuts = pointsAndRestCuts("15131所");
    expect(cuts.length).toBe(2);
    expect(chooseByCompletion(cuts, "≥12所", "11所")).toEqual(["15", "13", "1所"]);
    expect(chooseByCompletion(cuts, null, null)).toBeNull();
  });

  it("splits a text target repeated as its result", () => {
    expect(splitRepeated("基层首诊率提升明显提升明显提升")).toEqual(["基层首诊率提升", "明显提升", "明显提升"]);
    expect(splitTwice("按期完工按期完工")).toBe("按期完工");
    expect(splitTwice("有所改善明显改善")).toBeNull();
  });
});

describe("template labels in a token stream", () => {
  it("finds labels split over cells, glued to values, or run together", () => {
    const doc = textToDocument(["年初", "预算数", "项目名称城区排水改造主管部门某县住建局", "一级指标二级指标三级指标年度指标值实际完成值分值得分"].join("\n"));
    const labels = templateTokens(doc).map((t) => (t.label ? `[${t.label}]` : t.text));
    expect(labels).toEqual(["[initial]", "[project]", "城区排水改造", "[department]", "某县住建局", "[level1Col]", "[level2Col]", "[nameCol]", "[target]", "[actual]", "[weight]", "[score]"]);
  });

  it("does not split a column word off an indicator name", () => {
    const doc = textToDocument(["得分率"].join("\n"));
    expect(templateTokens(doc).map((t) => t.label)).toEqual([null]);
  });

  it("reads a flattened 自评表 into header, budget, indicators and total", () => {
    const flat = "作者 张某 修改时间 2024年2月2日 项目支出绩效自评表 （2022年度） 项目名称 乡村道路养护 主管部门 某某县交通运输局 实施单位 某某县公路养护中心 项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额 200 180 144 10 80% 8 其中：当年财政拨款 200 180 144 — 80% — 绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标 数量指标 养护里程（公里） ≥120公里 100公里 20 16 雨季工期延误 质量指标 验收合格率 ≥95% 98% 20 20 效益指标 社会效益指标 群众出行条件改善 明显改善 明显改善 30 30 满意度指标 服务对象满意度指标 沿线群众满意度 ≥90% 92% 20 20 总分 100 94";
    const r = readTemplate(textToDocument(flat));
    expect(r.header.project?.value).toBe("乡村道路养护");
    expect(values(r.budget!.total!.values)).toEqual({ initial: "200", adjusted: "180", spent: "144", weight: "10", rate: "80", score: "8" });
    expect(r.indicators.map((i) => [i.name, i.target, i.actual, i.weight?.toFixed(), i.score?.toFixed(), i.deviationReason])).toEqual([
      ["养护里程（公里）", "≥120公里", "100公里", "20", "16", "雨季工期延误"],
      ["验收合格率", "≥95%", "98%", "20", "20", null],
      ["群众出行条件改善", "明显改善", "明显改善", "30", "30", null],
      ["沿线群众满意度", "≥90%", "92%", "20", "20", null],
    ]);
    expect(r.total?.score?.toFixed()).toBe("94");
  });
});

async function parse(text: string): Promise<ParsedReport> {
  const r = await parseBuffer(new TextEncoder().encode(text), "t.txt");
  if ("error" in r) throw new Error(r.error.message);
  return r;
}

describe("a funding table in 元 without a unit", () => {
  it("is converted when the narrative states the same amounts in 万元, and says so", async () => {
    const r = await parse(
      [
        "某县2023年度村级服务运维项目绩效自评报告",
        "项目全年预算24.51183万元，实际支出23.9万元。",
        "| 项目名称 | 村级服务运维 |",
        "| 项目资金 |  | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |",
        "| 年度资金总额 | 85000.00 | 245118.30 | 239000.00 | 10 | 97.5% | 9.75 |",
      ].join("\n"),
    );
    expect(r.budget).toMatchObject({ initial: "8.5", adjusted: "24.51183", spent: "23.9" });
    expect(r.findings.some((f) => f.code === "extract.low_confidence" && f.message.includes("元"))).toBe(true);
  });
});

describe("narrative targets and department totals", () => {
  it("reads a target stated before its result, and a result within an unstated cap", async () => {
    const r = await parse(
      [
        "某县2023年度农村公路养护项目绩效自评报告",
        "项目全年预算数80万元，全年执行数78万元，执行率97.5%。",
        "农村公路养护里程年度目标100公里，实际完成102公里。",
        "病虫害成灾率0.35‰，低于控制指标2.65‰。",
        "测报准确率92%，年度目标不低于90%。",
      ].join("\n"),
    );
    const byName = Object.fromEntries(r.indicators.map((i) => [i.name, [i.targetValue, i.actualValue, i.comparator, i.met]]));
    expect(byName).toEqual({
      农村公路养护里程: ["100", "102", null, true],
      病虫害成灾率: [null, "0.35", null, true],
      测报准确率: ["90", "92", ">=", true],
    });
  });

  it("names a total whose parts do not add up, and checks line items against 项目支出", async () => {
    const r = await parse(
      [
        "某县统计局2023年度部门整体支出绩效自评报告",
        "2023年度收入合计500万元，其中：财政拨款收入450万元，其他收入40万元。",
        "部门全年预算数520万元，其中基本支出预算400万元、项目支出预算120万元。全年支出合计505万元，其中基本支出390万元，项目支出115万元。",
        "（1）普查经费：预算60万元，支出58万元；",
        "（2）统计调查经费：预算40万元，支出39万元；",
        "（3）信息化运维经费：预算20万元，财政部门未下达，支出0万元。",
      ].join("\n"),
    );
    expect(r.kind).toBe("summary");
    expect(r.budget).toMatchObject({ adjusted: "520", spent: "505" });
    expect(r.lineItems.map((l) => [l.name, l.budget, l.spent, l.allocated])).toEqual([
      ["普查经费", "60", "58", true],
      ["统计调查经费", "40", "39", true],
      ["信息化运维经费", "20", "0", false],
    ]);
    const sums = r.findings.filter((f) => f.code === "budget.sum_mismatch").map((f) => f.message);
    expect(sums.some((m) => m.includes("收入合计500万元") && m.includes("490万元"))).toBe(true);
    // 58 + 39 + 0 = 97 against the stated 项目支出 of 115.
    expect(sums.some((m) => m.includes("97万元") && m.includes("115万元"))).toBe(true);
  });
});

describe("run-together scores with decimals", () => {
  it("splits a whole weight from a score with decimals", () => {
    expect(splitPoints("109.5")).toEqual(["10", "9.5"]);
    expect(splitPoints("2018.75")).toEqual(["20", "18.75"]);
  });
});

describe("narrative phrasing of targets", () => {
  it("reads 二级指标 leads, 提高到 results and targets given as \"X的目标值\"", async () => {
    const r = await parse(
      [
        "某县2023年度农村户用卫生厕所改造项目绩效评价报告",
        "项目全年预算数300万元，全年执行数291万元，执行率97%。",
        "（1）数量指标：完成新建农村户用卫生厕所1200座，年度目标1200座；改造公厕15座，目标12座。",
        "（2）质量指标：验收合格率达98%，高于95%的目标值。",
        "（3）效益指标：农村卫生厕所普及率提高到85%，年度目标为80%。",
        "（4）满意度指标：受益群众满意度96.5%，达到90%以上的目标。",
      ].join("\n"),
    );
    expect(r.indicators.map((i) => [i.level2, i.name, i.targetValue, i.actualValue, i.met])).toEqual([
      ["数量指标", "新建农村户用卫生厕所", "1200", "1200", true],
      ["数量指标", "改造公厕", "12", "15", true],
      ["质量指标", "验收合格率", "95", "98", true],
      ["效益指标", "农村卫生厕所普及率", "80", "85", true],
      ["满意度指标", "受益群众满意度", "90", "96.5", true],
    ]);
  });
});
