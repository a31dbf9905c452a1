import { describe, expect, it } from "vitest";
import { compareFacts } from "../../bench/compare";
import { MAX_BYTES, MIN_BYTES, REAL_MIX, realCorpus } from "../../bench/realcorpus";
import type { CorpusOptions } from "../../bench/generate";
import { parseBuffer } from "../../ingest/parse";
import { isFailure } from "../../ingest/types";

const OPTIONS: CorpusOptions = { reports: 240, departments: 40, years: [2021, 2024], seed: 977 };
const reports = [...realCorpus(OPTIONS)];

describe("real-size generated corpus (the ingest benchmark's)", () => {
  it("writes 20–30 KB reports in every layout family, in 元 and 万元, with contradictions", () => {
    for (const r of reports) {
      const bytes = Buffer.byteLength(r.text);
      expect(bytes, r.fileName).toBeGreaterThanOrEqual(MIN_BYTES);
      expect(bytes, r.fileName).toBeLessThanOrEqual(MAX_BYTES);
    }
    const families = new Set(reports.map((r) => r.family));
    expect(families).toEqual(new Set(["narrative", "quoted", "summary", ...REAL_MIX.map((m) => `table/${m.family}`)]));
    // budget amounts in 元 (a sentence) and in 万元
    expect(reports.some((r) => /\d\.\d{2}元/.test(r.text))).toBe(true);
    expect(reports.some((r) => /\d万元/.test(r.text))).toBe(true);
    const contradictory = reports.filter((r) => r.facts.expectedFindings.length > 0).length;
    expect(contradictory).toBeGreaterThan(0);
    expect(contradictory / reports.length).toBeLessThan(0.2);
  });

  it("round-trips through the parser to the facts the generator wrote", async () => {
    const problems: string[] = [];
    for (const r of reports) {
      const parsed = await parseBuffer(new TextEncoder().encode(r.text), r.fileName);
      if (isFailure(parsed)) problems.push(`${r.fileName} (${r.family}): ${parsed.error.code} ${parsed.error.message}`);
      else for (const d of compareFacts(r.facts, parsed)) problems.push(`${r.fileName} (${r.family}): ${d}`);
    }
    // Known misses of the parser on run-together copies (an indicator with no figure, "工作效率提高
    // 逐步完善逐步完善", glued into one cell the reason column takes) and a stated execution rate the
    // execution score contradicts (the computed one is taken, with a finding): at most 2 % of reports.
    const failing = new Set(problems.map((p) => p.split(" ")[0]));
    expect(failing.size, problems.join("\n")).toBeLessThanOrEqual(Math.ceil(reports.length * 0.02));
  });
});
