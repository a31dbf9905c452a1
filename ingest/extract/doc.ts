import type { Cell, DocumentModel, Row, Table } from "../document";
import { flat, labelKey, foldDigits, trimAll } from "../normalize/text";

/** A row of cells from either a real table or a run of space-separated paragraph lines. */
export interface GridRow {
  cells: Cell[];
  line: number;
}

export interface Grid {
  rows: GridRow[];
  line: number;
}

// Extractors look at the same cells and paragraphs many times; each is normalised once and the
// result kept on the object under a symbol (faster than a WeakMap on this hot path).
const TEXT = Symbol("cellText");
const KEY = Symbol("cellKey");
const HEADER = Symbol("headerKey");
type Cached = Cell & { [TEXT]?: string; [KEY]?: string; [HEADER]?: string };
const paragraphCache = new WeakMap<DocumentModel, { text: string; folded: string; line: number }[]>();

/** Cell text as one line. */
export function cellText(c: Cell | undefined): string {
  if (!c) return "";
  const cc = c as Cached;
  return (cc[TEXT] ??= flat(c.text));
}

export function cellKey(c: Cell | undefined): string {
  if (!c) return "";
  const cc = c as Cached;
  return (cc[KEY] ??= labelKey(c.text));
}

export function tables(doc: DocumentModel): Table[] {
  return doc.blocks.filter((b): b is Table => b.type === "table");
}

/**
 * Tables, plus grids rebuilt from paragraphs whose words are separated by spaces under a header
 * line such as "一级指标 权重分 得分" — some exports flatten small tables that way.
 */
const gridCache = new WeakMap<DocumentModel, Grid[]>();

export function grids(doc: DocumentModel): Grid[] {
  let cached = gridCache.get(doc);
  if (!cached) gridCache.set(doc, (cached = buildGrids(doc)));
  return cached;
}

function buildGrids(doc: DocumentModel): Grid[] {
  const out: Grid[] = tables(doc).map((t) => ({ rows: t.rows as GridRow[], line: t.line }));
  let run: GridRow[] = [];
  let width = 0;
  const flush = () => {
    if (run.length >= 2) out.push({ rows: run, line: run[0].line });
    run = [];
    width = 0;
  };
  for (const b of doc.blocks) {
    if (b.type !== "paragraph") {
      flush();
      continue;
    }
    const words = foldDigits(b.text).trim().split(/\s+/);
    const isHeader = words.length >= 3 && words.length <= 8 && words.some((w) => /指标|项目/.test(w)) && words.some((w) => /得分|分值|权重/.test(w));
    const fits = run.length > 0 && words.length === width && words.slice(1).every((w) => /^[\d.%]+$/.test(w) || w === "-");
    if (isHeader) {
      flush();
      width = words.length;
      run.push(toRow(words, b.line));
    } else if (fits) {
      run.push(toRow(words, b.line));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

function toRow(words: string[], line: number): GridRow {
  return { line, cells: words.map((w) => ({ text: trimAll(w), line, endLine: line })) };
}

/** A header cell's key without annotations such as （A）, （万元）, （B/A）, （%）. */
export function headerKey(c: Cell | undefined): string {
  if (!c) return "";
  const cc = c as Cached;
  return (cc[HEADER] ??= cellKey(c).replace(/(?:（[^（）]{0,8}）)+$/, ""));
}

/** Whether any cell's header key contains `word` — a cheap test before matching a row as a header. */
export function rowMentions(row: Row | GridRow, word: string): boolean {
  return row.cells.some((c) => headerKey(c).includes(word));
}

/** Index of the first cell whose header key matches. */
export function findCol(row: Row | GridRow, re: RegExp, from = 0): number {
  for (let i = from; i < row.cells.length; i++) if (re.test(headerKey(row.cells[i]))) return i;
  return -1;
}

export function rowIsEmpty(row: Row | GridRow): boolean {
  return row.cells.every((c) => !cellText(c));
}

/** Paragraph texts with their lines, in document order; `folded` has full-width digits and signs folded. */
export function paragraphs(doc: DocumentModel): { text: string; folded: string; line: number }[] {
  let list = paragraphCache.get(doc);
  if (!list) {
    list = doc.blocks
      .filter((b) => b.type === "paragraph")
      .map((b) => {
        const text = (b as { text: string }).text;
        return { text, folded: foldDigits(text), line: b.line };
      });
    paragraphCache.set(doc, list);
  }
  return list;
}
