/**
 * A minimal PDF writer for test fixtures: text placed at given positions with a CID font
 * (Adobe-GB1 STSong-Light, not embedded, UniGB-UCS2-H) so Chinese text has a real text layer,
 * and image-only pages that have none (a "scan").
 */

export interface PlacedText {
  x: number;
  y: number;
  text: string;
  size?: number;
}

export interface PdfPage {
  texts?: PlacedText[];
  /** Page width in points (A4 portrait, 595, when omitted). */
  width?: number;
  /** Draw a gray image over the page, as a scanner would. */
  image?: boolean;
}

const PAGE_W = 595;
const PAGE_H = 842;

function utf16Hex(s: string): string {
  let hex = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code > 0xffff) continue; // outside UCS-2: not in the font's CMap
    hex += code.toString(16).padStart(4, "0").toUpperCase();
  }
  return hex;
}

export function buildPdf(pages: PdfPage[]): Uint8Array {
  const objects: (string | Uint8Array)[] = [];
  const add = (body: string | Uint8Array): number => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add("");
  const pagesObj = add("");
  const descriptor = add(
    "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
  );
  const cidFont = add(
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor ${descriptor} 0 R /DW 1000 /W [1 95 500] >>`,
  );
  const font = add(`<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [${cidFont} 0 R] >>`);
  const image = add(streamObject("<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", new Uint8Array([128, 200, 90, 30])));
  const pageIds: number[] = [];
  for (const page of pages) {
    let content = "";
    const width = page.width ?? PAGE_W;
    if (page.image) content += `q ${width} 0 0 ${PAGE_H} 0 0 cm /Im1 Do Q\n`;
    for (const t of page.texts ?? []) {
      content += `BT /F1 ${t.size ?? 10.5} Tf 1 0 0 1 ${t.x} ${t.y} Tm <${utf16Hex(t.text)}> Tj ET\n`;
    }
    const contentId = add(streamObject("<<", new TextEncoder().encode(content)));
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${width} ${PAGE_H}] /Resources << /Font << /F1 ${font} 0 R >> /XObject << /Im1 ${image} 0 R >> >> /Contents ${contentId} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pageIds.length} >>`;

  const chunks: Uint8Array[] = [];
  const enc = new TextEncoder();
  let length = 0;
  const push = (b: Uint8Array | string) => {
    const bytes = typeof b === "string" ? enc.encode(b) : b;
    chunks.push(bytes);
    length += bytes.length;
  };
  push("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    push(`${i + 1} 0 obj\n`);
    push(body);
    push("\nendobj\n");
  });
  const xrefAt = length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const off of offsets) push(`${String(off).padStart(10, "0")} 00000 n \n`);
  push(`trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function streamObject(dictStart: string, data: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${dictStart} /Length ${data.length} >>\nstream\n`);
  const tail = new TextEncoder().encode("\nendstream");
  const out = new Uint8Array(head.length + data.length + tail.length);
  out.set(head, 0);
  out.set(data, head.length);
  out.set(tail, head.length + data.length);
  return out;
}

/**
 * Lays out a report as a PDF would show it: paragraphs as lines, tables as rows of text placed in
 * fixed columns. Returns one or more pages.
 */
export function layoutReport(blocks: ({ paragraph: string } | { table: string[][]; columns: number[] })[]): PdfPage[] {
  const pages: PdfPage[] = [];
  let texts: PlacedText[] = [];
  let y = PAGE_H - 60;
  const lineGap = 22;
  const newline = () => {
    y -= lineGap;
    if (y < 60) {
      pages.push({ texts });
      texts = [];
      y = PAGE_H - 60;
    }
  };
  for (const b of blocks) {
    if ("paragraph" in b) {
      texts.push({ x: 60, y, text: b.paragraph });
      newline();
    } else {
      for (const row of b.table) {
        row.forEach((cell, i) => {
          if (cell !== "") texts.push({ x: b.columns[i], y, text: cell });
        });
        newline();
      }
    }
  }
  if (texts.length) pages.push({ texts });
  return pages;
}
