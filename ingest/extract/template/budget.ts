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
/** The search stops after this many steps: a row has a handful of figures, a pathological run is left unread. */
const MAX_STEPS = 200000;

/**
 * A row whose cells ran together ("年度资金总额120150138.61092.4%9.24"): the cut of its text whose
 * placement the template's arithmetic confirms (spent ÷ budget gives the rate). Columns are filled
 * left to right, each with a piece of the text or left blank; a rate that the amounts before it cannot
 * give ends that branch at once. Only a confirmed, unique reading is returned.
 */
export function placeGluedRow(columns: BudgetColumn[], text: string, like: BudgetRowValues | null = null): Placement | null {
  const s = toHalfWidth(text).replace(/,/g, "").replace(/\s+/g, " ").trim();
  if (!/^[\d.%—–－\-/一 ]+$/.test(s) || !/\d{3}|\d\.\d+\d*\.|%\d|\d[—–－-]/.test(s)) return null;
  const rateAt = columns.indexOf("rate");
  let best: { score: number; values: BudgetRowValues } | null = null;
  let tie = false;
  let steps = 0;
  const figures: BudgetFigure[] = [];
  const slots: number[] = [];
  // Every piece that can start at each position, read once.
  const piecesAt: { k: number; fig: BudgetFigure; v: number | null }[][] = [];
  for (let pos = 0; pos < s.length; pos++) {
    const here: { k: number; fig: BudgetFigure; v: number | null }[] = [];
    for (let k = pos + 1; k <= s.length && k - pos <= 12 && s[k - 1] !== " "; k++) {
      const piece = s.slice(pos, k);
      if (!PIECE.test(piece)) continue;
      const fig = readFigure(piece)!;
      here.push({ k, fig, v: fig.value === null ? null : Number(piece.replace(/%$/, "")) });
    }
    piecesAt.push(here);
  }
  const approx: (number | null)[] = columns.map(() => null);
  const fits = (): boolean => {
    const basis = approx[columns.indexOf("adjusted")] ?? approx[columns.indexOf("initial")];
    const spent = approx[columns.indexOf("spent")];
    const rate = approx[rateAt];
    return basis !== null && spent !== null && rate !== null && basis > 0 && Math.abs((spent / basis) * 100 - rate) < 1;
  };
  const leaf = () => {
    if (!fits()) return;
    const score = scorePlacement(columns, figures, slots, like);
    if (score === null) return;
    const values: BudgetRowValues = {};
    slots.forEach((slot, f) => {
      if (figures[f].value !== null) values[columns[slot]] = figures[f].value!;
    });
    if (!rateConfirmed(values)) return;
    if (!best || score > best.score + 1e-9) {
      best = { score, values };
      tie = false;
    } else if (Math.abs(score - best.score) <= 1e-9 && !sameValues(best.values, values)) tie = true;
  };
  const walk = (pos: number, col: number): boolean => {
    if (++steps > MAX_STEPS) return false;
    if (pos < s.length && s[pos] === " ") return walk(pos + 1, col);
    if (pos === s.length) {
      if (figures.length >= 2) leaf();
      return true;
    }
    if (col === columns.length) return true;
    // This column blank: the copy dropped its empty cell. A confirmed reading needs the rate and the
    // amount spent, so those are never blank.
    const c = columns[col];
    if (c !== "rate" && c !== "spent" && !walk(pos, col + 1)) return false;
    for (const { k, fig, v } of piecesAt[pos]) {
      if (fig.percent && c !== "rate") continue;
      if (v === null && (c === "rate" || c === "spent")) continue;
      // Without its % sign any run of digits could pass for a rate: only a marked rate confirms a cut.
      if (c === "rate" && !fig.percent) continue;
      if ((c === "weight" || c === "score") && v !== null && v > 100) continue;
      // Spending far beyond the budget is no reading of a funding row.
      if (c === "spent" && v !== null) {
        const basis = approx[columns.indexOf("adjusted")] ?? approx[columns.indexOf("initial")];
        if (basis !== null && v > basis * 2) continue;
      }
      figures.push(fig);
      slots.push(col);
      approx[col] = v;
      const ok = col !== rateAt || fig.value === null || fits();
      const go = ok ? walk(k, col + 1) : true;
      figures.pop();
      slots.pop();
      approx[col] = null;
      if (!go) return false;
    }
    return true;
  };
  const done = walk(0, 0);
  if (!done || !best || tie) return null;
  return { values: (best as { values: BudgetRowValues }).values, doubtful: [], inferred: true, confirmed: true };
}

function sameValues(a: BudgetRowValues, b: BudgetRowValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<BudgetColumn>;
  for (const k of keys) if (!a[k] || !b[k] || !a[k]!.eq(b[k]!)) return false;
  return true;
}
