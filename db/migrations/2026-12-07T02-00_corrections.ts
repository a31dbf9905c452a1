import { sql, type Kysely } from "kysely";
import { columnTypes } from "./columns";

/**
 * Review and correction. A correction is its own row — who, when, why, the extracted value and the
 * corrected one — keyed by the report's identity (report_key) and the figure it corrects, so that
 * it outlives the rows it was applied to: a re-ingest or a new version whose figure still reads as
 * extracted gets the correction again (applied_report_id says which reports row carries it now;
 * null while it applies to none). A review is recorded on the version reviewed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { int, id } = columnTypes(db);
  await db.schema
    .createTable("corrections")
    .addColumn("id", int, id)
    .addColumn("report_key", "text", (c) => c.notNull())
    .addColumn("target_kind", "text", (c) => c.notNull().check(sql`target_kind IN ('report', 'indicator', 'line_item')`))
    .addColumn("target_key", "text", (c) => c.notNull())
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("old_value", "text", (c) => c.notNull())
    .addColumn("new_value", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_by", int, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_by_name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("revoked_by_name", "text")
    .addColumn("applied_report_id", int)
    .execute();
  await sql`CREATE INDEX corrections_key_idx ON corrections (report_key) WHERE revoked_at IS NULL`.execute(db);
  await sql`CREATE INDEX corrections_applied_idx ON corrections (applied_report_id) WHERE applied_report_id IS NOT NULL`.execute(db);
  await sql`ALTER TABLE report_versions ADD COLUMN reviewed_at TEXT`.execute(db);
  await sql`ALTER TABLE report_versions ADD COLUMN reviewed_by_name TEXT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("corrections").ifExists().execute();
  await sql`ALTER TABLE report_versions DROP COLUMN reviewed_at`.execute(db);
  await sql`ALTER TABLE report_versions DROP COLUMN reviewed_by_name`.execute(db);
}
