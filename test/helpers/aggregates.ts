import { sql } from "kysely";
import type { DB } from "../../db/connection";
import { backfill } from "../../db/migrations/2026-11-23T03-30_analytics";
import { backfillRatePoints } from "../../db/migrations/2026-11-23T07-00_rate_points";

const TABLES = ["report_agg", "score_agg", "indicator_agg", "cause_agg", "category_agg", "finding_agg", "line_item_agg", "rate_agg"];

async function dump(db: DB): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(db)).rows;
    // a group whose reports all left keeps a row of zeros: the same as no row
    out[t] = rows
      .filter((r) => Object.entries(r).some(([k, v]) => typeof v === "number" && v !== 0 && !["department_id", "year", "score_point", "rate_point"].includes(k)))
      .map((r) => JSON.stringify(r))
      .sort();
  }
  return out;
}

/** The summary tables as kept by the writes so far, and as recomputed from the live rows. */
export async function aggregatesKeptAndRecomputed(db: DB): Promise<{ kept: Record<string, unknown[]>; recomputed: Record<string, unknown[]> }> {
  const kept = await dump(db);
  await db.transaction().execute(async (trx) => {
    for (const t of TABLES) await sql`DELETE FROM ${sql.table(t)}`.execute(trx);
    await backfill(trx as never);
    await backfillRatePoints(trx as never);
  });
  return { kept, recomputed: await dump(db) };
}
