import ExcelJS from "exceljs";
import { z } from "zod";
import { toChartNumber } from "./format";

const cell = z.union([z.string().max(2000), z.number(), z.null()]);

export const exportRequestSchema = z.object({
  title: z.string().max(100),
  columns: z
    .array(z.object({ id: z.string().max(100), header: z.string().max(100), kind: z.enum(["text", "wan", "rate", "score", "count"]) }))
    .min(1)
    .max(50),
  rows: z.array(z.array(cell).max(50)).max(100_000),
});

export type ExportRequest = z.infer<typeof exportRequestSchema>;

/** Number formats that show the figures as the dashboard does, while cells stay numbers. */
const numFmt: Record<string, string | undefined> = {
  wan: "#,##0.00",
  rate: '0.00"%"',
  score: "0.00",
  count: "#,##0",
};

export async function buildTableWorkbook(req: ExportRequest): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "绩效分析";
  wb.created = new Date(0);
  const ws = wb.addWorksheet(req.title.slice(0, 31) || "Sheet1", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = req.columns.map((c) => ({
    header: c.header,
    key: c.id,
    width: c.kind === "text" ? 24 : 14,
    style: numFmt[c.kind] ? { numFmt: numFmt[c.kind] } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of req.rows) {
    ws.addRow(req.columns.map((c, i) => (c.kind === "text" ? (row[i] ?? "") : toChartNumber(row[i]))));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
