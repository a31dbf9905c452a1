/**
 * .docx reader: the OOXML of word/document.xml read directly (no HTML detour), so that table
 * structure survives exactly — rows, cells, horizontal merges (w:gridSpan → one cell with colSpan)
 * and vertical merges (w:vMerge continue → "" in the continuing rows, rowSpan on the first).
 * Paragraphs and tables come out in document order; list numbering Word draws itself
 * ("一、", "（二）", "1.") is rendered into the paragraph text as a text dump would show it.
 */
import type { DocumentModel } from "../document";
import { DocumentBuilder, hasText, type CellInput } from "./builder";
import { ReadError } from "./errors";
import { encryptedOrLegacyOffice, isOleCompoundFile, isZipFile } from "./sniff";
import { childElements, firstChild, parseXml, XmlError, type XmlElement } from "./xml";
import { inflateZip } from "./zip";

const WML_NAMESPACES = new Set([
  "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
  "http://purl.oclc.org/ooxml/wordprocessingml/main",
]);

/** Element names are compared by local name within the WordprocessingML prefix the part declares. */
class Wml {
  constructor(private readonly prefix: string) {}
  static of(root: XmlElement): Wml {
    for (const [k, v] of Object.entries(root.attrs)) {
      if (k.startsWith("xmlns:") && WML_NAMESPACES.has(v)) return new Wml(k.slice(6));
    }
    return new Wml("w");
  }
  is(el: XmlElement, local: string): boolean {
    return el.name === `${this.prefix}:${local}`;
  }
  local(el: XmlElement): string | null {
    return el.name.startsWith(`${this.prefix}:`) ? el.name.slice(this.prefix.length + 1) : null;
  }
  attr(el: XmlElement | undefined, local: string): string | undefined {
    return el?.attrs[`${this.prefix}:${local}`];
  }
  child(el: XmlElement | undefined, local: string): XmlElement | undefined {
    return el ? firstChild(el, `${this.prefix}:${local}`) : undefined;
  }
}

export async function readDocx(bytes: Uint8Array): Promise<DocumentModel> {
  if (isOleCompoundFile(bytes)) throw encryptedOrLegacyOffice(".docx");
  if (!isZipFile(bytes)) {
    throw new ReadError("not_docx", "不是有效的 Word (.docx) 文件：内容不是 Office 文档（可能是改了扩展名的其他文件）(not a .docx: the content is not an Office document)");
  }
  let parts: Map<string, Uint8Array>;
  try {
    const entries = inflateZip(bytes, { wanted: (name) => /\.(xml|rels)$/i.test(name) && !name.startsWith("customXml/") });
    parts = new Map(entries.map((e) => [e.name.replace(/^\/+/, ""), e.bytes]));
  } catch (e) {
    if (e instanceof ReadError && e.code === "zip_limit") throw e;
    throw new ReadError("corrupt_docx", "Word 文件已损坏，无法打开 (the .docx archive is corrupt)");
  }
  if (parts.has("xl/workbook.xml") || parts.has("ppt/presentation.xml")) {
    const kind = parts.has("xl/workbook.xml") ? "Excel 工作簿（请改用 .xlsx 扩展名）" : "PowerPoint 演示文稿";
    throw new ReadError("not_docx", `文件不是 Word 文档，而是 ${kind} (not a Word document: this is an Excel/PowerPoint file)`);
  }
  const mainPath = mainDocumentPath(parts);
  const mainBytes = mainPath ? parts.get(mainPath) : undefined;
  if (!mainBytes) {
    throw new ReadError("not_docx", "文件不是 Word 文档：压缩包中没有 word/document.xml (not a Word document: no main document part)");
  }
  let root: XmlElement;
  try {
    root = documentElement(parseXml(utf8(mainBytes)));
  } catch (e) {
    if (e instanceof XmlError) throw new ReadError("corrupt_docx", `Word 文件内容已损坏 (document.xml is not well-formed: ${e.message})`);
    throw e;
  }
  const w = Wml.of(root);
  if (w.local(root) !== "document") {
    throw new ReadError("not_docx", "文件不是 Word 文档：主文档部件不是 w:document (not a Word document)");
  }
  const dir = mainPath!.includes("/") ? mainPath!.slice(0, mainPath!.lastIndexOf("/") + 1) : "";
  const numbering = new Numbering(w, parts.get(`${dir}numbering.xml`), parts.get(`${dir}styles.xml`));
  const body = w.child(root, "body");
  const builder = new DocumentBuilder();
  if (body) new BodyWalker(w, numbering, builder).blocks(body);
  const doc = builder.build();
  if (!hasText(doc)) throw new ReadError("empty_document", "Word 文件中没有文字内容 (the document has no text)");
  return doc;
}

function utf8(b: Uint8Array): string {
  return new TextDecoder("utf-8").decode(b);
}

function documentElement(doc: XmlElement): XmlElement {
  const el = childElements(doc)[0];
  if (!el) throw new XmlError("no root element");
  return el;
}

function mainDocumentPath(parts: Map<string, Uint8Array>): string | null {
  const rels = parts.get("_rels/.rels");
  if (rels) {
    try {
      const root = documentElement(parseXml(utf8(rels)));
      for (const rel of childElements(root)) {
        if ((rel.attrs.Type ?? "").endsWith("/officeDocument") && rel.attrs.Target) {
          const target = rel.attrs.Target.replace(/^\/+/, "");
          if (parts.has(target)) return target;
        }
      }
    } catch {
      // fall through to the conventional location
    }
  }
  return parts.has("word/document.xml") ? "word/document.xml" : null;
}

class BodyWalker {
  constructor(
    private readonly w: Wml,
    private readonly numbering: Numbering,
    private readonly out: DocumentBuilder,
  ) {}

  blocks(container: XmlElement): void {
    for (const el of childElements(container)) {
      const name = this.w.local(el);
      if (name === "p") {
        this.out.paragraph(this.paragraphText(el));
        // A text box anchored in the paragraph (a boxed note, a form drawn in a frame) follows it.
        for (const box of this.textBoxes(el)) this.blocks(box);
      } else if (name === "tbl") this.out.table(this.table(el));
      else if (name === "sdt") {
        const content = this.w.child(el, "sdtContent");
        if (content) this.blocks(content);
      } else if (name === "customXml" || name === "ins" || name === "moveTo" || name === "smartTag") this.blocks(el);
    }
  }

  /**
   * The w:txbxContent of text boxes under a paragraph's runs: DrawingML (wps:txbx) and VML (v:textbox).
   * Of a markup-compatibility pair only the choice is read; its fallback repeats the same box.
   */
  private textBoxes(p: XmlElement): XmlElement[] {
    const out: XmlElement[] = [];
    const walk = (el: XmlElement, depth: number): void => {
      if (depth > 24) return;
      for (const c of childElements(el)) {
        if (this.w.local(c) === "txbxContent") out.push(c);
        else if (c.name === "mc:Fallback") continue;
        else if (this.w.local(c) !== "p" && this.w.local(c) !== "tbl") walk(c, depth + 1);
      }
    };
    walk(p, 0);
    return out;
  }

  paragraphText(p: XmlElement): string {
    const label = this.numbering.label(p);
    return label + this.inlineText(p);
  }

  private inlineText(el: XmlElement): string {
    let s = "";
    for (const c of el.children) {
      if (typeof c === "string") continue;
      const name = this.w.local(c);
      if (name === null) {
        // Other vocabularies: markup compatibility wrappers hold a w: run in mc:Choice; DrawingML
        // (charts, shapes) would repeat text that is already in the body.
        if (c.name === "mc:AlternateContent") {
          const choice = firstChild(c, "mc:Choice");
          if (choice) s += this.inlineText(choice);
        }
        continue;
      }
      switch (name) {
        case "t":
          s += c.children.filter((x): x is string => typeof x === "string").join("");
          break;
        case "tab":
        case "ptab":
          s += "\t";
          break;
        case "br":
        case "cr":
          s += "\n";
          break;
        case "noBreakHyphen":
          s += "-";
          break;
        case "pPr":
        case "rPr":
        case "del":
        case "delText":
        case "instrText":
        case "delInstrText":
        case "moveFrom":
        case "drawing":
        case "pict":
        case "object":
        case "footnoteReference":
        case "endnoteReference":
        case "commentReference":
          break;
        case "r":
          if (!this.isHidden(c)) s += this.inlineText(c);
          break;
        default:
          s += this.inlineText(c);
      }
    }
    return s;
  }

  private isHidden(run: XmlElement): boolean {
    const vanish = this.w.child(this.w.child(run, "rPr"), "vanish");
    if (!vanish) return false;
    const val = this.w.attr(vanish, "val");
    return val === undefined || val === "1" || val === "true" || val === "on";
  }

  /** Rows of a table, with merges resolved onto the grid. */
  table(tbl: XmlElement): CellInput[][] {
    const rows: CellInput[][] = [];
    // The first cell of each vertical merge, by the grid column it starts in.
    const openMerges = new Map<number, CellInput>();
    for (const tr of this.collect(tbl, "tr")) {
      const cells: CellInput[] = [];
      let col = Number(this.w.attr(this.w.child(this.w.child(tr, "trPr"), "gridBefore"), "val") ?? 0) || 0;
      for (const tc of this.collect(tr, "tc")) {
        const tcPr = this.w.child(tc, "tcPr");
        const span = Math.max(1, Number(this.w.attr(this.w.child(tcPr, "gridSpan"), "val") ?? 1) || 1);
        const hMerge = this.w.child(tcPr, "hMerge");
        if (hMerge && this.w.attr(hMerge, "val") !== "restart" && cells.length > 0) {
          // Legacy horizontal merge: this cell continues the previous one.
          const prev = cells[cells.length - 1];
          prev.colSpan = (prev.colSpan ?? 1) + span;
          col += span;
          continue;
        }
        const vMerge = this.w.child(tcPr, "vMerge");
        const vMergeVal = vMerge ? this.w.attr(vMerge, "val") : undefined;
        let cell: CellInput;
        if (vMerge && vMergeVal !== "restart") {
          cell = { text: "" };
          const head = openMerges.get(col);
          if (head) head.rowSpan = (head.rowSpan ?? 1) + 1;
        } else {
          cell = { text: this.cellText(tc) };
          if (vMerge) openMerges.set(col, cell);
          else openMerges.delete(col);
        }
        if (span > 1) cell.colSpan = span;
        cells.push(cell);
        col += span;
      }
      rows.push(cells);
    }
    return rows;
  }

  /** Direct children named `local`, looking through content controls and custom XML wrappers. */
  private collect(parent: XmlElement, local: string): XmlElement[] {
    const out: XmlElement[] = [];
    for (const el of childElements(parent)) {
      const name = this.w.local(el);
      if (name === local) out.push(el);
      else if (name === "sdt") {
        const content = this.w.child(el, "sdtContent");
        if (content) out.push(...this.collect(content, local));
      } else if (name === "customXml" || name === "ins") out.push(...this.collect(el, local));
    }
    return out;
  }

  /** A cell's paragraphs joined by newlines; a nested table becomes one line per row. */
  private cellText(tc: XmlElement): string {
    const lines: string[] = [];
    const walk = (container: XmlElement): void => {
      for (const el of childElements(container)) {
        const name = this.w.local(el);
        if (name === "p") lines.push(this.paragraphText(el));
        else if (name === "tbl") {
          for (const row of this.table(el)) {
            const text = row.map((c) => c.text.replace(/\s*\n\s*/g, " ").trim()).filter((t) => t !== "").join(" ");
            if (text !== "") lines.push(text);
          }
        } else if (name === "sdt") {
          const content = this.w.child(el, "sdtContent");
          if (content) walk(content);
        } else if (name === "customXml") walk(el);
      }
    };
    walk(tc);
    return lines.join("\n");
  }
}

interface LevelFormat {
  numFmt: string;
  lvlText: string;
  start: number;
  suffix: string;
}

/**
 * Word list numbering (numbering.xml), rendered as the label a reader sees: counters per list and
 * level, deeper levels restarting when a shallower one advances.
 */
class Numbering {
  private readonly numToAbstract = new Map<string, string>();
  private readonly levels = new Map<string, Map<number, LevelFormat>>();
  private readonly styleNum = new Map<string, { numId?: string; ilvl?: number; basedOn?: string }>();
  private readonly counters = new Map<string, number[]>();

  constructor(
    private readonly w: Wml,
    numberingXml: Uint8Array | undefined,
    stylesXml: Uint8Array | undefined,
  ) {
    try {
      if (numberingXml) this.loadNumbering(documentElement(parseXml(utf8(numberingXml))));
      if (stylesXml) this.loadStyles(documentElement(parseXml(utf8(stylesXml))));
    } catch {
      // Numbering is presentation: a damaged numbering or styles part costs the labels, not the document.
      this.levels.clear();
    }
  }

  private loadNumbering(root: XmlElement): void {
    const w = Wml.of(root);
    for (const el of childElements(root)) {
      if (w.is(el, "abstractNum")) {
        const id = w.attr(el, "abstractNumId") ?? "";
        const lv = new Map<number, LevelFormat>();
        for (const l of childElements(el)) {
          if (!w.is(l, "lvl")) continue;
          const ilvl = Number(w.attr(l, "ilvl") ?? 0);
          const suff = w.attr(w.child(l, "suff"), "val") ?? "tab";
          lv.set(ilvl, {
            numFmt: w.attr(w.child(l, "numFmt"), "val") ?? "decimal",
            lvlText: w.attr(w.child(l, "lvlText"), "val") ?? "",
            start: Number(w.attr(w.child(l, "start"), "val") ?? 1) || 1,
            suffix: suff === "nothing" ? "" : " ",
          });
        }
        this.levels.set(id, lv);
      } else if (w.is(el, "num")) {
        const abs = w.attr(w.child(el, "abstractNumId"), "val");
        if (abs !== undefined) this.numToAbstract.set(w.attr(el, "numId") ?? "", abs);
      }
    }
  }

  private loadStyles(root: XmlElement): void {
    const w = Wml.of(root);
    for (const st of childElements(root)) {
      if (!w.is(st, "style")) continue;
      const numPr = w.child(w.child(st, "pPr"), "numPr");
      const ilvl = w.attr(w.child(numPr, "ilvl"), "val");
      this.styleNum.set(w.attr(st, "styleId") ?? "", {
        numId: w.attr(w.child(numPr, "numId"), "val"),
        ilvl: ilvl === undefined ? undefined : Number(ilvl),
        basedOn: w.attr(w.child(st, "basedOn"), "val"),
      });
    }
  }

  label(p: XmlElement): string {
    if (this.levels.size === 0) return "";
    const pPr = this.w.child(p, "pPr");
    const numPr = this.w.child(pPr, "numPr");
    let numId = this.w.attr(this.w.child(numPr, "numId"), "val");
    let ilvlText = this.w.attr(this.w.child(numPr, "ilvl"), "val");
    if (numId === undefined) {
      let style = this.w.attr(this.w.child(pPr, "pStyle"), "val");
      for (let depth = 0; style !== undefined && depth < 8; depth++) {
        const s = this.styleNum.get(style);
        if (!s) break;
        if (s.numId !== undefined) {
          numId = s.numId;
          if (ilvlText === undefined && s.ilvl !== undefined) ilvlText = String(s.ilvl);
          break;
        }
        style = s.basedOn;
      }
    }
    if (numId === undefined || numId === "0") return "";
    const abs = this.numToAbstract.get(numId);
    const levels = abs === undefined ? undefined : this.levels.get(abs);
    const ilvl = Number(ilvlText ?? 0) || 0;
    const fmt = levels?.get(ilvl);
    if (!levels || !fmt || fmt.numFmt === "bullet" || fmt.numFmt === "none") return "";
    const counters = this.counters.get(abs!) ?? [];
    counters[ilvl] = counters[ilvl] === undefined ? fmt.start : counters[ilvl] + 1;
    counters.length = ilvl + 1;
    this.counters.set(abs!, counters);
    const text = fmt.lvlText.replace(/%([1-9])/g, (_m, d: string) => {
      const level = Number(d) - 1;
      const f = levels.get(level);
      const value = counters[level] ?? f?.start ?? 1;
      return formatNumber(value, level === ilvl ? fmt.numFmt : (f?.numFmt ?? "decimal"));
    });
    return text === "" ? "" : text + fmt.suffix;
  }
}

const CHINESE_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

function chineseNumber(n: number): string {
  if (n <= 0 || n >= 100) return String(n);
  if (n < 10) return CHINESE_DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens === 1 ? "" : CHINESE_DIGITS[tens]) + "十" + (ones === 0 ? "" : CHINESE_DIGITS[ones]);
}

function roman(n: number): string {
  const table: [number, string][] = [[1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"], [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"]];
  let s = "";
  for (const [v, r] of table) while (n >= v) {
    s += r;
    n -= v;
  }
  return s;
}

function letters(n: number): string {
  const c = String.fromCharCode(97 + ((n - 1) % 26));
  return c.repeat(Math.floor((n - 1) / 26) + 1);
}

function formatNumber(n: number, numFmt: string): string {
  switch (numFmt) {
    case "chineseCounting":
    case "chineseCountingThousand":
    case "chineseLegalSimplified":
    case "taiwaneseCounting":
    case "taiwaneseCountingThousand":
      return chineseNumber(n);
    case "ideographTraditional":
      return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10];
    case "decimalEnclosedCircle":
    case "decimalEnclosedCircleChinese":
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : `(${n})`;
    case "decimalFullWidth":
    case "decimalFullWidth2":
      return String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case "lowerLetter":
      return letters(n);
    case "upperLetter":
      return letters(n).toUpperCase();
    case "lowerRoman":
      return roman(n);
    case "upperRoman":
      return roman(n).toUpperCase();
    case "decimalZero":
      return n < 10 ? `0${n}` : String(n);
    default:
      return String(n);
  }
}
