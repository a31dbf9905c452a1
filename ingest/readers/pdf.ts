/**
 * .pdf reader: the text layer (pdfjs-dist), lines rebuilt from glyph positions and tables rebuilt
 * where the layout allows — consecutive lines whose text runs fall into the same three or more
 * columns. A PDF without a text layer (a scan) is refused with a message that says so; OCR is not
 * Jixiao's job.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { DocumentModel } from "../document";
import { DocumentBuilder, type CellInput } from "./builder";
import { ReadError } from "./errors";
import { isPdfFile } from "./sniff";

interface TextRun {
  x: number;
  y: number;
  width: number;
  size: number;
  text: string;
}

interface Segment {
  x: number;
  end: number;
  text: string;
}

interface Line {
  page: number;
  y: number;
  size: number;
  runs: TextRun[];
  segments: Segment[];
}

/** pdfjs's own CMaps and standard fonts, so non-embedded Chinese fonts (UniGB-UCS2-H …) decode. */
function pdfjsAssets(): { cMapUrl: string; standardFontDataUrl: string; workerSrc: string } {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve("pdfjs-dist/package.json"));
  return {
    cMapUrl: path.join(root, "cmaps") + path.sep,
    standardFontDataUrl: path.join(root, "standard_fonts") + path.sep,
    workerSrc: pathToFileURL(path.join(root, "legacy", "build", "pdf.worker.mjs")).href,
  };
}

async function loadPdfjs() {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const assets = pdfjsAssets();
  if (!pdfjs.GlobalWorkerOptions.workerSrc) pdfjs.GlobalWorkerOptions.workerSrc = assets.workerSrc;
  return { pdfjs, assets };
}

export async function readPdf(bytes: Uint8Array): Promise<DocumentModel> {
  if (!isPdfFile(bytes)) throw new ReadError("not_pdf", "不是有效的 PDF 文件（文件头不是 %PDF）(not a PDF file)");
  const { pdfjs, assets } = await loadPdfjs();
  // pdfjs takes ownership of (and detaches) the buffer it is given, and refuses a Node Buffer:
  // hand it a plain copy (Buffer#slice would be a view, not a copy).
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: assets.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: assets.standardFontDataUrl,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  let lines: Line[] = [];
  try {
    const pdf = await task.promise;
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
      const runs: TextRun[] = [];
      for (const item of content.items) {
        if (!("str" in item) || item.str.trim() === "") continue;
        const [a, b, c, d, e, f] = item.transform as number[];
        const size = Math.hypot(c, d) || Math.hypot(a, b) || item.height || 10;
        runs.push({ x: e, y: f, width: item.width, size, text: item.str });
      }
      lines.push(...dropPageNumbers(groupLines(runs, p)));
      page.cleanup();
    }
    await pdf.destroy();
  } catch (e) {
    if (e instanceof ReadError) throw e;
    const name = e instanceof Error ? e.name : "";
    if (name === "PasswordException") {
      throw new ReadError("encrypted_pdf", "PDF 已加密（需要密码），请提供未加密的版本 (the PDF is password-protected)");
    }
    throw new ReadError("corrupt_pdf", `PDF 文件已损坏，无法读取 (the PDF cannot be read: ${e instanceof Error ? e.message : String(e)})`);
  } finally {
    await task.destroy().catch(() => undefined);
  }
  lines = lines.filter((l) => l.segments.length > 0);
  if (lines.length === 0) {
    throw new ReadError("no_text_layer", "PDF 没有文字层（可能是扫描件），请提供可复制文字的版本 (the PDF has no text layer — a scan? Please provide a PDF with selectable text)");
  }
  return buildDocument(lines);
}

/** Runs on the same baseline (within half a glyph) form a line; lines top to bottom, runs left to right. */
function groupLines(runs: TextRun[], page: number): Line[] {
  const sorted = [...runs].sort((p, q) => q.y - p.y || p.x - q.x);
  const lines: Line[] = [];
  for (const run of sorted) {
    const tolerance = run.size * 0.5;
    let target: Line | undefined;
    for (let i = lines.length - 1; i >= 0 && i >= lines.length - 3; i--) {
      if (Math.abs(lines[i].y - run.y) <= tolerance) {
        target = lines[i];
        break;
      }
    }
    if (target) target.runs.push(run);
    else lines.push({ page, y: run.y, size: run.size, runs: [run], segments: [] });
  }
  for (const line of lines) {
    line.runs.sort((p, q) => p.x - q.x);
    line.size = Math.max(...line.runs.map((r) => r.size));
    line.segments = segmentsOf(line);
  }
  return lines;
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/** Runs split where the gap is wider than a glyph: separate columns. Smaller gaps are word spaces (not between CJK characters). */
function segmentsOf(line: Line): Segment[] {
  const segments: Segment[] = [];
  let cur: Segment | null = null;
  for (const run of line.runs) {
    const text = run.text.replace(/\s+/g, " ");
    if (cur) {
      const gap = run.x - cur.end;
      if (gap > line.size * 1.0) {
        segments.push(cur);
        cur = null;
      } else {
        const needsSpace = gap > line.size * 0.2 && !CJK.test(cur.text.slice(-1)) && !CJK.test(text.trimStart()[0] ?? "");
        cur.text += (needsSpace && !cur.text.endsWith(" ") && !text.startsWith(" ") ? " " : "") + text;
        cur.end = Math.max(cur.end, run.x + run.width);
        continue;
      }
    }
    cur = { x: run.x, end: run.x + run.width, text };
  }
  if (cur) segments.push(cur);
  return segments.map((s) => ({ ...s, text: s.text.trim() })).filter((s) => s.text !== "");
}

/** Page furniture: a line that is only a page number ("3", "- 3 -", "第 3 页", "3/12"). */
function dropPageNumbers(lines: Line[]): Line[] {
  const isPageNumber = (l: Line) => {
    const t = l.segments.map((s) => s.text).join(" ").trim();
    return /^[-—–\s]*\d{1,4}[-—–\s]*$/.test(t) || /^第\s*\d+\s*页(\s*[,，/共]\s*共?\s*\d+\s*页)?$/.test(t) || /^\d{1,4}\s*\/\s*\d{1,4}$/.test(t);
  };
  return lines.filter((l, i) => !((i === 0 || i === lines.length - 1) && isPageNumber(l)));
}

function buildDocument(lines: Line[]): DocumentModel {
  const builder = new DocumentBuilder();
  let i = 0;
  while (i < lines.length) {
    // A candidate table: consecutive lines of two or more segments, and within them single-run
    // lines set as tight as wrapped cell text (they continue a cell of the row above).
    let j = i;
    while (j < lines.length && (lines[j].segments.length >= 2 || (j > i && isTightBelow(lines[j - 1], lines[j])))) j++;
    while (j > i && lines[j - 1].segments.length < 2) j--;
    const run = lines.slice(i, j);
    const table = j - i >= 2 ? tableFrom(run) : null;
    if (table) {
      builder.table(table);
      i = j;
      continue;
    }
    const stop = Math.max(j, i + 1);
    for (const line of lines.slice(i, stop)) builder.paragraph(line.segments.map((s) => s.text).join(" "));
    i = stop;
  }
  return builder.build();
}

/** A line set closer under another than a table row would be: wrapped text of the same cell. */
function isTightBelow(above: Line, below: Line): boolean {
  const gap = above.y - below.y;
  return above.page === below.page && gap > 0 && gap < below.size * 1.3;
}

/** Column anchors from the segments' left edges; a table needs three or more columns shared by its rows. */
function tableFrom(lines: Line[]): CellInput[][] | null {
  const size = Math.max(...lines.map((l) => l.size));
  const xs = lines.flatMap((l) => l.segments.map((s) => s.x)).sort((a, b) => a - b);
  const anchors: number[] = [];
  for (const x of xs) if (anchors.length === 0 || x - anchors[anchors.length - 1] > size) anchors.push(x);
  if (anchors.length < 3 || !lines.some((l) => l.segments.length >= 3)) return null;
  // Every column must be used by at least two rows, or the "columns" are just ragged text.
  const columnOf = (x: number) => {
    let k = 0;
    for (let a = 0; a < anchors.length; a++) if (anchors[a] <= x + size * 0.5) k = a;
    return k;
  };
  const usage = new Array<number>(anchors.length).fill(0);
  for (const l of lines) for (const k of new Set(l.segments.map((s) => columnOf(s.x)))) usage[k]++;
  if (usage.filter((u) => u >= 2).length < 3) return null;
  const rows: CellInput[][] = [];
  let prevLine: Line | null = null;
  for (const l of lines) {
    const cells: string[] = new Array<string>(anchors.length).fill("");
    for (const s of l.segments) {
      const k = columnOf(s.x);
      cells[k] = cells[k] === "" ? s.text : `${cells[k]} ${s.text}`;
    }
    // A line set tighter than a row (wrapped cell text) continues the row above where it has text.
    const prev = rows[rows.length - 1];
    const tight = prevLine !== null && isTightBelow(prevLine, l);
    if (prev && tight && cells.every((t, k) => t === "" || prev[k].text !== "")) {
      cells.forEach((t, k) => {
        if (t !== "") prev[k].text += `\n${t}`;
      });
    } else rows.push(cells.map((text) => ({ text })));
    prevLine = l;
  }
  return rows;
}
