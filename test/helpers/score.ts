/**
 * The gold scorer of ../shared/tools/score_extraction.py, in TypeScript, so that vitest can score a
 * parse against gold facts and name every miss. Matching and comparison follow the Python tool: names
 * exact, then without a trailing bracket, then by containment; numbers as decimals within 0.005.
 */
import Decimal from "decimal.js";

export type GoldValue = string | number | boolean | null | { contains: string };

export interface GoldFile {
  input: string;
  fields?: Record<string, GoldValue>;
  categories?: Record<string, GoldValue>[];
  sources?: Record<string, GoldValue>[];
  lineItems?: Record<string, GoldValue>[];
  indicators?: Record<string, GoldValue>[];
  findings?: string[];
}

type Json = Record<string, unknown>;

const norm = (s: unknown): string =>
  s === null || s === undefined
    ? ""
    : String(s).replace(/\(/g, "（").replace(/\)/g, "）").replace(/[ \u3000\t“”"]/g, "");
const core = (s: unknown) => norm(s).replace(/（[^）]*）$/, "");

function num(v: unknown): Decimal | null {
  if (v === null || v === undefined || v === "") return null;
  try {
    return new Decimal(String(v).replace(/[,%]/g, ""));
  } catch {
    return null;
  }
}

function get(obj: unknown, dotted: string): unknown {
  let cur = obj;
  for (const part of dotted.split(".")) {
    if (!cur || typeof cur !== "object") return null;
    cur = (cur as Json)[part];
  }
  return cur;
}

function same(expected: GoldValue, actual: unknown): boolean {
  if (expected && typeof expected === "object") return actual !== null && actual !== undefined && norm(actual).includes(norm(expected.contains));
  if (typeof expected === "boolean") return actual === expected;
  if (typeof expected === "number") {
    const a = num(actual);
    return a !== null && a.minus(expected).abs().lte("0.005");
  }
  if (expected === ">=" || expected === "<=" || expected === "=") return actual === expected;
  return norm(expected) === norm(actual);
}

function byName(goldName: string, items: Json[]): Json | null {
  const exact = norm(goldName);
  for (const it of items) if (norm(it.name) === exact) return it;
  const g = core(goldName);
  let best: Json | null = null;
  for (const it of items) {
    const n = core(it.name);
    if (!n) continue;
    if (n === g) return it;
    if (best === null && (n.includes(g) || (n.length >= 4 && g.includes(n)))) best = it;
  }
  return best;
}

export interface Score {
  ok: number;
  total: number;
  misses: string[];
}

/** Scores one parsed report (the contract's JSON) against one gold file. */
export function scoreReport(gold: GoldFile, parsed: object): Score {
  const report = parsed as Json;
  let ok = 0;
  let total = 0;
  const misses: string[] = [];
  const check = (label: string, expected: GoldValue, actual: unknown) => {
    total++;
    if (same(expected, actual)) ok++;
    else misses.push(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual ?? null)}`);
  };
  for (const [field, exp] of Object.entries(gold.fields ?? {})) check(field, exp, get(report, field));
  for (const [section, key] of [["categories", "categories"], ["sources", "budget.sources"], ["lineItems", "lineItems"]] as const) {
    const items = (get(report, key) as Json[] | null) ?? [];
    for (const g of gold[section] ?? []) {
      const it = byName(String(g.name), items);
      for (const [k, exp] of Object.entries(g)) if (k !== "name") check(`${section}[${g.name}].${k}`, exp, it ? it[k] : null);
    }
    if (section === "lineItems" && gold.lineItems?.length) {
      total++;
      if (items.length === gold.lineItems.length) ok++;
      else misses.push(`lineItems count: expected ${gold.lineItems.length}, got ${items.length}`);
    }
  }
  const indicators = (report.indicators as Json[] | undefined) ?? [];
  const matched = new Set<Json>();
  for (const g of gold.indicators ?? []) {
    const it = byName(String(g.name), indicators);
    if (it) matched.add(it);
    total++;
    if (it) ok++;
    else misses.push(`indicator[${g.name}]: missing`);
    for (const [k, exp] of Object.entries(g)) {
      if (k === "name") continue;
      if (k === "hasReason") check(`indicator[${g.name}].deviationReason`, true, !!(it && String(it.deviationReason ?? "").trim()));
      else check(`indicator[${g.name}].${k}`, exp, it ? it[k] : null);
    }
  }
  if (gold.indicators && !gold.lineItems) {
    const extras = indicators.filter((i) => !matched.has(i)).map((i) => i.name);
    total++;
    if (!extras.length) ok++;
    else misses.push(`indicators not in the report's target table: ${JSON.stringify(extras.slice(0, 6))}`);
  }
  const codes = new Set(((report.findings as Json[] | undefined) ?? []).map((f) => f.code));
  for (const code of gold.findings ?? []) check(`finding ${code}`, true, codes.has(code));
  return { ok, total, misses };
}
