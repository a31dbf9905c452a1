import { redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { compareVersions, reportHistory } from "~/versions/versions.server";
import { reportCorrections } from "~/corrections.server";
import { currentReportFor } from "../../db/queries/versions";
import { canSeeDepartment, type Viewer } from "~/auth/scope";
import { CAUSE_LABELS, getReportDetail } from "~/queries.server";
import type { CauseClass } from "../../db/queries/types";

/** Source text above this many lines is cut (the page stays light); the cut is announced. */
const MAX_SOURCE_LINES = 5000;

export async function loadReportPage(reportId: number, viewer: Viewer, compare: { a: number | null; b: number | null } = { a: null, b: null }) {
  const detail = await getReportDetail(getDb(), { reportId });
  if (!detail) {
    // an id that was replaced or restored over leads to the report's current version
    const current = await currentReportFor(getDb(), { reportId });
    if (current !== null && current !== reportId) throw redirect(`/reports/${current}`);
  }
  // a reporter asking for another department's report learns nothing, not even that it exists
  if (!detail || !canSeeDepartment(viewer, detail.departmentId)) throw new Response("该报告不存在。", { status: 404, statusText: "Not Found" });
  const lines = detail.source.text === null ? null : detail.source.text.split(/\r\n|\r|\n/);
  const { text: _text, ...source } = detail.source;
  const [history, diff, corrections] = await Promise.all([
    reportHistory(detail.reportKey),
    compare.a !== null && compare.b !== null ? compareVersions(detail.reportKey, compare.a, compare.b) : null,
    reportCorrections(detail.reportKey, detail.id),
  ]);
  return {
    ...detail,
    history,
    compare: diff,
    ...corrections,
    source,
    sourceLines: lines ? lines.slice(0, MAX_SOURCE_LINES) : null,
    sourceLineCount: lines?.length ?? 0,
    indicators: detail.indicators.map((i) => ({
      ...i,
      causeLabel: i.cause ? (CAUSE_LABELS[i.cause as CauseClass] ?? i.cause) : null,
    })),
  };
}
