/**
 * .doc and WPS .wps reader: the Word 97–2003 binary (an OLE compound file), tables included.
 *
 * The compound file is opened with SheetJS's CFB (bounded and fuzzed; word-extractor's own OLE code
 * follows sector chains without a cycle check). word-extractor then reads the Word streams — piece
 * table, 8-bit and UTF-16 text runs, deleted revisions — but it flattens tables (a cell mark becomes
 * a tab, like a real tab), so the paragraph properties are read here instead: in Word's binary a cell
 * ends with a cell mark (U+0007), the row with one more mark whose paragraph is the "table terminating
 * paragraph" (sprmPFTtp), paragraphs inside a cell carry sprmPFInTable, and the row's cell layout
 * (sprmTDefTable) says which cells are merged. Those properties mark the text, and the rows and cells
 * are rebuilt from the marks into the same model as a .docx: a horizontal merge is one cell with
 * colSpan, a vertical merge's continuing rows hold "".
 */
import { createRequire } from "node:module";
import type { DocumentModel } from "../document";
import { DocumentBuilder, hasText, type CellInput } from "./builder";
import { readDocx } from "./docx";
import { ReadError } from "./errors";
import { readHtml } from "./html";
import { isOleCompoundFile, isZipFile, looksLikeHtml } from "./sniff";

/** Private-use characters standing for the structure marks while the text is walked. */
const CELL_PARAGRAPH = "\ue000";
const ROW_END = "\ue001";
const INNER_CELL = "\ue002";
const INNER_ROW = "\ue003";

const sprmPFInTable = 0x2416;
const sprmPFTtp = 0x2417;
const sprmPFInnerTableCell = 0x244b;
const sprmPFInnerTtp = 0x244c;
const sprmPItap = 0x6649;
const sprmTDefTable = 0xd608;
const sprmPHugePapx = 0x6646;

interface Piece {
  startCp: number;
  endCp: number;
  startFilePos: number;
  endFilePos: number;
  bpc: number;
  text: string;
}

interface CellDef {
  left: number;
  right: number;
  /** Merged into the cell on its left (the old horizontal merge). */
  merged: boolean;
  verticalMerge: boolean;
  verticalRestart: boolean;
}

interface WordOleExtractorBase {
  _pieces: Piece[];
  _boundaries: { ccpText: number };
  extractWordDocument(document: unknown, buffer: Buffer): Promise<unknown>;
}

type WordOleExtractorClass = new () => WordOleExtractorBase;

let extractorClass: (new (streams: Map<string, Buffer>) => StructuredExtractor) | null = null;

interface StructuredExtractor extends WordOleExtractorBase {
  rowDefs: Map<number, CellDef[]>;
  rawBody(): string;
}

/**
 * word-extractor's OLE Word extractor with its compound-file access, paragraph properties and output
 * replaced. Built on first use (word-extractor is CommonJS without types).
 */
function structuredExtractor(streams: Map<string, Buffer>): StructuredExtractor {
  if (!extractorClass) {
    const require = createRequire(import.meta.url);
    const Base = require("word-extractor/lib/word-ole-extractor") as WordOleExtractorClass;
    class Structured extends Base implements StructuredExtractor {
      rowDefs = new Map<number, CellDef[]>();
      constructor(private readonly streams: Map<string, Buffer>) {
        super();
      }
      documentStream(_document: unknown, name: string): Promise<Buffer> {
        const s = this.streams.get(name);
        return s ? Promise.resolve(s) : Promise.reject(new ReadError("corrupt_doc", `Word 文件缺少 ${name} 数据流，文件已损坏 (the ${name} stream is missing)`));
      }
      streamBuffer(stream: Buffer): Promise<Buffer> {
        return Promise.resolve(stream);
      }
      writeParagraphProperties(buffer: Buffer, tableBuffer: Buffer): void {
        markParagraphs(this, buffer, tableBuffer, this.streams.get("Data"));
      }
      buildDocument(): unknown {
        return null;
      }
      rawBody(): string {
        let s = "";
        for (const p of this._pieces) {
          if (p.startCp >= this._boundaries.ccpText) break;
          s += p.text.slice(0, Math.max(0, this._boundaries.ccpText - p.startCp));
        }
        return s;
      }
    }
    extractorClass = Structured;
  }
  return new extractorClass(streams);
}

export async function readDoc(bytes: Uint8Array): Promise<DocumentModel> {
  if (bytes.length === 0) throw new ReadError("empty_file", "文件是空的（0 字节），请重新导出或上传完整的文件 (the file is empty: 0 bytes)");
  // What departments name .doc is often something else: Word's "save as web page", a .docx under the
  // old name (WPS does this), RTF. Each is read as what it is, or named.
  if (isZipFile(bytes)) return readDocx(bytes);
  if (!isOleCompoundFile(bytes)) {
    if (looksLikeHtml(bytes) || looksLikeMht(bytes)) return readHtml(bytes);
    if (new TextDecoder("latin1").decode(bytes.subarray(0, 5)) === "{\\rtf") {
      throw new ReadError("unsupported_rtf", "文件是 RTF 格式（扩展名为 .doc），请在 Word/WPS 中另存为 .docx 后再上传 (this is an RTF file named .doc: save it as .docx)");
    }
    throw new ReadError("not_doc", "不是有效的 Word (.doc/.wps) 文件：内容不是 Word 文档（可能是改了扩展名的其他文件）(not a .doc: the content is not a Word document)");
  }
  const XLSX = await import("@e965/xlsx");
  const streams = new Map<string, Buffer>();
  try {
    const cfb = XLSX.CFB.read(bytes, { type: "buffer" });
    cfb.FullPaths.forEach((p: string, i: number) => {
      const name = p.replace(/\/$/, "").split("/").pop() ?? "";
      const entry = cfb.FileIndex[i];
      if (entry?.type === 2 && entry.content) streams.set(name, Buffer.from(entry.content as Uint8Array));
    });
  } catch {
    throw corrupt();
  }
  if (streams.has("EncryptedPackage") || streams.has("EncryptionInfo")) throw encrypted();
  const main = streams.get("WordDocument");
  if (!main) {
    if (streams.has("Workbook") || streams.has("Book")) {
      throw new ReadError("not_doc", "文件不是 Word 文档，而是 Excel 工作簿（请改用 .xls 扩展名）(not a Word document: this is an Excel workbook)");
    }
    throw new ReadError("not_doc", "文件不是 Word 文档：复合文档中没有 WordDocument 数据 (not a Word document: no WordDocument stream)");
  }
  if (main.length < 0x1a4 || main.readUInt16LE(0) !== 0xa5ec) throw corrupt();
  const nFib = main.readUInt16LE(2);
  const flags = main.readUInt16LE(0x0a);
  if (flags & 0x0100) throw encrypted();
  if (nFib < 0x00c1) {
    throw new ReadError("unsupported_doc_version", "文件是 Word 6.0/95 格式，请在 Word/WPS 中另存为 .docx 后再上传 (Word 6/95 files are not supported: save as .docx)");
  }
  const extractor = structuredExtractor(streams);
  try {
    await extractor.extractWordDocument(null, main);
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw corrupt();
  }
  const doc = buildDocument(extractor.rawBody(), extractor.rowDefs);
  if (!hasText(doc)) throw new ReadError("empty_document", "Word 文件中没有文字内容 (the document has no text)");
  return doc;
}

function corrupt(): ReadError {
  return new ReadError("corrupt_doc", "Word 文件已损坏，无法读取（结构不完整，可能只下载或复制了一部分）(the .doc is damaged or truncated)");
}

function encrypted(): ReadError {
  return new ReadError("encrypted_office", "Word 文件已加密（设置了打开密码），请取消密码后另存再上传 (the document is password-protected: remove the password and save it again)");
}

/** A web archive (.mht) Word saved: MIME headers around the HTML. */
function looksLikeMht(bytes: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  return /^MIME-Version:/im.test(head) && /multipart\/related/i.test(head);
}

/** The paragraph properties (PAPX in the FKP pages the bin table lists) that say where tables are. */
function markParagraphs(x: StructuredExtractor, main: Buffer, table: Buffer, data: Buffer | undefined): void {
  const fc = main.readUInt32LE(0x0102);
  const lcb = main.readUInt32LE(0x0106);
  if (lcb < 12 || fc + lcb > table.length) return;
  const plc = table.subarray(fc, fc + lcb);
  const count = Math.floor((lcb - 4) / 8);
  const pieces = x._pieces;
  for (let i = 0; i < count; i++) {
    const page = plc.readUInt32LE((count + 1) * 4 + i * 4) & 0x3fffff;
    if ((page + 1) * 512 > main.length) continue;
    const fkp = main.subarray(page * 512, (page + 1) * 512);
    const crun = fkp[511];
    for (let j = 0; j < crun && (j + 1) * 4 + 4 <= 511; j++) {
      const end = fkp.readUInt32LE((j + 1) * 4);
      const bx = (crun + 1) * 4 + j * 13;
      if (bx >= 511) break;
      const at = fkp[bx] * 2;
      if (at === 0 || at >= 511) continue;
      let grpprl: Buffer;
      const cb = fkp[at];
      if (cb !== 0) grpprl = fkp.subarray(at + 1, Math.min(511, at + 1 + 2 * cb - 1));
      else grpprl = fkp.subarray(at + 2, Math.min(511, at + 2 + 2 * (fkp[at + 1] ?? 0)));
      const props = paragraphProps(grpprl, 2, data);
      if (!props.inTable && !props.ttp && !props.innerTtp && !props.innerCell) continue;
      // The paragraph's mark is its last character.
      const mark = locate(pieces, end - 1);
      if (!mark) continue;
      const ch = mark.piece.text[mark.index];
      let replacement: string | null = null;
      if (props.ttp) replacement = ROW_END;
      else if (props.innerTtp) replacement = INNER_ROW;
      else if (props.innerCell) replacement = INNER_CELL;
      else if (ch === "\r") replacement = CELL_PARAGRAPH;
      if (replacement === null) continue;
      const p = mark.piece;
      p.text = p.text.slice(0, mark.index) + replacement + p.text.slice(mark.index + 1);
      if (props.ttp && props.cells) x.rowDefs.set(p.startCp + mark.index, props.cells);
    }
  }
}

/** The piece and character index holding the byte at file position `pos`. */
function locate(pieces: Piece[], pos: number): { piece: Piece; index: number } | null {
  for (const piece of pieces) {
    if (pos >= piece.startFilePos && pos < piece.endFilePos) {
      const index = Math.floor((pos - piece.startFilePos) / piece.bpc);
      return index < piece.text.length ? { piece, index } : null;
    }
  }
  return null;
}

function emptyProps(): ParagraphProps {
  return { inTable: false, ttp: false, innerTtp: false, innerCell: false, depth: 0, cells: null };
}

interface ParagraphProps {
  inTable: boolean;
  ttp: boolean;
  innerTtp: boolean;
  innerCell: boolean;
  depth: number;
  cells: CellDef[] | null;
}

/**
 * The sprms of one paragraph, by their operand sizes ([MS-DOC] 2.2.5.1). A paragraph whose properties
 * do not fit its page (a table row of many cells) keeps them in the Data stream (sprmPHugePapx).
 */
function paragraphProps(grpprl: Buffer, start: number, data: Buffer | undefined, out: ParagraphProps = emptyProps()): ParagraphProps {
  let at = start;
  while (at + 2 <= grpprl.length) {
    const sprm = grpprl.readUInt16LE(at);
    at += 2;
    const spra = sprm >> 13;
    let size: number;
    if (sprm === sprmTDefTable) {
      if (at + 2 > grpprl.length) break;
      size = grpprl.readUInt16LE(at) + 1;
      out.cells = cellDefs(grpprl.subarray(at + 2, Math.min(grpprl.length, at + size)));
    } else if (spra === 6) size = (grpprl[at] ?? 0) + 1;
    else size = [1, 1, 2, 4, 2, 2, 0, 3][spra];
    const flag = grpprl[at] === 1;
    if (sprm === sprmPFInTable) out.inTable = flag;
    else if (sprm === sprmPFTtp) out.ttp = flag;
    else if (sprm === sprmPFInnerTtp) out.innerTtp = flag;
    else if (sprm === sprmPFInnerTableCell) out.innerCell = flag;
    else if (sprm === sprmPItap && at + 4 <= grpprl.length) out.depth = grpprl.readInt32LE(at);
    else if (sprm === sprmPHugePapx && data && start !== 0 && at + 4 <= grpprl.length) {
      const offset = grpprl.readUInt32LE(at);
      if (offset + 2 <= data.length) {
        const cb = data.readUInt16LE(offset);
        paragraphProps(data.subarray(offset + 2, Math.min(data.length, offset + 2 + cb)), 0, undefined, out);
      }
    }
    at += size;
  }
  return out;
}

/** sprmTDefTable's operand after its size: itcMac, the cell boundaries (twips), then a TC80 per cell. */
function cellDefs(op: Buffer): CellDef[] | null {
  const n = op[0];
  if (!n || op.length < 1 + (n + 1) * 2) return null;
  const bounds: number[] = [];
  for (let i = 0; i <= n; i++) bounds.push(op.readInt16LE(1 + i * 2));
  const tcAt = 1 + (n + 1) * 2;
  const cells: CellDef[] = [];
  for (let i = 0; i < n; i++) {
    const flags = tcAt + i * 20 + 2 <= op.length ? op.readUInt16LE(tcAt + i * 20) : 0;
    cells.push({
      left: bounds[i],
      right: bounds[i + 1],
      merged: (flags & 0x0002) !== 0,
      verticalMerge: (flags & 0x0020) !== 0,
      verticalRestart: (flags & 0x0040) !== 0,
    });
  }
  return cells;
}

interface RowInProgress {
  cells: CellInput[];
  defs: CellDef[] | null;
}

/** The marked text → paragraphs and tables. Field codes are dropped and their results kept. */
function buildDocument(raw: string, rowDefs: Map<number, CellDef[]>): DocumentModel {
  const builder = new DocumentBuilder();
  let table: RowInProgress[] | null = null;
  let row: CellInput[] = [];
  let cell = "";
  let cur = "";
  // Field state per nesting level: true while in the field's code (before U+0014), false in its result.
  const fields: boolean[] = [];
  const closeTable = () => {
    if (table) builder.table(resolveMerges(table));
    table = null;
  };
  for (let cp = 0; cp < raw.length; cp++) {
    const ch = raw[cp];
    if (ch === "\u0013") {
      fields.push(true);
      continue;
    }
    if (ch === "\u0014") {
      if (fields.length) fields[fields.length - 1] = false;
      continue;
    }
    if (ch === "\u0015") {
      fields.pop();
      continue;
    }
    if (fields.includes(true)) continue;
    switch (ch) {
      case "\r":
      case "\f":
        if (row.length > 0 || cell !== "") {
          // Inside a row without the in-table mark: still the cell's text.
          cell += `${cur}\n`;
        } else {
          closeTable();
          builder.paragraph(cur);
        }
        cur = "";
        break;
      case CELL_PARAGRAPH:
        cell += `${cur}\n`;
        cur = "";
        break;
      case INNER_CELL:
        cur += " ";
        break;
      case INNER_ROW:
        cell += `${cur.trim()}\n`;
        cur = "";
        break;
      case "\u0007":
        row.push({ text: cell + cur });
        cell = "";
        cur = "";
        break;
      case ROW_END:
        table ??= [];
        table.push({ cells: row, defs: rowDefs.get(cp) ?? null });
        row = [];
        cell = "";
        cur = "";
        break;
      case "\u000b":
        cur += "\n";
        break;
      case "\t":
        cur += "\t";
        break;
      case "\u001e":
        cur += "-";
        break;
      case "\u00a0":
        cur += "\u00a0";
        break;
      default:
        // Deleted text (marked NUL), pictures, note references and other control characters carry no text.
        if (ch >= " ") cur += ch;
    }
  }
  if (row.length > 0) (table ??= []).push({ cells: row, defs: null });
  closeTable();
  if (cur.trim() !== "" || cell.trim() !== "") builder.paragraph(cell + cur);
  return builder.build();
}

/**
 * Rows as Word lays them out → the docx convention. Cells merged into their left neighbour (fMerged)
 * widen it; each cell spans the grid columns between its boundaries, the grid being every boundary
 * any row of the table has; a cell continuing a vertical merge is emptied and counted on the cell
 * that starts the merge at the same left edge.
 */
function resolveMerges(rows: RowInProgress[]): CellInput[][] {
  // Boundaries closer than this (twips) are the same line drawn by rounding.
  const SAME = 15;
  const edges: number[] = [];
  for (const r of rows) {
    for (const d of r.defs ?? []) {
      for (const x of [d.left, d.right]) if (!edges.some((e) => Math.abs(e - x) <= SAME)) edges.push(x);
    }
  }
  edges.sort((a, b) => a - b);
  const column = (x: number) => edges.findIndex((e) => Math.abs(e - x) <= SAME);
  const open = new Map<number, CellInput>();
  return rows.map((r) => {
    const defs = r.defs && r.defs.length === r.cells.length ? r.defs : null;
    if (!defs) return r.cells;
    const out: CellInput[] = [];
    const outDefs: { left: number; right: number; def: CellDef }[] = [];
    r.cells.forEach((c, i) => {
      const d = defs[i];
      if (d.merged && out.length > 0) {
        outDefs[outDefs.length - 1].right = d.right;
        return;
      }
      out.push(c);
      outDefs.push({ left: d.left, right: d.right, def: d });
    });
    out.forEach((c, i) => {
      const { left, right, def } = outDefs[i];
      const from = column(left);
      const span = column(right) - from;
      if (span > 1) c.colSpan = span;
      if (def.verticalMerge && !def.verticalRestart) {
        c.text = "";
        const head = open.get(from);
        if (head) head.rowSpan = (head.rowSpan ?? 1) + 1;
      } else if (def.verticalRestart) open.set(from, c);
      else open.delete(from);
    });
    return out;
  });
}
