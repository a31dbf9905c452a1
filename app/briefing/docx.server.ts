import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IFontAttributesProperties,
} from "docx";
import { cellText, type BriefingDocument, type BriefingTable, type Cell } from "./document";

/**
 * The briefing as a Word file in the official-document style: 黑体 headings, 仿宋 body (fonts set
 * on every run, Latin fallbacks for machines without them), A4, page numbers in the footer.
 */

const BODY_FONT: IFontAttributesProperties = { eastAsia: "仿宋", ascii: "FangSong", hAnsi: "FangSong", cs: "FangSong" };
const HEADING_FONT: IFontAttributesProperties = { eastAsia: "黑体", ascii: "SimHei", hAnsi: "SimHei", cs: "SimHei" };
const TITLE_FONT: IFontAttributesProperties = { eastAsia: "方正小标宋简体", ascii: "SimSun", hAnsi: "SimSun", cs: "SimSun" };

// Half-points: 三号 = 16 pt, 四号 = 14 pt, 五号 = 10.5 pt, 小五 = 9 pt, 二号 = 22 pt.
const SIZE_BODY = 32;
const SIZE_HEADING = 32;
const SIZE_TABLE_TITLE = 28;
const SIZE_TABLE = 18;
const SIZE_TITLE = 44;

const NUMERIC: ReadonlySet<Cell["kind"]> = new Set([
  "plain",
  "count",
  "wan",
  "rate",
  "score",
  "countChange",
  "wanChange",
  "pointsChange",
]);

function run(text: string, font: IFontAttributesProperties, size: number, bold = false): TextRun {
  return new TextRun({ text, font, size, bold });
}

function cellParagraphs(text: string, numeric: boolean, bold = false): Paragraph[] {
  // A line break inside a cell (cause examples) becomes its own paragraph.
  return text.split("\n").map(
    (line) =>
      new Paragraph({
        alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [run(line, bold ? HEADING_FONT : BODY_FONT, SIZE_TABLE)],
      }),
  );
}

// A4 (11906 twips) minus the left and right margins below.
const TEXT_WIDTH = 11906 - 1587 - 1474;

/** Display width of text: CJK and full-width characters count double. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

// One display unit (an ASCII character at 小五, with room for wide fallback fonts) and the cell padding, in twips.
const UNIT = 110;
const PADDING_UNITS = 3;

/**
 * Column widths in twips. Figures and short values (a year, a grade) keep to one line at their
 * natural width; the remaining width goes to the name columns in proportion to their text.
 */
export function columnWidths(t: BriefingTable): number[] {
  const natural = t.columns.map((title, i) => {
    let longest = 0;
    let numeric = false;
    for (const row of t.rows.slice(0, 100)) {
      numeric ||= NUMERIC.has(row[i].kind);
      longest = Math.max(longest, ...cellText(row[i]).split("\n").map(displayWidth));
    }
    // A header may wrap, but not inside a short word.
    const header = Math.min(displayWidth(title), 6);
    return { width: Math.max(longest, header) + PADDING_UNITS, fixed: numeric || longest <= 10 };
  });
  const capacity = TEXT_WIDTH / UNIT;
  const fixedTotal = natural.filter((c) => c.fixed).reduce((n, c) => n + c.width, 0);
  const flexible = natural.filter((c) => !c.fixed);
  const flexTotal = flexible.reduce((n, c) => n + c.width, 0);
  const room = capacity - fixedTotal;
  let units: number[];
  if (flexible.length === 0 || room <= flexible.length * 8) {
    // Everything at its natural width, scaled to the page.
    const total = natural.reduce((n, c) => n + c.width, 0);
    units = natural.map((c) => (c.width / total) * capacity);
  } else {
    units = natural.map((c) => (c.fixed ? c.width : Math.max(8, (c.width / flexTotal) * room)));
    const total = units.reduce((a, b) => a + b, 0);
    units = units.map((u) => (u / total) * capacity);
  }
  return units.map((u) => Math.floor(u * UNIT));
}

const border = { style: BorderStyle.SINGLE, size: 4, color: "808080" };
const borders = { top: border, bottom: border, left: border, right: border };

function table(t: BriefingTable): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    new Paragraph({
      spacing: { before: 240, after: 120 },
      keepNext: true,
      children: [run(t.title, HEADING_FONT, SIZE_TABLE_TITLE)],
    }),
  ];
  if (t.rows.length === 0) {
    out.push(new Paragraph({ children: [run("（无）", BODY_FONT, SIZE_TABLE)] }));
    return out;
  }
  const widths = columnWidths(t);
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: t.columns.map(
      (c, i) =>
        new TableCell({
          borders,
          width: { size: widths[i], type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, color: "auto", fill: "E8EDF4" },
          children: cellParagraphs(c, false, true),
        }),
    ),
  });
  const rows = t.rows.map(
    (row) =>
      new TableRow({
        cantSplit: true,
        children: row.map(
          (cell, i) =>
            new TableCell({
              borders,
              width: { size: widths[i], type: WidthType.DXA },
              children: cellParagraphs(cellText(cell), NUMERIC.has(cell.kind)),
            }),
        ),
      }),
  );
  out.push(
    new Table({ width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: widths, rows: [header, ...rows] }),
  );
  if (t.note) out.push(new Paragraph({ children: [run(`注：${t.note}`, BODY_FONT, SIZE_TABLE)] }));
  return out;
}

export async function briefingDocx(doc: BriefingDocument): Promise<Uint8Array<ArrayBuffer>> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [run(doc.title, TITLE_FONT, SIZE_TITLE, true)],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 360 }, children: [run(doc.subtitle, BODY_FONT, SIZE_TABLE_TITLE)] }),
  ];
  for (const section of doc.sections) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        spacing: { before: 360, after: 120 },
        keepNext: true,
        children: [run(section.heading, HEADING_FONT, SIZE_HEADING)],
      }),
    );
    for (const p of section.paragraphs) {
      children.push(
        new Paragraph({
          indent: { firstLine: 640 },
          spacing: { line: 560, lineRule: LineRuleType.EXACT },
          children: [run(p, BODY_FONT, SIZE_BODY)],
        }),
      );
    }
    for (const t of section.tables) children.push(...table(t));
  }
  const document = new Document({
    title: doc.title,
    creator: "绩效分析",
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: SIZE_BODY } },
        heading1: { run: { font: HEADING_FONT, size: SIZE_HEADING, bold: false, color: "000000" } },
        title: { run: { font: TITLE_FONT, size: SIZE_TITLE, color: "000000" } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            // A4 in twentieths of a point, with the usual official-document margins.
            size: { width: 11906, height: 16838 },
            margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ["— ", PageNumber.CURRENT, " / ", PageNumber.TOTAL_PAGES, " —"], font: BODY_FONT, size: 28 }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  const buffer = await Packer.toBuffer(document);
  return new Uint8Array(buffer);
}
