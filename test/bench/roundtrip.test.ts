import { describe, expect, it } from "vitest";
import { compareFacts } from "../../bench/compare";
import { departments, demoCorpus, generateCorpus, type CorpusOptions } from "../../bench/generate";
import { parseBuffer } from "../../ingest/parse";
import { isFailure } from "../../ingest/types";

const OPTIONS: CorpusOptions = { reports: 320, departments: 40, years: [2021, 2024], seed: 977 };

describe("corpus generator", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = [...generateCorpus({ ...OPTIONS, reports: 20 })];
    const b = [...generateCorpus({ ...OPTIONS, reports: 20 })];
    const c = [...generateCorpus({ ...OPTIONS, reports: 20, seed: 978 })];
    expect(a.map((r) => r.text)).toEqual(b.map((r) => r.text));
    expect(a.map((r) => r.text)).not.toEqual(c.map((r) => r.text));
  });

  it("covers every layout family, unmet indicators with reasons, and inconsistencies", () => {
    const facts = [...generateCorpus(OPTIONS)].map((r) => r.facts);
    expect(new Set(facts.map((f) => f.layout))).toEqual(new Set(["table", "narrative", "quoted", "summary"]));
    expect(facts.some((f) => f.indicators.some((i) => !i.met && i.deviationReason))).toBe(true);
    expect(facts.some((f) => f.expectedFindings.includes("budget.rate_mismatch"))).toBe(true);
    expect(facts.some((f) => f.expectedFindings.includes("text.conflict"))).toBe(true);
    expect(facts.some((f) => f.lineItems.some((l) => !l.allocated))).toBe(true);
    expect(new Set(facts.flatMap((f) => f.indicators.map((i) => i.unit))).size).toBeGreaterThan(8);
    expect(new Set(facts.map((f) => f.fileName)).size).toBe(facts.length);
  });

  it("names distinct departments across regions", () => {
    const d = departments(320);
    expect(new Set(d.map((x) => x.name)).size).toBe(320);
    expect(new Set(departments(40).map((x) => x.region)).size).toBeGreaterThan(3);
  });

  it("the demo jurisdiction: about 40 departments over 3 years", () => {
    const demo = demoCorpus();
    expect(new Set(demo.map((r) => r.facts.department)).size).toBe(40);
    expect(new Set(demo.map((r) => r.facts.year))).toEqual(new Set([2022, 2023, 2024]));
  });
});

describe("round trip: the parser reads back the facts the generator wrote", () => {
  it(`${OPTIONS.reports} generated reports`, async () => {
    const problems: string[] = [];
    for (const r of generateCorpus(OPTIONS)) {
      const parsed = await parseBuffer(new TextEncoder().encode(r.text), r.fileName);
      if (isFailure(parsed)) {
        problems.push(`${r.fileName} (${r.facts.layout}): ${parsed.error.code} ${parsed.error.message}`);
        continue;
      }
      for (const d of compareFacts(r.facts, parsed)) problems.push(`${r.fileName} (${r.facts.layout}): ${d}`);
    }
    expect(problems).toEqual([]);
  });
});
