/**
 * The loader: the only SQL in ingest/. One ParsedReport becomes one row in `reports` plus its
 * children, written in one transaction so that a failure leaves neither a half-written report nor
 * a lost previous version. Money goes in as integer fen and scores/rates as integer hundredths,
 * converted with decimal.js from the parser's exact decimal strings.
 */
import { createHash } from "node:crypto";
import Decimal from "decimal.js";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema";
import { classifyCause } from "./normalize/causes";
import { foldText, normalizeDepartmentName } from "./normalize/department";
import { classifyIndicatorType, normalizeIndicatorName } from "./normalize/indicatorType";
import { isFailure, type Dec, type ParsedReport, type ParseResult, type Severity } from "./types";

/** What parseBuffer returns: a report or a failure, plus the decoded text lines on success. */
export type ParseOutput = ParseResult & { sourceText?: string };

export type FindingCounts = Record<Severity, number>;

export interface LoadOutcome {
  status: "loaded" | "unchanged" | "replaced";
  reportId: number;
  replacedReportId?: number;
  /** What was replaced, for messages such as "replaced report 12 (old.txt: 2023 会议经费)". */
  replaced?: { reportId: number; fileName: string; label: string };
  findings: FindingCounts;
}

export interface IngestFailure {
  status: "failed";
  /** The file as the caller named it, so that every error says which file it is about. */
  file: string;
  error: { code: string; message: string };
}

export type IngestOutcome = LoadOutcome | IngestFailure;

export interface LoadOptions {
  sourceText?: string | null;
  sizeBytes: number;
  /** For display only: it is stored as text and never opened as a path. */
  fileName: string;
}

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
const FEN_PER_WAN = new Exact(1_000_000);
const HUNDRED = new Exact(100);

function scaled(value: Dec, factor: Decimal, field: string): number | null {
  if (value === null || value === undefined) return null;
  let d: Decimal;
  try {
    d = new Exact(String(value).trim());
  } catch {
    throw new LoadError("bad_decimal", `${field}: "${value}" is not a decimal number`);
  }
  if (!d.isFinite()) throw new LoadError("bad_decimal", `${field}: "${value}" is not a finite number`);
  // Round only what lies beyond the stored precision (below one fen / one hundredth), half-up.
  const integer = d.times(factor).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (integer.abs().greaterThan(Number.MAX_SAFE_INTEGER)) {
    throw new LoadError("amount_out_of_range", `${field}: ${value} is too large to store exactly`);
  }
  // An integer within the safe range converts to a JS number without loss.
  return integer.toNumber();
}

/** 万元 decimal string → integer fen (1 万元 = 1,000,000 fen). */
export function wanToFen(value: Dec, field = "amount"): number | null {
  return scaled(value, FEN_PER_WAN, field);
}

/** Score, weight or percentage decimal string → integer hundredths, rounded half-up. */
export function toHundredths(value: Dec, field = "value"): number | null {
  return scaled(value, HUNDRED, field);
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

function reportLabel(r: { project_name: string | null; title: string | null; year: number | null }): string {
  return [r.year, r.project_name ?? r.title].filter((x) => x !== null && x !== undefined && x !== "").join(" ");
}

// SQLite allows 32,766 bound parameters per statement; stay well below whatever the row width.
const MAX_PARAMETERS = 30_000;

async function insertBatched<T extends keyof Database & string>(
  trx: Transaction<Database>,
  table: T,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const perBatch = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]).length));
  for (let start = 0; start < rows.length; start += perBatch) {
    // Rows are built below from the typed schema's column names; the cast only bridges the
    // generic table parameter, which Kysely cannot narrow through a union of tables.
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + perBatch) as never)
      .execute();
  }
}

/**
 * Stores one parsed report. Same bytes again (sha256) → "unchanged" with nothing written; a
 * new version of a stored report (same reportKey) → the old one and its now unreferenced file
 * are deleted and the new one inserted → "replaced". All of it in one transaction.
 */
export async function loadReport(db: Kysely<Database>, parsed: ParsedReport, opts: LoadOptions): Promise<LoadOutcome> {
  const findings = countFindings(parsed);
  const sha256 = parsed.source.sha256;
  if (!sha256) throw new LoadError("no_sha256", "the parsed report has no sha256");
  const key = reportKey(parsed);
  const now = new Date().toISOString();
  const b = parsed.budget;

  // Convert everything before touching the database, so that a malformed figure is reported
  // without opening a transaction at all.
  const budgetInitial = wanToFen(b.initial, "budget.initial");
  const budgetAdjusted = wanToFen(b.adjusted, "budget.adjusted");
  const basis: "adjusted" | "initial" | null =
    budgetAdjusted !== null ? "adjusted" : budgetInitial !== null ? "initial" : null;
  const reportRow = {
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
    created_at: now,
  };
  const sources = b.sources.map((s, i) => ({
    position: i,
    name: s.name,
    initial_fen: wanToFen(s.initial, `budget.sources[${i}].initial`),
    adjusted_fen: wanToFen(s.adjusted, `budget.sources[${i}].adjusted`),
    spent_fen: wanToFen(s.spent, `budget.sources[${i}].spent`),
    execution_rate_x100: toHundredths(s.executionRate, `budget.sources[${i}].executionRate`),
    source_line: s.line ?? null,
  }));
  const categories = parsed.categories.map((c, i) => ({
    position: i,
    name: c.name,
    weight_x100: toHundredths(c.weight, `categories[${i}].weight`),
    score_x100: toHundredths(c.score, `categories[${i}].score`),
    source_line: c.line ?? null,
  }));
  const scoreItems = parsed.scoreItems.map((s, i) => ({
    position: i,
    level1: s.level1,
    level2: s.level2,
    name: s.name,
    weight_x100: toHundredths(s.weight, `scoreItems[${i}].weight`),
    score_x100: toHundredths(s.score, `scoreItems[${i}].score`),
    source_line: s.line ?? null,
  }));
  const indicators = parsed.indicators.map((ind, i) => ({
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
  }));
  const lineItems = parsed.lineItems.map((l, i) => ({
    position: i,
    name: l.name,
    budget_fen: wanToFen(l.budget, `lineItems[${i}].budget`),
    spent_fen: wanToFen(l.spent, `lineItems[${i}].spent`),
    allocated: l.allocated ? 1 : 0,
    source_line: l.line ?? null,
  }));
  const findingRows = parsed.findings.map((f, i) => ({
    position: i,
    code: f.code,
    severity: f.severity,
    message: f.message,
    field: f.field ?? null,
    source_line: f.line ?? null,
  }));

  return db.transaction().execute(async (trx) => {
    const existingFile = await trx
      .selectFrom("source_files")
      .select("id")
      .where("sha256", "=", sha256)
      .executeTakeFirst();
    if (existingFile) {
      const existing = await trx
        .selectFrom("reports")
        .select("id")
        .where("source_file_id", "=", existingFile.id)
        .executeTakeFirst();
      if (existing) return { status: "unchanged", reportId: existing.id, findings };
      // A file row without a report cannot be produced by this loader; clear it rather than fail.
      await trx.deleteFrom("source_files").where("id", "=", existingFile.id).execute();
    }

    const previous = await trx
      .selectFrom("reports")
      .innerJoin("source_files", "source_files.id", "reports.source_file_id")
      .select([
        "reports.id",
        "reports.source_file_id",
        "reports.project_name",
        "reports.title",
        "reports.year",
        "source_files.file_name",
      ])
      .where("reports.report_key", "=", key)
      .executeTakeFirst();
    if (previous) {
      // Children go with the report (ON DELETE CASCADE); the file goes once nothing refers to it.
      await trx.deleteFrom("reports").where("id", "=", previous.id).execute();
      await trx
        .deleteFrom("source_files")
        .where("id", "=", previous.source_file_id)
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom("reports").select("reports.id").whereRef("reports.source_file_id", "=", "source_files.id"))),
        )
        .execute();
    }

    let departmentId: number | null = null;
    const departmentName = parsed.department?.trim() ?? "";
    const departmentKey = normalizeDepartmentName(departmentName);
    if (departmentKey !== "") {
      const department = await trx
        .insertInto("departments")
        .values({ name: departmentName, normalized_name: departmentKey, region: parsed.region })
        // The first spelling seen stays the display name; a region learnt later fills a gap only.
        .onConflict((oc) =>
          oc.column("normalized_name").doUpdateSet((eb) => ({
            region: eb.fn.coalesce("departments.region", eb.ref("excluded.region")),
          })),
        )
        .returning("id")
        .executeTakeFirstOrThrow();
      departmentId = department.id;
    }

    const file = await trx
      .insertInto("source_files")
      .values({
        file_name: opts.fileName,
        sha256,
        format: parsed.source.format,
        size_bytes: opts.sizeBytes,
        source_text: opts.sourceText ?? null,
        ingested_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const report = await trx
      .insertInto("reports")
      .values({ ...reportRow, source_file_id: file.id, department_id: departmentId })
      .returning("id")
      .executeTakeFirstOrThrow();
    const reportId = report.id;
    const withReport = <R extends object>(rows: R[]) => rows.map((r) => ({ ...r, report_id: reportId }));

    await insertBatched(trx, "budget_sources", withReport(sources));
    await insertBatched(trx, "categories", withReport(categories));
    await insertBatched(trx, "score_items", withReport(scoreItems));
    await insertBatched(trx, "indicators", withReport(indicators));
    await insertBatched(trx, "line_items", withReport(lineItems));
    await insertBatched(trx, "findings", withReport(findingRows));

    if (previous) {
      return {
        status: "replaced",
        reportId,
        replacedReportId: previous.id,
        replaced: { reportId: previous.id, fileName: previous.file_name, label: reportLabel(previous) },
        findings,
      };
    }
    return { status: "loaded", reportId, findings };
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The sha256 the parser records for a file: of its bytes, as read. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The "unchanged" outcome for bytes already stored, or null. Checked before parsing so that
 * re-ingesting a folder costs a hash per known file instead of a parse.
 */
export async function findUnchanged(db: Kysely<Database>, sha256: string): Promise<LoadOutcome | null> {
  const stored = await db
    .selectFrom("source_files")
    .innerJoin("reports", "reports.source_file_id", "source_files.id")
    .select(["reports.id", "reports.finding_count", "reports.error_count", "reports.warning_count"])
    .where("source_files.sha256", "=", sha256)
    .executeTakeFirst();
  if (!stored) return null;
  return {
    status: "unchanged",
    reportId: stored.id,
    findings: {
      error: stored.error_count,
      warning: stored.warning_count,
      info: stored.finding_count - stored.error_count - stored.warning_count,
    },
  };
}

/**
 * Parses uploaded or read bytes and loads the result: what the upload page and the CLI call.
 * Never throws for bad input; every problem comes back as a "failed" outcome with a reason.
 */
export async function ingestBuffer(
  db: Kysely<Database>,
  input: { bytes: Uint8Array; fileName: string },
): Promise<IngestOutcome> {
  const known = await findUnchanged(db, sha256Of(input.bytes));
  if (known) return known;
  // Imported on first use so that the loader (and its tests) do not pull in every reader.
  const { parseBuffer } = await import("./parse");
  let result: ParseOutput;
  try {
    result = await parseBuffer(input.bytes, input.fileName);
  } catch (error) {
    return {
      status: "failed",
      file: input.fileName,
      error: { code: "parse_crashed", message: `解析出错 (parser error): ${messageOf(error)}` },
    };
  }
  return loadParsed(db, result, { sizeBytes: input.bytes.byteLength, fileName: input.fileName });
}

/** Loads a parse result that may be a failure; shared by ingestBuffer and the batch pipeline. */
export async function loadParsed(
  db: Kysely<Database>,
  result: ParseOutput,
  opts: { sizeBytes: number; fileName: string },
): Promise<IngestOutcome> {
  if (isFailure(result)) return { status: "failed", file: opts.fileName, error: { ...result.error } };
  try {
    return await loadReport(db, result, { ...opts, sourceText: result.sourceText ?? null });
  } catch (error) {
    const code = error instanceof LoadError ? error.code : "load_failed";
    return {
      status: "failed",
      file: opts.fileName,
      error: { code, message: `数据库写入失败 (database write failed): ${messageOf(error)}` },
    };
  }
}
