/**
 * The template reader: the 项目支出绩效自评表 read from the document's token stream, anchored on the
 * template's labels in their order (header block → 项目资金 → 年度总体目标 → 绩效指标 → 总分) and reading
 * the values between labels by their type. It reaches the same facts whether the table came as cells,
 * a broken pipe table, one cell per line, one flattened line or cells run together. The header-index
 * extractors stay the first strategy where a table's rows line up; extractReport picks per part.
 */
import Decimal from "decimal.js";
import type { DocumentModel } from "../../document";
import { atomize, type Atom } from "../../normalize/atoms";
import { decimalOf } from "../../normalize/numbers";
import { toHalfWidth, trimAll } from "../../normalize/text";
import type { IndicatorStatement } from "../indicators";
import type { ItemRow } from "../scoring";
import { inWan, placeFigures, placeGluedRow, readFigure, type BudgetColumn, type BudgetFigure, type BudgetRowValues } from "./budget";
import { BUDGET_COLUMNS, HEADER_LABELS, INDICATOR_COLUMNS, type LabelKind } from "./labels";
import { readRows, splitPoints, type Column, type StreamAtom, type StreamRow } from "./rows";
import { templateTokens, type Token } from "./tokens";

export interface TemplateBudgetRow {
  name: string;
  values: BudgetRowValues;
  line: number;
  /** The figures, as written, for messages. */
  text: string;
}

export interface LowConfidence {
  field: string;
  text: string;
  line: number;
  why: string;
  /** The value was left out rather than guessed. */
  doubtful?: boolean;
}

export interface TemplateReading {
  header: Partial<Record<"project" | "department" | "unit", { value: string; line: number }>>;
  budget: { unit: "元" | "万元"; unitStated: boolean; total: TemplateBudgetRow | null; sources: TemplateBudgetRow[] } | null;
  indicators: IndicatorStatement[];
  /** The 自评表's own scoring: the execution-rate row and every weighted indicator. */
  items: ItemRow[];
  total: { weight: Decimal | null; score: Decimal | null; line: number } | null;
  /** 一级指标 cells as written ("产出指标（40分）"), which may state their category's weight. */
  level1Cells: { text: string; line: number }[];
  lowConfidence: LowConfidence[];
}

const SECTION_HEADING = /^(?:[一二三四五六七八九十]+、|附件\s*\d*|附表\s*\d*|[（(][一二三四五六七八九十]+[)）]|填表人|填报人|联系电话|填报日期|审核人|负责人[：:])/;

export function readTemplate(doc: DocumentModel): TemplateReading {
  const tokens = templateTokens(doc);
  const reading: TemplateReading = { header: {}, budget: null, indicators: [], items: [], total: null, level1Cells: [], lowConfidence: [] };
  readHeader(tokens, reading);
  const budgetEnd = readBudget(tokens, reading);
  readIndicators(tokens, Math.max(0, budgetEnd), reading);
  return reading;
}

function readHeader(tokens: Token[], reading: TemplateReading): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    if (!t.label || !HEADER_LABELS.has(t.label)) continue;
    const kind = t.label as "project" | "department" | "unit";
    if (reading.header[kind]) continue;
    const next = tokens[i + 1];
    if (next.label) continue;
    const value = trimAll(next.text).replace(/^[：:]/, "");
    // A value with clause punctuation or an aside is running text, which the sentence reader knows better.
    if (value.length < 2 || value.length > 60 || readFigure(value) || /[，,。；;]|简称|下称/.test(value)) continue;
    reading.header[kind] = { value, line: next.line };
  }
}

const MONEY_COLUMNS: BudgetColumn[] = ["initial", "adjusted", "spent", "received", "rate"];

/** Reads the 项目资金 block; returns the index after it, or -1 when there is none. */
function readBudget(tokens: Token[], reading: TemplateReading): number {
  // The block's header: a run of at least two money or rate labels. A lone "执行率：96%" in running
  // text before the table is not one, and the search goes on after it.
  let start = -1;
  let j = 0;
  let columns: BudgetColumn[] = [];
  for (let i = 0; i < tokens.length && start < 0; i++) {
    if (!tokens[i].label || !MONEY_COLUMNS.includes(tokens[i].label as BudgetColumn)) continue;
    const found: BudgetColumn[] = [];
    let k = i;
    let stray = 0;
    for (; k < tokens.length; k++) {
      const l = tokens[k].label;
      if (l && BUDGET_COLUMNS.has(l)) {
        if (!found.includes(l as BudgetColumn)) found.push(l as BudgetColumn);
        stray = 0;
      } else if (!l && stray < 1 && !readFigure(tokens[k].text)) {
        stray++;
      } else break;
    }
    if (found.filter((c) => MONEY_COLUMNS.includes(c)).length >= 2) {
      start = i;
      j = k;
      columns = found;
    } else i = k - 1;
  }
  if (start < 0) return -1;

  // The unit: a bracket on the block's labels ("项目资金（元）"), or a "单位：元" nearby.
  let unit: "元" | "万元" = "万元";
  let unitStated = false;
  for (let k = Math.max(0, start - 8); k < j; k++) {
    const t = tokens[k];
    const stated = (t.label ? t.annotation : null) ?? /单位[：:]\s*(万元|元)/.exec(t.text)?.[1] ?? null;
    if (stated === "元" || stated === "万元") {
      unit = stated;
      unitStated = true;
    }
  }

  const rows: { name: string; figures: BudgetFigure[] | null; raw: string; line: number }[] = [];
  let k = j;
  for (; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.label === "totalRow" || t.label === "sourceRow" || t.label === "total") {
      let figures: BudgetFigure[] | null = [];
      let raw = "";
      let m = k + 1;
      for (; m < tokens.length && !tokens[m].label && /^[\d.,%—–－\-/一\s]+$/.test(toHalfWidth(tokens[m].text)); m++) {
        raw += raw ? ` ${tokens[m].text}` : tokens[m].text;
        const figs = figuresOf(tokens[m].text);
        if (!figs) figures = null;
        else figures?.push(...figs);
      }
      rows.push({ name: t.text.replace(/^其中[：:]?/, "").replace(/[：:]$/, ""), figures, raw, line: t.line });
      k = m - 1;
      continue;
    }
    if (t.label && !BUDGET_COLUMNS.has(t.label) && t.label !== "funds") break;
    if (!t.label && rows.length && !figuresOf(t.text)) break;
  }
  if (!rows.length) return -1;

  let like: BudgetRowValues | null = null;
  let total: TemplateBudgetRow | null = null;
  const sources: TemplateBudgetRow[] = [];
  rows.forEach((row, idx) => {
    // Figures that ran together are cut where the arithmetic confirms it; a cell-by-cell row is fitted.
    const figures = row.figures ?? [];
    const fitted = placeFigures(columns, figures, like);
    // Cut again when the cells as they stand do not add up: "2020" may be 20 and 20.
    const mayBeGlued = row.figures === null || (row.figures.length < columns.length && (row.figures.some((f) => isGlued(f.text)) || (!fitted.confirmed && row.figures.some((f) => f.percent))));
    const glued = mayBeGlued ? placeGluedRow(columns, row.raw, like) : null;
    const placed = glued ?? fitted;
    const text = row.raw;
    if (glued) {
      reading.lowConfidence.push({ field: "budget", text: `${row.name}${row.raw}`, line: row.line, why: "资金行的数字连在一起，按执行率勾稽关系拆分" });
    } else if (row.figures === null && row.raw) {
      reading.lowConfidence.push({ field: "budget", text: `${row.name}${row.raw}`, line: row.line, why: "资金行的数字连在一起且无法唯一拆分，该行留空", doubtful: true });
    }
    for (const col of placed.doubtful) {
      reading.lowConfidence.push({ field: `budget.${col}`, text: `${row.name} ${text}`, line: row.line, why: "资金行的数字少于栏目，无法确定各数字所属栏目，该项留空", doubtful: true });
    }
    if (!glued && placed.inferred && Object.keys(placed.values).length) {
      reading.lowConfidence.push({ field: "budget", text: `${row.name} ${text}`, line: row.line, why: `资金行只有${figures.length}个数字而有${columns.length}个栏目，按执行率等勾稽关系推定各数字所属栏目` });
    }
    const values = inWan(placed.values, unit);
    const rec: TemplateBudgetRow = { name: row.name, values, line: row.line, text };
    if (idx === 0 && !/财政|结转|其他|自筹|补助/.test(row.name)) {
      total = rec;
      like = placed.values;
    } else if (Object.keys(values).length) {
      sources.push(rec);
    }
  });
  // Without a stated unit, amounts of hundreds of thousands are 元: no county project is 10 亿.
  if (!unitStated) {
    const amounts = [total as TemplateBudgetRow | null, ...sources].flatMap((r) => (r ? [r.values.adjusted, r.values.initial, r.values.spent] : [])).filter((v): v is Decimal => !!v);
    if (amounts.some((v) => v.gte(100000))) {
      unit = "元";
      for (const r of [total as TemplateBudgetRow | null, ...sources]) if (r) r.values = inWan(r.values, "元");
      reading.lowConfidence.push({ field: "budget", text: amounts.map((a) => a.toFixed()).join(" "), line: rows[0].line, why: "资金表未注明单位，金额达十万以上，按“元”换算为万元" });
    }
  }
  reading.budget = { unit, unitStated, total, sources };
  const t = total as TemplateBudgetRow | null;
  if (t && t.values.weight) {
    reading.items.push({ level1: "预算执行", level2: null, name: "预算执行率", weight: t.values.weight, score: t.values.score ?? null, line: t.line });
  }
  return k;
}

/** A figure too long to be one amount: cells that ran together ("460460115", "120150138.61092"). */
function isGlued(text: string): boolean {
  const s = toHalfWidth(text).replace(/\s/g, "");
  return /\d\.\d*\.|\.\d{3,}|\d{7,}|%./.test(s);
}

/** The figures of one token: "32.5", "14%", "—"; a token of glued figures reads as several. */
function figuresOf(text: string): BudgetFigure[] | null {
  const whole = readFigure(text);
  if (whole) return [whole];
  const atoms = atomize(text);
  if (!atoms.length) return null;
  const out: BudgetFigure[] = [];
  for (const a of atoms) {
    const f = a.kind === "placeholder" || a.kind === "number" || a.kind === "quantity" ? readFigure(a.text) : null;
    if (!f) return null;
    out.push(f);
  }
  return out;
}

const COLUMN_OF: Partial<Record<LabelKind, Column>> = {
  level1Col: "level1",
  level2Col: "level2",
  nameCol: "name",
  target: "target",
  actual: "actual",
  weight: "weight",
  score: "score",
  completion: "completion",
  reason: "reason",
};

function readIndicators(tokens: Token[], from: number, reading: TemplateReading): void {
  let i = from;
  while (i < tokens.length) {
    const header = findIndicatorHeader(tokens, i);
    if (!header) return;
    const { columns, end } = header;
    const atoms: StreamAtom[] = [];
    let k = end;
    for (; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.label === "total" || t.label === "project" || (t.label && MONEY_COLUMNS.includes(t.label as BudgetColumn) && t.label !== "rate")) break;
      if (!t.label && SECTION_HEADING.test(t.text)) break;
      // A row has at most one cell of prose (its reason, last): two paragraphs of prose running are the
      // text after the table.
      if (!t.label && isProse(t.text) && k + 1 < tokens.length && !tokens[k + 1].label && isProse(tokens[k + 1].text)) break;
      // A second header starts the next table (targets again, or a scoring framework after them).
      if (k > end && (t.label === "level1Col" || t.label === "level2Col" || t.label === "nameCol" || (t.label && INDICATOR_COLUMNS.has(t.label) && headerAt(tokens, k)))) break;
      if (t.label === "level1" || t.label === "level2") {
        atoms.push({ kind: "text", text: t.text, start: 0, token: k, line: t.line, level: t.label });
        continue;
      }
      if (t.label && t.label !== "reason" && t.label !== "completion") {
        // A label word inside the block ("绩效指标" of a vertical merged cell): not a value.
        if (INDICATOR_COLUMNS.has(t.label) || t.label === "indicators") continue;
      }
      for (const a of atomize(t.text)) for (const part of splitDoubledValue(a)) atoms.push({ ...part, token: k, line: t.line, level: null });
    }
    const rows = readRows(atoms, columns);
    collect(rows, atoms, reading);
    if (k < tokens.length && tokens[k].label === "total") readTotal(tokens, k, reading);
    i = Math.max(k, end) + 1;
  }
}

/**
 * Cells run together, an indicator met in words: "工作效率提高明显改善明显改善" is a name, a target
 * and the same words again as the actual. Nothing else in such a line marks where a cell ends, but
 * a word written twice at its end is the target and actual of a qualitative indicator: those are
 * split off, so that the rows can place them. (A name does not end in one word twice.)
 */
const DOUBLED_VALUE = /^([\u4e00-\u9fa5][\u4e00-\u9fa5（）()]+?)([\u4e00-\u9fa5]{2,6})\2$/;

function splitDoubledValue(a: Atom): (Atom & { paired?: boolean })[] {
  if (a.kind !== "text") return [a];
  const m = DOUBLED_VALUE.exec(a.text);
  if (!m || m[1].length < 2) return [a];
  const w = m[2].length;
  return [
    { kind: "text", text: m[1], start: a.start },
    { kind: "text", text: m[2], start: a.start + m[1].length, paired: true },
    { kind: "text", text: m[2], start: a.start + m[1].length + w, paired: true },
  ];
}

/** The 绩效指标 header: a run of column labels with 指标值 and 完成值 among them. */
function findIndicatorHeader(tokens: Token[], from: number): { columns: Column[]; end: number } | null {
  for (let i = from; i < tokens.length; i++) {
    const l = tokens[i].label;
    if (!l || !INDICATOR_COLUMNS.has(l)) continue;
    const found = headerAt(tokens, i);
    if (found) return found;
  }
  return null;
}

/** The header whose labels start at token i, if they make one. */
function headerAt(tokens: Token[], i: number): { columns: Column[]; end: number } | null {
  const kinds: LabelKind[] = [];
  let j = i;
  let gap = 0;
  for (; j < tokens.length; j++) {
    const lj = tokens[j].label;
    if (lj && INDICATOR_COLUMNS.has(lj)) {
      kinds.push(lj);
      gap = 0;
    } else if (lj === "indicators") {
      gap = 0;
    } else if (gap < 2 && !lj && !kinds.includes("target")) {
      // Goal text interleaved with the header cells of a broken pipe table.
      gap++;
    } else break;
  }
  while (j > i && !tokens[j - 1].label) j--;
  if (!kinds.includes("target") || !kinds.includes("actual")) return null;
  const columns: Column[] = [];
  for (const kind of kinds) {
    const col = COLUMN_OF[kind];
    if (col && !columns.includes(col)) columns.push(col);
  }
  if (!columns.includes("name")) {
    const firstValue = columns.findIndex((c) => c !== "level1" && c !== "level2");
    columns.splice(firstValue < 0 ? columns.length : firstValue, 0, "name");
  }
  // Level columns are optional at the start of every row, whether or not the header names them.
  if (!columns.includes("level2")) columns.unshift("level2");
  if (!columns.includes("level1")) columns.unshift("level1");
  return { columns, end: j };
}

/** A sentence or more of running text, not a table cell's value. */
function isProse(text: string): boolean {
  return text.length >= 30 && /[，。；]/.test(text) && /[。；]|，.*，/.test(text);
}

function cleanName(text: string): string {
  return trimAll(
    text
      .replace(/^★/, "")
      .replace(/^指标\d+[：:．.、]?/, "")
      .replace(/^其中[：:]?/, "")
      .replace(/^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）])\s*/, ""),
  );
}

function collect(rows: StreamRow[], atoms: StreamAtom[], reading: TemplateReading): void {
  const tokenTexts = new Map<number, string>();
  for (const a of atoms) tokenTexts.set(a.token, (tokenTexts.get(a.token) ?? "") + a.text);
  let level1: string | null = null;
  let level2: string | null = null;
  for (const row of rows) {
    if (row.level1) {
      reading.level1Cells.push({ text: row.level1.text, line: row.level1.line });
      level1 = row.level1.text.replace(/^★/, "").replace(/[（(][^）)]*[)）]$/, "");
      level2 = null;
    }
    if (row.level2) level2 = row.level2.text;
    if (!row.name || (!row.target && !row.actual)) continue;
    const name = cleanName(row.name.text);
    if (!name) continue;
    const value = (c: typeof row.target) => (c && !/^(?:[-—–－/／…]+|无)$/.test(c.text) ? c.text : null);
    const num = (c: typeof row.weight) => {
      const m = c ? /^(\d+(?:\.\d+)?)分?$/.exec(c.text.replace(/\s/g, "")) : null;
      return m ? decimalOf(m[1]) : null;
    };
    const reason = row.reason && !/^(?:[-—–－/／…]+|无|0|无偏差|未偏差)$/.test(row.reason.text) ? row.reason.text : null;
    const rate = row.completion ? /(\d+(?:\.\d+)?)/.exec(row.completion.text)?.[1] ?? null : null;
    reading.indicators.push({
      origin: "table",
      level1,
      level2,
      name,
      target: value(row.target),
      actual: value(row.actual),
      weight: num(row.weight),
      score: num(row.score),
      completionRate: rate ? decimalOf(rate) : null,
      deviationReason: reason,
      line: row.name.line,
    });
    const weight = num(row.weight);
    if (weight) reading.items.push({ level1, level2, name, weight, score: num(row.score), line: row.name.line });
    if (row.weight?.splitDigits) {
      reading.lowConfidence.push({ field: `indicators.${name}.weight`, text: `${row.weight.text}${row.score?.text ?? ""}`, line: row.name.line, why: "分值与得分连在一起，按得分不高于分值拆分" });
    }
    if (runTogether(row, tokenTexts)) {
      reading.lowConfidence.push({ field: `indicators.${name}`, text: [row.name, row.target, row.actual, row.weight, row.score].filter(Boolean).map((c) => c!.text).join("|"), line: row.name.line, why: "单元格连在一起，按数值类型拆分" });
    }
  }
}

/** Whether three cells of a row came out of one token, that is, the copy ran cells together. */
function runTogether(row: StreamRow, tokenTexts: Map<number, string>): boolean {
  const cells = [row.name, row.target, row.actual, row.weight, row.score].filter((c) => c && c.text);
  const text = tokenTexts.get(row.name?.token ?? -1) ?? "";
  let inside = 0;
  for (const c of cells) if (text.includes(c!.text)) inside++;
  return inside >= 3;
}

function readTotal(tokens: Token[], k: number, reading: TemplateReading): void {
  const figures: Decimal[] = [];
  for (let m = k + 1; m < tokens.length && m < k + 4 && !tokens[m].label; m++) {
    const f = readFigure(tokens[m].text);
    if (f?.value) figures.push(f.value);
    else if (!f) {
      const glued = /^\d+$/.test(tokens[m].text) ? splitTotal(tokens[m].text) : null;
      if (glued) figures.push(...glued);
      break;
    }
  }
  if (figures.length === 1 && figures[0].gt(100)) {
    const glued = splitTotal(figures[0].toFixed());
    if (glued) figures.splice(0, 1, ...glued);
  }
  if (!figures.length) return;
  const weight = figures.length >= 2 ? figures[figures.length - 2] : null;
  const score = figures[figures.length - 1];
  if (score.gt(weight ?? 100)) return;
  reading.total = { weight, score, line: tokens[k].line };
}

/** "10094" after 总分: the full marks 100 and the score. */
function splitTotal(digits: string): Decimal[] | null {
  if (digits.startsWith("100") && digits.length > 3) return [decimalOf("100"), decimalOf(digits.slice(3))];
  const pair = splitPoints(digits);
  return pair ? [decimalOf(pair[0]), decimalOf(pair[1])] : null;
}
