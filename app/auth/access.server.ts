import { getDb } from "~/db.server";
import { departmentKeys } from "../../db/queries/users";
import type { LoadGuard } from "../../ingest/load";
import { canSeeDepartment, type Viewer } from "./scope";

/** What an upload may store and show, for one viewer. */
export interface UploadAccess {
  guard?: LoadGuard;
  /** recorded with each version stored */
  uploadedBy: { id: number; name: string };
  /** for the 操作日志 */
  address: string;
  /** whether an already-stored report ("unchanged") may be shown to the uploader */
  canSeeReport(reportId: number): Promise<boolean>;
}

export async function uploadAccess(viewer: Viewer, address = "unknown"): Promise<UploadAccess> {
  const db = getDb();
  const canSeeReport = async (reportId: number) => {
    const r = await db.selectFrom("reports").select("department_id").where("id", "=", reportId).executeTakeFirst();
    return r !== undefined && canSeeDepartment(viewer, r.department_id);
  };
  const uploadedBy = { id: viewer.id, name: viewer.username };
  if (viewer.role !== "reporter") return { canSeeReport, uploadedBy, address };
  const own = await departmentKeys(db, { departmentIds: viewer.departmentIds });
  const names = new Map(own.map((d) => [d.normalizedName, d.name]));
  const guard: LoadGuard = (rows) => {
    if (rows.department && names.has(rows.department.normalizedName)) return null;
    const named = rows.department ? `“${rows.department.name}”` : "未注明";
    const mine = own.length ? own.map((d) => d.name).join("、") : "（未绑定部门）";
    return `报告的部门${named}不是您的填报单位（${mine}），未入库。`;
  };
  return { guard, canSeeReport, uploadedBy, address };
}
