import { getDb } from "~/db.server";
import { parseFilter } from "~/filters";
import { section } from "~/section.server";
import {
  getDepartment,
  getDepartmentReports,
  getDeviationCauses,
  getGradeCounts,
  getScoreLoss,
  getUnmetIndicators,
  getYearOverYear,
} from "~/queries.server";

/** Rows of the reports table; a department with more shows its most recent ones and says so. */
const REPORT_ROWS = 200;

/** Everything on one department's page; the department filter is fixed to it. */
export async function loadDepartmentPage(departmentId: number, params: URLSearchParams, db = getDb()) {
  const department = await getDepartment(db, { departmentId });
  if (!department) throw new Response("该部门不存在。", { status: 404, statusText: "Not Found" });
  const filter = { ...parseFilter(params), departmentIds: [departmentId] };
  const [reports, yearOverYear, grades, unmetByType, causes, scoreLoss] = await Promise.all([
    section("departmentReports", () => getDepartmentReports(db, { departmentId, filter, limit: REPORT_ROWS })),
    section("yearOverYear", async () => (await getYearOverYear(db, { filter })).find((r) => r.departmentId === departmentId)?.years ?? []),
    section("grades", async () => (await getGradeCounts(db, { filter, by: "department" })).find((r) => r.departmentId === departmentId) ?? null),
    section("unmetByType", () => getUnmetIndicators(db, { filter, by: "type" })),
    section("causes", () => getDeviationCauses(db, { filter, examples: 5 })),
    section("scoreLoss", async () => (await getScoreLoss(db, { filter })).find((r) => r.departmentId === departmentId) ?? null),
  ]);
  return { department, filter, reports, yearOverYear, grades, unmetByType, causes, scoreLoss };
}
