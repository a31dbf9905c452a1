import type { Block, Cell, DocumentModel, Row, Table } from "../document";
import { stripArtefacts, trimAll } from "../normalize/text";

/**
 * Plain text (a Word file dumped to text) → document model.
 *
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
      const continuesEmptyCell = width !== null && row.length < width && row[row.length - 1].text === "";
      if (blanks === 0 || continuesEmptyCell) {
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

/** Number of tab-cells from line i up to the next blank line. */
function cellsAhead(lines: string[], i: number): number {
  let n = 0;
  for (let j = i; j < lines.length && lines[j].trim() !== ""; j++) if (lines[j].startsWith("\t")) n++;
  return n;
}
