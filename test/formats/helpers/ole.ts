/**
 * Edits of real OLE binaries (the LibreOffice fixtures) for the bad-input tests: records added to an
 * .xls's BIFF stream, compound files that hold an encrypted OOXML package. SheetJS's CFB does the
 * container; the records are written here, by their layout in [MS-XLS].
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as XLSX from "@e965/xlsx";

export const FORMATS_DIR = fileURLToPath(new URL("../../fixtures/formats/", import.meta.url));

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(FORMATS_DIR + name));
}

interface BiffRecord {
  type: number;
  data: Uint8Array;
}

function records(stream: Uint8Array): BiffRecord[] {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const out: BiffRecord[] = [];
  for (let at = 0; at + 4 <= stream.length; ) {
    const type = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    out.push({ type, data: stream.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  return out;
}

function record(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, type, true);
  view.setUint16(2, data.length, true);
  out.set(data, 4);
  return out;
}

function u16s(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, v, true));
  return out;
}

/** The compound file with one stream replaced by what `edit` makes of it. */
function editStream(file: Uint8Array, name: string, edit: (stream: Uint8Array) => Uint8Array): Uint8Array {
  const cfb = XLSX.CFB.read(file, { type: "buffer" });
  const entry = XLSX.CFB.find(cfb, name);
  if (!entry) throw new Error(`no ${name} stream`);
  const stream = edit(new Uint8Array(entry.content as ArrayLike<number> as Uint8Array));
  entry.content = Buffer.from(stream) as unknown as typeof entry.content;
  entry.size = stream.length;
  return new Uint8Array(XLSX.CFB.write(cfb, { type: "buffer" }) as ArrayLike<number>);
}

/** The .xls with its Workbook stream's records passed through `edit` (record bytes in, record bytes out). */
function editWorkbookStream(xls: Uint8Array, edit: (recs: BiffRecord[]) => Uint8Array[]): Uint8Array {
  return editStream(xls, "Workbook", (old) => {
    const parts = edit(records(old));
    const stream = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      stream.set(p, at);
      at += p.length;
    }
    return stream;
  });
}

/** The .doc as Word saves it with an open password: fEncrypted set in the FIB (the text would be RC4 after it). */
export function encryptedDoc(doc: Uint8Array): Uint8Array {
  return editStream(doc, "WordDocument", (old) => {
    const stream = old.slice();
    stream[0x0b] |= 0x01; // FibBase flags (0x0A, little-endian): fEncrypted is bit 8
    return stream;
  });
}

const BOF = 0x0809;
const FILEPASS = 0x002f;
const ROW = 0x0208;
const BLANK = 0x0201;

/** The workbook as Excel saves it with an open password: a FILEPASS (RC4) record right after the globals' BOF. */
export function encryptedXls(xls: Uint8Array): Uint8Array {
  return editWorkbookStream(xls, (recs) => {
    const out: Uint8Array[] = [];
    let done = false;
    for (const r of recs) {
      out.push(record(r.type, r.data));
      if (!done && r.type === BOF) {
        // wEncryptionType 1 (RC4), RC4 header version 1.1, then salt, verifier and its hash (16 bytes each).
        const header = new Uint8Array(2 + 4 + 48);
        header.set(u16s(1, 1, 1), 0);
        for (let i = 6; i < header.length; i++) header[i] = (i * 37) & 0xff;
        out.push(record(FILEPASS, header));
        done = true;
      }
    }
    return out;
  });
}

/**
 * The workbook with `count` formatted-but-empty rows after its data: a ROW record and a BLANK cell for
 * each, as a sheet formatted to its last row has (BIFF8 numbers rows up to 65,535, so the row numbers
 * repeat once they run out).
 */
export function xlsWithEmptyRows(xls: Uint8Array, count: number): Uint8Array {
  return editWorkbookStream(xls, (recs) => {
    const out: Uint8Array[] = [];
    let bofs = 0;
    let inserted = false;
    for (const r of recs) {
      out.push(record(r.type, r.data));
      if (r.type === BOF) bofs++;
      // The first sheet's DIMENSIONS record (0x0200) comes before its rows and cells.
      if (!inserted && bofs === 2 && r.type === 0x0200) {
        const first = 40;
        for (let i = 0; i < count; i++) {
          const row = first + (i % (65_536 - first));
          out.push(record(ROW, u16s(row, 0, 10, 300, 0, 0, 0x0100, 0x000f)));
          out.push(record(BLANK, u16s(row, i % 10, 15)));
        }
        inserted = true;
      }
    }
    if (!inserted) throw new Error("no sheet DIMENSIONS record");
    return out;
  });
}

/** An OOXML file saved with a password: an OLE compound file holding EncryptionInfo and EncryptedPackage. */
export function encryptedOoxml(): Uint8Array {
  const cfb = XLSX.CFB.utils.cfb_new();
  XLSX.CFB.utils.cfb_add(cfb, "EncryptionInfo", Buffer.from(u16s(4, 4, 0x40, 0)));
  XLSX.CFB.utils.cfb_add(cfb, "EncryptedPackage", Buffer.alloc(4096, 0x5a));
  return new Uint8Array(XLSX.CFB.write(cfb, { type: "buffer" }) as ArrayLike<number>);
}
