/**
 * The loader: the only SQL in ingest/. One report's rows (ingest/rows.ts) become one row in
 * `reports` plus its children, all or nothing, so that a failure leaves neither a half-written
 * report nor a lost previous version.
 */
import { createHash } from "node:crypto";
import { CompiledQuery, type Insertable, type Kysely, type Transaction } from "kysely";
import { runCompiled, transaction } from "../db/connection";
import { dialectOf } from "../db/dialect";
import { addReportsToAggregates, removeReportsFromAggregates } from "../db/queries/aggregates";
import { archiveVersion, recordNewVersion } from "../db/queries/versions";
import { applyCorrections } from "../db/queries/corrections";
import { prepared } from "../db/queries/prepared";
import type { Database, ReportTable, SourceFileTable } from "../db/schema";
import { LoadError, prepareForLoad, toReportRows, type FindingCounts, type ParseOutput, type ReportRows, type TableRows } from "./rows";
import type { ParsedReport } from "./types";

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

function reportLabel(r: { project_name: string | null; title: string | null; year: number | null }): string {
  return [r.year, r.project_name ?? r.title].filter((x) => x !== null && x !== undefined && x !== "").join(" ");
}

// SQLite allows 32,766 bound parameters per statement; stay well below whatever the row width.
const MAX_PARAMETERS = 30_000;

/**
 * The SQL Kysely compiled for an insert of n rows into a table with given columns. Compiling a
 * multi-row insert costs more than SQLite takes to run it, and the shapes repeat (a report has a
 * handful of categories, a dozen or two indicators), so each shape is compiled once and the rows'
 * packed values are bound to it; the same text also finds its prepared statement at once.
 * (prepared() from db/queries would key the shape by walking every value; here the columns and
 * the row count are the shape.)
 */
const insertSql = new Map<string, Map<number, { columns: string; sql: string }>>(); // by dialect and table: placeholders differ
const MAX_SHAPES_PER_TABLE = 256;

/** Inserts a report's packed rows of one table, filling in each row's report_id slot (ingest/rows.ts). */
async function insertRows<T extends keyof Database & string>(trx: Transaction<Database>, table: T, rows: TableRows, reportId: number): Promise<void> {
  const { columns, values } = rows;
  if (columns.length === 0) return;
  const width = columns.length + 1;
  for (let slot = width - 1; slot < values.length; slot += width) values[slot] = reportId;
  const count = values.length / width;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  const columnList = columns.join(",");
  const shapeKey = `${dialectOf(trx)}:${table}`;
  for (let start = 0; start < count; start += perStatement) {
    const n = Math.min(perStatement, count - start);
    const chunk = n === count ? values : values.slice(start * width, (start + n) * width);
    const shapes = insertSql.get(shapeKey) ?? new Map<number, { columns: string; sql: string }>();
    const known = shapes.get(n);
    if (known && known.columns === columnList) {
      await runCompiled(trx, { sql: known.sql, parameters: chunk });
      continue;
    }
    const objects: Record<string, unknown>[] = [];
    for (let r = 0; r < n; r++) {
      const row: Record<string, unknown> = {};
      columns.forEach((c, k) => (row[c] = chunk[r * width + k]));
      row.report_id = reportId;
      objects.push(row);
    }
    // Rows are built from the typed schema's column names; the cast only bridges the generic
    // table parameter, which Kysely cannot narrow through a union of tables.
    const compiled = trx.insertInto(table).values(objects as never).compile();
    // Reused only if Kysely binds exactly the packed values in their order (rows × columns, then report_id).
    const bindsInOrder = compiled.parameters.length === chunk.length && compiled.parameters.every((p, i) => p === chunk[i]);
    if (bindsInOrder && shapes.size < MAX_SHAPES_PER_TABLE) {
      shapes.set(n, { columns: columnList, sql: compiled.sql });
      insertSql.set(shapeKey, shapes);
    }
    await runCompiled(trx, compiled);
  }
}

/** One report ready to write: its rows and what is stored about its file. */
export interface Writable {
  rows: ReportRows;
  sizeBytes: number;
  /** For display only: it is stored as text and never opened as a path. */
  fileName: string;
  sourceText: string | null;
  /** who stored this version (an upload); none for the command line and the demo */
  uploadedBy?: Uploader | null;
}

export interface Uploader {
  id: number | null;
  name: string;
}

/**
 * Writes one report inside the caller's transaction. Same bytes again (sha256) → "unchanged" with
 * nothing written; a new version of a stored report (same reportKey) → the old one is archived
 * with its rows in report_versions, its rows and now unreferenced file row leave the live tables,
 * and the new one is inserted → "replaced". Either way the new report is recorded as the current
 * version of its key.
 */
async function writeReport(trx: Transaction<Database>, item: Writable, hooks: WriteHooks): Promise<LoadOutcome> {
  const { rows } = item;
  const { findings, sha256, key } = rows;
  const now = new Date().toISOString();
  const [existingFile] = await fileBySha(trx, { sha256 });
  if (existingFile) {
    const [existing] = await reportOfFile(trx, { fileId: existingFile.id });
    if (existing) return { status: "unchanged", reportId: existing.id, findings };
    // A file row without a report cannot be produced by this loader; clear it rather than fail.
    await trx.deleteFrom("source_files").where("id", "=", existingFile.id).execute();
  }

  const [previous] = await reportByKey(trx, { key });
  if (previous) {
    await hooks.beforeDelete(previous.id);
    await archiveVersion(trx, { reportId: previous.id, state: "superseded", by: item.uploadedBy?.name ?? null, at: now });
    // Its contribution leaves the summary tables first, while its rows still say what it was;
    // children go with the report, the file once nothing refers to it.
    await removeReportsFromAggregates(trx, { reportIds: [previous.id] });
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
  if (rows.department) {
    // Most reports name a department already stored: a read, and no write, unless a region is to be filled in.
    const [known] = await departmentByKey(trx, { normalizedName: rows.department.normalizedName });
    departmentId =
      known && (known.region !== null || rows.department.region === null) ? known.id : (await upsertDepartment(trx, rows.department))[0].id;
  }
  const [file] = await insertFile(trx, {
    row: { file_name: item.fileName, sha256, format: rows.format, size_bytes: item.sizeBytes, source_text: item.sourceText, ingested_at: now },
  });
  const [report] = await insertReport(trx, { row: { ...rows.report, source_file_id: file.id, department_id: departmentId, created_at: now } });
  const reportId = report.id;

  await insertRows(trx, "budget_sources", rows.budgetSources, reportId);
  await insertRows(trx, "categories", rows.categories, reportId);
  await insertRows(trx, "score_items", rows.scoreItems, reportId);
  await insertRows(trx, "indicators", rows.indicators, reportId);
  await insertRows(trx, "line_items", rows.lineItems, reportId);
  await insertRows(trx, "findings", rows.findingRows, reportId);
  await recordNewVersion(trx, {
    reportId,
    key,
    departmentId,
    label: reportLabel({ project_name: rows.report.project_name ?? null, title: rows.report.title ?? null, year: rows.report.year ?? null }) || null,
    file: { sha256, fileName: item.fileName, format: rows.format, sizeBytes: item.sizeBytes },
    uploadedBy: item.uploadedBy ?? null,
    at: now,
  });

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
}

interface WriteHooks {
  /** Called before a stored report is deleted to make way for its new version. */
  beforeDelete(reportId: number): Promise<void>;
}

// The statements of every report, compiled once (db/queries/prepared.ts) and bound per report.
const fileBySha = prepared((db, a: { sha256: string }) => db.selectFrom("source_files").select("id").where("sha256", "=", a.sha256));
const reportOfFile = prepared((db, a: { fileId: number }) => db.selectFrom("reports").select("id").where("source_file_id", "=", a.fileId));
const reportByKey = prepared((db, a: { key: string }) =>
  db
    .selectFrom("reports")
    .innerJoin("source_files", "source_files.id", "reports.source_file_id")
    .select(["reports.id", "reports.source_file_id", "reports.project_name", "reports.title", "reports.year", "source_files.file_name"])
    .where("reports.report_key", "=", a.key),
);
const departmentByKey = prepared((db, a: { normalizedName: string }) =>
  db.selectFrom("departments").select(["id", "region"]).where("normalized_name", "=", a.normalizedName),
);
const upsertDepartment = prepared((db, a: { name: string; normalizedName: string; region: string | null }) =>
  db
    .insertInto("departments")
    .values({ name: a.name, normalized_name: a.normalizedName, region: a.region })
    // The first spelling seen stays the display name; a region learnt later fills a gap only.
    .onConflict((oc) =>
      oc.column("normalized_name").doUpdateSet((eb) => ({
        region: eb.fn.coalesce("departments.region", eb.ref("excluded.region")),
      })),
    )
    .returning("id"),
);
const insertFile = prepared((db, a: { row: Insertable<SourceFileTable> }) => db.insertInto("source_files").values(a.row).returning("id"));
const insertReport = prepared((db, a: { row: Insertable<ReportTable> }) => db.insertInto("reports").values(a.row).returning("id"));

/**
 * New reports of a transaction whose rows are written but not yet added to the summary tables:
 * they are added together, one grouped statement per table for the lot, when the batch ends, or
 * before one of them is deleted (a later file in the batch replacing it), since the delete
 * takes out what was added.
 */
class PendingAggregates {
  private ids: number[] = [];

  constructor(private readonly trx: Transaction<Database>) {}

  add(reportId: number): void {
    this.ids.push(reportId);
  }

  async beforeDelete(reportId: number): Promise<void> {
    if (this.ids.includes(reportId)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.ids.length === 0) return;
    const reportIds = this.ids;
    this.ids = [];
    await addReportsToAggregates(this.trx, { reportIds });
  }

  /** For a savepoint: what is pending now, to go back to if the report written next is rolled back. */
  snapshot(): number[] {
    return [...this.ids];
  }

  restore(ids: number[]): void {
    this.ids = ids;
  }
}

async function writeOne(trx: Transaction<Database>, item: Writable, pending: PendingAggregates): Promise<LoadOutcome> {
  const outcome = await writeReport(trx, item, pending);
  if (outcome.status !== "unchanged") pending.add(outcome.reportId);
  return outcome;
}

/**
 * PostgreSQL lets writers run side by side, and two of them can meet. A row one has written but not
 * committed (a department both batches name, the same file) makes the other wait on its unique key;
 * two such waits crosswise are a deadlock, which the server breaks by failing one (deadlock_detected,
 * seen in two overlapping batches in test/ingest/load.test.ts). Or both store the same new report,
 * file or version number and the later commit loses (unique_violation). Run again, the loser sees
 * what the winner committed and loads, replaces or finds its file unchanged, as it would have one
 * after the other. SQLite has one writer at a time and never gets here.
 */
const WRITE_CONFLICTS = new Set(["40P01", "40001", "23505"]);
const ATTEMPTS = 4;

function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && WRITE_CONFLICTS.has(code);
}

async function retryingConflicts<T>(db: Kysely<Database>, write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= ATTEMPTS || dialectOf(db) !== "postgres" || !isWriteConflict(error)) throw error;
      // a short, growing, jittered pause, so that the two do not meet again at once
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/** Stores one parsed report in its own transaction; throws LoadError for figures it cannot store. */
export async function loadReport(db: Kysely<Database>, parsed: ParsedReport, opts: LoadOptions): Promise<LoadOutcome> {
  const rows = toReportRows(parsed);
  const item = { rows, sizeBytes: opts.sizeBytes, fileName: opts.fileName, sourceText: opts.sourceText ?? null };
  return retryingConflicts(db, () => loadOne(db, item));
}

function loadOne(db: Kysely<Database>, item: Writable): Promise<LoadOutcome> {
  return transaction(db, async (trx) => {
    const pending = new PendingAggregates(trx);
    const outcome = await writeOne(trx, item, pending);
    await pending.flush();
    if (outcome.status !== "unchanged") await applyCorrections(trx, { reportIds: [outcome.reportId] });
    return outcome;
  });
}

/**
 * Stores many reports with one commit. A commit costs about as much as writing a small report, so
 * a batch ingest commits once per batch; each report still gets all or nothing: it is written
 * under its own savepoint, and one that fails is rolled back to it alone and comes back as
 * "failed" while the rest of the batch stands. If the commit itself fails, nothing of the batch is
 * stored and every report in it comes back "failed". Outcomes are in the order of `items`.
 */
export async function loadReports(db: Kysely<Database>, items: Writable[]): Promise<IngestOutcome[]> {
  if (items.length === 0) return [];
  try {
    return await retryingConflicts(db, () => loadBatch(db, items));
  } catch (error) {
    return items.map((item) => writeFailure(item.fileName, error));
  }
}

function loadBatch(db: Kysely<Database>, items: Writable[]): Promise<IngestOutcome[]> {
  return transaction(db, async (trx) => {
    const outcomes: IngestOutcome[] = [];
    const pending = new PendingAggregates(trx);
    for (const item of items) {
      const before = pending.snapshot();
      await runCompiled(trx, SAVEPOINT);
      try {
        outcomes.push(await writeOne(trx, item, pending));
      } catch (error) {
        // another writer's, not this report's: the whole batch runs again (retryingConflicts)
        if (isWriteConflict(error) && dialectOf(trx) === "postgres") throw error;
        await runCompiled(trx, ROLLBACK_TO_SAVEPOINT);
        // whatever was added to the summary tables under the savepoint is undone with it
        pending.restore(before);
        outcomes.push(writeFailure(item.fileName, error));
      }
      await runCompiled(trx, RELEASE_SAVEPOINT);
    }
    await pending.flush();
    // analysts' corrections of earlier versions carry over where the figure reads as it did
    const written = outcomes.flatMap((o) => (o.status === "loaded" || o.status === "replaced" ? [o.reportId] : []));
    await applyCorrections(trx, { reportIds: written });
    return outcomes;
  });
}

const SAVEPOINT = CompiledQuery.raw("SAVEPOINT report");
const ROLLBACK_TO_SAVEPOINT = CompiledQuery.raw("ROLLBACK TO report");
const RELEASE_SAVEPOINT = CompiledQuery.raw("RELEASE report");

function writeFailure(fileName: string, error: unknown): IngestFailure {
  const code = error instanceof LoadError ? error.code : "load_failed";
  return { status: "failed", file: fileName, error: { code, message: `数据库写入失败 (database write failed): ${messageOf(error)}` } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The sha256 the parser records for a file: of its bytes, as read. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The "unchanged" outcomes of bytes already stored, by sha256. Checked before parsing so that
 * re-ingesting a folder costs a hash per known file instead of a parse; a batch asks once for
 * many files.
 */
export async function findUnchanged(db: Kysely<Database>, sha256s: string[]): Promise<Map<string, LoadOutcome>> {
  const found = new Map<string, LoadOutcome>();
  if (sha256s.length === 0) return found;
  const stored = await db
    .selectFrom("source_files")
    .innerJoin("reports", "reports.source_file_id", "source_files.id")
    .select(["source_files.sha256", "reports.id", "reports.finding_count", "reports.error_count", "reports.warning_count"])
    .where("source_files.sha256", "in", [...new Set(sha256s)])
    .execute();
  for (const r of stored) {
    found.set(r.sha256, {
      status: "unchanged",
      reportId: r.id,
      findings: { error: r.error_count, warning: r.warning_count, info: r.finding_count - r.error_count - r.warning_count },
    });
  }
  return found;
}

/**
 * Parses uploaded or read bytes and loads the result: what the upload page and the CLI call.
 * Never throws for bad input; every problem comes back as a "failed" outcome with a reason.
 */
/**
 * Who may store a report: returns why not (a message for the uploader), or null. Asked before
 * anything is written, with the report's rows, e.g. whether a reporter reports for its department.
 */
export type LoadGuard = (rows: ReportRows) => string | null;

export async function ingestBuffer(
  db: Kysely<Database>,
  input: { bytes: Uint8Array; fileName: string; guard?: LoadGuard; uploadedBy?: Uploader | null },
): Promise<IngestOutcome> {
  const sha256 = sha256Of(input.bytes);
  const known = (await findUnchanged(db, [sha256])).get(sha256);
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
  return loadParsed(db, result, { sizeBytes: input.bytes.byteLength, fileName: input.fileName, guard: input.guard, uploadedBy: input.uploadedBy });
}

/** Loads a parse result that may be a failure: what the upload page and the CLI call through ingestBuffer. */
export async function loadParsed(
  db: Kysely<Database>,
  result: ParseOutput,
  opts: { sizeBytes: number; fileName: string; guard?: LoadGuard; uploadedBy?: Uploader | null },
): Promise<IngestOutcome> {
  const prepared = prepareForLoad(result);
  if ("failure" in prepared) return { status: "failed", file: opts.fileName, error: prepared.failure };
  const refused = opts.guard?.(prepared.rows) ?? null;
  if (refused !== null) return { status: "failed", file: opts.fileName, error: { code: "forbidden", message: refused } };
  const [outcome] = await loadReports(db, [{ ...prepared, sizeBytes: opts.sizeBytes, fileName: opts.fileName, uploadedBy: opts.uploadedBy }]);
  return outcome;
}
