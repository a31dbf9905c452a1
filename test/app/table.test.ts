import { describe, expect, it } from "vitest";
import { displayCell, matchesColumnFilter, parseNumberFilter, toCsv } from "~/table";
import { parseFilter, parseId, parseTableState, withFilters } from "~/filters";

describe("table helpers", () => {
  it("numeric column filters as analysts type them", () => {
    expect(parseNumberFilter("<60")!(59.99)).toBe(true);
    expect(parseNumberFilter("<60")!(60)).toBe(false);
    expect(parseNumberFilter(">= 80%")!(80)).toBe(true);
    expect(parseNumberFilter("60-80")!(70)).toBe(true);
    expect(parseNumberFilter("60-80")!(81)).toBe(false);
    expect(parseNumberFilter("abc")).toBeNull();
    expect(matchesColumnFilter("rate", "59.24", "<60")).toBe(true);
    expect(matchesColumnFilter("rate", null, "<60")).toBe(false);
    expect(matchesColumnFilter("text", "交通运输局", "交通")).toBe(true);
    expect(matchesColumnFilter("wan", "1270.5", "1,270")).toBe(true);
  });

  it("cells display through the format module", () => {
    expect(displayCell("wan", "1270.5")).toBe("1,270.50");
    expect(displayCell("rate", "81.88")).toBe("81.88%");
    expect(displayCell("text", null)).toBe("—");
  });

  it("CSV: BOM, quoted text, exact numbers, CRLF", () => {
    const csv = toCsv(
      [
        { id: "d", header: "部门", kind: "text" },
        { id: "b", header: "预算（万元）", kind: "wan" },
      ],
      [
        ['教育局, "本级"', "1270.5"],
        ["卫生健康局", null],
      ],
    );
    expect(csv).toBe('\uFEFF部门,预算（万元）\r\n"教育局, ""本级""",1270.5\r\n卫生健康局,\r\n');
  });
});

describe("URL filters", () => {
  it("parses repeated, valid values and drops the rest", () => {
    const p = new URLSearchParams("year=2023&year=2024&year=1&region=示范区&dept=3&dept=x&type=self&type=bogus");
    expect(parseFilter(p)).toEqual({ years: [2023, 2024], regions: ["示范区"], departmentIds: [3], evaluationTypes: ["self"] });
    expect(parseFilter(new URLSearchParams(""))).toEqual({});
  });
  it("table state defaults and bounds", () => {
    expect(parseTableState(new URLSearchParams(""))).toEqual({ sort: undefined, page: 1, size: 20, q: "" });
    expect(parseTableState(new URLSearchParams("sort=budget.desc&page=3&size=50&q=教育"))).toEqual({ sort: "budget.desc", page: 3, size: 50, q: "教育" });
    expect(parseTableState(new URLSearchParams("sort=drop;table&page=-4&size=7"))).toEqual({ sort: undefined, page: 1, size: 20, q: "" });
  });
  it("ids and links", () => {
    expect(parseId("12")).toBe(12);
    expect(parseId("12abc")).toBeNull();
    expect(parseId("0")).toBeNull();
    expect(parseId("1e3")).toBeNull();
    expect(withFilters("/departments/3", new URLSearchParams("year=2023&sort=x.asc&page=2"))).toBe("/departments/3?year=2023");
  });
});
