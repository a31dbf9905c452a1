import fs from "node:fs";
import path from "node:path";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { parseFile, type ParseOutcome } from "../../ingest/parse";
import type { ParsedReport } from "../../ingest/types";

/**
 * Every seed in ../shared/seeds must parse to every fact its gold file lists. The seeds are read from
 * ../shared at test time, never copied into the project.
 */
const SHARED = path.resolve(__dirname, "../../../shared");
const goldDir = path.join(SHARED, "gold");
const seedDir = path.join(SHARED, "seeds");
const goldFiles = fs.existsSync(goldDir) ? fs.readdirSync(goldDir).filter((f) => f.endsWith(".json")).sort() : [];

type Gold = {
  input: string;
  fields?: Record<string, unknown>;
  categories?: Record<string, unknown>[];
  sources?: Record<string, unknown>[];
  lineItems?: Record<string, unknown>[];
  indicators?: Record<string, unknown>[];
  findings?: string[];
};

const norm = (s: unknown) =>
  String(s ?? "")
    .replace(/\(/g, "（")
    .replace(/\)/g, "）")
    .replace(/[\s\u3000\t“”"]/g, "");
const core = (s: unknown) => norm(s).replace(/（[^）]*）$/, "");

/** Exact name first, then the name without a bracketed suffix, then containment — so that two items
 *  differing only in their bracket ("（人大）" vs "（含…）") are told apart. */
function byName<T extends { name: string }>(goldName: string, items: T[]): T | undefined {
  return (
    items.find((i) => norm(i.name) === norm(goldName)) ??
    items.find((i) => core(i.name) === core(goldName)) ??
    items.find((i) => core(i.name).includes(core(goldName)) || (core(i.name).length >= 4 && core(goldName).includes(core(i.name))))
  );
}

function get(obj: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((cur, k) => (cur && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined), obj);
}

function expectSame(label: string, expected: unknown, actual: unknown) {
  if (expected && typeof expected === "object" && "contains" in (expected as object)) {
    expect(norm(actual), label).toContain(norm((expected as { contains: string }).contains));
  } else if (typeof expected === "boolean") {
    expect(actual, label).toBe(expected);
  } else if (typeof expected === "number") {
    expect(actual, label).not.toBeNull();
    expect(new Decimal(String(actual)).minus(expected).abs().lte("0.005"), `${label}: ${String(actual)} ≠ ${expected}`).toBe(true);
  } else {
    expect(norm(actual), label).toBe(norm(expected));
  }
}

describe.skipIf(!goldFiles.length)("seeds parse to their gold facts", () => {
  it("has gold files to check", () => expect(goldFiles.length).toBeGreaterThan(0));

  for (const g of goldFiles) {
    const gold = JSON.parse(fs.readFileSync(path.join(goldDir, g), "utf8")) as Gold;
    describe(gold.input, () => {
      let parsed: ParseOutcome;
      const report = () => parsed as ParsedReport;
      it("parses without error", async () => {
        parsed = await parseFile(path.join(seedDir, gold.input));
        expect("error" in parsed ? parsed.error : null).toBeNull();
      });
      it("has the header, budget and score fields", () => {
        for (const [field, exp] of Object.entries(gold.fields ?? {})) expectSame(field, exp, get(report(), field));
      });
      it("has the categories, sources and line items", () => {
        const sections: [keyof Gold, { name: string }[]][] = [
          ["categories", report().categories],
          ["sources", report().budget.sources],
          ["lineItems", report().lineItems],
        ];
        for (const [section, items] of sections) {
          for (const gi of (gold[section] as Record<string, unknown>[] | undefined) ?? []) {
            const it = byName(String(gi.name), items) as Record<string, unknown> | undefined;
            expect(it, `${section}[${String(gi.name)}]`).toBeDefined();
            for (const [k, v] of Object.entries(gi)) if (k !== "name") expectSame(`${section}[${String(gi.name)}].${k}`, v, it![k]);
          }
        }
        if (gold.lineItems) expect(report().lineItems).toHaveLength(gold.lineItems.length);
      });
      it("has every indicator, and none that is not in the report", () => {
        const inds = report().indicators;
        const matched = new Set<unknown>();
        for (const gi of gold.indicators ?? []) {
          const it = byName(String(gi.name), inds);
          expect(it, `indicator ${String(gi.name)}`).toBeDefined();
          matched.add(it);
          for (const [k, v] of Object.entries(gi)) {
            if (k === "name") continue;
            if (k === "hasReason") expect((it!.deviationReason ?? "").trim().length > 0, `${String(gi.name)} has a reason`).toBe(true);
            else expectSame(`indicator[${String(gi.name)}].${k}`, v, (it as unknown as Record<string, unknown>)[k]);
          }
        }
        if (gold.indicators && !gold.lineItems) expect(inds.filter((i) => !matched.has(i)).map((i) => i.name)).toEqual([]);
      });
      it("raises the findings gold expects", () => {
        const codes = new Set(report().findings.map((f) => f.code));
        for (const code of gold.findings ?? []) expect([...codes], `finding ${code}`).toContain(code);
      });
    });
  }
});
