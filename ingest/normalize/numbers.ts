import Decimal from "decimal.js";
import type { Comparator } from "../types";
import { readComparator } from "./comparator";
import { toHalfWidth } from "./text";

/** Exact decimal string without exponent or trailing zeros ("21.00" → "21", "0.50" → "0.5"). */
export function decString(d: Decimal): string {
  const s = d.toFixed();
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * A figure written into the report, as decString writes it. The audit reads the report's figures back
 * with decimalOf: the written string is remembered with the Decimal it came from, so reading it back
 * costs a lookup instead of parsing the digits again (same value; -0 is left out, as "0" reads as +0).
 */
export function reportDecimal(d: Decimal): string {
  const s = decString(d);
  if (memo && !d.isNegative() && !memo.has(s)) memo.set(s, d);
  return s;
}

/**
 * A Decimal from an unsigned decimal string ("12", "3.50", "0012"). decimal.js builds small whole numbers
 * from a JS number without parsing text: the same value with the same digits, at a fraction of the cost.
 */
export function decimalOf(digits: string): Decimal {
  if (!memo) return buildDecimal(digits);
  let d = memo.get(digits);
  if (!d) memo.set(digits, (d = buildDecimal(digits)));
  return d;
}

function buildDecimal(digits: string): Decimal {
  return SMALL_WHOLE.test(digits) ? new Decimal(Number(digits)) : new Decimal(digits);
}

const SMALL_WHOLE = /^\d{1,7}$/;

let memo: Map<string, Decimal> | null = null;

/**
 * Runs `fn` with decimalOf remembering the Decimals it builds: a report states the same figures in its
 * tables, sentences and totals. Decimals are immutable, so sharing one is safe; the memo lives only
 * for the call, so it never holds more than one document's figures.
 */
export function withDecimalMemo<T>(fn: () => T): T {
  const outer = memo;
  memo = new Map();
  try {
    return fn();
  } finally {
    memo = outer;
  }
}

const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/;

/** Reads a plain decimal number ("1,234.5", "６３．９５") or returns null. */
export function parseDecimal(text: string | null | undefined): Decimal | null {
  if (text == null) return null;
  const s = toHalfWidth(text).trim();
  const m = NUMBER.exec(s);
  if (!m) return null;
  return decimalOf(m[0].replace(/,/g, ""));
}

export interface Quantity {
  comparator: Comparator | null;
  value: Decimal;
  /** Unit as written after the number ("人", "%", "万元", "元/人.天"), or null. */
  unit: string | null;
}

/**
 * Reads a target or actual value such as "≥350人", "=10次", "63.95%", "≤200元/人.天", "4.92万".
 * Only a whole-cell quantity counts: "2024年12月10日" or "100箱*200元=2万元" are not one number.
 */
export function parseQuantity(text: string | null | undefined): Quantity | null {
  if (text == null) return null;
  const { comparator, rest } = readComparator(text);
  const s = rest.replace(/\s+/g, "");
  const m = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([^\d]{0,10})$/.exec(s);
  if (!m) return null;
  let unitText = m[2].replace(/^[（(]|[）)]$/g, "").trim();
  if (/[=*×＋+，,。；;]/.test(unitText)) return null;
  // "95%以上", "3000元以下", "控制在35万元以内": the suffix is the comparator, not part of the unit.
  let implied: Comparator | null = null;
  const suffix = /(?:及以上|以上|及以下|以下|以内|之内)$/.exec(unitText);
  if (suffix) {
    implied = /上/.test(suffix[0]) ? ">=" : "<=";
    unitText = unitText.slice(0, suffix.index).trim();
  }
  return { comparator: comparator ?? implied, value: decimalOf(m[1].replace(/,/g, "")), unit: unitText || null };
}

const MONEY_FACTORS: Record<string, Decimal> = {
  元: new Decimal("0.0001"),
  万元: new Decimal(1),
  万: new Decimal(1),
  亿元: new Decimal(10000),
  亿: new Decimal(10000),
};

/** Converts an amount in 元 / 万元 / 亿元 to 万元, keeping every digit. Unknown units are taken as 万元. */
export function toWan(value: Decimal, unit: string | null | undefined): Decimal {
  const factor = unit ? MONEY_FACTORS[unit.trim()] : undefined;
  return factor ? value.mul(factor) : value;
}

/** A money cell ("170万", "32.5", "108.72万元", "1.2亿元") in 万元; null for blanks and dash placeholders. */
export function parseMoneyCell(text: string | null | undefined, defaultUnit = "万元"): Decimal | null {
  if (text == null) return null;
  const s = toHalfWidth(text).replace(/\s+/g, "");
  if (!s || /^[-—–一／/无]+$/.test(s)) return null;
  const m = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万元|元|亿元|万|亿)?$/.exec(s);
  if (!m) return null;
  return toWan(decimalOf(m[1].replace(/,/g, "")), m[2] ?? defaultUnit);
}

/** A rate cell or phrase ("63.95%", "14", "100.00%") as a percentage number; null when not a rate. */
export function parseRate(text: string | null | undefined): Decimal | null {
  if (text == null) return null;
  const s = toHalfWidth(text).replace(/\s+/g, "");
  const m = /^([+-]?\d+(?:\.\d+)?)%?$/.exec(s);
  return m ? decimalOf(m[1]) : null;
}

/** Number of decimal places a stated figure was written with ("52.63" → 2, "14" → 0). */
export function statedPlaces(d: Decimal): number {
  return Math.max(0, d.decimalPlaces());
}

/**
 * Whether a stated rounded figure agrees with an exact one: the report rounds to the places it writes,
 * so 52.63 agrees with 52.6315…, and 14 with 14.0.
 */
export function agreesWhenRounded(stated: Decimal, exact: Decimal): boolean {
  return stated.minus(exact).abs().lte(roundingTolerance(statedPlaces(stated)));
}

/** Half a unit in the last stated place, plus a hair for the exact side's own rounding. */
function roundingTolerance(places: number): Decimal {
  const known = places < TOLERANCES.length ? TOLERANCES[places] : undefined;
  if (known) return known;
  const tolerance = new Decimal(10).pow(-places).div(2).plus("0.000001");
  // Figures are written with a handful of places; only those few tolerances are kept.
  if (places < TOLERANCES.length) TOLERANCES[places] = tolerance;
  return tolerance;
}

const TOLERANCES: (Decimal | undefined)[] = new Array<Decimal | undefined>(12).fill(undefined);
