import { sql, type Kysely } from "kysely";

/**
 * Fewer index entries per report written, for the same queries. Every indicator row went into two
 * indexes that only ever serve unmet indicators (the drill-down by type and the cause examples);
 * as partial indexes over met = 0 they hold the unmet rows alone. reports (department_id, year) is
 * a prefix of reports_dims_cover_idx, which serves every query it did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS indicators_unmet_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS indicators_cause_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS reports_department_year_idx`.execute(db);
  await sql`CREATE INDEX indicators_unmet_type_idx ON indicators (indicator_type) WHERE met = 0`.execute(db);
  await sql`CREATE INDEX indicators_unmet_cause_idx ON indicators (cause) WHERE met = 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS indicators_unmet_type_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS indicators_unmet_cause_idx`.execute(db);
  await sql`CREATE INDEX indicators_unmet_idx ON indicators (met, indicator_type)`.execute(db);
  await sql`CREATE INDEX indicators_cause_idx ON indicators (cause, met)`.execute(db);
  await sql`CREATE INDEX reports_department_year_idx ON reports (department_id, year)`.execute(db);
}
