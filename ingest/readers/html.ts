/**
 * .html/.htm reader for reports copied from government websites or saved from Word as a web page:
 * paragraphs and tables (colspan → one cell with colSpan; rowspan → "" in the rows it continues
 * into, as in a Word table), entities decoded, script/style/head content ignored. A small tolerant
 * tokenizer: HTML in the wild omits end tags and nests badly, so structure comes from the few tags
 * that matter and everything else only breaks or joins text.
 */
import type { DocumentModel } from "../document";
import { DocumentBuilder, hasText, type CellInput } from "./builder";
import { decodeText } from "./decode";
import { ReadError } from "./errors";

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ensp: " ", emsp: " ", thinsp: " ",
  ldquo: "“", rdquo: "”", lsquo: "‘", rsquo: "’", middot: "·", hellip: "…", mdash: "—", ndash: "–",
  times: "×", divide: "÷", le: "≤", ge: "≥", ne: "≠", plusmn: "±", yen: "¥", copy: "©", reg: "®",
  deg: "°", permil: "‰", bull: "•", laquo: "«", raquo: "»", lt_: "<", sup2: "²", sup3: "³", frac12: "½",
  shy: "", zwnj: "", zwj: "", lrm: "", rlm: "", iexcl: "¡", sect: "§", para: "¶", micro: "µ", cent: "¢",
  pound: "£", euro: "€", trade: "™", rarr: "→", larr: "←", uarr: "↑", darr: "↓", radic: "√", infin: "∞",
  asymp: "≈", equiv: "≡", there4: "∴", prime: "′", Prime: "″", alpha: "α", beta: "β", gamma: "γ", delta: "δ",
};

export function decodeHtmlEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (code === 0xa0) return " ";
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
    }
    return NAMED[body] ?? whole;
  });
}

/** Elements whose content is never report text. */
const SKIPPED_CONTENT = new Set(["script", "style", "head", "title", "noscript", "template", "svg", "math", "object", "iframe", "select", "button"]);
/** Elements that start a new line of text. */
const BLOCK = new Set([
  "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer",
  "main", "nav", "aside", "blockquote", "pre", "hr", "center", "form", "address", "figure", "figcaption", "caption", "fieldset",
  "legend", "body", "html",
]);

interface CellState {
  text: string;
  colSpan: number;
  rowSpan: number;
}
interface TableState {
  rows: CellInput[][];
  row: CellInput[] | null;
  cell: CellState | null;
  /** <caption> text: the table's title, read as a paragraph before it. */
  caption: string;
  inCaption: boolean;
}

/** Decodes HTML bytes: a declared charset (GB2312/GBK/GB18030 is common on .gov.cn) wins, else detection. */
function decodeHtml(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096));
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)/i.exec(head)?.[1]?.toLowerCase();
  const hasBom = bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe;
  if (!hasBom && declared && /^(gb2312|gbk|gb18030|x-gbk|cp936)$/.test(declared)) {
    try {
      return new TextDecoder("gb18030", { fatal: true }).decode(bytes);
    } catch {
      // the declaration lies; fall back to detection
    }
  }
  return decodeText(bytes).text;
}

export async function readHtml(bytes: Uint8Array): Promise<DocumentModel> {
  const html = decodeHtml(bytes);
  if (!/<\s*(html|body|p|div|table|tr|td|h[1-6]|br|span)\b/i.test(html)) {
    throw new ReadError("not_html", "文件不是 HTML 网页（没有 HTML 标签）(not an HTML document: no HTML markup found)");
  }
  const doc = htmlToDocument(html);
  if (!hasText(doc)) throw new ReadError("empty_document", "网页中没有文字内容 (the page has no text)");
  return doc;
}

export function htmlToDocument(html: string): DocumentModel {
  const builder = new DocumentBuilder();
  let paragraph = "";
  const tables: TableState[] = [];
  let preDepth = 0;

  const flushParagraph = () => {
    builder.paragraph(paragraph);
    paragraph = "";
  };
  const write = (text: string) => {
    const top = tables[tables.length - 1];
    if (!top) paragraph += text;
    else if (top.inCaption) top.caption += text;
    else if (top.cell) top.cell.text += text;
    else if (text.trim() !== "") {
      // Text loose between rows (bad markup): keep it as a cell of its own row rather than lose it.
      top.rows.push([{ text: text.trim() }]);
    }
  };
  const closeCell = (t: TableState) => {
    if (!t.cell) return;
    if (!t.row) t.row = [];
    const cell: CellInput = { text: tidy(t.cell.text) };
    if (t.cell.colSpan > 1) cell.colSpan = t.cell.colSpan;
    if (t.cell.rowSpan > 1) cell.rowSpan = t.cell.rowSpan;
    t.row.push(cell);
    t.cell = null;
  };
  const closeRow = (t: TableState) => {
    closeCell(t);
    if (t.row && t.row.length > 0) t.rows.push(t.row);
    t.row = null;
  };
  const closeTable = () => {
    const t = tables.pop();
    if (!t) return;
    closeRow(t);
    const rows = expandRowSpans(t.rows);
    const outer = tables[tables.length - 1];
    if (outer) {
      // A table inside a cell is flattened into the cell's text, one line per row.
      const text = rows.map((r) => r.map((c) => c.text.replace(/\s*\n\s*/g, " ")).filter((s) => s !== "").join(" ")).filter((s) => s !== "").join("\n");
      const captioned = t.caption.trim() === "" ? text : `${tidy(t.caption)}\n${text}`;
      if (outer.cell) outer.cell.text += `\n${captioned}\n`;
      else if (captioned !== "") outer.rows.push([{ text: captioned }]);
    } else {
      builder.paragraph(tidy(t.caption));
      builder.table(rows);
    }
  };

  const tagRe = /<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\?[^>]*>|<\/?([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(html)) !== null) {
    if (m.index > last) write(textOf(html.slice(last, m.index), preDepth > 0));
    last = tagRe.lastIndex;
    const name = m[1]?.toLowerCase();
    if (!name) continue; // comment, doctype, <![if …]> markers
    const closing = m[0][1] === "/";
    const attrs = m[2] ?? "";
    if (!closing && SKIPPED_CONTENT.has(name) && !/\/\s*$/.test(attrs)) {
      const end = new RegExp(`</${name}\\s*>`, "ig");
      end.lastIndex = tagRe.lastIndex;
      const e = end.exec(html);
      last = tagRe.lastIndex = e ? end.lastIndex : html.length;
      continue;
    }
    const top = tables[tables.length - 1];
    switch (name) {
      case "table":
        if (closing) closeTable();
        else {
          if (tables.length === 0) flushParagraph();
          tables.push({ rows: [], row: null, cell: null, caption: "", inCaption: false });
        }
        break;
      case "tr":
        if (top) {
          closeRow(top);
          if (!closing) top.row = [];
        }
        break;
      case "td":
      case "th":
        if (top) {
          closeCell(top);
          if (!closing) top.cell = { text: "", colSpan: spanAttr(attrs, "colspan"), rowSpan: spanAttr(attrs, "rowspan") };
        }
        break;
      case "caption":
        if (top) top.inCaption = !closing;
        break;
      case "br":
        write("\n");
        break;
      case "pre":
        preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
        write("\n");
        break;
      default:
        if (BLOCK.has(name)) {
          if (tables.length === 0) flushParagraph();
          else write("\n");
        }
    }
  }
  if (last < html.length) write(textOf(html.slice(last), preDepth > 0));
  while (tables.length > 0) closeTable();
  flushParagraph();
  return builder.build();
}

function textOf(raw: string, pre: boolean): string {
  const decoded = decodeHtmlEntities(pre ? raw : raw.replace(/[ \t\r\n\f]+/g, " "));
  return decoded.replace(/\u00a0/g, " ");
}

/** Cell text: each line trimmed, blank lines dropped. */
function tidy(s: string): string {
  return s
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .filter((l) => l !== "")
    .join("\n");
}

function spanAttr(attrs: string, name: string): number {
  const m = new RegExp(`\\b${name}\\s*=\\s*["']?\\s*(\\d+)`, "i").exec(attrs);
  const n = m ? Number(m[1]) : 1;
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 1000) : 1;
}

/** rowspan → "" cells at the same grid position in the rows below, as Word's vertical merge reads. */
export function expandRowSpans(rows: CellInput[][]): CellInput[][] {
  const pending = new Map<number, { remaining: number; colSpan: number }>();
  const out: CellInput[][] = [];
  for (const row of rows) {
    const cells: CellInput[] = [];
    let col = 0;
    const fillPending = () => {
      let p = pending.get(col);
      while (p) {
        const filler: CellInput = { text: "" };
        if (p.colSpan > 1) filler.colSpan = p.colSpan;
        cells.push(filler);
        p.remaining--;
        if (p.remaining <= 0) pending.delete(col);
        col += p.colSpan;
        p = pending.get(col);
      }
    };
    for (const cell of row) {
      fillPending();
      cells.push(cell);
      const span = cell.colSpan ?? 1;
      if ((cell.rowSpan ?? 1) > 1) pending.set(col, { remaining: (cell.rowSpan ?? 1) - 1, colSpan: span });
      col += span;
    }
    // Spans to the right of the row's last cell.
    const maxPending = Math.max(-1, ...pending.keys());
    while (col <= maxPending) {
      if (pending.has(col)) fillPending();
      else col++;
    }
    out.push(cells);
  }
  return out;
}
