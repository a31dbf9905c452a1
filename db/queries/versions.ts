/**
 * Report versions (db/migrations/2026-12-07T01-00_report_versions.ts). `reports` holds the current
 * version of each report; archiving a version stores a snapshot of its rows here before the rows
 * leave `reports`, and restoring one writes the snapshot back (the summary tables follow:
 * removeReportsFromAggregates takes a report out, addReportsToAggregates puts one in).
 */
import type { Kysely, Selectable, Transaction } from "kysely";
import { transaction } from "../connection";
import type { Database, VersionState } from "../schema";
import { addReportsToAggregates, removeReportsFromAggregates } from "./aggregates";
import { applyCorrections } from "./corrections";
import { prepared } from "./prepared";

type Db = Kysely<Database>;

const CHILD_TABLES = ["budget_sources", "categories", "score_items", "indicators", "line_items", "findings"] as const;
type ChildTable = (typeof CHILD_TABLES)[number];

export interface Snapshot {
  report: Record<string, unknown>;
  source: { file_name: string; sha256: string; format: string; size_bytes: number; source_text: string | null; ingested_at: string };
  children: Record<ChildTable, Record<string, unknown>[]>;
}

/** A stored report's rows as plain data (ids dropped: a restore gets new ones). */
export async function snapshotReport(db: Db, params: { reportId: number }): Promise<Snapshot | null> {
  const report = await db.selectFrom("reports").selectAll().where("id", "=", params.reportId).executeTakeFirst();
  if (!report) return null;
  const source = await db
    .selectFrom("source_files")
    .select(["file_name", "sha256", "format", "size_bytes", "source_text", "ingested_at"])
    .where("id", "=", report.source_file_id)
    .executeTakeFirstOrThrow();
  const children = {} as Snapshot["children"];
  for (const t of CHILD_TABLES) {
    const rows = await db.selectFrom(t).selectAll().where("report_id", "=", params.reportId).orderBy("position").execute();
    children[t] = rows.map((r) => {
      const { id: _id, report_id: _rid, ...rest } = r as Record<string, unknown>;
      return rest;
    });
  }
  const { id: _id, source_file_id: _sf, ...rest } = report;
  return { report: rest, source, children };
}

export interface NewVersion {
  reportId: number;
  key: string;
  departmentId: number | null;
  label: string | null;
  file: { sha256: string; fileName: string; format: string; sizeBytes: number };
  uploadedBy: { id: number | null; name: string } | null;
  at: string;
}

const lastVersion = prepared((db, a: { key: string }) =>
  db.selectFrom("report_versions").select((eb) => eb.fn.max("version").as("v")).where("report_key", "=", a.key),
);
const insertVersion = prepared((db, a: { row: Parameters<ReturnType<Db["insertInto"]>["values"]>[0] }) => db.insertInto("report_versions").values(a.row as never));

/** Records a report just written to `reports` as the current version of its key. */
export async function recordNewVersion(db: Db, v: NewVersion): Promise<void> {
  const [last] = await lastVersion(db, { key: v.key });
  await insertVersion(db, {
    row: {
      report_key: v.key,
      version: Number(last?.v ?? 0) + 1,
      state: "current",
      report_id: v.reportId,
      department_id: v.departmentId,
      label: v.label,
      sha256: v.file.sha256,
      file_name: v.file.fileName,
      format: v.file.format,
      size_bytes: v.file.sizeBytes,
      uploaded_by: v.uploadedBy?.id ?? null,
      uploaded_by_name: v.uploadedBy?.name ?? null,
      uploaded_at: v.at,
    },
  });
}

/**
 * Archives the current version behind a reports row (before that row is deleted): its snapshot
 * goes into its version row, now superseded or deleted. A report without a version row (written
 * by the bench's row writer) gets one here, so that it is not lost either.
 */
export async function archiveVersion(db: Db, params: { reportId: number; state: Exclude<VersionState, "current">; by: string | null; at: string }): Promise<void> {
  const snapshot = await snapshotReport(db, { reportId: params.reportId });
  if (!snapshot) return;
  const json = JSON.stringify(snapshot);
  const updated = await db
    .updateTable("report_versions")
    .set({ state: params.state, snapshot_json: json, archived_at: params.at, archived_by_name: params.by })
    .where("report_id", "=", params.reportId)
    .where("state", "=", "current")
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  const r = snapshot.report as { report_key: string; department_id: number | null; project_name: string | null; title: string | null; year: number | null };
  const [last] = await lastVersion(db, { key: r.report_key });
  await db
    .insertInto("report_versions")
    .values({
      report_key: r.report_key,
      version: Number(last?.v ?? 0) + 1,
      state: params.state,
      report_id: params.reportId,
      department_id: r.department_id,
      label: [r.year, r.project_name ?? r.title].filter((x) => x !== null && x !== "").join(" "),
      sha256: snapshot.source.sha256,
      file_name: snapshot.source.file_name,
      format: snapshot.source.format,
      size_bytes: snapshot.source.size_bytes,
      uploaded_at: snapshot.source.ingested_at,
      archived_at: params.at,
      archived_by_name: params.by,
      snapshot_json: json,
    })
    .execute();
}

/** Deletes a report's rows (children by cascade) and its file row once nothing refers to it; the summary tables first lose its contribution. */
export async function removeReportRows(db: Db, params: { reportId: number; sourceFileId: number }): Promise<void> {
  await removeReportsFromAggregates(db, { reportIds: [params.reportId] });
  await db.deleteFrom("reports").where("id", "=", params.reportId).execute();
  await db
    .deleteFrom("source_files")
    .where("id", "=", params.sourceFileId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("reports").select("reports.id").whereRef("reports.source_file_id", "=", "source_files.id"))))
    .execute();
}

/** Writes a snapshot back as a new reports row with its children; returns the new report id. */
async function writeSnapshot(trx: Transaction<Database>, snapshot: Snapshot): Promise<number> {
  const file = await trx.insertInto("source_files").values(snapshot.source).returning("id").executeTakeFirstOrThrow();
  const report = await trx
    .insertInto("reports")
    .values({ ...(snapshot.report as never as object), source_file_id: file.id } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const t of CHILD_TABLES) {
    const rows = snapshot.children[t] ?? [];
    // a few hundred rows at most per table; chunks keep each statement under SQLite's parameter limit
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto(t)
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, report_id: report.id })) as never)
        .execute();
    }
  }
  await addReportsToAggregates(trx, { reportIds: [report.id] });
  return report.id;
}

export interface VersionRow {
  id: number;
  reportKey: string;
  version: number;
  state: VersionState;
  reportId: number | null;
  departmentId: number | null;
  label: string | null;
  sha256: string;
  fileName: string;
  format: string;
  sizeBytes: number;
  uploadedBy: string | null;
  uploadedAt: string;
  archivedAt: string | null;
  archivedBy: string | null;
}

const VERSION_COLUMNS = [
  "id", "report_key", "version", "state", "report_id", "department_id", "label", "sha256", "file_name", "format", "size_bytes",
  "uploaded_by_name", "uploaded_at", "archived_at", "archived_by_name",
] as const;

type RawVersion = Omit<Pick<Selectable<Database["report_versions"]>, (typeof VERSION_COLUMNS)[number]>, never>;

function toVersion(r: RawVersion): VersionRow {
  return {
    id: r.id,
    reportKey: r.report_key,
    version: r.version,
    state: r.state,
    reportId: r.report_id,
    departmentId: r.department_id,
    label: r.label,
    sha256: r.sha256,
    fileName: r.file_name,
    format: r.format,
    sizeBytes: r.size_bytes,
    uploadedBy: r.uploaded_by_name,
    uploadedAt: r.uploaded_at,
    archivedAt: r.archived_at,
    archivedBy: r.archived_by_name,
  };
}

/** Every version of a report, newest first. */
export async function listVersions(db: Db, params: { reportKey: string }): Promise<VersionRow[]> {
  const rows = await db.selectFrom("report_versions").select(VERSION_COLUMNS).where("report_key", "=", params.reportKey).orderBy("version", "desc").execute();
  return rows.map(toVersion);
}

export async function getVersion(db: Db, params: { versionId: number }): Promise<(VersionRow & { snapshot: Snapshot | null }) | null> {
  const r = await db.selectFrom("report_versions").select([...VERSION_COLUMNS, "snapshot_json"]).where("id", "=", params.versionId).executeTakeFirst();
  if (!r) return null;
  return { ...toVersion(r), snapshot: r.snapshot_json ? (JSON.parse(r.snapshot_json) as Snapshot) : null };
}

/** The current report of the same key as a report id that is no longer current (an old link). */
export async function currentReportFor(db: Db, params: { reportId: number }): Promise<number | null> {
  const old = await db.selectFrom("report_versions").select("report_key").where("report_id", "=", params.reportId).executeTakeFirst();
  if (!old) return null;
  const current = await db
    .selectFrom("report_versions")
    .select("report_id")
    .where("report_key", "=", old.report_key)
    .where("state", "=", "current")
    .executeTakeFirst();
  return current?.report_id ?? null;
}

/** 回收站: deleted versions, most recently deleted first. */
export async function listDeletedVersions(db: Db, params: { limit: number }): Promise<VersionRow[]> {
  const rows = await db.selectFrom("report_versions").select(VERSION_COLUMNS).where("state", "=", "deleted").orderBy("archived_at", "desc").limit(params.limit).execute();
  return rows.map(toVersion);
}

export class VersionError extends Error {}

/** Soft delete: the current version is archived as deleted and leaves `reports` (and every aggregate). */
export async function deleteReport(db: Db, params: { reportId: number; by: string; at?: string }): Promise<VersionRow> {
  const at = params.at ?? new Date().toISOString();
  return transaction(db, async (trx) => {
    const r = await trx.selectFrom("reports").select(["id", "source_file_id"]).where("id", "=", params.reportId).executeTakeFirst();
    if (!r) throw new VersionError("该报告不存在或已删除。");
    await archiveVersion(trx, { reportId: r.id, state: "deleted", by: params.by, at });
    await removeReportRows(trx, { reportId: r.id, sourceFileId: r.source_file_id });
    const v = await trx.selectFrom("report_versions").select(VERSION_COLUMNS).where("report_id", "=", r.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    return toVersion(v);
  });
}

/**
 * Makes an archived version (superseded or deleted) current again; the version current until now
 * is archived as superseded. Returns the restored version's new report id.
 */
export async function restoreVersion(db: Db, params: { versionId: number; by: string; at?: string }): Promise<{ reportId: number; supersededVersionId: number | null }> {
  const at = params.at ?? new Date().toISOString();
  return transaction(db, async (trx) => {
    const v = await getVersion(trx, { versionId: params.versionId });
    if (!v) throw new VersionError("该版本不存在。");
    if (v.state === "current" || !v.snapshot) throw new VersionError("该版本已是当前版本。");
    const current = await trx
      .selectFrom("report_versions")
      .innerJoin("reports", "reports.id", "report_versions.report_id")
      .select(["report_versions.id", "reports.id as reportId", "reports.source_file_id"])
      .where("report_versions.report_key", "=", v.reportKey)
      .where("report_versions.state", "=", "current")
      .executeTakeFirst();
    if (current) {
      await archiveVersion(trx, { reportId: current.reportId, state: "superseded", by: params.by, at });
      await removeReportRows(trx, { reportId: current.reportId, sourceFileId: current.source_file_id });
    }
    const clash = await trx.selectFrom("source_files").select("id").where("sha256", "=", v.snapshot.source.sha256).executeTakeFirst();
    if (clash) throw new VersionError("相同文件的另一份报告已在库中，无法恢复。");
    const reportId = await writeSnapshot(trx, v.snapshot);
    await applyCorrections(trx, { reportIds: [reportId] });
    await trx
      .updateTable("report_versions")
      .set({ state: "current", report_id: reportId, snapshot_json: null, archived_at: null, archived_by_name: null })
      .where("id", "=", v.id)
      .execute();
    return { reportId, supersededVersionId: current?.id ?? null };
  });
}
