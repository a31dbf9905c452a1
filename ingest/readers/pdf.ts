/**
 * .pdf reader: the text layer (pdfjs-dist), lines rebuilt from glyph positions, not from the order the
 * file stores its strings. Tables are rebuilt from the page's ruling lines where it has them (Word, WPS
 * and LibreOffice draw every cell border): the lines give the grid, a missing border inside it a merged
 * cell, and each text run goes to the cell that contains it — so wrapped cell text stays in its cell
 * and a merged 一级指标 centred across its rows belongs to the first of them, as in the Word form.
 * Without rulings, consecutive lines whose runs fall into the same three or more columns become a
 * table. A PDF without a text layer (a scan) is refused with a message that says so; OCR is not
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

/** A table found from ruling lines, its rows in the docx convention, placed in the page's flow by its top. */
interface RuledTable {
  kind: "table";
  page: number;
  top: number;
  /** The grid's column edges, to join a table that continues on the next page. */
  columns: number[];
  rows: CellInput[][];
  /**
   * By grid column, for the cells that start in the last row: whether the cell's last line fills the
   * cell's width — text that wrapped there, so a row the page break cut may continue on the next page.
   */
  lastRowFull: boolean[];
}

interface Line {
  kind?: undefined;
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
  let items: (Line | RuledTable)[] = [];
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
      const rulings = rulingSegments(await page.getOperatorList(), pdfjs.OPS, page.view);
      const { tables, rest } = ruledTables(rulings, runs, p);
      const pageItems: (Line | RuledTable)[] = [...dropPageNumbers(groupLines(rest, p)), ...tables];
      pageItems.sort((a, b) => (a.kind === "table" ? a.top : a.y + a.size) - (b.kind === "table" ? b.top : b.y + b.size)).reverse();
      items.push(...pageItems);
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
  items = joinPageBreaks(items.filter((l) => l.kind === "table" || l.segments.length > 0));
  if (items.length === 0) {
    throw new ReadError("no_text_layer", "PDF 没有文字层（可能是扫描件），请提供可复制文字的版本；扫描件需先经 OCR 文字识别 (the PDF has no text layer: a scan needs OCR first — please provide a PDF with selectable text)");
  }
  return buildDocument(items);
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

function buildDocument(items: (Line | RuledTable)[]): DocumentModel {
  const builder = new DocumentBuilder();
  let run: Line[] = [];
  for (const item of items) {
    if (item.kind !== "table") {
      run.push(item);
      continue;
    }
    emitLines(builder, joinWrappedLines(run));
    run = [];
    builder.table(item.rows);
  }
  emitLines(builder, joinWrappedLines(run));
  return builder.build();
}

function emitLines(builder: DocumentBuilder, lines: Line[]): void {
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

/**
 * A paragraph wrapped over several lines is one paragraph: a single-run line that starts no further
 * right than the line above, at line spacing under it (up to 1.75 lines: CJK fonts set loosely), where
 * the line above reaches the right margin.
 */
function joinWrappedLines(lines: Line[]): Line[] {
  const right = new Map<number, number>();
  for (const l of lines) for (const s of l.segments) right.set(l.page, Math.max(right.get(l.page) ?? 0, s.end));
  const out: Line[] = [];
  for (const l of lines) {
    const prev = out[out.length - 1];
    if (
      prev &&
      prev.segments.length === 1 &&
      l.segments.length === 1 &&
      prev.page === l.page &&
      prev.y - l.y > 0 &&
      prev.y - l.y < l.size * 1.75 &&
      prev.segments[0].end >= (right.get(l.page) ?? 0) - 2 * l.size &&
      l.segments[0].x <= prev.segments[0].x + l.size * 0.5 &&
      !/^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))/.test(l.segments[0].text)
    ) {
      const a = prev.segments[0];
      a.text = joinText(a.text, l.segments[0].text);
      a.end = Math.max(a.end, l.segments[0].end);
      prev.y = l.y;
      continue;
    }
    out.push({ ...l, segments: l.segments.map((s) => ({ ...s })) });
  }
  return out;
}

/**
 * Signs that stay on a number's side (%, ‰, ℃, closing brackets and stops after it; ≥, ¥, opening
 * brackets before it): a narrow cell wraps "91.3%" as 91.3 / % where no space was, as it wraps a long
 * number inside its digits (2451183. / 00) — text that wrapped at a space has a word on either side.
 */
const CLINGS_AFTER = /^[%‰‱℃°)\]}>,.;:!?'"”’]/;
const CLINGS_BEFORE = /[([{<≥≤≧≦＞＜=+\-¥$€£“‘/]$/;
const NUMBER_GOES_ON = (a: string, b: string) => /\d[.,]?$/.test(a) && /^\d/.test(b);

/** Two pieces of wrapped text: no space where either side is CJK or a sign clings, one space between Latin words. */
function joinText(a: string, b: string): string {
  if (a === "") return b;
  if (b === "") return a;
  if (CJK.test(a.slice(-1)) || CJK.test(b[0]) || CLINGS_AFTER.test(b) || CLINGS_BEFORE.test(a) || NUMBER_GOES_ON(a, b)) return a + b;
  return `${a} ${b}`;
}

interface Segment1D {
  /** The fixed coordinate: y of a horizontal line, x of a vertical one. */
  at: number;
  from: number;
  to: number;
}

/** Page-space horizontal and vertical line segments the page strokes or fills (cell borders). */
function rulingSegments(
  ops: { fnArray: number[]; argsArray: unknown[] },
  OPS: Record<string, number>,
  view: number[],
): { h: Segment1D[]; v: Segment1D[] } {
  const h: Segment1D[] = [];
  const v: Segment1D[] = [];
  const pageArea = Math.abs((view[2] - view[0]) * (view[3] - view[1])) || 1;
  type M = [number, number, number, number, number, number];
  let ctm: M = [1, 0, 0, 1, 0, 0];
  const stack: M[] = [];
  const apply = (m: M, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
  const PAINT = new Set([OPS.stroke, OPS.closeStroke, OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const add = (x1: number, y1: number, x2: number, y2: number) => {
    const [ax, ay] = apply(ctm, x1, y1);
    const [bx, by] = apply(ctm, x2, y2);
    if (Math.abs(ay - by) <= 0.5 && Math.abs(ax - bx) > 2) h.push({ at: (ay + by) / 2, from: Math.min(ax, bx), to: Math.max(ax, bx) });
    else if (Math.abs(ax - bx) <= 0.5 && Math.abs(ay - by) > 2) v.push({ at: (ax + bx) / 2, from: Math.min(ay, by), to: Math.max(ay, by) });
  };
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) {
      const [a, b, c, d, e, f] = ops.argsArray[i] as number[];
      const m = ctm;
      ctm = [m[0] * a + m[2] * b, m[1] * a + m[3] * b, m[0] * c + m[2] * d, m[1] * c + m[3] * d, m[0] * e + m[2] * f + m[4], m[1] * e + m[3] * f + m[5]];
    } else if (fn === OPS.constructPath) {
      // A path that only clips (followed by endPath or a clip) draws nothing.
      if (!PAINT.has(ops.fnArray[i + 1])) continue;
      const [subOps, coords] = ops.argsArray[i] as [number[], number[]];
      let k = 0;
      let cx = 0;
      let cy = 0;
      let sx = 0;
      let sy = 0;
      for (const op of subOps) {
        if (op === OPS.rectangle) {
          const [x, y, w, hh] = coords.slice(k, k + 4);
          k += 4;
          const [p1x, p1y] = apply(ctm, x, y);
          const [p2x, p2y] = apply(ctm, x + w, y + hh);
          const width = Math.abs(p2x - p1x);
          const height = Math.abs(p2y - p1y);
          if (width <= 2.5 && height > 2) v.push({ at: (p1x + p2x) / 2, from: Math.min(p1y, p2y), to: Math.max(p1y, p2y) });
          else if (height <= 2.5 && width > 2) h.push({ at: (p1y + p2y) / 2, from: Math.min(p1x, p2x), to: Math.max(p1x, p2x) });
          else if (width * height < pageArea * 0.5) {
            // A cell drawn as a box: its four edges.
            add(x, y, x + w, y);
            add(x, y + hh, x + w, y + hh);
            add(x, y, x, y + hh);
            add(x + w, y, x + w, y + hh);
          }
        } else if (op === OPS.moveTo) {
          cx = sx = coords[k];
          cy = sy = coords[k + 1];
          k += 2;
        } else if (op === OPS.lineTo) {
          add(cx, cy, coords[k], coords[k + 1]);
          cx = coords[k];
          cy = coords[k + 1];
          k += 2;
        } else if (op === OPS.curveTo) {
          cx = coords[k + 4];
          cy = coords[k + 5];
          k += 6;
        } else if (op === OPS.curveTo2 || op === OPS.curveTo3) {
          cx = coords[k + 2];
          cy = coords[k + 3];
          k += 4;
        } else if (op === OPS.closePath) {
          add(cx, cy, sx, sy);
          cx = sx;
          cy = sy;
        }
      }
    }
  }
  return { h: mergeSegments(h), v: mergeSegments(v) };
}

/** Collinear segments that touch or overlap become one (borders are often drawn cell by cell). */
function mergeSegments(segs: Segment1D[]): Segment1D[] {
  const sorted = [...segs].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Segment1D[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.at - s.at) <= 1 && s.from <= last.to + 1.5) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** Coordinates within this many points are one grid line (double borders, rounding). */
const SNAP = 3;

function clusterValues(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of sorted) if (out.length === 0 || x - out[out.length - 1] > SNAP) out.push(x);
  return out;
}

/**
 * The ruled tables of a page: rulings that cross each other form a grid; a grid cell whose border to a
 * neighbour is not drawn is merged with it. Returns the tables and the text runs outside them.
 */
function ruledTables(rulings: { h: Segment1D[]; v: Segment1D[] }, runs: TextRun[], page: number): { tables: RuledTable[]; rest: TextRun[] } {
  const { h, v } = rulings;
  if (h.length < 2 || v.length < 2 || h.length * v.length > 250_000) return { tables: [], rest: runs };
  // Connected groups of crossing rulings: each is one table.
  const parent = [...h.map((_, i) => i), ...v.map((_, i) => h.length + i)];
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  h.forEach((a, i) =>
    v.forEach((b, j) => {
      if (b.at >= a.from - SNAP && b.at <= a.to + SNAP && a.at >= b.from - SNAP && a.at <= b.to + SNAP) parent[find(i)] = find(h.length + j);
    }),
  );
  const groups = new Map<number, { h: Segment1D[]; v: Segment1D[] }>();
  h.forEach((s, i) => {
    const g = groups.get(find(i)) ?? { h: [], v: [] };
    g.h.push(s);
    groups.set(find(i), g);
  });
  v.forEach((s, j) => {
    const g = groups.get(find(h.length + j)) ?? { h: [], v: [] };
    g.v.push(s);
    groups.set(find(h.length + j), g);
  });
  const tables: RuledTable[] = [];
  let rest = runs;
  for (const g of groups.values()) {
    const xs = clusterValues(g.v.map((s) => s.at));
    const ys = clusterValues(g.h.map((s) => s.at)).reverse(); // top first
    if (xs.length < 3 || ys.length < 3) continue; // a box or a rule under a heading, not a table
    const table = gridTable(g, xs, ys, rest, page);
    rest = table.rest;
    tables.push(table.table);
  }
  return { tables, rest };
}

function gridTable(g: { h: Segment1D[]; v: Segment1D[] }, xs: number[], ys: number[], runs: TextRun[], page: number): { table: RuledTable; rest: TextRun[] } {
  const nr = ys.length - 1;
  const nc = xs.length - 1;
  const near = (a: number, b: number) => Math.abs(a - b) <= SNAP;
  const hasV = (x: number, y: number) => g.v.some((s) => near(s.at, x) && s.from - SNAP <= y && s.to + SNAP >= y);
  const hasH = (y: number, x: number) => g.h.some((s) => near(s.at, y) && s.from - SNAP <= x && s.to + SNAP >= x);
  const parent = Array.from({ length: nr * nc }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  for (let r = 0; r < nr; r++) {
    const midY = (ys[r] + ys[r + 1]) / 2;
    for (let c = 0; c < nc; c++) {
      const midX = (xs[c] + xs[c + 1]) / 2;
      if (c + 1 < nc && !hasV(xs[c + 1], midY)) union(r * nc + c, r * nc + c + 1);
      if (r + 1 < nr && !hasH(ys[r + 1], midX)) union(r * nc + c, (r + 1) * nc + c);
    }
  }
  // Each merged region's extent on the grid.
  const regions = new Map<number, { r0: number; r1: number; c0: number; c1: number; runs: TextRun[] }>();
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const root = find(r * nc + c);
      const reg = regions.get(root);
      if (!reg) regions.set(root, { r0: r, r1: r, c0: c, c1: c, runs: [] });
      else {
        reg.r0 = Math.min(reg.r0, r);
        reg.r1 = Math.max(reg.r1, r);
        reg.c0 = Math.min(reg.c0, c);
        reg.c1 = Math.max(reg.c1, c);
      }
    }
  }
  const rest: TextRun[] = [];
  for (const run of runs) {
    const cx = run.x + run.width / 2;
    const cy = run.y + run.size * 0.35;
    if (cx < xs[0] || cx > xs[nc] || cy > ys[0] || cy < ys[nr]) {
      rest.push(run);
      continue;
    }
    let c = 0;
    while (c < nc - 1 && cx > xs[c + 1]) c++;
    let r = 0;
    while (r < nr - 1 && cy < ys[r + 1]) r++;
    regions.get(find(r * nc + c))!.runs.push(run);
  }
  // The cells' inset: the least gap between a grid line and the text right of it (left-aligned and
  // full lines sit there). A line as wide as the cell less its insets, to within a glyph, is full.
  let inset = Infinity;
  for (const reg of regions.values()) for (const run of reg.runs) inset = Math.min(inset, run.x - xs[reg.c0]);
  inset = Number.isFinite(inset) ? Math.max(0, inset) : 0;
  const lastRowFull = new Array<boolean>(nc).fill(false);
  for (const reg of regions.values()) {
    if (reg.r0 !== nr - 1 || reg.runs.length === 0) continue;
    const lines = groupLines(reg.runs, page);
    const last = lines[lines.length - 1];
    const width = Math.max(...last.runs.map((r) => r.x + r.width)) - Math.min(...last.runs.map((r) => r.x));
    lastRowFull[reg.c0] = width >= xs[reg.c1 + 1] - xs[reg.c0] - 2 * inset - last.size;
  }
  const rows: CellInput[][] = [];
  for (let r = 0; r < nr; r++) {
    const cells: CellInput[] = [];
    for (let c = 0; c < nc; ) {
      const reg = regions.get(find(r * nc + c))!;
      const cell: CellInput = { text: reg.r0 === r ? cellTextOf(reg.runs, page) : "" };
      if (reg.c1 > reg.c0) cell.colSpan = reg.c1 - reg.c0 + 1;
      if (reg.r0 === r && reg.r1 > reg.r0) cell.rowSpan = reg.r1 - reg.r0 + 1;
      cells.push(cell);
      c = reg.c1 + 1;
    }
    rows.push(cells);
  }
  return { table: { kind: "table", page, top: ys[0], columns: xs, rows, lastRowFull }, rest };
}

/** A cell's runs as its text: lines top to bottom, wrapped lines joined as the words run on. */
function cellTextOf(runs: TextRun[], page: number): string {
  if (runs.length === 0) return "";
  let text = "";
  for (const line of groupLines(runs, page)) text = joinText(text, line.segments.map((s) => s.text).join(" "));
  return text;
}

/**
 * A table the page break cut in two: the next page's first item is a table on the same columns.
 * Word and LibreOffice also let a row break across the page, which leaves the rest of its wrapped cells
 * in a first row of their own on the next page; that row is joined back (see continuesRow).
 */
function joinPageBreaks(items: (Line | RuledTable)[]): (Line | RuledTable)[] {
  const out: (Line | RuledTable)[] = [];
  for (const item of items) {
    const prev = out[out.length - 1];
    if (
      item.kind === "table" &&
      prev?.kind === "table" &&
      item.page === prev.page + 1 &&
      item.columns.length === prev.columns.length &&
      item.columns.every((x, i) => Math.abs(x - prev.columns[i]) <= SNAP)
    ) {
      const rows = continuesRow(prev, item.rows) ? joinSplitRow(prev.rows, item.rows) : item.rows;
      prev.rows.push(...rows);
      prev.lastRowFull = item.rows.length > 1 || rows === item.rows ? item.lastRowFull : prev.lastRowFull.map((f, c) => f && item.lastRowFull[c]);
      continue;
    }
    out.push(item);
  }
  return out;
}

/** Grid column where each cell of a row starts (the rows list every grid column, spans included). */
function startColumns(row: CellInput[]): number[] {
  const out: number[] = [];
  let c = 0;
  for (const cell of row) {
    out.push(c);
    c += cell.colSpan ?? 1;
  }
  return out;
}

/**
 * The next page's first row is the rest of the row the page break cut when every cell with text in it
 * continues a cell of the same columns that starts in the last row and whose last line is full — the
 * cell wrapped there, so its text goes on. A new row whose cells line up under short, complete texts
 * (a name that ends mid-line, a number) stays a row of its own.
 */
function continuesRow(prev: RuledTable, next: CellInput[][]): boolean {
  const last = prev.rows[prev.rows.length - 1];
  const first = next[0];
  if (!last || !first) return false;
  const lastStarts = startColumns(last);
  const firstStarts = startColumns(first);
  let any = false;
  for (let i = 0; i < first.length; i++) {
    if (first[i].text === "") continue;
    any = true;
    const k = lastStarts.indexOf(firstStarts[i]);
    if (k < 0 || last[k].text === "" || (last[k].colSpan ?? 1) !== (first[i].colSpan ?? 1) || !prev.lastRowFull[firstStarts[i]]) return false;
  }
  return any;
}

/** Joins the next page's first row into the last row; returns the next page's other rows. */
function joinSplitRow(rows: CellInput[][], next: CellInput[][]): CellInput[][] {
  const last = rows[rows.length - 1];
  const [first, ...rest] = next;
  const lastStarts = startColumns(last);
  const firstStarts = startColumns(first);
  first.forEach((cell, i) => {
    if (cell.text !== "") {
      const target = last[lastStarts.indexOf(firstStarts[i])];
      target.text = joinText(target.text, cell.text);
    }
    // A merged cell that began with the cut row's rest now begins on the row after it.
    const span = cell.rowSpan ?? 1;
    if (span > 1 && rest.length > 0) {
      const below = rest[0][startColumns(rest[0]).indexOf(firstStarts[i])];
      if (below && span - 1 > 1) below.rowSpan = span - 1;
    }
  });
  return rest;
}
