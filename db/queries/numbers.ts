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

/** Integer fen → exact 万元 string ("57", "13.62", "0.000001"). */
export function fenToWan(fen: IntLike): Wan {
  const text = fen.toString();
  if (INTEGER.test(text)) return shiftPoint(text, 6, 0);
  return new D(text).div(FEN_PER_WAN).toFixed();
}

export function fenToWanOrNull(fen: IntLike | null | undefined): Wan | null {
  return fen === null || fen === undefined ? null : fenToWan(fen);
}

/** Integer hundredths → decimal string with two places ("89.50"). */
export function x100ToString(v: IntLike): string {
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
    if (Number.isSafeInteger(twice)) return shiftPoint(String(Math.floor(twice / (2 * wi))), 2, 2);
  }
  const w = new D(whole.toString());
  if (w.isZero()) return null;
  return new D(part.toString()).times(100).div(w).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
}

/** An integer (number or integer text from SQL) as a JS number when that is exact, else null. */
function toSafeInt(v: IntLike): number | null {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : null;
  if (typeof v === "bigint") return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(-Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  if (v.length > 15 || !INTEGER.test(v)) return null;
  return Number(v);
}

/** sum ÷ count of hundredths, as a score rounded once (half-up, 2 places). */
export function averageX100(sumX100: IntLike, count: number): string | null {
  if (count === 0) return null;
  const sum = toSafeInt(sumX100);
  if (sum !== null && sum >= 0 && Number.isSafeInteger(2 * sum + count)) {
    // round(sum ÷ count) in hundredths, half-up, in exact integers
    return shiftPoint(String(Math.floor((2 * sum + count) / (2 * count))), 2, 2);
  }
  return new D(sumX100.toString()).div(100).div(count).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
}

/** a − b for decimal strings (null if either is null), two places. */
export function difference(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return null;
  const two = /^(-?)(\d{1,12})\.(\d{2})$/;
  const ma = two.exec(a);
  const mb = two.exec(b);
  if (ma && mb) {
    // both already in hundredths: subtract as integers
    const ia = Number(ma[2] + ma[3]) * (ma[1] ? -1 : 1);
    const ib = Number(mb[2] + mb[3]) * (mb[1] ? -1 : 1);
    return shiftPoint(String(ia - ib), 2, 2);
  }
  return new D(a).minus(b).toFixed(2);
}

/**
 * A threshold in percent as an integer in hundredths of a percent, so that "rate < t" is tested
 * exactly in SQL as spent × 10000 < t_x100 × budget.
 */
export function thresholdX100(percentValue: number): number {
  if (!Number.isFinite(percentValue) || percentValue < 0) throw new RangeError(`bad threshold ${percentValue}`);
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
 * ~3 ms, more than the query behind them), and the set of names rarely changes between calls, so
 * the order of a set is computed once and looked up after that.
 */
export function zhOrder(names: Iterable<string>): Map<string, number> {
  const distinct = [...new Set(names)].sort();
  const key = distinct.join("\u0001");
  let order = orderCache.get(key);
  if (!order) {
    order = new Map([...distinct].sort(compareZh).map((n, i) => [n, i] as const));
    orderCache.set(key, order);
    if (orderCache.size > 32) orderCache.delete(orderCache.keys().next().value!);
  }
  return order;
}
