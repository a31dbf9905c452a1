import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { mapList } from "../../ingest/arrays";
import { decimalOf, reportDecimal, withDecimalMemo } from "../../ingest/normalize/numbers";

describe("mapList", () => {
  it("maps like Array#map, passing the index", () => {
    expect(mapList(["a", "b", "c"], (x, i) => `${x}${i}`)).toEqual(["a0", "b1", "c2"]);
    expect(mapList([], (x: number) => x)).toEqual([]);
  });
});

describe("reportDecimal", () => {
  it("writes the figure as decString does and reads back the same value", () => {
    withDecimalMemo(() => {
      const d = new Decimal("12.3400").times("0.0001");
      expect(reportDecimal(d)).toBe("0.001234");
      expect(decimalOf("0.001234").eq(d)).toBe(true);
      expect(reportDecimal(new Decimal("21.00"))).toBe("21");
    });
  });

  it("does not hand back a negative zero for \"0\"", () => {
    withDecimalMemo(() => {
      expect(reportDecimal(new Decimal("-0"))).toBe("0");
      expect(decimalOf("0").isNegative()).toBe(false);
    });
  });
});
