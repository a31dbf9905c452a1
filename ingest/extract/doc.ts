import Decimal from "decimal.js";
import { isParagraph, type Cell, type DocumentModel, type Row, type Table } from "../document";
import { mapList } from "../arrays";
import { decimalOf } from "../normalize/numbers";
import { flat, labelKey, foldDigits, sentences, trimAll } from "../normalize/text";

/** A row of cells from either a real table or a run of space-separated paragraph lines. */
export interface GridRow {
  cells: Cell[];
  line: number;
}

export interface Grid {
  rows: GridRow[];
  line: number;
}

// Extractors look at the same document, cells, rows and paragraphs many times; each is normalised once
// and the result kept on the object itself under a symbol, so it lives exactly as long as the document.
// Not a WeakMap: V8 clears WeakMap entries only in full GCs, so every document (key and cached views)
// was promoted by the young-generation GC and parsing spent a sixth of its time collecting.
// One record per cell, rather than one property per form, keeps every cell the same shape.
const VIEWS = Symbol("documentViews");
const NORM = Symbol("cellNorm");
const ROW = Symbol("rowViews");

class CellNorm {
  text: string | undefined = undefined;
  key: string | undefined = undefined;
  header: string | undefined = undefined;
  num: Decimal | null | undefined = undefined;
}

/** A row's cell texts and header keys, each joined by "\u0000". */
class RowViews {
  texts: string | undefined = undefined;
  headers: string | undefined = undefined;
}

// Every field from the start, in one order: each accessor's load sees one object shape.
class DocumentViews {
  text: string | undefined = undefined;
  tables: Table[] | undefined = undefined;
  grids: Grid[] | undefined = undefined;
  paragraphs: ParagraphText[] | undefined = undefined;
}

type Cached = Cell & { [NORM]?: CellNorm };
type CachedRow = (Row | GridRow) & { [ROW]?: RowViews };

function views(doc: DocumentModel): DocumentViews {
  const cached = (doc as DocumentModel & { [VIEWS]?: DocumentViews })[VIEWS];
  if (cached) return cached;
  const made = new DocumentViews();
  // Hidden from enumeration, so a document still compares and copies as the plain model it is.
  Object.defineProperty(doc, VIEWS, { value: made });
  // Every row and cell gets its cache record before any extractor reads one: a row or cell that got it
  // later would change shape under the extractors' loops, and V8 would throw away their optimised code.
  for (const b of doc.blocks) if (b.type === "table") for (const row of b.rows) prepareRow(row);
  return made;
}

function prepareRow(row: Row | GridRow): void {
  rowViews(row);
  for (const c of row.cells) norm(c);
}

function norm(c: Cell): CellNorm {
  return ((c as Cached)[NORM] ??= new CellNorm());
}

function rowViews(row: Row | GridRow): RowViews {
  return ((row as CachedRow)[ROW] ??= new RowViews());
}

/** A paragraph's text; `folded` has full-width digits and signs folded. */
export interface ParagraphText {
  text: string;
  folded: string;
  line: number;
  /** The folded text's sentences, once read (see foldedSentences). */
  sentences: { text: string; start: number }[] | null;
}

/** Cell text as one line. */
export function cellText(c: Cell | undefined): string {
  if (!c) return "";
  const n = norm(c);
  return (n.text ??= flat(c.text));
}

export function cellKey(c: Cell | undefined): string {
  if (!c) return "";
  const n = norm(c);
  return (n.key ??= labelKey(c.text));
}

/** A cell or phrase that is only a number ("12", "３．５", "9 0") as a Decimal, else null. */
export function plainNumber(text: string): Decimal | null {
  const s = foldDigits(text).replace(/\s/g, "");
  return /^\d+(\.\d+)?$/.test(s) ? decimalOf(s) : null;
}

/** The cell's text as a plain number; Decimals are immutable, so one instance serves every reader. */
export function cellNumber(c: Cell | undefined): Decimal | null {
  if (!c) return null;
  const n = norm(c);
  if (n.num === undefined) n.num = plainNumber(cellText(c));
  return n.num;
}

/** The document's lines joined with "\n": what the header reads and the UI shows beside the facts. */
export function documentText(doc: DocumentModel): string {
  return (views(doc).text ??= doc.lines.join("\n"));
}

export function tables(doc: DocumentModel): Table[] {
  return (views(doc).tables ??= doc.blocks.filter((b): b is Table => b.type === "table"));
}

/**
 * Tables, plus grids rebuilt from paragraphs whose words are separated by spaces under a header
 * line such as "一级指标 权重分 得分" — some exports flatten small tables that way.
 */
export function grids(doc: DocumentModel): Grid[] {
  return (views(doc).grids ??= buildGrids(doc));
}

function buildGrids(doc: DocumentModel): Grid[] {
  const out: Grid[] = mapList(tables(doc), (t) => ({ rows: t.rows as GridRow[], line: t.line }));
  let run: GridRow[] = [];
  let width = 0;
  const paras = paragraphs(doc);
  let next = 0;
  for (const b of doc.blocks) {
    if (b.type !== "paragraph") {
      run = flushRun(out, run);
      width = 0;
      continue;
    }
    const folded = paras[next++].folded.trim();
    // A grid row has at least three words; most paragraphs are one run of text.
    if (!/\s/.test(folded)) {
      run = flushRun(out, run);
      width = 0;
      continue;
    }
    const words = folded.split(/\s+/);
    const isHeader = words.length >= 3 && words.length <= 8 && words.some((w) => /指标|项目/.test(w)) && words.some((w) => /得分|分值|权重/.test(w));
    const fits = run.length > 0 && words.length === width && words.slice(1).every((w) => /^[\d.%]+$/.test(w) || w === "-");
    if (isHeader) {
      run = flushRun(out, run);
      width = words.length;
      run.push(toRow(words, b.line));
    } else if (fits) {
      run.push(toRow(words, b.line));
    } else {
      run = flushRun(out, run);
      width = 0;
    }
  }
  flushRun(out, run);
  return out;
}

/** Keeps a run of two or more rows as a grid; returns the empty run to start the next. */
function flushRun(out: Grid[], run: GridRow[]): GridRow[] {
  if (run.length >= 2) out.push({ rows: run, line: run[0].line });
  return [];
}

function toRow(words: string[], line: number): GridRow {
  // Built like a reader's row and cells (same fields, same order), so extractors see one shape for both.
  const row: GridRow = { cells: mapList(words, (w): Cell => ({ text: trimAll(w), line, endLine: line })), line };
  prepareRow(row);
  return row;
}

/** A header cell's key without annotations such as （A）, （万元）, （B/A）, （%）. */
export function headerKey(c: Cell | undefined): string {
  if (!c) return "";
  const n = norm(c);
  if (n.header === undefined) {
    const key = cellKey(c);
    n.header = key.endsWith("）") ? key.replace(/(?:（[^（）]{0,8}）)+$/, "") : key;
  }
  return n.header;
}

/** Whether any cell's header key contains `word` — a cheap test before matching a row as a header. */
export function rowMentions(row: Row | GridRow, word: string): boolean {
  const v = rowViews(row);
  if (v.headers !== undefined) return v.headers.includes(word);
  // Most rows are figures, not headers: skip keying every cell of a row whose text lacks the word's first character.
  if (!rowHas(row, word[0])) return false;
  // The keys joined by a character no word contains: a hit cannot straddle two cells.
  return (v.headers = row.cells.map(headerKey).join("\u0000")).includes(word);
}

/**
 * Whether any cell's raw text contains `ch`. Keys only drop or fold characters (spaces, quotes, edge
 * punctuation, trailing annotations, full-width ASCII), so a key can hold a Chinese character only if
 * the text does: a cheap way to rule a row out before keying its cells.
 */
export function rowHas(row: Row | GridRow, ch: string): boolean {
  // Joined once: a row is asked about several characters by several extractors.
  return (rowViews(row).texts ??= joinTexts(row.cells)).includes(ch);
}

function joinTexts(cells: Cell[]): string {
  let joined = "";
  for (let i = 0; i < cells.length; i++) joined += i ? `\u0000${cells[i].text}` : cells[i].text;
  return joined;
}

/** Index of the first cell whose header key matches. */
export function findCol(row: Row | GridRow, re: RegExp, from = 0): number {
  for (let i = from; i < row.cells.length; i++) if (re.test(headerKey(row.cells[i]))) return i;
  return -1;
}

export function rowIsEmpty(row: Row | GridRow): boolean {
  return row.cells.every((c) => !cellText(c));
}

/** Paragraph texts with their lines, in document order. */
export function paragraphs(doc: DocumentModel): ParagraphText[] {
  return (views(doc).paragraphs ??= mapList(doc.blocks.filter(isParagraph), (b) => ({ text: b.text, folded: foldDigits(b.text), line: b.line, sentences: null })));
}

/** The sentences of a paragraph's folded text; several extractors read them. */
export function foldedSentences(p: ParagraphText): { text: string; start: number }[] {
  return (p.sentences ??= sentences(p.folded));
}

/**
 * Every match of a global pattern, as String#matchAll finds them, without the copy of the pattern
 * matchAll makes on each call (extractors run their patterns over every paragraph).
 */
export function allMatches(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(m);
    if (m[0] === "") re.lastIndex++;
  }
  return out;
}
