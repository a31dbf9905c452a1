import Decimal from "decimal.js";
import type { Percent, Wan } from "./types";

/** A private Decimal with room for sums of a million fen amounts, so no division ever loses digits. */
const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });

const FEN_PER_WAN = 1_000_000;

type IntLike = number | bigint | string;

/**
 * Moves the decimal point of a non-negative-or-negative integer `places` to the left, trimming
 * trailing zeros: exact string surgery, used on hot paths (thousands of rows per query) where a
 * Decimal per value would dominate the query's cost.
 */
function shiftPoint(int: string, places: number, keep: number): string {
  const neg = int.startsWith("-");
  const digits = (neg ? int.slice(1) : int).padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places).replace(/^0+(?=\d)/, "");
  let frac = digits.slice(digits.length - places);
  while (frac.length > keep && frac.endsWith("0")) frac = frac.slice(0, -1);
  const text = frac ? `${whole}.${frac}` : whole;
  return neg && /[1-9]/.test(text) ? `-${text}` : text;
}

const INTEGER = /^-?\d+$/;

/**
 * shiftPoint for integer text in the form SQLite writes it ("-" or not, then digits without a
 * leading zero), done by slicing the text itself: queries return their sums as text (exact past
 * 2^53) and format every one, and parsing each into a number only to print it again took about
 * half the formatting time. null for text in any other form.
 */
function shiftIntegerText(t: string, places: number, keep: number): string | null {
  const length = t.length;
  const negative = t.charCodeAt(0) === 45; /* - */
  const start = negative ? 1 : 0;
  const digits = length - start;
  if (digits === 0 || (t.charCodeAt(start) === 48 /* 0 */ && digits > 1)) return null;
  for (let i = start; i < length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  if (digits === 1 && t.charCodeAt(start) === 48) return negative ? null : keep > 0 ? `0.${"0".repeat(keep)}` : "0";
  // from here the value is not zero, so a "-" always stays
  let text: string;
  let end = length;
  if (digits > places) {
    const point = length - places;
    while (end > point + keep && t.charCodeAt(end - 1) === 48) end--;
    text = end === point ? t.slice(start, point) : `${t.slice(start, point)}.${t.slice(point, end)}`;
  } else {
    const pad = places - digits;
    while (pad + end - start > keep && t.charCodeAt(end - 1) === 48) end--;
    text = `0.${"0".repeat(pad)}${t.slice(start, end)}`;
  }
  return negative ? `-${text}` : text;
}

/**
 * A safe integer count of 10^-places units as a decimal string, trailing zeros trimmed down to
 * `keep` places: shiftPoint on the integer's digits, for the values that fit a JS number (nearly
 * all of them) without its regular expressions, since a query formats thousands of figures per call.
 */
function unitsToText(units: number, places: 2 | 6, keep: number): string {
  const negative = units < 0;
  let digits = String(negative ? -units : units);
  if (digits.length <= places) digits = "0".repeat(places + 1 - digits.length) + digits;
  const point = digits.length - places;
  let end = digits.length;
  while (end > point + keep && digits.charCodeAt(end - 1) === 48 /* 0 */) end--;
  const text = end === point ? digits.slice(0, point) : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  // a negative value is non-zero, so the sign is never put on a zero
  return negative ? `-${text}` : text;
}

/** Integer fen → exact 万元 string ("57", "13.62", "0.000001"). */
export function fenToWan(fen: IntLike): Wan {
  if (typeof fen === "string") {
    const text = shiftIntegerText(fen, 6, 0);
    if (text !== null) return text;
  }
  const units = toSafeInt(fen);
  if (units !== null) return unitsToText(units, 6, 0);
  const text = fen.toString();
  if (INTEGER.test(text)) return shiftPoint(text, 6, 0);
  return new D(text).div(FEN_PER_WAN).toFixed();
}

/**
 * An exact running total of integer fen (numbers or integer text from SQL): kept in a JS number
 * while every partial sum is a safe integer — a rounded sum would not be — and in BigInt after that.
 */
export class FenTotal {
  private safe = 0;
  private big: bigint | null = null;

  add(fen: IntLike): void {
    if (this.big === null) {
      const n = toSafeInt(fen);
      if (n !== null && Number.isSafeInteger(this.safe + n)) {
        this.safe += n;
        return;
      }
      this.big = BigInt(this.safe);
    }
    this.big += BigInt(fen);
  }

  toWan(): Wan {
    return fenToWan(this.big ?? this.safe);
  }
}

export function fenToWanOrNull(fen: IntLike | null | undefined): Wan | null {
  return fen === null || fen === undefined ? null : fenToWan(fen);
}

/** Integer hundredths → decimal string with two places ("89.50"). */
export function x100ToString(v: IntLike): string {
  if (typeof v === "string") {
    const text = shiftIntegerText(v, 2, 2);
    if (text !== null) return text;
  }
  const units = toSafeInt(v);
  if (units !== null) return unitsToText(units, 2, 2);
  const text = v.toString();
  if (INTEGER.test(text)) return shiftPoint(text, 2, 2);
  return new D(text).div(100).toFixed(2);
}

export function x100OrNull(v: IntLike | null | undefined): string | null {
  return v === null || v === undefined ? null : x100ToString(v);
}

/** part ÷ whole as a percent, rounded once (half-up, 2 places); null over a zero or missing whole. */
export function percent(part: IntLike | null | undefined, whole: IntLike | null | undefined): Percent {
  if (part === null || part === undefined || whole === null || whole === undefined) return null;
  const pi = toSafeInt(part);
  const wi = toSafeInt(whole);
  if (pi !== null && wi !== null && pi >= 0 && wi > 0) {
    // exact in integers while part × 20000 + whole stays below 2^53: round(part × 10000 ÷ whole), half-up
    const twice = pi * 20000 + wi;
    if (Number.isSafeInteger(twice)) return unitsToText(Math.floor(twice / (2 * wi)), 2, 2);
  }
  // Sums past 2^53 ÷ 20000 (a province's budget in fen): the same rounding in BigInt, still exact.
  let p: number | bigint, w: number | bigint;
  try {
    [p, w] = [exactInteger(part), exactInteger(whole)];
  } catch {
    return percentByDecimal(part, whole); // not integer text after all
  }
  if (p >= 0 && w > 0) {
    const units = (BigInt(p) * 20000n + BigInt(w)) / (2n * BigInt(w));
    if (units <= BigInt(Number.MAX_SAFE_INTEGER)) return unitsToText(Number(units), 2, 2);
  }
  return percentByDecimal(part, whole);
}

function percentByDecimal(part: IntLike, whole: IntLike): Percent {
  const w = new D(whole.toString());
  if (w.isZero()) return null;
  return new D(part.toString()).times(100).div(w).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
}

/** An integer (number or integer text from SQL) exactly: a JS number when that is exact, else a BigInt. */
function exactInteger(v: IntLike): number | bigint {
  return toSafeInt(v) ?? BigInt(v);
}

/** An integer (number or integer text from SQL) as a JS number when that is exact, else null. */
function toSafeInt(v: IntLike): number | null {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : null;
  if (typeof v === "bigint") return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(-Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  // /^-?\d{1,15}$/ then Number(v), in one pass: this runs for every sum a query returns as text
  const length = v.length;
  const negative = v.charCodeAt(0) === 45; /* - */
  if (length > 15 || length === (negative ? 1 : 0)) return null;
  let value = 0;
  for (let i = negative ? 1 : 0; i < length; i++) {
    const digit = v.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** sum ÷ count of hundredths, as a score rounded once (half-up, 2 places). */
export function averageX100(sumX100: IntLike, count: number): string | null {
  if (count === 0) return null;
  const sum = toSafeInt(sumX100);
  if (sum !== null && sum >= 0 && Number.isSafeInteger(2 * sum + count)) {
    // round(sum ÷ count) in hundredths, half-up, in exact integers
    return unitsToText(Math.floor((2 * sum + count) / (2 * count)), 2, 2);
  }
  return new D(sumX100.toString()).div(100).div(count).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
}

/** "-12.34" → -1234: a two-place decimal string (at most 12 whole digits) in hundredths, else null. */
function twoPlacesToX100(text: string): number | null {
  const n = text.length;
  const start = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const point = n - 3;
  if (point - start < 1 || point - start > 12 || text.charCodeAt(point) !== 46 /* . */) return null;
  let units = 0;
  for (let i = start; i < n; i++) {
    if (i === point) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    units = units * 10 + digit;
  }
  return start === 1 ? -units : units;
}

/** a − b for decimal strings (null if either is null), two places. */
export function difference(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  const ia = twoPlacesToX100(a);
  const ib = twoPlacesToX100(b);
  // both already in hundredths: subtract as integers
  if (ia !== null && ib !== null) return unitsToText(ia - ib, 2, 2);
  return new D(a).minus(b).toFixed(2);
}

/**
 * A threshold in percent as an integer in hundredths of a percent, so that "rate < t" is tested
 * exactly in SQL as spent × 10000 < t_x100 × budget.
 */
export function thresholdX100(percentValue: number): number {
  if (!Number.isFinite(percentValue) || percentValue < 0) throw new RangeError(`bad threshold ${percentValue}`);
  // whole percents (the defaults, 60 and 80) need no rounding
  if (Number.isSafeInteger(percentValue) && percentValue <= 1e12) return percentValue * 100;
  return new D(percentValue).times(100).toDecimalPlaces(0, D.ROUND_HALF_UP).toNumber();
}

export { D as Dec };
export type DecValue = InstanceType<typeof D>;

/**
 * Chinese names sort in pinyin order. One shared collator: String#localeCompare with a locale
 * builds a collator per call, which dominated the cost of sorting a few hundred departments.
 */
const zhCollator = new Intl.Collator("zh-Hans-CN");
export const compareZh = (a: string, b: string): number => zhCollator.compare(a, b);

const orderCache = new Map<string, Map<string, number>>();

/**
 * Pinyin rank of each of `names`. Collating Chinese is costly (sorting 200 department names took
 * ~3 ms, more than the query behind them), and the names rarely change between calls, so the order
 * is computed once per list and looked up after that. The list is keyed as given: queries return
 * their names in a stable order, so sorting the names only to make the key would be wasted work.
 */
export function zhOrder(names: readonly string[]): Map<string, number> {
  const key = names.join("\u0001");
  let order = orderCache.get(key);
  if (!order) {
    // code-unit order first, so that names the collator ranks equal keep one order whatever the list's
    order = new Map([...new Set(names)].sort().sort(compareZh).map((n, i) => [n, i] as const));
    orderCache.set(key, order);
    if (orderCache.size > 32) orderCache.delete(orderCache.keys().next().value!);
  }
  return order;
}

const rankCache = new Map<string, Map<string, number>>();

/**
 * Pinyin rank of each of `names` for sorting rows by name: rank order is compareZh's order, and
 * names the collator holds equal share a rank, so comparing ranks gives compareZh's answer for
 * every pair at the cost of two lookups. Cached per list, as zhOrder is.
 */
export function zhRanks(names: readonly string[]): Map<string, number> {
  const key = names.join("\u0001");
  let rank = rankCache.get(key);
  if (!rank) {
    const sorted = [...new Set(names)].sort(compareZh);
    const ranks = new Map<string, number>();
    sorted.forEach((n, i) => ranks.set(n, i > 0 && compareZh(sorted[i - 1], n) === 0 ? ranks.get(sorted[i - 1])! : i));
    rank = ranks;
    rankCache.set(key, rank);
    if (rankCache.size > 32) rankCache.delete(rankCache.keys().next().value!);
  }
  return rank;
}
