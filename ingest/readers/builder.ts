/**
 * Builds a DocumentModel for formats that have no source lines of their own (docx, xlsx, pdf, html).
 * The synthesized `lines` are the text dump the document would give (the layout of the seeds:
 * one line per paragraph, each table cell on its own line starting with a tab, a blank line after
 * each table row), so the line numbers in provenance point at something a person can read, and
 * the text reader run over `lines.join("\n")` would rebuild the same blocks.
 */
import type { Block, Cell, DocumentModel, Row } from "../document";

export interface CellInput {
  text: string;
  colSpan?: number;
  rowSpan?: number;
}

/** Control characters go; every other character, NBSP and ideographic space included, stays as the document has it. */
function cleanLine(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").replace(/\s+$/u, "");
}

export class DocumentBuilder {
  private readonly lines: string[] = [];
  private readonly blocks: Block[] = [];

  /** Adds one paragraph per non-blank line of `text`. */
  paragraph(text: string): void {
    for (const raw of text.split(/\r\n|\r|\n/)) {
      const line = cleanLine(raw);
      const trimmed = line.trim();
      if (trimmed === "") continue;
      // A paragraph that starts with a tab would read back as a table cell; the tab carries no meaning there.
      this.lines.push(line.replace(/^\t+/, ""));
      this.blocks.push({ type: "paragraph", text: trimmed, line: this.lines.length });
    }
  }

  /** Adds a table; rows with no cells are dropped, a table with no rows adds nothing. */
  table(input: CellInput[][]): void {
    const rows: Row[] = [];
    for (const cellsIn of input) {
      if (cellsIn.length === 0) continue;
      const cells: Cell[] = [];
      for (const c of cellsIn) {
        const textLines = c.text
          .split(/\r\n|\r|\n/)
          .map((l) => cleanLine(l).replace(/\t/g, " ").trim());
        while (textLines.length > 1 && textLines[textLines.length - 1] === "") textLines.pop();
        while (textLines.length > 1 && textLines[0] === "") textLines.shift();
        const first = this.lines.length + 1;
        textLines.forEach((l, i) => this.lines.push(i === 0 ? `\t${l}` : l));
        const cell: Cell = { text: textLines.join("\n").trim(), line: first, endLine: this.lines.length };
        if (c.colSpan !== undefined && c.colSpan > 1) cell.colSpan = c.colSpan;
        if (c.rowSpan !== undefined && c.rowSpan > 1) cell.rowSpan = c.rowSpan;
        cells.push(cell);
      }
      rows.push({ cells, line: cells[0].line });
      this.lines.push("");
    }
    if (rows.length === 0) return;
    const last = rows[rows.length - 1].cells;
    this.blocks.push({ type: "table", rows, line: rows[0].line, endLine: last[last.length - 1].endLine });
  }

  isEmpty(): boolean {
    return this.blocks.length === 0;
  }

  build(): DocumentModel {
    return { blocks: this.blocks, lines: this.lines };
  }
}

/** True when no cell of the document and no paragraph has any visible text. */
export function hasText(doc: DocumentModel): boolean {
  return doc.blocks.some((b) =>
    b.type === "paragraph" ? b.text.trim() !== "" : b.rows.some((r) => r.cells.some((c) => c.text.trim() !== "")),
  );
}
