/** 操作日志: inserted by the actions that change something, read by the admin page and its export. */
import { sql } from "kysely";
import type { DB } from "../connection";

export interface AuditEvent {
  actor: number | null;
  actorName: string;
  action: string;
  target?: { type: string; id: number | null; label?: string | null };
  address: string;
  detail?: Record<string, unknown>;
}

export async function insertAuditEvent(db: DB, params: AuditEvent & { at?: string }): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: params.at ?? new Date().toISOString(),
      actor_id: params.actor,
      actor_name: params.actorName,
      action: params.action,
      target_type: params.target?.type ?? null,
      target_id: params.target?.id ?? null,
      target_label: params.target?.label ?? null,
      address: params.address,
      detail_json: JSON.stringify(params.detail ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  action?: string;
  /** actions starting with this ("login" matches login, login.failed …) */
  actionPrefix?: string;
  actor?: string;
  /** ISO dates, inclusive, by day */
  from?: string;
  to?: string;
  targetId?: number;
}

export interface AuditRow {
  id: number;
  at: string;
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: number | null;
  targetLabel: string | null;
  address: string;
  detail: Record<string, unknown>;
}

/** "2026-12-31" → "2027-01-01"; null for anything that is not a calendar day. */
export function nextDay(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day) return null;
  return new Date(t + 86_400_000).toISOString().slice(0, 10);
}

function query(db: DB, f: AuditFilter) {
  let q = db.selectFrom("audit_log").selectAll();
  if (f.action) q = q.where("action", "=", f.action);
  if (f.actionPrefix) q = q.where((eb) => eb.or([eb("action", "=", f.actionPrefix!), eb("action", "like", `${f.actionPrefix!.replace(/[%_\\]/g, "")}.%`)]));
  if (f.actor) q = q.where("actor_name", "=", f.actor);
  if (f.from) q = q.where("at", ">=", f.from);
  // "to" is a day: everything before the next day (a day that is no date matches nothing)
  if (f.to) {
    const end = nextDay(f.to);
    q = end === null ? q.where(sql<boolean>`false`) : q.where("at", "<", end);
  }
  if (f.targetId !== undefined) q = q.where("target_id", "=", f.targetId);
  return q;
}

export async function listAuditEvents(db: DB, params: { filter: AuditFilter; limit: number; offset?: number }): Promise<{ rows: AuditRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    query(db, params.filter).orderBy("id", "desc").limit(params.limit).offset(params.offset ?? 0).execute(),
    query(db, params.filter).clearSelect().select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.n),
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorName: r.actor_name,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      targetLabel: r.target_label,
      address: r.address,
      detail: safeJson(r.detail_json),
    })),
  };
}

export async function auditActions(db: DB, _params: object = {}): Promise<string[]> {
  const rows = await db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute();
  return rows.map((r) => r.action);
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
