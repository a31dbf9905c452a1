import { describe, expect, it } from "vitest";
import { parseBuffer } from "../../ingest/parse";
import type { ParsedReport } from "../../ingest/types";

/** Small reports written for these tests: each states one quantity twice, or does not add up. */
async function parse(text: string): Promise<ParsedReport> {
  const r = await parseBuffer(new TextEncoder().encode(text), "t.txt");
  if ("error" in r) throw new Error(r.error.message);
  return r;
}
const codes = (r: ParsedReport) => r.findings.map((f) => f.code);
const T = "\t";

describe("reconciliation", () => {
  it("keeps the spent figure that agrees with the stated rate and records the other", async () => {
    const r = await parse(
      ["某某项目支出绩效评价报告", "该项目年初预算数200万元，全年预算数200万元，全年执行数150万元，预算执行率为75%。", "预算资金支出190万元，预算执行率为75%。", "总得分为85分，属于“良”。"].join("\n"),
    );
    expect(r.budget.spent).toBe("150");
    expect(r.budget.executionRate).toBe("75");
    const conflict = r.findings.find((f) => f.code === "text.conflict");
    expect(conflict?.message).toContain("150");
    expect(conflict?.message).toContain("190");
  });

  it("takes a category's weight from its items when the stated weights do not add up to 100", async () => {
    const rows = [
      ["一级指标", "分值", "三级指标", "分值", "得分"],
      ["决策", "50", "立项依据充分性", "20", "18"],
      ["", "", "绩效目标合理性", "10", "10"],
      ["过程", "", "资金到位率", "30", "25"],
      ["产出", "", "数量", "40", "30"],
      ["总分", "100", "", "100", "83"],
    ];
    const table = rows.map((r) => r.map((c) => `${T}${c}`).join("\n")).join("\n\n");
    const r = await parse(["某项目绩效评价报告", "全年预算数100万元，全年执行数90万元，执行率90%。", table].join("\n"));
    expect(r.categories.find((c) => c.name === "决策")).toMatchObject({ weight: "30", score: "28" });
    expect(r.score.total).toBe("83");
    expect(r.score.grade).toBe("良");
    expect(r.score.gradeStated).toBe(false);
    expect(codes(r)).toContain("category.weight_mismatch");
    expect(r.scoreItems).toHaveLength(4);
  });

  it("flags a stated grade that is not the band of the total, and a rate that is not spent ÷ budget", async () => {
    const r = await parse(["某项目绩效评价报告", "全年预算数80万元，全年执行数40万元，预算执行率为60%。", "最终评分结果：总得分为78分，属于“优”。"].join("\n"));
    expect(codes(r)).toEqual(expect.arrayContaining(["score.grade_mismatch", "budget.rate_mismatch"]));
    expect(r.score.grade).toBe("优");
    expect(r.score.gradeStated).toBe(true);
  });

  it("merges an indicator stated in the table and in the narrative into one", async () => {
    const header = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"];
    const row = ["", "产出指标", "数量指标", "培训人数（人）", "≥100人", "80人", "场地不足"];
    const table = [header, row].map((r) => r.map((c) => `${T}${c}`).join("\n")).join("\n\n");
    const r = await parse(
      ["某项目绩效评价报告", "全年预算数10万元，全年执行数9万元，执行率90%。", table, "", "指标1：培训人数（人），指标值：≥100人，实际完成值：80人，指标完成率80%，偏差原因：场地不足。"].join("\n"),
    );
    expect(r.indicators).toHaveLength(1);
    expect(r.indicators[0]).toMatchObject({ name: "培训人数", unit: "人", comparator: ">=", targetValue: "100", actualValue: "80", completionRate: "80", met: false });
  });

  it("audits an unmet indicator that still got its full score", async () => {
    const header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"];
    const row = ["产出指标", "数量指标", "检查次数", "≥10次", "6次", "5", "5"];
    const table = [header, row].map((r) => r.map((c) => `${T}${c}`).join("\n")).join("\n\n");
    const r = await parse(["某项目绩效评价报告", "全年预算数10万元，全年执行数9万元，执行率90%。", table].join("\n"));
    expect(codes(r)).toContain("indicator.unmet_full_score");
  });
});
