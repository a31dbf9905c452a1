import type { DB } from "../../db/connection";
import { insertAuditEvent, type AuditEvent } from "../../db/queries/audit";

/**
 * Writes one 操作日志 row. An action that changed something must not answer "done" when its log
 * row failed, so errors propagate; detail carries figures and names, never a secret.
 */
export async function recordEvent(db: DB, event: AuditEvent): Promise<void> {
  await insertAuditEvent(db, event);
}
