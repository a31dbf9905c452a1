import { sql, type Kysely } from "kysely";
import { columnTypes } from "./columns";

/**
 * Accounts. A password is stored only as its argon2id hash (the PHC string carries salt and
 * parameters). session_epoch is copied into each session cookie: raising it (new password,
 * disabled account) ends every session of the user at once, although sessions live in cookies.
 * A reporter is bound to the departments it reports for in user_departments.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { int, id } = columnTypes(db);
  await db.schema
    .createTable("users")
    .addColumn("id", int, id)
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text")
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role IN ('admin', 'analyst', 'reporter')`))
    .addColumn("disabled", int, (c) => c.notNull().defaultTo(0))
    .addColumn("session_epoch", int, (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("user_departments")
    .addColumn("user_id", int, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("department_id", int, (c) => c.notNull().references("departments.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("user_departments_pk", ["user_id", "department_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_departments").ifExists().execute();
  await db.schema.dropTable("users").ifExists().execute();
}
