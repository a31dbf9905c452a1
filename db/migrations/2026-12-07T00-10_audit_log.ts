import { sql, type Kysely } from "kysely";
import { columnTypes } from "./columns";

/**
 * 操作日志: one row per login, upload, replacement, deletion, restore, correction, review and
 * account change — who, when, what, from which address. Rows are only ever inserted. detail_json
 * holds what the action changed (never a password, hash or token).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { int, id } = columnTypes(db);
  await db.schema
    .createTable("audit_log")
    .addColumn("id", int, id)
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_id", int, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", int)
    .addColumn("target_label", "text")
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("detail_json", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await sql`CREATE INDEX audit_log_at_idx ON audit_log (at)`.execute(db);
  await sql`CREATE INDEX audit_log_action_idx ON audit_log (action, at)`.execute(db);
  await sql`CREATE INDEX audit_log_actor_idx ON audit_log (actor_name, at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_log").ifExists().execute();
}
