import type { Block, Cell, DocumentModel, Row, Table } from "../document";
import { mapList } from "../arrays";
import { stripArtefacts, trimAll } from "../normalize/text";

/**
 * Plain text → document model. Three ways of writing a table are told apart by the lines themselves:
 * pipe rows copied from a web page ("| a | b |"), rows with tab-separated cells ("a\tb\tc"), and the
 * Word dump below. Other layouts (one cell per line, a flattened line, cells run together) stay
 * paragraphs here; the template reader recovers their cells from the token stream.
 *
 * In a Word dump
 * In such dumps a table cell is a line starting with a tab; a cell may continue on lines without a
 * tab; a blank line ends a row. Word also leaves empty paragraphs inside cells, which show up as
 * blank lines in the middle of a row. Those are told apart from row ends by the table's shape: if
 * the row so far plus the next run of cells makes exactly the width of the previous row, the blank
 * line was inside the row; and text after blank lines continues an empty cell while its row is still
 * short of that width.
 */
export function textToDocument(text: string): DocumentModel {
  const body = text.replace(/^\ufeff/, "");
  const split = body.includes("\r") ? body.split(/\r\n|\r|\n/) : body.split("\n");
  // Artefacts are rare; one look at the whole text spares a look at every line.
  const lines = body.includes("[bookmark:") ? split.map(stripArtefacts) : split;
  const blocks: Block[] = [];
  let table: Table | null = null;
  let row: Cell[] | null = null;
  let blanks = 0;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const delimited = isPipeRow(raw) ? "pipe" : isTabRow(raw) ? "tab" : null;
    if (delimited) {
      if (table) {
        closeTable(blocks, table, row);
        table = null;
        row = null;
      }
      i = delimitedTable(lines, i, delimited, blocks) - 1;
      blanks = 0;
      continue;
    }
    if (!raw.startsWith("\t") && !/\S/.test(raw)) {
      blanks++;
      continue;
    }
    if (raw.startsWith("\t")) {
      // The leading tab is white space that trimming drops anyway; no sliced copy is needed.
      const cell: Cell = { text: trimAll(raw), line: lineNo, endLine: lineNo };
      if (!table) {
        table = { type: "table", rows: [], line: lineNo, endLine: lineNo };
        row = [];
      } else if (blanks > 0) {
        const width = widthBefore(table);
        const n = row ? row.length : 0;
        const insideRow = width !== null && n > 0 && n < width && n + cellsAhead(lines, i) === width;
        if (!insideRow) {
          closeRow(table, row);
          row = [];
        }
      }
      if (!row) row = [];
      row.push(cell);
      blanks = 0;
      continue;
    }
    // A line without a leading tab.
    if (table && row && row.length) {
      const width = widthBefore(table);
      // After blank lines, text continues only an empty cell of a row still short of the table's width:
      // Word puts a merged cell's text below empty paragraphs. Anything else is the paragraph after the table.
      // Such text is followed by the rest of its row; text after the table's last row is followed by more text.
      const continuesEmptyCell = width !== null && row.length < width && row[row.length - 1].text === "" && nextIsCell(lines, i);
      // A figure does not wrap onto a line of words: such a line is the paragraph after the table.
      // Nor does a cell go on with a section heading ("二、偏差原因", "（三）…", "附件1").
      const afterFigure =
        (/^[\d.,%\s]+$/.test(row[row.length - 1].text) && row[row.length - 1].text !== "" && /^\s*[\u4e00-\u9fa5]/.test(raw)) ||
        /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|附件\s*\d)/.test(raw);
      if ((blanks === 0 && !afterFigure) || continuesEmptyCell) {
        const cell = row[row.length - 1];
        const piece = trimAll(raw);
        cell.text = cell.text ? (piece ? `${cell.text}\n${piece}` : cell.text) : piece;
        cell.endLine = lineNo;
        blanks = 0;
        continue;
      }
    }
    if (table) {
      closeTable(blocks, table, row);
      table = null;
      row = null;
    }
    const textLine = trimAll(raw);
    if (textLine) blocks.push({ type: "paragraph", text: textLine, line: lineNo });
    blanks = 0;
  }
  if (table) closeTable(blocks, table, row);
  return { blocks, lines };
}

// Helpers of textToDocument, kept outside it so that a call builds no closures.

/** A pipe-table row: starts with "|", or holds two pipes between text (a row copied without its edge). */
function isPipeRow(line: string): boolean {
  const t = line.trim();
  if (t.startsWith("|")) return t.length > 1;
  // two pipes at least: most lines have none, and the pattern below scans a long line to the end
  const first = t.indexOf("|");
  return first > 0 && t.indexOf("|", first + 1) > 0 && /\S\s*\|.*\|/.test(t);
}

/** Cells separated by tabs within a line; a Word dump never has a tab after a cell's text. */
function isTabRow(line: string): boolean {
  return /[^\t\s][ ]*\t+[ ]*[^\t\s]/.test(line);
}

const PIPE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/**
 * Reads a run of pipe or tab rows from line `start` into a table; returns the line after it. A pipe
 * row wrapped by the copy continues on a line that does not start with a pipe: its first piece
 * ends the row's last cell.
 */
function delimitedTable(lines: string[], start: number, kind: "pipe" | "tab", blocks: Block[]): number {
  const rows: Row[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    if (!/\S/.test(raw)) {
      // One blank line inside a pipe table is a copy's artefact; two end it.
      if (kind === "pipe" && i + 1 < lines.length && isPipeRow(lines[i + 1])) continue;
      break;
    }
    if (kind === "pipe" && PIPE_SEPARATOR.test(raw)) continue;
    const isRow = kind === "pipe" ? raw.trim().startsWith("|") : isTabRow(raw) || raw.startsWith("\t");
    const pieces = kind === "pipe" ? splitPipes(raw) : raw.split("\t");
    const lineNo = i + 1;
    if (!isRow && !(kind === "pipe" && raw.includes("|") && rows.length)) break;
    const cells: Cell[] = mapList(pieces, (p) => ({ text: trimAll(p), line: lineNo, endLine: lineNo }));
    if (!isRow && rows.length) {
      const last = rows[rows.length - 1];
      const tail = last.cells[last.cells.length - 1];
      // The row broke inside a cell when its line did not end with a pipe; otherwise between cells.
      if (/\|\s*$/.test(lines[i - 1] ?? "")) last.cells.push(...cells);
      else {
        tail.text = `${tail.text}${cells[0].text}`;
        tail.endLine = lineNo;
        last.cells.push(...cells.slice(1));
      }
      continue;
    }
    rows.push({ cells, line: lineNo });
  }
  if (rows.length) {
    const last = rows[rows.length - 1];
    blocks.push({ type: "table", rows, line: rows[0].line, endLine: last.cells[last.cells.length - 1]?.endLine ?? last.line });
  }
  return Math.max(i, start + 1);
}

function splitPipes(line: string): string[] {
  const t = line.trim();
  const inner = t.startsWith("|") ? t.slice(1) : t;
  const body = inner.endsWith("|") ? inner.slice(0, -1) : inner;
  return body.split("|");
}

function widthBefore(table: Table): number | null {
  return table.rows.length ? table.rows[table.rows.length - 1].cells.length : null;
}

function closeRow(table: Table, row: Cell[] | null): void {
  if (row && row.length) table.rows.push({ cells: row, line: row[0].line } satisfies Row);
}

function closeTable(blocks: Block[], table: Table, row: Cell[] | null): void {
  closeRow(table, row);
  if (table.rows.length) {
    const last = table.rows[table.rows.length - 1];
    table.endLine = last.cells[last.cells.length - 1].endLine;
    blocks.push(table);
  }
}

/** Whether the first line after line i that is not blank, nor text running on from line i, is a tab-cell. */
function nextIsCell(lines: string[], i: number): boolean {
  let j = i + 1;
  while (j < lines.length && !lines[j].startsWith("\t") && lines[j].trim() !== "") j++;
  while (j < lines.length && !lines[j].startsWith("\t") && lines[j].trim() === "") j++;
  return j < lines.length && lines[j].startsWith("\t");
}

/** Number of tab-cells from line i up to the next blank line. */
function cellsAhead(lines: string[], i: number): number {
  let n = 0;
  for (let j = i; j < lines.length && lines[j].trim() !== ""; j++) if (lines[j].startsWith("\t")) n++;
  return n;
}
