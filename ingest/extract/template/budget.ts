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

/** Places a row's figures into the block's columns. */
export function placeFigures(columns: BudgetColumn[], figures: BudgetFigure[], like: BudgetRowValues | null = null): Placement {
  if (!figures.length) return { values: {}, doubtful: [], inferred: false };
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
  if (!best.length) return { values: {}, doubtful: [], inferred: true };
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
  return { values, doubtful, inferred: figures.length < columns.length };
}

/** Money figures of a row in 万元. */
export function inWan(values: BudgetRowValues, unit: "元" | "万元"): BudgetRowValues {
  const out: BudgetRowValues = { ...values };
  for (const col of MONEY) if (out[col]) out[col] = toWan(out[col]!, unit);
  return out;
}

/** Ways to cut a run of digits ("460460115", "5004601152025%") into `parts` plain figures. */
function* cuts(text: string, parts: number): Generator<string[]> {
  const percent = text.endsWith("%");
  const digits = percent ? text.slice(0, -1) : text;
  const piece = /^(?:0|[1-9]\d*)(?:\.\d{1,2})?$/;
  function* walk(from: number, left: number, acc: string[]): Generator<string[]> {
    if (left === 1) {
      const last = digits.slice(from);
      if (piece.test(last)) yield [...acc, percent ? `${last}%` : last];
      return;
    }
    for (let k = from + 1; k < digits.length; k++) {
      const p = digits.slice(from, k);
      if (piece.test(p)) yield* walk(k, left - 1, [...acc, p]);
    }
  }
  yield* walk(0, parts, []);
}

/**
 * A row whose figures ran together ("年度资金总额50046011520255"): the cut of the digits whose placement
 * the template's arithmetic confirms (spent ÷ budget gives the rate). Only a confirmed, unique reading
 * is returned; anything else is left unread.
 */
export function placeGluedFigures(columns: BudgetColumn[], figures: BudgetFigure[], like: BudgetRowValues | null = null): Placement | null {
  const glued = figures.findIndex((f) => f.value !== null && /^\d{4,}(?:\.\d+)?(?:\d*\.\d+)*%?$/.test(f.text.replace(/\s/g, "")));
  if (glued < 0 || figures.length >= columns.length) return null;
  const room = columns.length - figures.length + 1;
  let best: { score: number; values: BudgetRowValues } | null = null;
  let tie = false;
  let tried = 0;
  for (let parts = 2; parts <= room; parts++) {
    for (const cut of cuts(figures[glued].text.replace(/\s/g, ""), parts)) {
      // Bounded: a row has a handful of figures; a pathological digit run is not read at all.
      if (++tried > 20000) return null;
      const split = [...figures.slice(0, glued), ...cut.map((t) => readFigure(t)!), ...figures.slice(glued + 1)];
      for (const slots of placements(columns.length, split.length)) {
        const s = scorePlacement(columns, split, slots, like);
        if (s === null || s < 3) continue;
        const values: BudgetRowValues = {};
        slots.forEach((slot, f) => {
          if (split[f].value !== null) values[columns[slot]] = split[f].value!;
        });
        if (!best || s > best.score + 1e-9) {
          best = { score: s, values };
          tie = false;
        } else if (Math.abs(s - best.score) <= 1e-9 && !sameValues(best.values, values)) tie = true;
      }
    }
  }
  if (!best || tie) return null;
  return { values: best.values, doubtful: [], inferred: true };
}

function sameValues(a: BudgetRowValues, b: BudgetRowValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<BudgetColumn>;
  for (const k of keys) if (!a[k] || !b[k] || !a[k]!.eq(b[k]!)) return false;
  return true;
}
