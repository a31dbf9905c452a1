/**
 * The scoring rules of ../shared/tools/score_extraction.py, in TypeScript, so a test can score a
 * ParsedReport against a gold file without Python: same name matching, decimals within 0.005.
 */
import Decimal from "decimal.js";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared");
export const SEEDS_DIR = path.join(SHARED, "seeds");
export const GOLD_DIR = path.join(SHARED, "gold");

export interface GoldFile {
  input: string;
  fields?: Record<string, unknown>;
  categories?: Record<string, unknown>[];
  sources?: Record<string, unknown>[];
  lineItems?: Record<string, unknown>[];
  indicators?: Record<string, unknown>[];
  findings?: string[];
}

export function goldFiles(): GoldFile[] {
  return readdirSync(GOLD_DIR)
    .filter((n) => n.endsWith(".json"))
    .sort()
    .map((n) => JSON.parse(readFileSync(path.join(GOLD_DIR, n), "utf8")) as GoldFile);
}

function norm(s: unknown): string {
  if (s === null || s === undefined) return "";
  return String(s)
    .replace(/\(/g, "（")
    .replace(/\)/g, "）")
    .replace(/[ \u3000\t“”"]/g, "");
}

function core(s: unknown): string {
  return norm(s).replace(/（[^）]*）$/, "");
}

function num(v: unknown): Decimal | null {
  if (v === null || v === undefined || v === "") return null;
  try {
    return new Decimal(String(v).replace(/,/g, "").replace(/%/g, ""));
  } catch {
    return null;
  }
}

function get(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return null;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur ?? null;
}

function same(expected: unknown, actual: unknown): boolean {
  if (expected !== null && typeof expected === "object" && "contains" in expected) {
    return actual !== null && actual !== undefined && norm(actual).includes(norm((expected as { contains: unknown }).contains));
  }
  if (typeof expected === "boolean") return actual === expected;
  if (typeof expected === "number") {
    const a = num(actual);
    return a !== null && a.minus(new Decimal(String(expected))).abs().lte("0.005");
  }
  if (expected === ">=" || expected === "<=" || expected === "=") return actual === expected;
  return norm(expected) === norm(actual);
}

function matchByName(goldName: unknown, items: Record<string, unknown>[]): Record<string, unknown> | null {
  const g = core(goldName);
  let best: Record<string, unknown> | null = null;
  for (const it of items) {
    const n = core(it.name);
    if (!n) continue;
    if (n === g) return it;
    if (best === null && (n.includes(g) || (n.length >= 4 && g.includes(n)))) best = it;
  }
  return best;
}

/** Checks passed, checks made, and what missed. */
export function scoreAgainstGold(gold: GoldFile, report: unknown): { ok: number; total: number; misses: string[] } {
  let ok = 0;
  let total = 0;
  const misses: string[] = [];
  const check = (label: string, expected: unknown, actual: unknown) => {
    total++;
    if (same(expected, actual)) ok++;
    else misses.push(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  for (const [field, exp] of Object.entries(gold.fields ?? {})) check(field, exp, get(report, field));
  const sections: [keyof GoldFile, string][] = [["categories", "categories"], ["sources", "budget.sources"], ["lineItems", "lineItems"]];
  for (const [section, key] of sections) {
    const items = (get(report, key) as Record<string, unknown>[] | null) ?? [];
    const goldItems = (gold[section] as Record<string, unknown>[] | undefined) ?? [];
    for (const g of goldItems) {
      const it = matchByName(g.name, items);
      for (const [k, exp] of Object.entries(g)) if (k !== "name") check(`${section}[${String(g.name)}].${k}`, exp, it ? it[k] : null);
    }
    if (section === "lineItems" && goldItems.length > 0) check("lineItems count", goldItems.length, items.length);
  }
  const inds = (get(report, "indicators") as Record<string, unknown>[] | null) ?? [];
  const matched = new Set<Record<string, unknown>>();
  for (const g of gold.indicators ?? []) {
    const it = matchByName(g.name, inds);
    if (it) matched.add(it);
    check(`indicator[${String(g.name)}] present`, true, it !== null);
    for (const [k, exp] of Object.entries(g)) {
      if (k === "name") continue;
      if (k === "hasReason") check(`indicator[${String(g.name)}].deviationReason`, true, Boolean(it && String(it.deviationReason ?? "").trim()));
      else check(`indicator[${String(g.name)}].${k}`, exp, it ? it[k] : null);
    }
  }
  if (gold.indicators && !gold.lineItems) {
    const extras = inds.filter((i) => !matched.has(i)).map((i) => i.name);
    check("no indicators beyond the target table", "[]", JSON.stringify(extras));
  }
  const codes = new Set(((get(report, "findings") as { code: string }[] | null) ?? []).map((f) => f.code));
  for (const code of gold.findings ?? []) check(`finding ${code}`, true, codes.has(code));
  return { ok, total, misses };
}
