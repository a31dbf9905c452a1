// The loader's normalizers: department keys, indicator types and deviation causes.
import { describe, expect, it } from "vitest";
import { CAUSE_LABELS, CAUSE_RULES, CAUSES, classifyCause } from "../../ingest/normalize/causes";
import { foldText, normalizeDepartmentName } from "../../ingest/normalize/department";
import { classifyIndicatorType, INDICATOR_TYPES, normalizeIndicatorName } from "../../ingest/normalize/indicatorType";

describe("normalizeDepartmentName", () => {
  const sameKey = (names: string[]) => new Set(names.map(normalizeDepartmentName));

  it("folds width, spaces and punctuation", () => {
    expect(foldText("ＡＢＣ １２３ 局（办公室）·、")).toBe("ABC123局办公室");
    expect(normalizeDepartmentName("示范市　财政局")).toBe(normalizeDepartmentName("示范市财政局"));
    expect(normalizeDepartmentName("  ")).toBe("");
  });

  it("groups 人民代表大会常务委员会 with 人大常委会", () => {
    expect(sameKey(["某区人民代表大会常务委员会", "某区人大常委会", "某区 人大常委会"]).size).toBe(1);
    expect(normalizeDepartmentName("某区人民代表大会常务委员会")).toBe("某区人大常委会");
  });

  it("groups the party's long and short names", () => {
    expect(
      sameKey(["中国共产党某州委员会组织部", "中共某州委员会组织部", "中共某州委组织部", "某州党委组织部"]).size,
    ).toBe(1);
    expect(normalizeDepartmentName("中共某县委宣传部")).toBe("某县党委宣传部");
    // A central body has no 委 to fold and keeps its name.
    expect(normalizeDepartmentName("中共中央组织部")).toBe("中共中央组织部");
  });

  it("groups 人民政府 with 政府 and the CPPCC's forms", () => {
    expect(normalizeDepartmentName("某市人民政府办公室")).toBe("某市政府办公室");
    expect(sameKey(["中国人民政治协商会议某市某区委员会", "政协某市某区委员会", "某市某区政协"]).size).toBe(1);
  });

  it("keeps different bodies apart", () => {
    expect(sameKey(["某区人大常委会", "某区政协", "某区政府", "某区党委组织部", "某县人大常委会"]).size).toBe(5);
  });
});

describe("classifyIndicatorType", () => {
  const type = (level1: string | null, level2: string | null, name = "某指标") => classifyIndicatorType({ level1, level2, name });

  it("reads the level2 heading first", () => {
    expect(type("产出指标", "数量指标")).toBe("数量");
    expect(type("产出指标", "质量指标")).toBe("质量");
    expect(type("产出指标", "时效指标")).toBe("时效");
    expect(type("产出指标", "成本指标")).toBe("成本");
    expect(type("成本指标", "经济成本指标")).toBe("成本");
    expect(type("效益指标", "社会效益指标")).toBe("效益");
    expect(type("效益指标", "经济效益指标")).toBe("效益");
    expect(type("效益指标", "生态效益指标")).toBe("效益");
    expect(type("效益指标", "可持续影响指标")).toBe("效益");
    expect(type("满意度指标", "服务对象满意度指标")).toBe("满意度");
    expect(type(null, "产出数量")).toBe("数量");
  });

  it("falls back to level1, then to the indicator's name", () => {
    expect(type("满意度指标", null)).toBe("满意度");
    expect(type("效益指标", null)).toBe("效益");
    expect(type("产出指标", null, "培训人数")).toBe("数量");
    expect(type(null, null, "资金拨付及时率")).toBe("时效");
    expect(type(null, null, "验收合格率")).toBe("质量");
    expect(type(null, null, "群众满意率")).toBe("满意度");
    expect(type("产出指标", null, "其他事项")).toBe("其他");
    expect(type(null, null, "")).toBe("其他");
  });

  it("only yields the fixed set of types", () => {
    expect(INDICATOR_TYPES).toEqual(["数量", "质量", "时效", "成本", "效益", "满意度", "其他"]);
  });
});

describe("normalizeIndicatorName", () => {
  it("drops spaces, width differences and a trailing unit", () => {
    expect(normalizeIndicatorName("参会人数（人）")).toBe("参会人数");
    expect(normalizeIndicatorName("参会 人数(人次)")).toBe("参会人数");
    expect(normalizeIndicatorName("培训期数：")).toBe("培训期数");
    expect(normalizeIndicatorName("ＡＢ类设备数")).toBe("AB类设备数");
  });

  it("keeps brackets inside the name and never returns an empty name", () => {
    expect(normalizeIndicatorName("（一）会议次数")).toBe("(一)会议次数");
    expect(normalizeIndicatorName("（人）")).toBe("（人）");
  });
});

describe("classifyCause", () => {
  it("recognises each cause", () => {
    expect(classifyCause("财政资金未下达")).toBe("funds_not_allocated");
    expect(classifyCause("资金拨付不及时")).toBe("funds_not_allocated");
    expect(classifyCause("年底财政收回部分资金")).toBe("funds_not_allocated");
    expect(classifyCause("受疫情影响")).toBe("external_event");
    expect(classifyCause("因自然灾害停工")).toBe("external_event");
    expect(classifyCause("上级政策调整")).toBe("external_event");
    expect(classifyCause("指标值设置偏高")).toBe("target_set_badly");
    expect(classifyCause("年初测算不准")).toBe("target_set_badly");
    expect(classifyCause("培训班推迟至次年举办")).toBe("schedule_slipped");
    expect(classifyCause("3期培训班未能举办")).toBe("schedule_slipped");
    expect(classifyCause("项目进度滞后")).toBe("schedule_slipped");
    expect(classifyCause("会议费超支")).toBe("cost_overrun");
    expect(classifyCause("实际支出超出预算")).toBe("cost_overrun");
  });

  it("prefers the root cause when a reason names several", () => {
    expect(classifyCause("指标值设置不准确，未考虑人员增加的问题。")).toBe("target_set_badly");
    expect(classifyCause("因疫情影响，无法及时划款，工资延迟发放")).toBe("external_event");
    expect(classifyCause("资金未到位导致项目推迟")).toBe("funds_not_allocated");
  });

  it("says other for reasons it cannot place and for no reason", () => {
    expect(classifyCause("此项实际支出较少，已满足需要")).toBe("other");
    expect(classifyCause("")).toBe("other");
    expect(classifyCause(null)).toBe("other");
  });

  it("labels every cause in Chinese from one table", () => {
    expect(Object.keys(CAUSE_LABELS).sort()).toEqual([...CAUSES].sort());
    expect(CAUSE_LABELS.funds_not_allocated).toBe("资金未下达或不及时");
    expect(CAUSE_LABELS.other).toBe("其他");
    // every rule targets a real cause, and "other" is the fallback rather than a rule
    expect(CAUSE_RULES.every((r) => CAUSES.includes(r.cause) && r.cause !== "other")).toBe(true);
  });
});
