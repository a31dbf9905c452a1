import { formatCount, formatRate, formatScore, formatWan, MISSING, toChartNumber } from "./format";

/**
 * Column kinds of the dashboard's tables: how a cell is shown, sorted, filtered and exported.
 * Pure, shared by the table component, the CSV writer and the XLSX resource route.
 */
export type ColumnKind = "text" | "wan" | "rate" | "score" | "count";

export interface ExportColumn {
  id: string;
  header: string;
  kind: ColumnKind;
}

export type CellValue = string | number | null;

export function displayCell(kind: ColumnKind, value: CellValue): string {
  switch (kind) {
    case "wan":
      return formatWan(value);
    case "rate":
      return formatRate(value);
    case "score":
      return formatScore(value);
    case "count":
      return formatCount(value);
    default:
      return value === null || value === "" ? MISSING : String(value);
  }
}

/** The number a cell sorts by; text sorts as text. */
export function sortValue(kind: ColumnKind, value: CellValue): number | string | null {
  if (kind === "text") return value === null ? null : String(value);
  return toChartNumber(value);
}

/**
 * A numeric column filter as an analyst types it: "<60", ">=80", "60-80", "85". Returns null
 * when the text is not such an expression (the filter then matches the cell text instead).
 */
export function parseNumberFilter(text: string): ((n: number) => boolean) | null {
  const s = text.replace(/\s+/g, "").replace(/％|%/g, "").replace(/，/g, ",");
  if (!s) return null;
  let m = /^(<=|>=|<|>|=|≤|≥)(-?\d+(?:\.\d+)?)$/.exec(s);
  if (m) {
    const v = Number(m[2]);
    switch (m[1]) {
      case "<":
        return (n) => n < v;
      case "<=":
      case "≤":
        return (n) => n <= v;
      case ">":
        return (n) => n > v;
      case ">=":
      case "≥":
        return (n) => n >= v;
      default:
        return (n) => n === v;
    }
  }
  m = /^(-?\d+(?:\.\d+)?)[-~～至](-?\d+(?:\.\d+)?)$/.exec(s);
  if (m) {
    const lo = Number(m[1]);
    const hi = Number(m[2]);
    return (n) => n >= Math.min(lo, hi) && n <= Math.max(lo, hi);
  }
  m = /^-?\d+(?:\.\d+)?$/.exec(s);
  if (m) {
    const v = Number(s);
    return (n) => n === v;
  }
  return null;
}

export function matchesColumnFilter(kind: ColumnKind, value: CellValue, filterText: string): boolean {
  const text = filterText.trim();
  if (!text) return true;
  if (kind !== "text") {
    const test = parseNumberFilter(text);
    const n = toChartNumber(value);
    if (test) return n !== null && test(n);
  }
  return displayCell(kind, value).toLowerCase().includes(text.toLowerCase());
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV of the given rows: exact numbers without grouping (a spreadsheet reads them as numbers),
 * a BOM so that Excel opens the Chinese headers as UTF-8, CRLF line ends.
 */
export function toCsv(columns: ExportColumn[], rows: CellValue[][]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(",")];
  for (const row of rows) {
    lines.push(
      row
        .map((v, i) => {
          const kind = columns[i]?.kind ?? "text";
          if (v === null || v === undefined) return "";
          return csvField(kind === "text" ? String(v) : String(v).trim());
        })
        .join(","),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
