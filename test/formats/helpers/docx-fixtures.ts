/**
 * .docx fixtures written with the `docx` package: from a document model (e.g. a seed's text dump read
 * at test time) or from plain rows. Vertical merges are written as real w:vMerge, horizontal ones
 * as w:gridSpan, so the reader's merge handling is exercised.
 */
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { DocumentModel } from "../../../ingest/document";

export interface FixtureCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
}

export type FixtureBlock = { paragraph: string } | { table: FixtureCell[][] };

function cellParagraphs(text: string): Paragraph[] {
  return text.split("\n").map((line) => new Paragraph({ children: [new TextRun(line)] }));
}

/**
 * Rows of cells → a docx Table. A cell with rowSpan covers the cells below it: those rows must not
 * list them (the docx package writes the w:vMerge continuation cells itself).
 */
function tableOf(rows: FixtureCell[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(
      (cells) =>
        new TableRow({
          children: cells.map(
            (c) =>
              new TableCell({
                children: cellParagraphs(c.text),
                ...(c.colSpan && c.colSpan > 1 ? { columnSpan: c.colSpan } : {}),
                ...(c.rowSpan && c.rowSpan > 1 ? { rowSpan: c.rowSpan } : {}),
              }),
          ),
        }),
    ),
  });
}

export async function buildDocx(blocks: FixtureBlock[]): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    if ("paragraph" in b) children.push(new Paragraph({ children: [new TextRun(b.paragraph)] }));
    else {
      children.push(tableOf(b.table));
      // Word needs a paragraph between two tables or it joins them.
      children.push(new Paragraph(""));
    }
  }
  const doc = new Document({ sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/**
 * A text dump's document model → the rows a Word table would have had. The dump loses merges, so
 * they are put back the way Word forms use them: a short row's last cell spans the rest of the grid
 * (w:gridSpan), and an empty cell in the first two columns under a filled one, in rows of the same
 * shape, continues a vertical merge (w:vMerge). Reading the .docx must give back the dump's cells.
 */
export function mergedRowsFromDump(rows: { cells: { text: string }[] }[]): FixtureCell[][] {
  const width = Math.max(...rows.map((r) => r.cells.length));
  const out: (FixtureCell | null)[][] = rows.map((r) =>
    r.cells.map((c, i) => {
      const cell: FixtureCell = { text: c.text };
      if (i === r.cells.length - 1 && r.cells.length < width) cell.colSpan = width - r.cells.length + 1;
      return cell;
    }),
  );
  for (let col = 0; col < 2; col++) {
    for (let r = 0; r < out.length; r++) {
      const head = out[r][col];
      if (!head || head.text === "" || rows[r].cells.length !== width) continue;
      let n = 1;
      while (r + n < out.length && rows[r + n].cells.length === width && out[r + n][col]?.text === "") {
        out[r + n][col] = null; // covered by the merge: written by the docx package as w:vMerge
        n++;
      }
      if (n > 1) head.rowSpan = n;
    }
  }
  return out.map((r) => r.filter((c): c is FixtureCell => c !== null));
}

/** A document model (e.g. the text reader's reading of a seed dump) → a .docx with real tables. */
export async function docxFromModel(model: DocumentModel): Promise<Uint8Array> {
  const blocks: FixtureBlock[] = model.blocks.map((b) =>
    b.type === "paragraph" ? { paragraph: b.text } : { table: mergedRowsFromDump(b.rows) },
  );
  return buildDocx(blocks);
}
