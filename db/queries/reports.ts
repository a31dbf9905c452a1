import type { DB } from "../connection";
import { withAggregates } from "./filter";
import { prepared } from "./prepared";
import { fenToWanOrNull, percent, x100OrNull, compareZh, zhOrder } from "./numbers";
import type { FilterOptions, GradeBand, ReportDetail, ReportKind, Severity } from "./types";

const reportWithSource = prepared((db, a: { reportId: number }) =>
  db
    .selectFrom("reports")
    .innerJoin("source_files", "source_files.id", "reports.source_file_id")
    .leftJoin("departments", "departments.id", "reports.department_id")
    .selectAll("reports")
    .select([
      "departments.name as department",
      "source_files.file_name",
      "source_files.sha256",
      "source_files.format",
      "source_files.size_bytes",
      "source_files.ingested_at",
      "source_files.source_text",
    ])
    .where("reports.id", "=", a.reportId),
);

// a report's own rows, in the order the report gives them
const budgetSourcesOf = prepared((db, a: { reportId: number }) =>
  db.selectFrom("budget_sources").selectAll().where("report_id", "=", a.reportId).orderBy("position"),
);
const categoriesOf = prepared((db, a: { reportId: number }) => db.selectFrom("categories").selectAll().where("report_id", "=", a.reportId).orderBy("position"));
const scoreItemsOf = prepared((db, a: { reportId: number }) => db.selectFrom("score_items").selectAll().where("report_id", "=", a.reportId).orderBy("position"));
const indicatorsOf = prepared((db, a: { reportId: number }) => db.selectFrom("indicators").selectAll().where("report_id", "=", a.reportId).orderBy("position"));
const lineItemsOf = prepared((db, a: { reportId: number }) => db.selectFrom("line_items").selectAll().where("report_id", "=", a.reportId).orderBy("position"));
const findingsOf = prepared((db, a: { reportId: number }) => db.selectFrom("findings").selectAll().where("report_id", "=", a.reportId).orderBy("position"));

/** One report with every stored row, its findings with source lines, provenance and source text; null if unknown. */
export async function getReportDetail(db: DB, params: { reportId: number }): Promise<ReportDetail | null> {
  const report = { reportId: params.reportId };
  const [r] = await reportWithSource(db, report);
  if (!r) return null;
  const [sources, categories, scoreItems, indicators, lineItems, findings] = await Promise.all([
    budgetSourcesOf(db, report),
    categoriesOf(db, report),
    scoreItemsOf(db, report),
    indicatorsOf(db, report),
    lineItemsOf(db, report),
    findingsOf(db, report),
  ]);
  let provenance: Record<string, number> = {};
  if (r.provenance_json) {
    try {
      const parsed: unknown = JSON.parse(r.provenance_json);
      if (parsed && typeof parsed === "object") provenance = parsed as Record<string, number>;
    } catch {
      // a damaged provenance blob only loses the line links, not the report
    }
  }
  return {
    id: r.id,
    reportKey: r.report_key,
    kind: r.kind as ReportKind,
    title: r.title,
    projectName: r.project_name,
    departmentId: r.department_id,
    department: r.department,
    implementingUnit: r.implementing_unit,
    region: r.region,
    year: r.year,
    evaluationType: r.evaluation_type,
    budget: {
      initial: fenToWanOrNull(r.budget_initial_fen),
      adjusted: fenToWanOrNull(r.budget_adjusted_fen),
      received: fenToWanOrNull(r.budget_received_fen),
      spent: fenToWanOrNull(r.spent_fen),
      basis: fenToWanOrNull(r.budget_basis_fen),
      basisKind: r.budget_basis,
      executionRateStated: x100OrNull(r.execution_rate_stated_x100),
      executionRate: percent(r.spent_fen, r.budget_basis_fen),
    },
    score: { total: x100OrNull(r.score_total_x100), grade: r.grade as GradeBand | null, gradeStated: r.grade_stated === 1 },
    sources: sources.map((s) => ({
      position: s.position,
      name: s.name,
      initial: fenToWanOrNull(s.initial_fen),
      adjusted: fenToWanOrNull(s.adjusted_fen),
      spent: fenToWanOrNull(s.spent_fen),
      executionRate: x100OrNull(s.execution_rate_x100),
      sourceLine: s.source_line,
    })),
    categories: categories.map((c) => ({
      position: c.position,
      name: c.name,
      weight: x100OrNull(c.weight_x100),
      score: x100OrNull(c.score_x100),
      sourceLine: c.source_line,
    })),
    scoreItems: scoreItems.map((s) => ({
      position: s.position,
      level1: s.level1,
      level2: s.level2,
      name: s.name,
      weight: x100OrNull(s.weight_x100),
      score: x100OrNull(s.score_x100),
      sourceLine: s.source_line,
    })),
    indicators: indicators.map((i) => ({
      position: i.position,
      level1: i.level1,
      level2: i.level2,
      type: i.indicator_type,
      name: i.name,
      normalizedName: i.normalized_name,
      target: i.target_text,
      actual: i.actual_text,
      comparator: i.comparator,
      targetValue: i.target_value,
      actualValue: i.actual_value,
      unit: i.unit,
      weight: x100OrNull(i.weight_x100),
      score: x100OrNull(i.score_x100),
      completionRate: x100OrNull(i.completion_rate_x100),
      met: i.met === null ? null : i.met === 1,
      deviationReason: i.deviation_reason,
      cause: i.cause,
      sourceLine: i.source_line,
    })),
    lineItems: lineItems.map((l) => ({
      position: l.position,
      name: l.name,
      budget: fenToWanOrNull(l.budget_fen),
      spent: fenToWanOrNull(l.spent_fen),
      allocated: l.allocated === 1,
      sourceLine: l.source_line,
    })),
    findings: findings.map((f) => ({
      id: f.id,
      position: f.position,
      code: f.code,
      severity: f.severity as Severity,
      message: f.message,
      field: f.field,
      sourceLine: f.source_line,
    })),
    provenance,
    source: {
      fileId: r.source_file_id,
      fileName: r.file_name,
      sha256: r.sha256,
      format: r.format,
      sizeBytes: r.size_bytes,
      ingestedAt: r.ingested_at,
      text: r.source_text,
    },
  };
}

const dimensionsPresent = prepared((db) =>
  withAggregates(db).selectFrom("report_agg").select(["department_id", "year", "region", "evaluation_type", "kind"]).distinct().where("reports", ">", 0),
);

const allDepartments = prepared((db) => db.selectFrom("departments").select(["id", "name"]));

/** The values each filter can take, from the data present (departments: those with reports). */
export async function getFilterOptions(db: DB, _params: Record<string, never> | object = {}): Promise<FilterOptions> {
  const dims = await dimensionsPresent(db, {});
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  const departmentIds = new Set(dims.map((d) => d.department_id).filter((id) => id !== 0));
  const present = (await allDepartments(db, {})).filter((d) => departmentIds.has(d.id));
  const order = zhOrder(present.map((d) => d.name));
  const departments = present.sort((a, b) => order.get(a.name)! - order.get(b.name)! || a.id - b.id);
  return {
    years: uniq(dims.map((d) => d.year).filter((y) => y !== 0)).sort((a, b) => a - b),
    regions: uniq(dims.map((d) => d.region).filter((r) => r !== "")).sort((a, b) => compareZh(a, b)),
    departments,
    evaluationTypes: uniq(dims.map((d) => d.evaluation_type).filter((e) => e !== "")).sort(),
    kinds: uniq(dims.map((d) => d.kind)).sort(),
  };
}
