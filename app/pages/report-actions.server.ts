import { getDb } from "~/db.server";
import { recordEvent } from "~/auth/audit.server";
import type { Viewer } from "~/auth/scope";
import { getReportDetail } from "~/queries.server";
import { deleteReport, getVersion, restoreVersion, VersionError } from "../../db/queries/versions";
import { addCorrection, CorrectionError, describeTarget, displayValue, markReviewed, parseTarget, parseValue, revokeCorrection } from "~/corrections.server";

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
    if (intent === "correct") {
      const target = parseTarget(form.get("target"));
      if (!target) return { error: "请选择要更正的项目。" };
      const reason = String(form.get("reason") ?? "").trim();
      if (reason.length < 2 || reason.length > 500) return { error: "请填写更正理由（2–500 字）。" };
      const parsed = parseValue(target, form.get("value"));
      if ("error" in parsed) return parsed;
      const id = await addCorrection(db, { reportId, target, value: parsed.value, reason, by: { id: viewer.id, name: viewer.username } });
      await recordEvent(db, {
        actor: viewer.id,
        actorName: viewer.username,
        action: "report.correct",
        address,
        target: { type: "report", id: reportId, label },
        detail: { correction: id, field: describeTarget(target), new: displayValue(target, parsed.value), reason },
      });
      return { redirect: `/reports/${reportId}#corrections` };
    }
    if (intent === "revoke") {
      const correctionId = Number(form.get("correctionId"));
      await revokeCorrection(db, { correctionId, by: viewer.username });
      await recordEvent(db, { actor: viewer.id, actorName: viewer.username, action: "report.correction.revoke", address, target: { type: "report", id: reportId, label }, detail: { correction: correctionId } });
      return { redirect: `/reports/${reportId}#corrections` };
    }
    if (intent === "review") {
      await markReviewed(db, { reportId, by: viewer.username });
      await recordEvent(db, { actor: viewer.id, actorName: viewer.username, action: "report.review", address, target: { type: "report", id: reportId, label } });
      return { redirect: `/reports/${reportId}` };
    }
  } catch (e) {
    if (e instanceof VersionError || e instanceof CorrectionError) return { error: e.message };
    throw e;
  }
  return { error: "未知操作。" };
}
