/**
 * The 项目资金 block of the 自评表 read from a token stream: the column labels give the order, each row
 * label (年度资金总额, 其中：当年财政拨款…) is followed by its figures. Copies drop blank cells, so a row
 * may hold fewer figures than there are columns; the figures are then placed where the template's own
 * arithmetic (spent ÷ budget = rate, score = weight × rate) and the usual blanks (年初预算数 is the one
 * most often left empty) explain them best. Where two placements explain them equally and disagree,
 * the figures in doubt are left out and reported.
 */
import Decimal from "decimal.js";
import { agreesWhenRounded, decimalOf, toWan } from "../../normalize/numbers";
import { toHalfWidth } from "../../normalize/text";

export type BudgetColumn = "initial" | "adjusted" | "spent" | "received" | "rate" | "weight" | "score";

export interface BudgetFigure {
  /** The figure as written, for messages. */
  text: string;
  value: Decimal | null;
  percent: boolean;
}

export type BudgetRowValues = Partial<Record<BudgetColumn, Decimal>>;

export interface Placement {
  values: BudgetRowValues;
  /** Columns whose figure could equally have been another: left out. */
  doubtful: BudgetColumn[];
  /** Fewer figures than columns: the placement was inferred. */
  inferred: boolean;
  /** The row's own arithmetic (spent ÷ budget = rate) confirms the placement. */
  confirmed: boolean;
}

const MONEY: ReadonlySet<BudgetColumn> = new Set(["initial", "adjusted", "spent", "received"]);
const HUNDRED = new Decimal(100);

/** A figure token of a money row ("32.5", "14%", "—", "一"). */
export function readFigure(text: string): BudgetFigure | null {
  const s = toHalfWidth(text).replace(/[\s,]/g, "");
  if (/^(?:[-—–－/／一]+|无)$/.test(s)) return { text, value: null, percent: false };
  const m = /^([+-]?\d+(?:\.\d+)?)(%|万元|元|万|分)?$/.exec(s);
  if (!m) return null;
  return { text, value: decimalOf(m[1].replace(/^\+/, "")), percent: m[2] === "%" };
}

/** Every way to put k figures into n columns in order: the columns that stay blank. */
function* placements(n: number, k: number, from = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen;
    return;
  }
  for (let c = from; c <= n - (k - chosen.length); c++) yield* placements(n, k, c + 1, [...chosen, c]);
}

function scorePlacement(columns: BudgetColumn[], figures: BudgetFigure[], slots: number[], like: BudgetRowValues | null): number | null {
  const v: BudgetRowValues = {};
  let score = 0;
  for (let f = 0; f < figures.length; f++) {
    const col = columns[slots[f]];
    const fig = figures[f];
    if (fig.percent && col !== "rate") return null;
    if (fig.value === null) {
      // Dashes stand in the 分值/得分 cells of the source rows; a dash among the amounts is rarer.
      score += col === "weight" || col === "score" || col === "rate" ? 0.3 : -0.3;
      continue;
    }
    if ((col === "weight" || col === "score") && fig.value.gt(100)) return null;
    if (col === "weight" && fig.value.isZero()) return null;
    v[col] = fig.value;
  }
  const blank = columns.filter((_, c) => !slots.includes(c));
  for (const col of blank) score += col === "initial" ? -0.2 : col === "received" ? -0.1 : MONEY.has(col) ? -1 : -0.4;
  const basis = v.adjusted ?? v.initial;
  if (basis && v.spent && v.rate && !basis.isZero()) {
    const exact = v.spent.div(basis).mul(HUNDRED);
    if (agreesWhenRounded(v.rate, exact) || agreesWhenRounded(v.rate.mul(HUNDRED), exact)) score += 3;
  }
  if (v.weight && v.score !== undefined && basis && v.spent && !basis.isZero()) {
    const rate = Decimal.min(v.spent.div(basis), 1);
    if (v.weight.mul(rate).minus(v.score).abs().lte("0.51")) score += 2;
  }
  if (v.spent && basis && v.spent.lte(basis)) score += 0.5;
  if (v.weight && v.score && v.score.lte(v.weight)) score += 0.3;
  // A source row is laid out like the total row above it.
  if (like) for (const col of Object.keys(v) as BudgetColumn[]) if (like[col] !== undefined) score += 0.4;
  return score;
}

function rateConfirmed(v: BudgetRowValues): boolean {
  const basis = v.adjusted ?? v.initial;
  if (!basis || !v.spent || !v.rate || basis.isZero()) return false;
  // A rate of 0 next to money spent agrees only through rounding: no confirmation.
  if (v.rate.isZero() !== v.spent.isZero()) return false;
  const exact = v.spent.div(basis).mul(HUNDRED);
  return agreesWhenRounded(v.rate, exact) || agreesWhenRounded(v.rate.mul(HUNDRED), exact);
}

/** Places a row's figures into the block's columns. */
export function placeFigures(columns: BudgetColumn[], figures: BudgetFigure[], like: BudgetRowValues | null = null): Placement {
  if (!figures.length) return { values: {}, doubtful: [], inferred: false, confirmed: false };
  const k = Math.min(figures.length, columns.length);
  const used = figures.slice(0, k);
  let best: { score: number; values: BudgetRowValues }[] = [];
  for (const slots of placements(columns.length, k)) {
    const s = scorePlacement(columns, used, slots, like);
    if (s === null) continue;
    const values: BudgetRowValues = {};
    slots.forEach((slot, f) => {
      if (used[f].value !== null) values[columns[slot]] = used[f].value!;
    });
    if (!best.length || s > best[0].score + 1e-9) best = [{ score: s, values }];
    else if (Math.abs(s - best[0].score) <= 1e-9) best.push({ score: s, values });
  }
  if (!best.length) return { values: {}, doubtful: [], inferred: true, confirmed: false };
  const values = { ...best[0].values };
  const doubtful: BudgetColumn[] = [];
  for (const other of best.slice(1)) {
    for (const col of columns) {
      const a = values[col];
      const b = other.values[col];
      if ((a === undefined) !== (b === undefined) || (a && b && !a.eq(b))) {
        if (!doubtful.includes(col)) doubtful.push(col);
      }
    }
  }
  for (const col of doubtful) delete values[col];
  return { values, doubtful, inferred: figures.length < columns.length, confirmed: rateConfirmed(values) };
}

/** Money figures of a row in 万元. */
export function inWan(values: BudgetRowValues, unit: "元" | "万元"): BudgetRowValues {
  const out: BudgetRowValues = { ...values };
  for (const col of MONEY) if (out[col]) out[col] = toWan(out[col]!, unit);
  return out;
}

/** A figure, a rate or a dash: the pieces a run-together money row is cut into. */
const PIECE = /^(?:(?:0|[1-9]\d*)(?:\.\d{1,2})?%?|[—–－-]+|\/|一)$/;
/** A cut is tried only while its pieces can still be figures; a row has a handful of them. */
const MAX_CUTS = 50000;

/** Ways to cut a run-together row ("120150138.61092.4%9.24") into at most `parts` pieces. */
function* cuts(text: string, parts: number): Generator<string[]> {
  function* walk(from: number, acc: string[]): Generator<string[]> {
    if (from === text.length) {
      if (acc.length >= 2) yield acc;
      return;
    }
    if (acc.length === parts) return;
    // A space is a boundary the copy kept: no piece spans it.
    if (text[from] === " ") {
      yield* walk(from + 1, acc);
      return;
    }
    for (let k = from + 1; k <= text.length && k - from <= 12 && text[k - 1] !== " "; k++) {
      const p = text.slice(from, k);
      if (PIECE.test(p)) yield* walk(k, [...acc, p]);
    }
  }
  yield* walk(0, []);
}

/**
 * A row whose cells ran together ("年度资金总额120150138.61092.4%9.24"): the cut of its text whose
 * placement the template's arithmetic confirms (spent ÷ budget gives the rate, or the score its
 * share of the weight). Only a confirmed, unique reading is returned; anything else is left unread.
 */
export function placeGluedRow(columns: BudgetColumn[], text: string, like: BudgetRowValues | null = null): Placement | null {
  const s = toHalfWidth(text).replace(/,/g, "").replace(/\s+/g, " ").trim();
  if (!/^[\d.%—–－\-/一 ]+$/.test(s) || !/\d{3}|\d\.\d+\d*\.|%\d|\d[—–－-]/.test(s)) return null;
  let best: { score: number; values: BudgetRowValues } | null = null;
  let tie = false;
  let tried = 0;
  for (const cut of cuts(s, columns.length)) {
    if (++tried > MAX_CUTS) return null;
    const figures = cut.map((t) => readFigure(t)!);
    for (const slots of placements(columns.length, figures.length)) {
      const score = scorePlacement(columns, figures, slots, like);
      if (score === null) continue;
      const values: BudgetRowValues = {};
      slots.forEach((slot, f) => {
        if (figures[f].value !== null) values[columns[slot]] = figures[f].value!;
      });
      // Only a reading the arithmetic confirms counts.
      if (!rateConfirmed(values)) continue;
      if (!best || score > best.score + 1e-9) {
        best = { score, values };
        tie = false;
      } else if (Math.abs(score - best.score) <= 1e-9 && !sameValues(best.values, values)) {
        tie = true;
      }
    }
  }
  if (!best || tie) return null;
  return { values: best.values, doubtful: [], inferred: true, confirmed: true };
}

function sameValues(a: BudgetRowValues, b: BudgetRowValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<BudgetColumn>;
  for (const k of keys) if (!a[k] || !b[k] || !a[k]!.eq(b[k]!)) return false;
  return true;
}
