import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { readComparator } from "../../ingest/normalize/comparator";
import { gradeBand, gradeFromWord } from "../../ingest/normalize/grade";
import { agreesWhenRounded, parseMoneyCell, parseQuantity, parseRate, toWan } from "../../ingest/normalize/numbers";
import { flat, foldDigits, labelKey, toHalfWidth } from "../../ingest/normalize/text";
import { judgeMet, splitUnitSuffix } from "../../ingest/extract/indicators";

describe("comparators", () => {
  it.each([
    ["≥350人", ">="],
    [">=282人", ">="],
    ["＞＝90%", ">="],
    ["不低于95%", ">="],
    ["不少于3次", ">="],
    ["≤30万", "<="],
    ["不超过5万元", "<="],
    ["不高于200元", "<="],
    ["<=13.62万元", "<="],
    [">5", ">"],
    ["＜2", "<"],
    ["=23人", "="],
    ["有效保障", null],
    ["350人", null],
  ])("%s → %s", (text, cmp) => expect(readComparator(text).comparator).toBe(cmp));
});

describe("numbers with units", () => {
  it("reads a whole-cell quantity with its unit", () => {
    const q = parseQuantity("≤200元/人.天")!;
    expect([q.comparator, q.value.toFixed(), q.unit]).toEqual(["<=", "200", "元/人.天"]);
    expect(parseQuantity("６３．９５％")!.value.toFixed()).toBe("63.95");
    expect(parseQuantity("1,234.5万元")!.value.toFixed()).toBe("1234.5");
  });
  it("does not read dates or formulas as one number", () => {
    expect(parseQuantity("2024年12月10日")).toBeNull();
    expect(parseQuantity("100箱*200元=2万元")).toBeNull();
    expect(parseQuantity("有效提升")).toBeNull();
  });
  it("converts 元 and 亿元 to 万元 keeping every digit", () => {
    expect(toWan(new Decimal("12345.67"), "元").toFixed()).toBe("1.234567");
    expect(toWan(new Decimal("1.2"), "亿元").toFixed()).toBe("12000");
    expect(parseMoneyCell("108.72万")!.toFixed()).toBe("108.72");
    expect(parseMoneyCell("32.5")!.toFixed()).toBe("32.5");
    expect(parseMoneyCell("一")).toBeNull();
    expect(parseMoneyCell("")).toBeNull();
    expect(parseRate("14%")!.toFixed()).toBe("14");
  });
  it("compares a stated rounded figure with an exact one at the stated precision", () => {
    expect(agreesWhenRounded(new Decimal("52.63"), new Decimal(30).div(57).mul(100))).toBe(true);
    expect(agreesWhenRounded(new Decimal("14"), new Decimal("4.55").div("32.5").mul(100))).toBe(true);
    expect(agreesWhenRounded(new Decimal("83.59"), new Decimal("90.55"))).toBe(false);
    expect(agreesWhenRounded(new Decimal("63.9"), new Decimal("63.95"))).toBe(true);
    expect(agreesWhenRounded(new Decimal("63.9"), new Decimal("64.0"))).toBe(false);
  });
});

describe("full-width text", () => {
  it("folds digits and signs but keeps Chinese punctuation for names", () => {
    expect(toHalfWidth("１２３，ＡＢ")).toBe("123,AB");
    expect(foldDigits("培训人数（人），≥３５０")).toBe("培训人数（人），≥350");
    expect(flat("立项依据\n充分性")).toBe("立项依据充分性");
    expect(labelKey(" “项目名称”： ")).toBe("项目名称");
  });
});

describe("grades", () => {
  it.each([
    ["优秀", "优"],
    ["良好", "良"],
    ["合格", "中"],
    ["中等", "中"],
    ["不合格", "差"],
    ["“差”", "差"],
  ])("%s → %s", (word, g) => expect(gradeFromWord(word)).toBe(g));
  it("bands a total score", () => {
    expect(gradeBand("90")).toBe("优");
    expect(gradeBand("89.99")).toBe("良");
    expect(gradeBand("80")).toBe("良");
    expect(gradeBand("60")).toBe("中");
    expect(gradeBand("59.99")).toBe("差");
  });
});

describe("met from the comparator's meaning", () => {
  const d = (s: string) => new Decimal(s);
  it("a floor is met by reaching it, a cap by staying under it", () => {
    expect(judgeMet(">=", d("282"), d("271"), "人", null, null)).toBe(false);
    expect(judgeMet(">=", d("7"), d("8"), "人", null, null)).toBe(true);
    expect(judgeMet("<=", d("30"), d("54.1"), "万元", null, null)).toBe(false);
    expect(judgeMet("<=", d("4"), d("1.15"), "万元", null, null)).toBe(true);
  });
  it("without a comparator money is a cap and counts are floors", () => {
    expect(judgeMet(null, d("2"), d("0"), "次", null, null)).toBe(false);
    expect(judgeMet(null, d("100"), d("14"), "%", null, null)).toBe(false);
    expect(judgeMet(null, d("10"), d("8"), "万元", null, null)).toBe(true);
  });
  it("text targets are met when restated or achieved, not when the result says otherwise", () => {
    expect(judgeMet(null, null, null, null, "合格", "合格")).toBe(true);
    expect(judgeMet(null, null, null, null, "长期", "达到预期指标")).toBe(true);
    expect(judgeMet(null, null, null, null, "按期完成", "未完成")).toBe(false);
    expect(judgeMet(null, null, null, null, "有效提升", "")).toBeNull();
  });
  it("splits a unit suffix off an indicator name", () => {
    expect(splitUnitSuffix("培训人数（人）")).toEqual({ name: "培训人数", unit: "人" });
    expect(splitUnitSuffix("培训合格率（%）")).toEqual({ name: "培训合格率", unit: "%" });
    expect(splitUnitSuffix("宣传经费（人大）")).toEqual({ name: "宣传经费（人大）", unit: null });
  });
});
