/**
 * Corrections of extracted figures (db/migrations/2026-12-07T02-00_corrections.ts). Applying one
 * updates the stored row itself, so every query, aggregate, export and briefing reads the
 * corrected figure; the summary tables follow through their update triggers. Column names come
 * from the fixed FIELDS table below, never from input.
 */
import { sql, type Kysely } from "kysely";
import { inIdList } from "../dialect";
import { transaction } from "../connection";
import type { Database } from "../schema";
import { addReportsToAggregates, removeReportsFromAggregates } from "./aggregates";
import { filterWhere } from "./filter";
import type { ReportFilter } from "./types";

type Db = Kysely<Database>;

export type TargetKind = "report" | "indicator" | "line_item";

/** What can be corrected: target kind → field → column and value type. */
export const FIELDS = {
  report: {
    budget_initial: { column: "budget_initial_fen", type: "fen" },
    budget_adjusted: { column: "budget_adjusted_fen", type: "fen" },
    spent: { column: "spent_fen", type: "fen" },
    score: { column: "score_total_x100", type: "x100" },
    grade: { column: "grade", type: "grade" },
  },
  indicator: {
    target: { column: "target_text", type: "text" },
    actual: { column: "actual_text", type: "text" },
    met: { column: "met", type: "bool" },
  },
  line_item: {
    budget: { column: "budget_fen", type: "fen" },
    spent: { column: "spent_fen", type: "fen" },
  },
} as const satisfies Record<TargetKind, Record<string, { column: string; type: "fen" | "x100" | "grade" | "text" | "bool" }>>;

export type Value = number | string | null;

export interface Target {
  kind: TargetKind;
  /** '' for the report; an indicator's normalized_name; a line item's name */
  key: string;
  field: string;
}

function fieldOf(t: Target): { column: string; type: string } {
  const f = (FIELDS[t.kind] as Record<string, { column: string; type: string }>)[t.field];
  if (!f) throw new Error(`cannot correct ${t.kind}.${t.field}`);
  return f;
}

const TABLE = { report: "reports", indicator: "indicators", line_item: "line_items" } as const;

/** The stored value of a target in one report, or undefined when the report has no such row. */
export async function readTarget(db: Db, params: { reportId: number; target: Target }): Promise<Value | undefined> {
  const { column } = fieldOf(params.target);
  const t = params.target;
  let q;
  if (t.kind === "report") q = sql<{ v: Value }>`SELECT ${sql.ref(column)} AS v FROM reports WHERE id = ${params.reportId}`;
  else if (t.kind === "indicator") q = sql<{ v: Value }>`SELECT ${sql.ref(column)} AS v FROM indicators WHERE report_id = ${params.reportId} AND normalized_name = ${t.key} ORDER BY position LIMIT 1`;
  else q = sql<{ v: Value }>`SELECT ${sql.ref(column)} AS v FROM line_items WHERE report_id = ${params.reportId} AND name = ${t.key} ORDER BY position LIMIT 1`;
  const rows = (await q.execute(db)).rows;
  return rows.length ? rows[0].v : undefined;
}

/**
 * Writes a value and what follows from it (the budget basis, a report's unmet count). The report
 * leaves the summary tables while its figure changes and comes back with the new one, so every
 * aggregate respects the correction.
 */
async function writeTarget(db: Db, reportId: number, t: Target, value: Value): Promise<void> {
  await removeReportsFromAggregates(db, { reportIds: [reportId] });
  await writeFigure(db, reportId, t, value);
  await addReportsToAggregates(db, { reportIds: [reportId] });
}

async function writeFigure(db: Db, reportId: number, t: Target, value: Value): Promise<void> {
  const { column } = fieldOf(t);
  const table = TABLE[t.kind];
  if (t.kind === "report") {
    await sql`UPDATE reports SET ${sql.ref(column)} = ${value} WHERE id = ${reportId}`.execute(db);
    if (column === "budget_initial_fen" || column === "budget_adjusted_fen") {
      // the rate is measured against the adjusted budget where stated, else the initial one (initial migration)
      await sql`UPDATE reports SET budget_basis_fen = coalesce(budget_adjusted_fen, budget_initial_fen),
        budget_basis = CASE WHEN budget_adjusted_fen IS NOT NULL THEN 'adjusted' WHEN budget_initial_fen IS NOT NULL THEN 'initial' END
        WHERE id = ${reportId}`.execute(db);
    }
    return;
  }
  const keyColumn = t.kind === "indicator" ? "normalized_name" : "name";
  await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${value}
    WHERE id = (SELECT id FROM ${sql.table(table)} WHERE report_id = ${reportId} AND ${sql.ref(keyColumn)} = ${t.key} ORDER BY position LIMIT 1)`.execute(db);
  if (t.kind === "indicator" && column === "met") {
    await sql`UPDATE reports SET unmet_count = (SELECT count(*) FROM indicators WHERE report_id = ${reportId} AND met = 0) WHERE id = ${reportId}`.execute(db);
  }
}

const same = (a: Value | undefined, b: Value) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);

export class CorrectionError extends Error {}

/** Corrects one figure of a current report; a second correction of the same figure replaces the first (which stays, revoked). */
export async function addCorrection(
  db: Db,
  params: { reportId: number; target: Target; value: Value; reason: string; by: { id: number | null; name: string }; at?: string },
): Promise<number> {
  const at = params.at ?? new Date().toISOString();
  return transaction(db, async (trx) => {
    const report = await trx.selectFrom("reports").select("report_key").where("id", "=", params.reportId).executeTakeFirst();
    if (!report) throw new CorrectionError("该报告不存在。");
    const current = await readTarget(trx, { reportId: params.reportId, target: params.target });
    if (current === undefined) throw new CorrectionError("报告中没有这一项。");
    if (same(current, params.value)) throw new CorrectionError("新值与现值相同。");
    const t = params.target;
    const earlier = await trx
      .selectFrom("corrections")
      .select(["id", "old_value"])
      .where("report_key", "=", report.report_key)
      .where("target_kind", "=", t.kind)
      .where("target_key", "=", t.key)
      .where("field", "=", t.field)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (earlier) {
      await trx.updateTable("corrections").set({ revoked_at: at, revoked_by_name: params.by.name, applied_report_id: null }).where("id", "=", earlier.id).execute();
    }
    await writeTarget(trx, params.reportId, t, params.value);
    const row = await trx
      .insertInto("corrections")
      .values({
        report_key: report.report_key,
        target_kind: t.kind,
        target_key: t.key,
        field: t.field,
        // the value as extracted, even when an earlier correction is replaced
        old_value: earlier ? earlier.old_value : JSON.stringify(current),
        new_value: JSON.stringify(params.value),
        reason: params.reason,
        created_by: params.by.id,
        created_by_name: params.by.name,
        created_at: at,
        applied_report_id: params.reportId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Takes a correction back: the figure returns to its extracted value. */
export async function revokeCorrection(db: Db, params: { correctionId: number; by: string; at?: string }): Promise<void> {
  await transaction(db, async (trx) => {
    const c = await trx.selectFrom("corrections").selectAll().where("id", "=", params.correctionId).where("revoked_at", "is", null).executeTakeFirst();
    if (!c) throw new CorrectionError("该更正不存在或已撤销。");
    if (c.applied_report_id !== null) {
      await writeTarget(trx, c.applied_report_id, { kind: c.target_kind, key: c.target_key, field: c.field }, JSON.parse(c.old_value) as Value);
    }
    await trx.updateTable("corrections").set({ revoked_at: params.at ?? new Date().toISOString(), revoked_by_name: params.by, applied_report_id: null }).where("id", "=", c.id).execute();
  });
}

/**
 * Applies the standing corrections to reports just written (a load, a re-ingest, a restored
 * version): where the figure reads as it was extracted when corrected, the correction is applied;
 * where it already reads as corrected, it is marked applied; otherwise the new version states
 * something else and the correction applies to none (it stays, for the record). Call after the
 * reports are in the summary tables, since the update triggers move their contributions.
 */
export async function applyCorrections(db: Db, params: { reportIds: readonly number[] }): Promise<number> {
  if (params.reportIds.length === 0) return 0;
  const standing = await sql<{ id: number; report_id: number; target_kind: TargetKind; target_key: string; field: string; old_value: string; new_value: string }>`
    SELECT c.id, r.id AS report_id, c.target_kind, c.target_key, c.field, c.old_value, c.new_value
    FROM corrections c JOIN reports r ON r.report_key = c.report_key
    WHERE c.revoked_at IS NULL AND ${inIdList(db, sql`r.id`, params.reportIds)}`.execute(db);
  let applied = 0;
  for (const c of standing.rows) {
    const target = { kind: c.target_kind, key: c.target_key, field: c.field };
    const value = await readTarget(db, { reportId: c.report_id, target });
    const oldValue = JSON.parse(c.old_value) as Value;
    const newValue = JSON.parse(c.new_value) as Value;
    let on: number | null = null;
    if (same(value, oldValue)) {
      await writeTarget(db, c.report_id, target, newValue);
      on = c.report_id;
    } else if (same(value, newValue)) on = c.report_id;
    await db.updateTable("corrections").set({ applied_report_id: on }).where("id", "=", c.id).execute();
    if (on !== null) applied++;
  }
  return applied;
}

export interface CorrectionRow {
  id: number;
  target: Target;
  oldValue: Value;
  newValue: Value;
  reason: string;
  by: string;
  at: string;
  revokedAt: string | null;
  revokedBy: string | null;
  appliedReportId: number | null;
}

export async function listCorrections(db: Db, params: { reportKey: string }): Promise<CorrectionRow[]> {
  const rows = await db.selectFrom("corrections").selectAll().where("report_key", "=", params.reportKey).orderBy("id", "desc").execute();
  return rows.map((c) => ({
    id: c.id,
    target: { kind: c.target_kind, key: c.target_key, field: c.field },
    oldValue: JSON.parse(c.old_value) as Value,
    newValue: JSON.parse(c.new_value) as Value,
    reason: c.reason,
    by: c.created_by_name,
    at: c.created_at,
    revokedAt: c.revoked_at,
    revokedBy: c.revoked_by_name,
    appliedReportId: c.applied_report_id,
  }));
}

/** Reports (of the filter) carrying at least one correction, and how many corrections they carry. */
export async function correctionSummary(db: Db, params: { filter?: ReportFilter }): Promise<{ reports: number; corrections: number }> {
  const r = await db
    .selectFrom("corrections")
    .innerJoin("reports", "reports.id", "corrections.applied_report_id")
    .select([sql<number>`count(DISTINCT reports.id)`.as("reports"), sql<number>`count(*)`.as("corrections")])
    .where(filterWhere(params.filter, "reports"))
    .executeTakeFirstOrThrow();
  return { reports: Number(r.reports), corrections: Number(r.corrections) };
}

/** Marks the current version of a report reviewed. */
export async function markReviewed(db: Db, params: { reportId: number; by: string; at?: string }): Promise<boolean> {
  const r = await db
    .updateTable("report_versions")
    .set({ reviewed_at: params.at ?? new Date().toISOString(), reviewed_by_name: params.by })
    .where("report_id", "=", params.reportId)
    .where("state", "=", "current")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function reviewOf(db: Db, params: { reportId: number }): Promise<{ reviewedAt: string | null; reviewedBy: string | null } | null> {
  const r = await db.selectFrom("report_versions").select(["reviewed_at", "reviewed_by_name"]).where("report_id", "=", params.reportId).where("state", "=", "current").executeTakeFirst();
  return r ? { reviewedAt: r.reviewed_at, reviewedBy: r.reviewed_by_name } : null;
}

/** Why a report needs a look: error findings, warnings, or a key figure missing. */
const NEEDS_REVIEW = sql<boolean>`(reports.error_count > 0 OR reports.warning_count > 0 OR reports.budget_basis_fen IS NULL OR reports.spent_fen IS NULL OR reports.score_total_x100 IS NULL)`;

export interface QueueRow {
  reportId: number;
  label: string | null;
  department: string | null;
  year: number | null;
  errors: number;
  warnings: number;
  missing: string[];
  uploadedAt: string;
}

function queueQuery(db: Db, filter: ReportFilter | undefined) {
  return db
    .selectFrom("report_versions")
    .innerJoin("reports", "reports.id", "report_versions.report_id")
    .where("report_versions.state", "=", "current")
    .where("report_versions.reviewed_at", "is", null)
    .where(NEEDS_REVIEW)
    .where(filterWhere(filter, "reports"));
}

/** 待审核: current, unreviewed reports that need a look, those with errors first. */
export async function reviewQueue(db: Db, params: { filter?: ReportFilter; limit: number }): Promise<{ rows: QueueRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    queueQuery(db, params.filter)
      .leftJoin("departments", "departments.id", "reports.department_id")
      .select([
        "reports.id",
        "report_versions.label",
        "departments.name as department",
        "reports.year",
        "reports.error_count",
        "reports.warning_count",
        "reports.budget_basis_fen",
        "reports.spent_fen",
        "reports.score_total_x100",
        "report_versions.uploaded_at",
      ])
      .orderBy("reports.error_count", "desc")
      .orderBy("reports.warning_count", "desc")
      .orderBy("reports.id")
      .limit(params.limit)
      .execute(),
    queueQuery(db, params.filter).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.n),
    rows: rows.map((r) => ({
      reportId: r.id,
      label: r.label,
      department: r.department,
      year: r.year,
      errors: r.error_count,
      warnings: r.warning_count,
      missing: [r.budget_basis_fen === null ? "预算" : null, r.spent_fen === null ? "支出" : null, r.score_total_x100 === null ? "得分" : null].filter((x): x is string => x !== null),
      uploadedAt: r.uploaded_at,
    })),
  };
}

/** Current reports not yet reviewed (all of them, not only the queue's), for the overview. */
export async function unreviewedCount(db: Db, params: { filter?: ReportFilter }): Promise<number> {
  const r = await db
    .selectFrom("report_versions")
    .innerJoin("reports", "reports.id", "report_versions.report_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("report_versions.state", "=", "current")
    .where("report_versions.reviewed_at", "is", null)
    .where(filterWhere(params.filter, "reports"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
