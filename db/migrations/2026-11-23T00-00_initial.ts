import { Kysely, sql } from "kysely";
import { columnTypes } from "./columns";

/**
 * The store. Money is INTEGER fen (1 万元 = 1,000,000 fen); scores, weights and rates are
 * INTEGER hundredths (89.5 → 8950), so sums in SQL stay exact. Frozen once landed: change the
 * schema with a new dated migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const { postgres, int, id } = columnTypes(db);
  await db.schema
    .createTable("departments")
    .addColumn("id", int, id)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("normalized_name", "text", (c) => c.notNull().unique())
    .addColumn("region", "text")
    .execute();

  await db.schema
    .createTable("source_files")
    .addColumn("id", int, id)
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull().unique())
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("size_bytes", int, (c) => c.notNull())
    .addColumn("source_text", "text")
    .addColumn("ingested_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("reports")
    .addColumn("id", int, id)
    .addColumn("source_file_id", int, (c) => c.notNull().references("source_files.id").onDelete("cascade"))
    .addColumn("department_id", int, (c) => c.references("departments.id"))
    .addColumn("report_key", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text")
    .addColumn("project_name", "text")
    .addColumn("implementing_unit", "text")
    .addColumn("region", "text")
    .addColumn("year", int)
    .addColumn("evaluation_type", "text")
    .addColumn("budget_initial_fen", int)
    .addColumn("budget_adjusted_fen", int)
    .addColumn("budget_received_fen", int)
    .addColumn("spent_fen", int)
    // The budget an execution rate is measured against: adjusted where stated, else initial.
    .addColumn("budget_basis_fen", int)
    .addColumn("budget_basis", "text")
    .addColumn("execution_rate_stated_x100", int)
    .addColumn("score_total_x100", int)
    .addColumn("grade", "text")
    .addColumn("grade_stated", int, (c) => c.notNull().defaultTo(0))
    .addColumn("indicator_count", int, (c) => c.notNull().defaultTo(0))
    .addColumn("unmet_count", int, (c) => c.notNull().defaultTo(0))
    .addColumn("finding_count", int, (c) => c.notNull().defaultTo(0))
    .addColumn("error_count", int, (c) => c.notNull().defaultTo(0))
    .addColumn("warning_count", int, (c) => c.notNull().defaultTo(0))
    .addColumn("provenance_json", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("budget_sources")
    .addColumn("id", int, id)
    .addColumn("report_id", int, (c) => c.notNull().references("reports.id").onDelete("cascade"))
    .addColumn("position", int, (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("initial_fen", int)
    .addColumn("adjusted_fen", int)
    .addColumn("spent_fen", int)
    .addColumn("execution_rate_x100", int)
    .addColumn("source_line", int)
    .execute();

  await db.schema
    .createTable("categories")
    .addColumn("id", int, id)
    .addColumn("report_id", int, (c) => c.notNull().references("reports.id").onDelete("cascade"))
    .addColumn("position", int, (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("weight_x100", int)
    .addColumn("score_x100", int)
    .addColumn("source_line", int)
    .execute();

  await db.schema
    .createTable("score_items")
    .addColumn("id", int, id)
    .addColumn("report_id", int, (c) => c.notNull().references("reports.id").onDelete("cascade"))
    .addColumn("position", int, (c) => c.notNull())
    .addColumn("level1", "text")
    .addColumn("level2", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("weight_x100", int)
    .addColumn("score_x100", int)
    .addColumn("source_line", int)
    .execute();

  await db.schema
    .createTable("indicators")
    .addColumn("id", int, id)
    .addColumn("report_id", int, (c) => c.notNull().references("reports.id").onDelete("cascade"))
    .addColumn("position", int, (c) => c.notNull())
    .addColumn("level1", "text")
    .addColumn("level2", "text")
    // 数量 / 质量 / 时效 / 成本 / 效益 / 满意度 / 其他: level2 folded to a fixed set for grouping.
    .addColumn("indicator_type", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("normalized_name", "text", (c) => c.notNull())
    .addColumn("target_text", "text")
    .addColumn("actual_text", "text")
    .addColumn("comparator", "text")
    .addColumn("target_value", "text")
    .addColumn("actual_value", "text")
    .addColumn("unit", "text")
    .addColumn("weight_x100", int)
    .addColumn("score_x100", int)
    .addColumn("completion_rate_x100", int)
    .addColumn("met", int)
    .addColumn("deviation_reason", "text")
    // Cause class of the deviation reason (see db/queries/causes.ts), fixed at load time.
    .addColumn("cause", "text")
    .addColumn("source_line", int)
    .execute();

  await db.schema
    .createTable("line_items")
    .addColumn("id", int, id)
    .addColumn("report_id", int, (c) => c.notNull().references("reports.id").onDelete("cascade"))
    .addColumn("position", int, (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("budget_fen", int)
    .addColumn("spent_fen", int)
    .addColumn("allocated", int, (c) => c.notNull())
    .addColumn("source_line", int)
    .execute();

  await db.schema
    .createTable("findings")
    .addColumn("id", int, id)
    .addColumn("report_id", int, (c) => c.notNull().references("reports.id").onDelete("cascade"))
    .addColumn("position", int, (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("field", "text")
    .addColumn("source_line", int)
    .execute();

  for (const t of ["budget_sources", "categories", "score_items", "indicators", "line_items", "findings"]) {
    await db.schema.createIndex(`${t}_report_idx`).on(t).column("report_id").execute();
  }
  await db.schema.createIndex("reports_department_year_idx").on("reports").columns(["department_id", "year"]).execute();
  await db.schema.createIndex("reports_year_idx").on("reports").column("year").execute();
  await db.schema.createIndex("reports_source_idx").on("reports").column("source_file_id").execute();
  await db.schema.createIndex("indicators_unmet_idx").on("indicators").columns(["met", "indicator_type"]).execute();
  await db.schema.createIndex("findings_code_idx").on("findings").columns(["code", "severity"]).execute();
  if (!postgres) await sql`PRAGMA user_version = 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["findings", "line_items", "indicators", "score_items", "categories", "budget_sources", "reports", "source_files", "departments"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
