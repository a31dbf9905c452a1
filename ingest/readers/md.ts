/**
 * .md reader: pipe tables and paragraphs. Markdown is text, so `lines` are the file's own lines and
 * every block points at its real line number. Inline markup (**bold**, `code`, [links](…)) is
 * dropped from the text; heading marks and bullets too, numbering ("1、", "（一）") is kept.
 */
import type { Block, Cell, DocumentModel, Row } from "../document";
import { decodeText } from "./decode";
import { ReadError } from "./errors";

const SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

export async function readMarkdown(bytes: Uint8Array): Promise<DocumentModel> {
  const { text } = decodeText(bytes);
  const doc = markdownToDocument(text);
  if (doc.blocks.length === 0) throw new ReadError("empty_document", "Markdown 文件中没有文字内容 (the file has no text)");
  return doc;
}

export function markdownToDocument(text: string): DocumentModel {
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let inFence = false;
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i];
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      i++;
      continue;
    }
    if (!inFence && isTableStart(lines, i)) {
      const rows: Row[] = [];
      let j = i;
      while (j < lines.length && lines[j].includes("|") && lines[j].trim() !== "") {
        if (!SEPARATOR.test(lines[j])) {
          const cells: Cell[] = splitRow(lines[j]).map((t) => ({ text: inline(t).replace(/<br\s*\/?>/gi, "\n").trim(), line: j + 1, endLine: j + 1 }));
          rows.push({ cells, line: j + 1 });
        }
        j++;
      }
      blocks.push({ type: "table", rows, line: i + 1, endLine: j });
      i = j;
      continue;
    }
    const t = inFence ? raw.trim() : paragraphText(raw);
    if (t !== "") blocks.push({ type: "paragraph", text: t, line: i + 1 });
    i++;
  }
  return { blocks, lines };
}

/** A header line followed by a separator, or two or more lines that start with a pipe. */
function isTableStart(lines: string[], i: number): boolean {
  const line = lines[i];
  if (!line.includes("|")) return false;
  if (i + 1 < lines.length && SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes("-")) return true;
  return /^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|/.test(lines[i + 1]);
}

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cur = "";
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (c === "\\" && line[k + 1] === "|") {
      cur += "|";
      k++;
    } else if (c === "|") {
      cells.push(cur);
      cur = "";
    } else cur += c;
  }
  cells.push(cur);
  if (/^\s*\|/.test(line)) cells.shift();
  if (/\|\s*$/.test(line) && !/\\\|\s*$/.test(line)) cells.pop();
  return cells.map((c) => c.trim());
}

function paragraphText(raw: string): string {
  const s = raw
    .replace(/^\s{0,3}#{1,6}\s+/, "")
    .replace(/\s+#+\s*$/, "")
    .replace(/^\s*>\s?/, "")
    .replace(/^\s*[-*+]\s+(?=\S)/, "");
  if (/^\s*([-*_]\s*){3,}$/.test(s)) return "";
  return inline(s).trim();
}

function inline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1");
}
