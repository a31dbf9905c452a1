import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect";
import * as analytics from "./2026-11-23T03-30_analytics";

/**
 * The summary tables stop following inserts by trigger: the loader adds new reports with one
 * grouped statement per table for a whole batch (db/queries/aggregates.ts), which is far cheaper
 * than two upserts per indicator row. Delete and update triggers stay, so replacing a report or fixing a row by hand
 * still moves the aggregates.
 */

const TABLES = ["report_agg", "score_agg", "indicator_agg", "cause_agg", "category_agg", "finding_agg", "line_item_agg"];

export async function up(db: Kysely<any>): Promise<void> {
  // Constant names from the list above: DDL takes no parameters. (PostgreSQL never had the triggers.)
  if (dialectOf(db) === "postgres") return;
  for (const t of TABLES) await sql.raw(`DROP TRIGGER IF EXISTS ${t}_ins`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The analytics migration recreates every trigger and refills the tables from the rows.
  await analytics.down(db);
  await analytics.up(db);
}
