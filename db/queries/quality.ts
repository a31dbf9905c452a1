import { sql } from "kysely";
import { zhRanks } from "./numbers";
import type { DB } from "../connection";
import { departmentNames, filterWhere, NO_DEPARTMENT, summarySource, withAggregates } from "./filter";
import { prepared } from "./prepared";
import type { CountRow, DataQuality, FilterParams, FindingListRow, ReportFilter, Severity } from "./types";

export interface DataQualityParams extends FilterParams {
  /** narrow the list (not the counts) to one finding code and/or severity */
  code?: string;
  severity?: Severity;
  /** list rows (default 100, at most 5000) */
  limit?: number;
  offset?: number;
}

const SEVERITY_ORDER = ["error", "warning", "info"];

const findingCounts = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("finding_agg", a.filter, ["department_id"]);
  return withAggregates(db)
    .selectFrom(source.from)
    .select(["finding_agg.code", "finding_agg.severity", "finding_agg.department_id as departmentId", sql<number>`sum(finding_agg.findings)`.as("n")])
    .where(source.where)
    .groupBy(["finding_agg.code", "finding_agg.severity", "finding_agg.department_id"])
    .having(sql<boolean>`sum(finding_agg.findings) > 0`);
});

const reportsWithFindings = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("report_agg", a.filter);
  return withAggregates(db)
    .selectFrom(source.from)
    .select(sql<number>`coalesce(sum(report_agg.with_findings), 0)`.as("n"))
    .where(source.where);
});

/** The newest findings under the filter, with their reports; code and severity narrow the list when given. */
const findingList = prepared((db, a: { filter?: ReportFilter; code?: string; severity?: Severity; limit: number; offset: number }) => {
  let list = db
    .selectFrom("findings")
    .innerJoin("reports", "reports.id", "findings.report_id")
    .leftJoin("departments", "departments.id", "reports.department_id")
    .select([
      "findings.id as findingId",
      "findings.report_id as reportId",
      "reports.department_id as departmentId",
      "departments.name as department",
      sql<string | null>`coalesce(reports.project_name, reports.title)`.as("projectName"),
      "reports.year",
      "findings.code",
      "findings.severity",
      "findings.message",
      "findings.field",
      "findings.source_line as sourceLine",
    ])
    .where(filterWhere(a.filter, "reports"));
  // present or not is the query's shape; the value itself is bound
  if (a.code !== undefined) list = list.where("findings.code", "=", a.code);
  if (a.severity !== undefined) list = list.where("findings.severity", "=", a.severity);
  return list
    .orderBy("findings.id", "desc")
    .limit(a.limit)
    .offset(a.offset);
});

/** Audit findings counted by code, severity and department, plus the most recent findings with their reports. */
export async function getDataQuality(db: DB, params: DataQualityParams = {}): Promise<DataQuality> {
  const grouped = await findingCounts(db, { filter: params.filter });
  const [reports] = await reportsWithFindings(db, { filter: params.filter });
  const names = await departmentNames(db);
  const tally = (key: (g: (typeof grouped)[number]) => string) => {
    const m = new Map<string, number>();
    for (const g of grouped) {
      const k = key(g);
      m.set(k, (m.get(k) ?? 0) + g.n);
    }
    return m;
  };
  const toRows = (m: Map<string, number>, label: (k: string) => string, isDept = false): CountRow[] =>
    [...m].map(([key, count]) => {
      const row: CountRow = { key, label: label(key), count };
      if (isDept && key !== "0") row.departmentId = Number(key);
      return row;
    });
  const byCode = toRows(tally((g) => g.code), (k) => k).sort((x, y) => y.count - x.count || x.key.localeCompare(y.key));
  const bySeverity = toRows(tally((g) => g.severity), (k) => k).sort((x, y) => SEVERITY_ORDER.indexOf(x.key) - SEVERITY_ORDER.indexOf(y.key));
  const departmentRows = toRows(
    tally((g) => String(g.departmentId)),
    (k) => names.get(Number(k)) ?? NO_DEPARTMENT,
    true,
  );
  const nameRank = zhRanks(departmentRows.map((r) => r.label));
  const byDepartment = departmentRows.sort((x, y) => y.count - x.count || nameRank.get(x.label)! - nameRank.get(y.label)!);

  const rows: FindingListRow[] = await findingList(db, {
    filter: params.filter,
    // an empty code or severity narrows nothing
    code: params.code || undefined,
    severity: params.severity || undefined,
    limit: Math.max(1, Math.min(params.limit ?? 100, 5000)),
    offset: Math.max(0, params.offset ?? 0),
  });
  return {
    total: grouped.reduce((s, g) => s + g.n, 0),
    reportsWithFindings: reports.n,
    byCode,
    bySeverity,
    byDepartment,
    list: rows,
  };
}
