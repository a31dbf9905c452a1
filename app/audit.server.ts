import ExcelJS from "exceljs";
import { z } from "zod";
import { getDb } from "~/db.server";
import { auditActions, listAuditEvents, type AuditFilter } from "../db/queries/audit";
import { ACTION_LABELS, describeDetail } from "~/audit";

/** 操作日志 filters from the URL: action, who, from/to (dates), page. */
const schema = z.object({
  action: z.string().regex(/^[a-z.]{1,40}$/).optional().catch(undefined),
  actor: z.string().trim().min(1).max(64).optional().catch(undefined),
  from: z.string().regex(/^\d{4}-\d\d-\d\d$/).optional().catch(undefined),
  to: z.string().regex(/^\d{4}-\d\d-\d\d$/).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export const AUDIT_PAGE_SIZE = 100;

export function parseAuditParams(params: URLSearchParams): AuditFilter & { page: number } {
  const p = schema.parse(Object.fromEntries(["action", "actor", "from", "to", "page"].map((k) => [k, params.get(k) ?? undefined])));
  return { action: p.action, actor: p.actor, from: p.from, to: p.to, page: p.page };
}

export async function loadAuditPage(params: URLSearchParams) {
  const { page, ...filter } = parseAuditParams(params);
  const db = getDb();
  const [list, actions] = await Promise.all([listAuditEvents(db, { filter, limit: AUDIT_PAGE_SIZE, offset: (page - 1) * AUDIT_PAGE_SIZE }), auditActions(db, {})]);
  return { filter, page, pages: Math.max(1, Math.ceil(list.total / AUDIT_PAGE_SIZE)), total: list.total, rows: list.rows, actions };
}

/** The filtered log as a workbook (up to 100,000 rows, newest first). */
export async function auditWorkbook(params: URLSearchParams): Promise<Buffer> {
  const { page: _page, ...filter } = parseAuditParams(params);
  const { rows } = await listAuditEvents(getDb(), { filter, limit: 100_000 });
  const wb = new ExcelJS.Workbook();
  wb.creator = "绩效分析";
  const ws = wb.addWorksheet("操作日志", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = [
    { header: "时间（UTC）", key: "at", width: 22 },
    { header: "操作人", key: "actor", width: 14 },
    { header: "操作", key: "action", width: 16 },
    { header: "对象", key: "target", width: 30 },
    { header: "来源地址", key: "address", width: 18 },
    { header: "详情", key: "detail", width: 60 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow({
      at: r.at.replace("T", " ").replace("Z", ""),
      actor: r.actorName,
      action: ACTION_LABELS[r.action] ?? r.action,
      target: [r.targetType === "report" && r.targetId ? `报告 ${r.targetId}` : r.targetType, r.targetLabel].filter(Boolean).join(" "),
      address: r.address,
      detail: describeDetail(r),
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
