import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { averageX100, fenToWan, percent, thresholdX100, x100ToString } from "../../db/queries/numbers";

describe("number formatting at the query edge", () => {
  it("fen → 万元, exact", () => {
    expect(fenToWan(57_000_000)).toBe("57");
    expect(fenToWan(13_620_000)).toBe("13.62");
    expect(fenToWan(1)).toBe("0.000001");
    expect(fenToWan(0)).toBe("0");
    expect(fenToWan(-1_500_000)).toBe("-1.5");
    expect(fenToWan("123456789012345678")).toBe("123456789012.345678"); // beyond 2^53, as SQL text
    expect(fenToWan(10n ** 20n)).toBe("100000000000000");
  });

  it("integer text from SQL (its own form, leading zeros, signs) formats as Decimal arithmetic does", () => {
    const shifted = (t: string, places: number, keep: number) => {
      const Exact = Decimal.clone({ precision: 60 });
      const fixed = new Exact(t).div(new Exact(10).pow(places)).toFixed(places);
      let [whole, frac = ""] = fixed.split(".");
      while (frac.length > keep && frac.endsWith("0")) frac = frac.slice(0, -1);
      if (whole === "-0" && !/[1-9]/.test(frac)) whole = "0";
      return frac ? `${whole}.${frac}` : whole;
    };
    const texts = ["0", "-0", "00", "007", "-007", "1", "-1", "10", "100", "999999", "1000000", "-1000000", "1000001", "1234567", "-120", "5", "-5", "9007199254740993", "-99999999999999999999"];
    // plus a fixed pseudo-random spread of lengths, zeros and signs (a small LCG: the same texts every run)
    let seed = 12345;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      let t = String(1 + next(9));
      for (let k = next(22); k > 0; k--) t += next(10) < 4 ? "0" : String(next(10));
      texts.push(next(10) < 3 ? `-${t}` : t);
    }
    for (const t of texts) {
      expect(fenToWan(t), t).toBe(shifted(t, 6, 0));
      expect(x100ToString(t), t).toBe(shifted(t, 2, 2));
    }
  });

  it("hundredths → two places", () => {
    expect(x100ToString(8950)).toBe("89.50");
    expect(x100ToString(5)).toBe("0.05");
    expect(x100ToString(-512)).toBe("-5.12");
    expect(x100ToString(0)).toBe("0.00");
  });

  it("percent: rounded once, half-up, 2 places; fast path and Decimal path agree", () => {
    expect(percent(30, 57)).toBe("52.63");
    expect(percent(1, 8)).toBe("12.50");
    expect(percent(1, 80000)).toBe("0.00"); // 0.00125 → 0.00
    expect(percent(1, 40000)).toBe("0.00"); // 0.0025 → half-up at the third place only: 0.00
    expect(percent(5, 20000)).toBe("0.03"); // 0.025 → 0.03
    expect(percent(0, 5)).toBe("0.00");
    expect(percent(5, 0)).toBeNull();
    expect(percent(null, 5)).toBeNull();
    for (let i = 0; i < 2000; i++) {
      const part = Math.floor(Math.random() * 1e9);
      const whole = 1 + Math.floor(Math.random() * 1e9);
      const exact = new Decimal(part).times(100).div(whole).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
      expect(percent(part, whole)).toBe(exact);
      expect(percent(String(part), String(whole))).toBe(exact);
    }
    // sums past 2^53 ÷ 20000 take the BigInt path: the same digits as Decimal
    for (let i = 0; i < 2000; i++) {
      const whole = BigInt(1 + Math.floor(Math.random() * 1e9)) * BigInt(1 + Math.floor(Math.random() * 1e9));
      const part = (whole * BigInt(Math.floor(Math.random() * 15000))) / 10000n + BigInt(i);
      const exact = new Decimal(part.toString()).times(100).div(whole.toString()).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
      expect(percent(part.toString(), whole.toString())).toBe(exact);
    }
    expect(percent("12345678901234567", "98765432109876543")).toBe("12.50");
  });

  it("averages and thresholds", () => {
    expect(averageX100(56612, 7)).toBe("80.87");
    expect(averageX100(31050, 4)).toBe("77.63"); // 77.625 → half-up
    expect(averageX100(0, 0)).toBeNull();
    expect(thresholdX100(60)).toBe(6000);
    expect(thresholdX100(52.64)).toBe(5264);
    expect(() => thresholdX100(-1)).toThrow();
  });
});

describe("fast paths agree with Decimal", () => {
  it("averages and differences", async () => {
    const { difference } = await import("../../db/queries/numbers");
    for (let i = 0; i < 2000; i++) {
      const count = 1 + Math.floor(Math.random() * 1000);
      const sum = Math.floor(Math.random() * 10000 * count);
      const exact = new Decimal(sum).div(100).div(count).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
      expect(averageX100(sum, count)).toBe(exact);
      expect(averageX100(String(sum), count)).toBe(exact);
      const a = (Math.random() * 200 - 100).toFixed(2);
      const b = (Math.random() * 200 - 100).toFixed(2);
      expect(difference(a, b)).toBe(new Decimal(a).minus(b).toFixed(2));
    }
    expect(difference("0.05", "0.10")).toBe("-0.05");
    expect(difference("85.50", "90.62")).toBe("-5.12");
  });
});
