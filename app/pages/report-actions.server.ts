import { getDb } from "~/db.server";
import { recordEvent } from "~/auth/audit.server";
import type { Viewer } from "~/auth/scope";
import { getReportDetail } from "~/queries.server";
import { deleteReport, getVersion, restoreVersion, VersionError } from "../../db/queries/versions";

/** The report page's POSTs (restore an older version, delete), for analysts and the admin. */
export async function reportAction(reportId: number, viewer: Viewer, form: FormData, address: string): Promise<{ redirect: string } | { error: string }> {
  const db = getDb();
  const detail = await getReportDetail(db, { reportId });
  if (!detail) throw new Response("该报告不存在。", { status: 404, statusText: "Not Found" });
  const label = [detail.year, detail.projectName ?? detail.title].filter(Boolean).join(" ");
  const intent = form.get("intent");
  try {
    if (intent === "delete") {
      const v = await deleteReport(db, { reportId, by: viewer.username });
      await recordEvent(db, { actor: viewer.id, actorName: viewer.username, action: "report.delete", address, target: { type: "report", id: reportId, label }, detail: { version: v.version, sha256: v.sha256 } });
      return { redirect: detail.departmentId ? `/departments/${detail.departmentId}` : "/" };
    }
    if (intent === "restore") {
      const versionId = Number(form.get("versionId"));
      const v = Number.isInteger(versionId) ? await getVersion(db, { versionId }) : null;
      if (!v || v.reportKey !== detail.reportKey) throw new Response("该版本不存在。", { status: 404, statusText: "Not Found" });
      const restored = await restoreVersion(db, { versionId, by: viewer.username });
      await recordEvent(db, { actor: viewer.id, actorName: viewer.username, action: "report.restore", address, target: { type: "report", id: restored.reportId, label }, detail: { version: v.version, replacedReportId: reportId } });
      return { redirect: `/reports/${restored.reportId}` };
    }
  } catch (e) {
    if (e instanceof VersionError) return { error: e.message };
    throw e;
  }
  return { error: "未知操作。" };
}
