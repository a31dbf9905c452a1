import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatCount,
  formatEvaluationType,
  formatPlain,
  formatRate,
  formatScore,
  formatWan,
  formatWanWithUnit,
  MISSING,
  rateBand,
  rateClass,
  ratioPercent,
  sharePercent,
  toChartNumber,
} from "~/format";

describe("format", () => {
  it("万元 amounts: two places, half-up, thousands separators", () => {
    expect(formatWan("1270.5")).toBe("1,270.50");
    expect(formatWan("1234567.125")).toBe("1,234,567.13");
    expect(formatWan("0.004999")).toBe("0.00");
    expect(formatWan("0.005")).toBe("0.01");
    expect(formatWan("999.995")).toBe("1,000.00");
    expect(formatWan("-12345.678")).toBe("-12,345.68");
    expect(formatWan("-0.001")).toBe("0.00");
    expect(formatWan(0)).toBe("0.00");
    expect(formatWanWithUnit("32.5")).toBe("32.50 万元");
  });

  it("keeps exactness beyond float precision", () => {
    // 0.1 + 0.2 style errors never reach the page: the string is rounded as a decimal.
    expect(formatWan("12345678901234.565")).toBe("12,345,678,901,234.57");
    expect(formatWan("1.005")).toBe("1.01");
  });

  it("rates and scores", () => {
    expect(formatRate("63.95")).toBe("63.95%");
    expect(formatRate("63.955")).toBe("63.96%");
    expect(formatRate("100")).toBe("100.00%");
    expect(formatRate("1234.5")).toBe("1,234.50%");
    expect(formatScore("89.455")).toBe("89.46");
    expect(formatScore("92")).toBe("92.00");
  });

  it("counts and plain decimals", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(0)).toBe("0");
    expect(formatPlain("3500")).toBe("3,500");
    expect(formatPlain("0.5")).toBe("0.5");
  });

  it("missing values read as a dash, never NaN or 0", () => {
    for (const v of [null, undefined, "", "abc"]) {
      expect(formatWan(v)).toBe(MISSING);
      expect(formatRate(v)).toBe(MISSING);
      expect(formatScore(v)).toBe(MISSING);
      expect(formatCount(v)).toBe(MISSING);
    }
    expect(formatWanWithUnit(null)).toBe(MISSING);
    expect(toChartNumber(null)).toBeNull();
    expect(toChartNumber("12.5")).toBe(12.5);
  });

  it("shares, ratios and changes", () => {
    expect(sharePercent(2, 6)).toBe("33.33");
    expect(sharePercent(1, 0)).toBeNull();
    expect(ratioPercent("18", "20")).toBe("90.00");
    expect(ratioPercent("1", "0")).toBeNull();
    expect(formatChange("1.5")).toBe("+1.50");
    expect(formatChange("-3.2")).toBe("-3.20");
    expect(formatChange("0")).toBe("0.00");
  });

  it("rate bands at 60 % and 80 %", () => {
    expect(rateBand("59.99")).toBe("low");
    expect(rateBand("60")).toBe("mid");
    expect(rateBand("79.99")).toBe("mid");
    expect(rateBand("80")).toBe("ok");
    expect(rateBand(null)).toBeNull();
    expect(rateClass("40")).toBe("rate-low");
    expect(rateClass("90")).toBe("");
  });

  it("labels", () => {
    expect(formatEvaluationType("third_party")).toBe("第三方评价");
    expect(formatEvaluationType(null)).toBe(MISSING);
  });
});
