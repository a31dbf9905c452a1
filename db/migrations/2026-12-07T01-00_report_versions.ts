import { sql, type Kysely } from "kysely";
import { columnTypes } from "./columns";

/**
 * Every version of a report, so that a replacement or a deletion never loses one. `reports` (and
 * with it every summary table) keeps holding the current version only, so no dashboard query
 * changes: a version that stops being current — replaced, deleted (回收站) — is archived here
 * with a snapshot of its rows and source text, from which it can be restored. The file's bytes
 * live in the data directory under their sha256 (never under the uploaded name).
 *
 * report_id is the reports row of the version while it is current; an archived version keeps the
 * id it had, so that an old link to /reports/:id can lead to the current version.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { postgres, int, id } = columnTypes(db);
  await db.schema
    .createTable("report_versions")
    .addColumn("id", int, id)
    .addColumn("report_key", "text", (c) => c.notNull())
    .addColumn("version", int, (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().check(sql`state IN ('current', 'superseded', 'deleted')`))
    .addColumn("report_id", int)
    .addColumn("department_id", int)
    .addColumn("label", "text")
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("size_bytes", int, (c) => c.notNull())
    .addColumn("uploaded_by", int, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("uploaded_by_name", "text")
    .addColumn("uploaded_at", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addColumn("archived_by_name", "text")
    .addColumn("snapshot_json", "text")
    .execute();
  await sql`CREATE UNIQUE INDEX report_versions_key_idx ON report_versions (report_key, version)`.execute(db);
  await sql`CREATE INDEX report_versions_report_idx ON report_versions (report_id)`.execute(db);
  await sql`CREATE INDEX report_versions_state_idx ON report_versions (state, archived_at)`.execute(db);
  // the reports already stored are each the first, current version of themselves
  // (PostgreSQL concatenates text only: the year is cast, where SQLite converts it itself)
  const year = postgres ? sql`CAST(r.year AS TEXT)` : sql`r.year`;
  await sql`INSERT INTO report_versions (report_key, version, state, report_id, department_id, label, sha256, file_name, format, size_bytes, uploaded_at)
    SELECT r.report_key, 1, 'current', r.id, r.department_id, trim(coalesce(${year}, '') || ' ' || coalesce(r.project_name, r.title, '')),
      f.sha256, f.file_name, f.format, f.size_bytes, f.ingested_at
    FROM reports r JOIN source_files f ON f.id = r.source_file_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_versions").ifExists().execute();
}
