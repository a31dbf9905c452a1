import ExcelJS from "exceljs";
import Decimal from "decimal.js";
import { cellText, type BriefingDocument, type BriefingTable, type Cell } from "./document";

/**
 * The briefing's tables as a workbook: one sheet per table, figures as numbers (so analysts can
 * sum and sort) with number formats that show them as the page does, header row frozen.
 */

export const NUMBER_FORMATS = {
  wan: "#,##0.00",
  rate: '0.00"%"',
  score: "0.00",
  count: "#,##0",
  plain: "General",
  countChange: "+#,##0;-#,##0;0",
  wanChange: "+#,##0.00;-#,##0.00;0.00",
  pointsChange: "+0.00;-0.00;0.00",
} as const;

type NumericKind = keyof typeof NUMBER_FORMATS;

function isNumericKind(kind: Cell["kind"]): kind is NumericKind {
  return kind in NUMBER_FORMATS;
}

/** Excel sheet names: ≤ 31 characters, none of []:*?/\ , unique in the workbook. */
export function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31) || "Sheet";
  let candidate = base;
  for (let i = 2; used.has(candidate); i++) candidate = `${base.slice(0, 28)}(${i})`;
  used.add(candidate);
  return candidate;
}

function cellValue(cell: Cell, reportUrl: (id: number) => string): ExcelJS.CellValue {
  if (isNumericKind(cell.kind)) {
    const v = (cell as { value: string | number | null }).value;
    // Decimal → number only here, at the file's edge: the sheet needs numbers, the data stays exact.
    return v === null ? null : new Decimal(v).toNumber();
  }
  if (cell.kind === "report") return { text: cell.value, hyperlink: reportUrl(cell.reportId) };
  if (cell.kind === "reports") return cellText(cell);
  return cell.kind === "text" ? cell.value : cellText(cell);
}

function addTable(wb: ExcelJS.Workbook, t: BriefingTable, used: Set<string>, reportUrl: (id: number) => string): void {
  const ws = wb.addWorksheet(sheetName(t.sheet, used), {
    views: [{ state: "frozen", ySplit: 1 }],
    // A4 landscape, one page wide, the header row on every printed page.
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
  });
  const header = ws.addRow(t.columns);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EDF4" } };
    c.alignment = { vertical: "middle", wrapText: true };
  });
  for (const row of t.rows) {
    const r = ws.addRow(row.map((cell) => cellValue(cell, reportUrl)));
    row.forEach((cell, i) => {
      const c = r.getCell(i + 1);
      if (isNumericKind(cell.kind)) c.numFmt = NUMBER_FORMATS[cell.kind];
      if (cell.kind === "report") c.font = { color: { argb: "FF1F5FA8" }, underline: true };
      if (cell.kind === "text" && cell.value?.includes("\n")) c.alignment = { wrapText: true, vertical: "top" };
    });
  }
  t.columns.forEach((title, i) => {
    let width = Math.max(8, [...title].length * 2);
    for (const row of t.rows) width = Math.max(width, Math.min(60, [...cellText(row[i]).split("\n")[0]].length * 1.8));
    ws.getColumn(i + 1).width = width;
  });
  if (t.note) {
    ws.addRow([]);
    ws.addRow([`注：${t.note}`]);
  }
}

export async function briefingXlsx(
  doc: BriefingDocument,
  options: { reportUrl: (id: number) => string },
): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "绩效分析";
  wb.title = doc.title;
  const used = new Set<string>();
  const summary = wb.addWorksheet(sheetName("简报", used));
  summary.getColumn(1).width = 120;
  summary.addRow([doc.title]).font = { bold: true, size: 14 };
  summary.addRow([doc.subtitle]);
  for (const s of doc.sections) {
    summary.addRow([]);
    summary.addRow([s.heading]).font = { bold: true };
    for (const p of s.paragraphs) summary.addRow([p]).alignment = { wrapText: true };
  }
  for (const s of doc.sections) for (const t of s.tables) addTable(wb, t, used, options.reportUrl);
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
