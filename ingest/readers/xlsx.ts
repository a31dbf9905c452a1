/**
 * Spreadsheet reader for .xlsx and for the binary .xls/.et (BIFF in an OLE compound file), both parsed
 * by SheetJS so that one workbook saved both ways reads the same. Each visible sheet's used range
 * becomes a table, cells as the sheet SHOWS them (0.6395 formatted "0.00%" reads "63.95%", 32.5
 * formatted "0.00" reads "32.50"), rendered here with exact decimals rather than by SheetJS's own
 * formatter, which rounds binary floats (1.005 → "1.00") and cuts General to 11 characters (a 元 amount
 * loses its fen). Merges follow the docx convention the extractors know: a horizontal merge is one cell
 * with colSpan, the rows a vertical merge continues into hold "". Title rows above the grid (one merged
 * cell across the table) become paragraphs, as they are in the Word version of the same form.
 */
import Decimal from "decimal.js";
import type { CellObject, WorkBook, WorkSheet } from "@e965/xlsx";
import type { DocumentModel } from "../document";
import { DocumentBuilder, hasText, type CellInput } from "./builder";
import { ReadError } from "./errors";
import { readHtml } from "./html";
import { encryptedOrLegacyOffice, isOleCompoundFile, isZipFile, looksLikeHtml } from "./sniff";
import { inflateZip } from "./zip";

const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Loaded on first use: SheetJS is large, and most files read are not workbooks. */
async function sheetjs() {
  const XLSX = await import("@e965/xlsx");
  // Codepages for BIFF5 (Excel 95) workbooks, whose strings are GBK bytes rather than UTF-16.
  const cptable = await import("@e965/xlsx/dist/cpexcel.full.mjs");
  XLSX.set_cptable(cptable);
  return XLSX;
}

export async function readXlsx(bytes: Uint8Array): Promise<DocumentModel> {
  if (bytes.length === 0) throw emptyFile();
  if (isOleCompoundFile(bytes)) throw encryptedOrLegacyOffice(".xlsx");
  if (!isZipFile(bytes)) {
    throw new ReadError("not_xlsx", "不是有效的 Excel (.xlsx) 文件：内容不是 Office 文档（可能是改了扩展名的其他文件）(not an .xlsx: the content is not an Office document)");
  }
  // SheetJS inflates everything at once; measure the archive first so a bomb never reaches it.
  let names: string[];
  try {
    names = inflateZip(bytes, { limits: { maxRatio: 250, maxTotalBytes: 300 * 1024 * 1024 }, measureOnly: true }).map((e) => e.name);
  } catch (e) {
    if (e instanceof ReadError && e.code === "zip_limit") throw e;
    throw new ReadError("corrupt_xlsx", "Excel 文件已损坏，无法打开 (the .xlsx archive is corrupt)");
  }
  if (names.includes("word/document.xml")) {
    throw new ReadError("not_xlsx", "文件不是 Excel 工作簿，而是 Word 文档（请改用 .docx 扩展名）(not an Excel workbook: this is a Word document)");
  }
  if (!names.some((n) => /^xl\/workbook\.(xml|bin)$/i.test(n.replace(/^\/+/, "")))) {
    throw new ReadError("not_xlsx", "文件不是 Excel 工作簿：压缩包中没有 xl/workbook.xml (not an Excel workbook)");
  }
  return workbookDocument(await parseWorkbook(bytes, "corrupt_xlsx"));
}

/**
 * .xls and WPS .et: BIFF8 (or BIFF5) in an OLE compound file. What departments name .xls is often
 * something else — an .xlsx with the old extension, or an HTML table a web system exported "as Excel" —
 * and those are read as what they are.
 */
export async function readXls(bytes: Uint8Array): Promise<DocumentModel> {
  if (bytes.length === 0) throw emptyFile();
  if (isZipFile(bytes)) return readXlsx(bytes);
  if (!isOleCompoundFile(bytes)) {
    if (looksLikeHtml(bytes)) return readHtml(bytes);
    throw new ReadError("not_xls", "不是有效的 Excel (.xls/.et) 文件：内容不是 Excel 工作簿（可能是改了扩展名的其他文件）(not an .xls: the content is not an Excel workbook)");
  }
  const XLSX = await sheetjs();
  let streams: string[];
  try {
    streams = XLSX.CFB.read(bytes, { type: "buffer" }).FullPaths.map((p: string) => p.replace(/\/$/, "").split("/").pop() ?? "");
  } catch {
    throw new ReadError("corrupt_xls", "Excel 文件已损坏，无法打开（OLE 结构不完整，可能只下载或复制了一部分）(the .xls compound file is damaged or truncated)");
  }
  if (streams.includes("EncryptedPackage") || streams.includes("EncryptionInfo")) throw encryptedWorkbook();
  if (streams.includes("WordDocument")) {
    throw new ReadError("not_xls", "文件不是 Excel 工作簿，而是 Word 文档（请改用 .doc 扩展名）(not an Excel workbook: this is a Word document)");
  }
  if (!streams.includes("Workbook") && !streams.includes("Book")) {
    throw new ReadError("not_xls", "文件不是 Excel 工作簿：复合文档中没有 Workbook 数据 (not an Excel workbook: no Workbook stream)");
  }
  return workbookDocument(await parseWorkbook(bytes, "corrupt_xls"));
}

function emptyFile(): ReadError {
  return new ReadError("empty_file", "文件是空的（0 字节），请重新导出或上传完整的文件 (the file is empty: 0 bytes)");
}

function encryptedWorkbook(): ReadError {
  return new ReadError("encrypted_office", "Excel 文件已加密（设置了打开密码），请取消密码后另存再上传 (the workbook is password-protected: remove the password and save it again)");
}

async function parseWorkbook(bytes: Uint8Array, corruptCode: string): Promise<WorkBook> {
  const XLSX = await sheetjs();
  try {
    return XLSX.read(bytes, {
      type: "buffer",
      dense: true,
      cellNF: true,
      cellDates: false,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      bookVBA: false,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(message)) throw encryptedWorkbook();
    throw new ReadError(corruptCode, `Excel 文件已损坏，无法读取 (the workbook cannot be read: ${message})`);
  }
}

function workbookDocument(wb: WorkBook): DocumentModel {
  const builder = new DocumentBuilder();
  wb.SheetNames.forEach((name, i) => {
    // 1 hidden, 2 very hidden: code tables and scratch sheets, not the report.
    if (wb.Workbook?.Sheets?.[i]?.Hidden) return;
    const sheet = wb.Sheets[name];
    if (sheet) addSheet(name, sheet, builder);
  });
  const doc = builder.build();
  if (!hasText(doc)) throw new ReadError("empty_sheet", "Excel 文件中没有数据：工作表是空的 (the workbook's sheets are empty)");
  return doc;
}

function sheetMerges(sheet: WorkSheet): MergeRange[] {
  return (sheet["!merges"] ?? []).map((m) => ({ top: m.s.r, left: m.s.c, bottom: m.e.r, right: m.e.c }));
}

/** Beyond this many grid cells a sheet is a data dump, not a report form. */
const MAX_SHEET_CELLS = 1_000_000;

function addSheet(name: string, sheet: WorkSheet, builder: DocumentBuilder): void {
  // Only cells that exist are visited: a sheet formatted down to row 1,048,576 stays cheap.
  const text = new Map<string, string>();
  let minRow = Infinity;
  let maxRow = -1;
  let minCol = Infinity;
  let maxCol = -1;
  const data = (sheet as { "!data"?: (CellObject[] | undefined)[] })["!data"] ?? [];
  data.forEach((row, r) => {
    row?.forEach((cell, c) => {
      if (!cell) return;
      const t = cellText(cell);
      if (t === "") return;
      text.set(`${r},${c}`, t);
      minRow = Math.min(minRow, r);
      maxRow = Math.max(maxRow, r);
      minCol = Math.min(minCol, c);
      maxCol = Math.max(maxCol, c);
    });
  });
  if (maxCol < 0) return;
  if ((maxRow - minRow + 1) * (maxCol - minCol + 1) > MAX_SHEET_CELLS) {
    throw new ReadError("sheet_too_large", `工作表“${name}”过大（超过 ${MAX_SHEET_CELLS} 个单元格），不像是一份绩效报告 (the sheet is too large to be a report)`);
  }
  const at = (r: number, c: number) => text.get(`${r},${c}`) ?? "";
  // Which merge covers each position of the used range; overlapping merges (invalid, but files can
  // claim them) must not multiply the work.
  const coveredBy = new Map<string, MergeRange>();
  let visited = 0;
  for (const m of sheetMerges(sheet)) {
    for (let r = Math.max(m.top, minRow); r <= Math.min(m.bottom, maxRow); r++) {
      for (let c = Math.max(m.left, minCol); c <= Math.min(m.right, maxCol); c++) {
        if (++visited > 2 * MAX_SHEET_CELLS) throw new ReadError("corrupt_xls", `工作表“${name}”的合并单元格互相重叠，文件已损坏 (the sheet's merged ranges overlap: the file is damaged)`);
        coveredBy.set(`${r},${c}`, m);
        // A merge's text lives in its top-left cell; a value left under the rest of a merge is not shown.
        if (r !== m.top || c !== m.left) text.delete(`${r},${c}`);
      }
    }
  }
  const rows: CellInput[][] = [];
  for (let r = minRow; r <= maxRow; r++) {
    let any = false;
    for (let c = minCol; c <= maxCol && !any; c++) any = at(r, c) !== "";
    if (!any) continue;
    const cells: CellInput[] = [];
    for (let c = minCol; c <= maxCol; c++) {
      const m = coveredBy.get(`${r},${c}`);
      if (!m) {
        cells.push({ text: at(r, c) });
        continue;
      }
      const left = Math.max(m.left, minCol);
      if (c !== left) continue; // inside a horizontal merge: the first column's cell stands for it
      const colSpan = Math.min(m.right, maxCol) - left + 1;
      const cell: CellInput = { text: r === m.top ? at(m.top, m.left) : "" };
      if (colSpan > 1) cell.colSpan = colSpan;
      if (r === m.top && m.bottom > m.top) cell.rowSpan = Math.min(m.bottom, maxRow) - m.top + 1;
      cells.push(cell);
    }
    rows.push(cells);
  }
  const width = maxCol - minCol + 1;
  const isTitleRow = (row: CellInput[]): boolean => {
    const filled = row.filter((c) => c.text !== "");
    return width >= 2 && filled.length === 1 && (row.length === 1 || (filled[0] === row[0] && width >= 3 && row.length >= 3));
  };
  let start = 0;
  while (start < rows.length - 1 && isTitleRow(rows[start])) start++;
  let end = rows.length;
  while (end - 1 > start && isTitleRow(rows[end - 1])) end--;
  for (let i = 0; i < start; i++) builder.paragraph(rows[i].find((c) => c.text !== "")!.text);
  if (width === 1) {
    // A single column is text laid out in a sheet, not a table.
    for (const row of rows.slice(start, end)) builder.paragraph(row[0].text);
  } else builder.table(rows.slice(start, end));
  for (let i = end; i < rows.length; i++) builder.paragraph(rows[i].find((c) => c.text !== "")!.text);
}

/** The text a cell shows: numbers rendered through the cell's number format, exactly. */
export function cellText(cell: CellObject): string {
  switch (cell.t) {
    case "s":
      return String(cell.v ?? "").trim();
    case "n": {
      if (typeof cell.v !== "number") return (cell.w ?? "").trim();
      const numFmt = typeof cell.z === "string" ? cell.z : "General";
      // Dates and times are the one case SheetJS's rendering (cell.w) is the right one.
      if (cell.w !== undefined && isDateFormat(numFmt)) return cell.w.trim();
      return formatNumber(cell.v, numFmt).trim();
    }
    case "b":
      return cell.v ? "TRUE" : "FALSE";
    case "e":
    case "d":
      return (cell.w ?? String(cell.v ?? "")).trim();
    default:
      return "";
  }
}

/** A number format that shows a date or time: y m d h s codes outside quoted text and brackets (colours, locales). */
function isDateFormat(numFmt: string): boolean {
  const code = numFmt.replace(/"[^"]*"/g, "").replace(/\\./g, "").replace(/\[(?!h\]|m\]|s\])[^\]]*\]/gi, "");
  return /[ymdhs]/i.test(code.replace(/general/gi, "")) || /\[(h|m|s)\]/i.test(code);
}

/** Excel's General format: up to 15 significant digits, no float noise (0.1+0.2 shows 0.3). */
function general(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return new Exact(value.toPrecision(15)).toFixed();
}

/**
 * Renders a number through the number-format codes reports use: decimals (0.00, #,##0.0#),
 * percent, thousands separators and literal prefixes/suffixes ("万元"). Anything else shows General.
 */
export function formatNumber(value: number, numFmt: string): string {
  const section = splitSections(numFmt)[value < 0 ? 1 : 0] ?? splitSections(numFmt)[0] ?? "";
  const code = section.replace(/\[[^\]]*\]/g, "");
  if (code === "" || /^general$/i.test(code.trim()) || code.trim() === "@") return general(value);
  // Dates reach us as Date objects; exponent and fraction codes are rare in reports: General.
  if (/[eE][+-]/.test(stripLiterals(code)) || /\?\/|#\/|0\//.test(code)) return general(value);
  const pattern = /[#0?][#0?,]*(\.[#0?]*)?|\.[#0?]+/.exec(stripLiterals(code));
  if (!pattern) return general(value);
  const raw = stripLiterals(code);
  const prefix = literalText(code, 0, pattern.index);
  const suffix = literalText(code, pattern.index + pattern[0].length, raw.length);
  const decimalsPart = pattern[1] ?? (pattern[0].startsWith(".") ? pattern[0] : "");
  const minDecimals = (decimalsPart.match(/0/g) ?? []).length;
  const maxDecimals = (decimalsPart.match(/[0#?]/g) ?? []).length;
  const grouping = pattern[0].split(".")[0].includes(",");
  const percents = (stripLiterals(code).match(/%/g) ?? []).length;
  let d = new Exact(value.toPrecision(15)).abs();
  for (let i = 0; i < percents; i++) d = d.times(100);
  let digits = d.toFixed(maxDecimals, Decimal.ROUND_HALF_UP);
  if (maxDecimals > minDecimals) {
    const [int, frac = ""] = digits.split(".");
    let f = frac;
    while (f.length > minDecimals && f.endsWith("0")) f = f.slice(0, -1);
    digits = f === "" ? int : `${int}.${f}`;
  }
  if (grouping) {
    const [int, frac] = digits.split(".");
    digits = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac === undefined ? "" : `.${frac}`);
  }
  // A negative value uses the first section with a minus sign unless a negative section exists.
  const sign = value < 0 && splitSections(numFmt).length < 2 && !new Exact(digits.replace(/,/g, "")).isZero() ? "-" : "";
  return `${prefix}${sign}${digits}${suffix}`;
}

function splitSections(numFmt: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < numFmt.length; i++) {
    const c = numFmt[i];
    if (c === '"') quoted = !quoted;
    if (c === "\\" && !quoted) {
      cur += c + (numFmt[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === ";" && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The code with literal text replaced by spaces of the same length, so positions line up. */
function stripLiterals(code: string): string {
  return code
    .replace(/"[^"]*"/g, (m) => " ".repeat(m.length))
    .replace(/\\./g, "  ")
    .replace(/[_*]./g, "  ");
}

/** The literal text a code shows between two positions: quoted strings, escaped chars, %, and plain symbols. */
function literalText(code: string, from: number, to: number): string {
  const part = code.slice(from, to);
  let out = "";
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === '"') {
      const end = part.indexOf('"', i + 1);
      out += part.slice(i + 1, end === -1 ? part.length : end);
      i = end === -1 ? part.length : end;
    } else if (c === "\\") {
      out += part[i + 1] ?? "";
      i++;
    } else if (c === "_" || c === "*") i++;
    else if (!/[#0?,.]/.test(c)) out += c;
  }
  return out;
}
