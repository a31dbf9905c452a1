/**
 * ParsedReport → the rows the database stores, with no database in sight: money as integer fen and
 * scores/rates as integer hundredths, converted with decimal.js from the parser's exact decimal
 * strings, and names normalised for grouping. Pure, so a parser thread runs it beside the parse
 * and the single writer thread (ingest/load.ts) only writes.
 */
import Decimal from "decimal.js";
import type { Insertable } from "kysely";
import type {
  BudgetSourceTable,
  CategoryTable,
  FindingTable,
  IndicatorTable,
  LineItemTable,
  ReportTable,
  ScoreItemTable,
} from "../db/schema";
import { mapList } from "./arrays";
import { classifyCause } from "./normalize/causes";
import { foldText, normalizeDepartmentName } from "./normalize/department";
import { classifyIndicatorType, normalizeIndicatorName } from "./normalize/indicatorType";
import { isFailure, type Dec, type ParsedReport, type ParseResult, type Severity } from "./types";

/** What parseBuffer returns: a report or a failure, plus the decoded text lines on success. */
export type ParseOutput = ParseResult & { sourceText?: string };

export type FindingCounts = Record<Severity, number>;

/** Thrown for a ParsedReport the loader cannot store (a malformed decimal, an impossible amount). */
export class LoadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "LoadError";
  }
}

// A private Decimal so that nobody else's configuration changes our rounding; 40 significant
// digits keep every digit a report can state (a 万元 amount with 6 decimals and 14 integer digits).
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/**
 * The common case, a plain decimal with no more places than are stored ("280.19" as fen, "89.5" as
 * hundredths), needs no rounding: its digits are the integer. Up to 9 integer digits keep the result
 * below 10^15, exact in a JS number. Anything else goes through decimal.js.
 */
const PLAIN_DECIMAL = /^(-?)(\d{1,9})(?:\.(\d+))?$/;

function scaled(value: Dec, places: number, field: string): number | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  const plain = PLAIN_DECIMAL.exec(text);
  if (plain && (plain[3] ?? "").length <= places) {
    const magnitude = Number(plain[2]) * 10 ** places + Number((plain[3] ?? "").padEnd(places, "0"));
    return plain[1] === "-" && magnitude !== 0 ? -magnitude : magnitude;
  }
  let d: Decimal;
  try {
    d = new Exact(text);
  } catch {
    throw new LoadError("bad_decimal", `${field}: "${value}" is not a decimal number`);
  }
  if (!d.isFinite()) throw new LoadError("bad_decimal", `${field}: "${value}" is not a finite number`);
  // Round only what lies beyond the stored precision (below one fen / one hundredth), half-up.
  const integer = d.times(new Exact(10).pow(places)).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (integer.abs().greaterThan(Number.MAX_SAFE_INTEGER)) {
    throw new LoadError("amount_out_of_range", `${field}: ${value} is too large to store exactly`);
  }
  // An integer within the safe range converts to a JS number without loss (+ 0 turns -0 into 0).
  return integer.toNumber() + 0;
}

/** 万元 decimal string → integer fen (1 万元 = 1,000,000 fen). */
export function wanToFen(value: Dec, field = "amount"): number | null {
  return scaled(value, 6, field);
}

/** Score, weight or percentage decimal string → integer hundredths, rounded half-up. */
export function toHundredths(value: Dec, field = "value"): number | null {
  return scaled(value, 2, field);
}

export function countFindings(parsed: Pick<ParsedReport, "findings">): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
  for (const f of parsed.findings) if (f.severity in counts) counts[f.severity] += 1;
  return counts;
}

/**
 * The identity of a report across versions: the same department, subject and year and kind is
 * the same report, whatever the file is called. A report naming neither department nor subject
 * has no identity beyond its bytes, so it never replaces another.
 */
export function reportKey(parsed: ParsedReport): string {
  const department = normalizeDepartmentName(parsed.department ?? "");
  const subjectText =
    parsed.kind === "summary" ? (parsed.title ?? parsed.projectName) : (parsed.projectName ?? parsed.title);
  const subject = foldText(subjectText ?? "");
  if (department === "" && subject === "") return `sha256:${parsed.source.sha256}`;
  return [department, subject, parsed.year ?? "", parsed.kind].join("|");
}

/**
 * A report's rows, converted and normalised: everything the database needs but the ids it assigns.
 * Plain data, so that a parser thread can build it and hand it over, leaving the writer thread only
 * the writing.
 */
export interface ReportRows {
  sha256: string;
  key: string;
  format: string;
  findings: FindingCounts;
  department: { name: string; normalizedName: string; region: string | null } | null;
  report: Omit<Insertable<ReportTable>, "source_file_id" | "department_id" | "created_at">;
  budgetSources: TableRows;
  categories: TableRows;
  scoreItems: TableRows;
  indicators: TableRows;
  lineItems: TableRows;
  findingRows: TableRows;
}

/** A child table's row as the loader inserts it, its report_id aside: what each row literal below is checked against. */
type ChildRow<T> = Omit<Insertable<T>, "report_id">;

/**
 * A report's rows of one child table, packed: `values` holds each row's columns in `columns` order
 * and then one slot for its report_id, which the loader fills in before binding `values` as they
 * are. Rows cross from a parser thread to the writer by structured clone, which copies an object's
 * keys with every row: unpacking a report's rows as objects took the writer 55–80 µs, packed 35–40.
 */
export interface TableRows {
  columns: string[];
  values: unknown[];
}

/** Rows built by one object literal (so with the same keys in the same order) → TableRows. */
export function packRows<Row extends object>(rows: Row[]): TableRows {
  if (rows.length === 0) return { columns: [], values: [] };
  const columns = Object.keys(rows[0]) as (keyof Row & string)[];
  const values: unknown[] = [];
  for (const row of rows) {
    for (const c of columns) values.push(row[c]);
    values.push(null);
  }
  return { columns, values };
}

/**
 * ParsedReport → rows. Every figure is converted here, before any transaction opens, so that a
 * malformed one (LoadError) is reported without touching the database.
 */
export function toReportRows(parsed: ParsedReport): ReportRows {
  const findings = countFindings(parsed);
  const sha256 = parsed.source.sha256;
  if (!sha256) throw new LoadError("no_sha256", "the parsed report has no sha256");
  const b = parsed.budget;
  const budgetInitial = wanToFen(b.initial, "budget.initial");
  const budgetAdjusted = wanToFen(b.adjusted, "budget.adjusted");
  const basis: "adjusted" | "initial" | null =
    budgetAdjusted !== null ? "adjusted" : budgetInitial !== null ? "initial" : null;
  const departmentName = parsed.department?.trim() ?? "";
  const departmentKey = normalizeDepartmentName(departmentName);
  const key = reportKey(parsed);
  return {
    sha256,
    key,
    format: parsed.source.format,
    findings,
    department: departmentKey === "" ? null : { name: departmentName, normalizedName: departmentKey, region: parsed.region },
    report: {
      report_key: key,
      kind: parsed.kind,
      title: parsed.title,
      project_name: parsed.projectName,
      implementing_unit: parsed.implementingUnit,
      region: parsed.region,
      year: parsed.year,
      evaluation_type: parsed.evaluationType,
      budget_initial_fen: budgetInitial,
      budget_adjusted_fen: budgetAdjusted,
      budget_received_fen: wanToFen(b.received, "budget.received"),
      spent_fen: wanToFen(b.spent, "budget.spent"),
      budget_basis_fen: basis === "adjusted" ? budgetAdjusted : budgetInitial,
      budget_basis: basis,
      execution_rate_stated_x100: toHundredths(b.executionRate, "budget.executionRate"),
      score_total_x100: toHundredths(parsed.score.total, "score.total"),
      grade: parsed.score.grade,
      grade_stated: parsed.score.gradeStated ? 1 : 0,
      indicator_count: parsed.indicators.length,
      unmet_count: parsed.indicators.filter((i) => i.met === false).length,
      finding_count: parsed.findings.length,
      error_count: findings.error,
      warning_count: findings.warning,
      provenance_json: parsed.provenance ? JSON.stringify(parsed.provenance) : null,
    },
    budgetSources: packRows(mapList(b.sources, (s, i): ChildRow<BudgetSourceTable> => ({
      position: i,
      name: s.name,
      initial_fen: wanToFen(s.initial, `budget.sources[${i}].initial`),
      adjusted_fen: wanToFen(s.adjusted, `budget.sources[${i}].adjusted`),
      spent_fen: wanToFen(s.spent, `budget.sources[${i}].spent`),
      execution_rate_x100: toHundredths(s.executionRate, `budget.sources[${i}].executionRate`),
      source_line: s.line ?? null,
    }))),
    categories: packRows(mapList(parsed.categories, (c, i): ChildRow<CategoryTable> => ({
      position: i,
      name: c.name,
      weight_x100: toHundredths(c.weight, `categories[${i}].weight`),
      score_x100: toHundredths(c.score, `categories[${i}].score`),
      source_line: c.line ?? null,
    }))),
    scoreItems: packRows(mapList(parsed.scoreItems, (s, i): ChildRow<ScoreItemTable> => ({
      position: i,
      level1: s.level1,
      level2: s.level2,
      name: s.name,
      weight_x100: toHundredths(s.weight, `scoreItems[${i}].weight`),
      score_x100: toHundredths(s.score, `scoreItems[${i}].score`),
      source_line: s.line ?? null,
    }))),
    indicators: packRows(mapList(parsed.indicators, (ind, i): ChildRow<IndicatorTable> => ({
      position: i,
      level1: ind.level1,
      level2: ind.level2,
      indicator_type: classifyIndicatorType(ind),
      name: ind.name,
      normalized_name: typeof ind.name === "string" ? normalizeIndicatorName(ind.name) : ind.name,
      target_text: ind.target,
      actual_text: ind.actual,
      comparator: ind.comparator,
      // Target and actual stay decimal strings in the indicator's own unit (人, 次, %, …):
      // they are compared, never summed, and their scale differs row by row.
      target_value: ind.targetValue,
      actual_value: ind.actualValue,
      unit: ind.unit,
      weight_x100: toHundredths(ind.weight, `indicators[${i}].weight`),
      score_x100: toHundredths(ind.score, `indicators[${i}].score`),
      completion_rate_x100: toHundredths(ind.completionRate, `indicators[${i}].completionRate`),
      met: ind.met === null || ind.met === undefined ? null : ind.met ? 1 : 0,
      deviation_reason: ind.deviationReason,
      // Only a missed target has a cause worth counting; a reason beside a met target is commentary.
      cause: ind.met === false && ind.deviationReason ? classifyCause(ind.deviationReason) : null,
      source_line: ind.line ?? null,
    }))),
    lineItems: packRows(mapList(parsed.lineItems, (l, i): ChildRow<LineItemTable> => ({
      position: i,
      name: l.name,
      budget_fen: wanToFen(l.budget, `lineItems[${i}].budget`),
      spent_fen: wanToFen(l.spent, `lineItems[${i}].spent`),
      allocated: l.allocated ? 1 : 0,
      source_line: l.line ?? null,
    }))),
    findingRows: packRows(mapList(parsed.findings, (f, i): ChildRow<FindingTable> => ({
      position: i,
      code: f.code,
      severity: f.severity,
      message: f.message,
      field: f.field ?? null,
      source_line: f.line ?? null,
    }))),
  };
}

/**
 * A parse result made ready for the writer: its rows, or why it cannot be stored. What a parser
 * thread sends back, so that converting figures happens beside the parsing, not in the writer.
 */
export type Prepared =
  | { rows: ReportRows; sourceText: string | null }
  | { failure: { code: string; message: string } };

export function prepareForLoad(result: ParseOutput): Prepared {
  if (isFailure(result)) return { failure: { ...result.error } };
  try {
    return { rows: toReportRows(result), sourceText: result.sourceText ?? null };
  } catch (error) {
    const code = error instanceof LoadError ? error.code : "load_failed";
    return { failure: { code, message: `数据库写入失败 (database write failed): ${error instanceof Error ? error.message : String(error)}` } };
  }
}

