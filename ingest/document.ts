/**
 * The document model every reader produces and every extractor reads.
 * A report becomes an ordered list of blocks: paragraphs and tables. Each carries the
 * 1-based source line numbers it came from so that a value can be traced back to the file
 * (for binary formats the "line" is the paragraph/row ordinal the reader assigns).
 */

export interface Paragraph {
  type: "paragraph";
  text: string;
  line: number;
}

export interface Cell {
  /** Cell text, trimmed; lines inside a cell are joined with "\n". Empty string for an empty or merged-away cell. */
  text: string;
  line: number;
  endLine: number;
  /** How many grid columns/rows this cell spans, when the reader knows (docx/xlsx/html). */
  colSpan?: number;
  rowSpan?: number;
}

export interface Row {
  cells: Cell[];
  line: number;
}

export interface Table {
  type: "table";
  rows: Row[];
  line: number;
  endLine: number;
}

export type Block = Paragraph | Table;

export interface DocumentModel {
  blocks: Block[];
  /** The text lines as read, for showing the source next to the extracted facts. */
  lines: string[];
}

export function isTable(b: Block): b is Table {
  return b.type === "table";
}

export function isParagraph(b: Block): b is Paragraph {
  return b.type === "paragraph";
}
