/**
 * Reads the rows of the 绩效指标 block from a stream of atoms when the row and cell boundaries are lost
 * (a flattened .docx, cells run together, one cell per line, broken pipe tables). The header gives the
 * column order; each column has a type (name text, target as comparator + figure + unit, a score…).
 * A segmentation of the stream into rows of typed cells is chosen by dynamic programming: the one whose
 * cells fit their columns' types best. Blank cells vanish in such copies, so every column but the
 * name may be skipped at a cost.
 */
import { bareNumber, type Atom } from "../../normalize/atoms";

export type Column = "level1" | "level2" | "name" | "target" | "actual" | "weight" | "score" | "completion" | "reason";

export interface StreamAtom extends Atom {
  /** Index of the token the atom came from: cells joined across tokens cost more. */
  token: number;
  line: number;
  /** The token is a 一级/二级指标 name, which only those columns take. */
  level: "level1" | "level2" | null;
  /** One of a word written twice at the end of a run-together cell: a qualitative target or actual (template/index.ts). */
  paired?: boolean;
}

export interface RowCell {
  column: Column;
  text: string;
  line: number;
  /** The token the cell starts in. */
  token?: number;
  /** The cell took two columns' figures out of one run of digits ("1010" → 10 and 10). */
  splitDigits?: boolean;
}

export type StreamRow = Partial<Record<Column, RowCell>> & { line: number };

const INF = Number.POSITIVE_INFINITY;
const MAX_SPAN: Record<Column, number> = { level1: 1, level2: 1, name: 5, target: 3, actual: 3, weight: 1, score: 1, completion: 1, reason: 30 };
const BLANK: Record<Column, number> = { level1: 0, level2: 0, name: INF, target: 2.5, actual: 2.5, weight: 1.2, score: 1.2, completion: 0.2, reason: 0 };
const ROW = 0.2;

const CJK = /[\u4e00-\u9fa5]/;

function junkCost(a: StreamAtom): number {
  if (a.kind === "placeholder" || a.level) return 0.5;
  // "指标2" with nothing after it: an empty row of the template.
  if (/^指标\d+[：:]?$/.test(a.text)) return 0.5;
  return 3;
}

/** Cost of a span of atoms as a cell of `column`; Infinity where it cannot be. */
/** Counts over the atoms before each index, so that a span's counts cost a subtraction. */
interface Prefix {
  /** Token changes between neighbouring atoms. */
  crossings: number[];
  levels: number[];
  figures: number[];
  paired: number[];
}

function prefixes(atoms: StreamAtom[]): Prefix {
  const p: Prefix = { crossings: [0], levels: [0], figures: [0], paired: [0] };
  for (let k = 0; k < atoms.length; k++) {
    p.crossings.push(p.crossings[k] + (k > 0 && atoms[k].token !== atoms[k - 1].token ? 1 : 0));
    p.levels.push(p.levels[k] + (atoms[k].level ? 1 : 0));
    p.figures.push(p.figures[k] + (atoms[k].kind === "number" || atoms[k].kind === "quantity" ? 1 : 0));
    p.paired.push(p.paired[k] + (atoms[k].paired ? 1 : 0));
  }
  return p;
}

function fillCost(column: Column, atoms: StreamAtom[], p: Prefix, i: number, j: number): number {
  const first = atoms[i];
  // A cell that starts inside a token splits what the copy kept together: cells that ran together do
  // that on every row, a cell that merely holds a figure should not.
  const splits = i > 0 && atoms[i - 1].token === first.token ? 0.4 : 0;
  return splits + cellCost(column, atoms, p, i, j);
}

function cellCost(column: Column, atoms: StreamAtom[], p: Prefix, i: number, j: number): number {
  const first = atoms[i];
  const n = j - i;
  const crossings = p.crossings[j] - p.crossings[i + 1];
  if (p.levels[j] - p.levels[i] > 0 && column !== "level1" && column !== "level2") return INF;
  switch (column) {
    case "level1":
    case "level2":
      return first.level === column ? 0 : INF;
    case "name": {
      if (first.kind === "placeholder") return INF;
      // "65岁及以上老年人健康管理率": a name may open with a figure, where a cell opens.
      const opensWithFigure = first.kind === "number" || first.kind === "quantity";
      if (opensWithFigure && (n < 2 || atoms[i + 1].token !== first.token || atoms[i + 1].kind !== "text" || (i > 0 && atoms[i - 1].token === first.token))) return INF;
      let text = "";
      for (let k = i; k < j; k++) text += atoms[k].text;
      if (!CJK.test(text) || /^指标\d+[：:]?$/.test(text)) return INF;
      // A sentence is a reason or a goal, not a target's name.
      const sentence = /[，。；]/.test(text) && text.length > 12 ? 3 : 0;
      // A name may hold a figure ("第1季度…"), hardly a comparator and a figure.
      let figures = 0;
      for (let k = i + 1; k < j; k++) figures += atoms[k].kind === "quantity" ? (/[≥≤≧≦><=＞＜＝═]/.test(atoms[k].text) ? 5 : 1.5) : atoms[k].kind === "number" ? 0.8 : 0;
      return doubledWords(atoms, i, j) + sentence + figures + (first.kind === "date" ? 0.5 : opensWithFigure ? 1 : 0) + 0.3 * (n - 1 - crossings) + 1.5 * crossings + (text.length > 60 ? 2 : 0);
    }
    case "target":
    case "actual": {
      if (n === 1) return first.paired ? 0 : valueCost(first);
      if (p.paired[j] - p.paired[i] > 0) return INF;
      // A value of several atoms ("≥95%（含）", "按时 完成") is rarer than one.
      let cost = 0.5 * (n - 1) + 2 * crossings;
      let figures = 0;
      for (let k = i; k < j; k++) {
        cost += Math.min(valueCost(atoms[k]), 1.5);
        if (atoms[k].kind === "quantity" || atoms[k].kind === "number") figures++;
      }
      // One value holds one figure; two are two cells.
      if (figures > 1) cost += 2 * (figures - 1);
      return cost;
    }
    case "weight":
    case "score":
    case "completion":
      if (n !== 1) return INF;
      if (first.kind === "placeholder") return 0.3;
      if (column === "completion") return first.kind === "quantity" && /%$/.test(first.text) ? 0 : bareNumber(first) !== null ? 0.2 : INF;
      return points(first) !== null ? 0 : INF;
    case "reason": {
      if (n === 1 && (first.kind === "placeholder" || /^0$/.test(first.text))) return 0.1;
      let cost = 0.3 + 0.3 * crossings + (p.figures[j] - p.figures[i]) + cellLikeLines(atoms, i, j) + doubledWords(atoms, i, j);
      if (first.kind === "number" || first.kind === "quantity") cost += 1.5;
      return cost;
    }
  }
}

/**
 * The same words twice running are a qualitative target and its actual (template/index.ts splits
 * them off a run-together cell): neither a name nor a reason holds them.
 */
function doubledWords(atoms: StreamAtom[], i: number, j: number): number {
  let cost = 0;
  for (let k = i; k < j; k++) if (atoms[k].paired) cost += 2.5;
  return cost;
}

/**
 * A reason that runs on into the following lines: a wrapped sentence breaks anywhere, but a line
 * of a few characters with no punctuation of a sentence is a cell of its own (the next indicator's
 * name, a target of words: "工作效率提高" / "逐步完善" one cell per line), not a reason's continuation.
 */
function cellLikeLines(atoms: StreamAtom[], i: number, j: number): number {
  let cost = 0;
  for (let k = i + 1; k < j; ) {
    if (atoms[k].token === atoms[k - 1].token) {
      k++;
      continue;
    }
    let text = "";
    let end = k;
    while (end < j && atoms[end].token === atoms[k].token) text += atoms[end++].text;
    if (text.length <= 10 && !/[，。；：,;:、]/.test(text)) cost += 0.6;
    k = end;
  }
  return cost;
}

function valueCost(a: StreamAtom): number {
  switch (a.kind) {
    case "quantity":
      return 0;
    case "date":
      return 0.1;
    case "number":
      return 0.4;
    case "placeholder":
      return 1;
    case "text":
      return a.text.length <= 12 ? 0.8 : 1.5 + 0.05 * a.text.length;
  }
}

/** A score or weight: a plain figure of at most 100 (unit 分 allowed). */
function points(a: StreamAtom): string | null {
  const v = bareNumber(a);
  return v !== null && Number(v) <= 100 ? v : null;
}

/**
 * "1010" where 分值 and 得分 ran together: the one split whose parts are plain figures with the score
 * not above the weight, both at most 100. Null when no split or more than one fits.
 */
export function splitPoints(digits: string): [string, string] | null {
  if (!/^\d{2,6}(\.\d{1,2})?$/.test(digits)) return null;
  const fits: [string, string][] = [];
  // A score may have decimals ("109.5" is 10 and 9.5); the weight is whole.
  const dot = digits.indexOf(".");
  for (let k = 1; k < (dot < 0 ? digits.length : dot); k++) {
    const a = digits.slice(0, k);
    const b = digits.slice(k);
    if ((a.length > 1 && a.startsWith("0")) || (b.length > 1 && b.startsWith("0") && b[1] !== ".")) continue;
    if (Number(a) <= 100 && Number(b) <= Number(a)) fits.push([a, b]);
  }
  return fits.length === 1 ? fits[0] : null;
}

/**
 * "基层首诊率提升明显提升明显提升": a name with a text target and the same text as the result, run
 * together. The longest repeated ending is the target and the result.
 */
export function splitRepeated(text: string): [string, string, string] | null {
  for (let len = Math.floor((text.length - 2) / 2); len >= 2; len--) {
    const x = text.slice(text.length - len);
    if (text.slice(text.length - 2 * len, text.length - len) === x && CJK.test(x)) return [text.slice(0, text.length - 2 * len), x, x];
  }
  return null;
}

/** "明显提升明显提升": the same text target and result run together. */
export function splitTwice(text: string): string | null {
  const half = text.length / 2;
  return Number.isInteger(half) && half >= 2 && text.slice(0, half) === text.slice(half) ? text.slice(0, half) : null;
}

/** "1082辆": the cuts into a weight, a score not above it, and a figure with a unit that opens the reason. */
export function pointsAndRestCuts(text: string): [string, string, string][] {
  const m = /^(\d{3,6})([^\d.].*)$/.exec(text);
  if (!m) return [];
  const digits = m[1];
  const fits: [string, string, string][] = [];
  for (let a = 1; a < digits.length - 1; a++) {
    for (let b = a + 1; b < digits.length; b++) {
      const w = digits.slice(0, a);
      const s = digits.slice(a, b);
      const r = digits.slice(b);
      if ([w, s, r].some((p) => p.length > 1 && p.startsWith("0"))) continue;
      if (Number(w) <= 100 && Number(w) > 0 && Number(s) <= Number(w)) fits.push([w, s, r + m[2]]);
    }
  }
  // Weights are set in fives on almost every form.
  const round = fits.filter(([w]) => Number(w) % 5 === 0);
  return round.length ? round : fits;
}

/**
 * Of several cuts, the one whose score the row's own result explains: a 自评表 scores a target by its
 * completion (result ÷ target, capped at the weight). Null when that does not single one out.
 */
export function chooseByCompletion(cuts: [string, string, string][], target: string | null, actual: string | null): [string, string, string] | null {
  if (cuts.length === 1) return cuts[0];
  const t = target ? Number(/(\d+(?:\.\d+)?)/.exec(target.replace(/[，,]/g, ""))?.[1]) : NaN;
  const a = actual ? Number(/(\d+(?:\.\d+)?)/.exec(actual.replace(/[，,]/g, ""))?.[1]) : NaN;
  if (!(t > 0) || Number.isNaN(a)) return null;
  const cap = /[≤<]|不超过|不高于|以内|控制在/.test(target ?? "");
  const ratio = cap ? (a <= t ? 1 : t / a) : Math.min(a / t, 1);
  const ranked = cuts.map((c) => ({ c, off: Math.abs(Number(c[1]) - Number(c[0]) * ratio) })).sort((x, y) => x.off - y.off);
  return ranked[1].off - ranked[0].off > 0.5 ? ranked[0].c : null;
}

interface Back {
  i: number;
  c: number;
  /** Atoms [i, j) filled column c; j === i for a skipped column or a row end; -1 for junk. */
  kind: "fill" | "skip" | "row" | "junk" | "pair" | "pairRest" | "triple" | "double";
}

/** Segments atoms into rows of the given columns. */
export function readRows(atoms: StreamAtom[], columns: Column[]): StreamRow[] {
  const n = atoms.length;
  const C = columns.length;
  const nameAt = columns.indexOf("name");
  if (nameAt < 0 || n === 0) return [];
  const cost: number[] = new Array((n + 1) * (C + 1)).fill(INF);
  const back: (Back | null)[] = new Array((n + 1) * (C + 1)).fill(null);
  const at = (i: number, c: number) => i * (C + 1) + c;
  const relax = (i: number, c: number, v: number, b: Back) => {
    if (v < cost[at(i, c)]) {
      cost[at(i, c)] = v;
      back[at(i, c)] = b;
    }
  };
  cost[at(0, 0)] = 0;
  const prefix = prefixes(atoms);
  const pairAt = columns.findIndex((col, k) => col === "weight" && columns[k + 1] === "score");
  const tripleAt = columns.findIndex((col, k) => col === "name" && columns[k + 1] === "target" && columns[k + 2] === "actual");
  const doubleAt = columns.findIndex((col, k) => col === "target" && columns[k + 1] === "actual");
  for (let i = 0; i <= n; i++) {
    // Twice: a row that ends at i (state C) starts the next one at i (state 0), whose leading level
    // columns may then be skipped at i too.
    for (let pass = 0; pass < 2; pass++) {
      for (let c = 0; c < C; c++) {
        const here = cost[at(i, c)];
        if (here === INF || c === nameAt) continue;
        relax(i, c + 1, here + BLANK[columns[c]], { i, c, kind: "skip" });
      }
      const ended = cost[at(i, C)];
      if (ended !== INF) relax(i, 0, ended + ROW, { i, c: C, kind: "row" });
    }
    if (i === n) break;
    const start = cost[at(i, 0)];
    if (start !== INF) relax(i + 1, 0, start + junkCost(atoms[i]), { i, c: 0, kind: "junk" });
    for (let c = 0; c < C; c++) {
      const here = cost[at(i, c)];
      if (here === INF) continue;
      const col = columns[c];
      for (let j = i + 1; j <= n && j - i <= MAX_SPAN[col]; j++) {
        const f = fillCost(col, atoms, prefix, i, j);
        if (f !== INF) relax(j, c + 1, here + f, { i, c, kind: "fill" });
      }
      if (c === pairAt && splitPoints(atoms[i].text) && atoms[i].kind === "number") {
        relax(i + 1, c + 2, here + 1.2, { i, c, kind: "pair" });
      }
      // "1082辆车辆交付延迟…": 分值 10, 得分 8, and a reason that opens with "2辆".
      if (c === pairAt && columns[c + 2] === "reason" && atoms[i].kind === "quantity" && pointsAndRestCuts(atoms[i].text).length) {
        let end = i + 1;
        while (end < n && atoms[end].token === atoms[i].token && !atoms[end].level && end - i < MAX_SPAN.reason) end++;
        relax(end, c + 3, here + 2, { i, c, kind: "pairRest" });
      }
      if (c === tripleAt && atoms[i].kind === "text" && !atoms[i].level && splitRepeated(atoms[i].text)) {
        relax(i + 1, c + 3, here + 1.6, { i, c, kind: "triple" });
      }
      if (c === doubleAt && atoms[i].kind === "text" && !atoms[i].level && splitTwice(atoms[i].text)) {
        relax(i + 1, c + 2, here + 1.4, { i, c, kind: "double" });
      }
    }
  }
  // The stream may stop inside a row (an excerpt cut off): the row keeps what it has.
  let endC = 0;
  let best = cost[at(n, 0)];
  for (let c = nameAt + 1; c <= C; c++) {
    let v = cost[at(n, c)];
    for (let k = c; k < C; k++) v += BLANK[columns[k]] === INF ? 0 : BLANK[columns[k]];
    if (v < best) {
      best = v;
      endC = c;
    }
  }
  if (best === INF) return [];

  const rows: StreamRow[] = [];
  let row: StreamRow | null = null;
  let i = n;
  let c = endC;
  const steps: { b: Back; j: number }[] = [];
  while (!(i === 0 && c === 0)) {
    const b = back[at(i, c)];
    if (!b) break;
    steps.push({ b, j: i });
    i = b.i;
    c = b.c;
  }
  steps.reverse();
  for (const { b, j } of steps) {
    if (b.kind === "row" || b.kind === "junk") {
      if (row) rows.push(row);
      row = null;
      continue;
    }
    if (b.kind === "skip") continue;
    row ??= { line: atoms[b.i].line };
    if (b.kind === "pair") {
      const [w, s] = splitPoints(atoms[b.i].text)!;
      row.weight = { column: "weight", text: w, line: atoms[b.i].line, splitDigits: true };
      row.score = { column: "score", text: s, line: atoms[b.i].line, splitDigits: true };
      continue;
    }
    if (b.kind === "pairRest") {
      const cuts = pointsAndRestCuts(atoms[b.i].text);
      const line = atoms[b.i].line;
      const [w, sc, rest] = chooseByCompletion(cuts, row.target?.text ?? null, row.actual?.text ?? null) ?? ["", "", atoms[b.i].text.replace(/^\d+/, "")];
      if (w) {
        row.weight = { column: "weight", text: w, line, splitDigits: true };
        row.score = { column: "score", text: sc, line, splitDigits: true };
      }
      let text = rest;
      // The reason goes on in the atoms of the same token.
      for (let k = b.i + 1; k < j; k++) text += atoms[k].text;
      row.reason = { column: "reason", text, line };
      continue;
    }
    if (b.kind === "triple") {
      const [name, target, actual] = splitRepeated(atoms[b.i].text)!;
      const line = atoms[b.i].line;
      row.name = { column: "name", text: name, line, splitDigits: true, token: atoms[b.i].token };
      row.target = { column: "target", text: target, line };
      row.actual = { column: "actual", text: actual, line };
      continue;
    }
    if (b.kind === "double") {
      const x = splitTwice(atoms[b.i].text)!;
      row.target = { column: "target", text: x, line: atoms[b.i].line, splitDigits: true };
      row.actual = { column: "actual", text: x, line: atoms[b.i].line };
      continue;
    }
    const col = columns[b.c];
    let text = "";
    for (let k = b.i; k < j; k++) {
      text += k > b.i && atoms[k].token !== atoms[k - 1].token && /[\dA-Za-z]$/.test(text) && /^[\dA-Za-z]/.test(atoms[k].text) ? ` ${atoms[k].text}` : atoms[k].text;
    }
    row[col] = { column: col, text, line: atoms[b.i].line, token: atoms[b.i].token };
  }
  if (row) rows.push(row);
  return rows;
}
