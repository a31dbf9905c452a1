import { Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { migrationProvider } from "../../db/migrations";
import { getDepartmentTable, getOverview, getScoreHistogram } from "../../db/queries";
import { fixtureDb, insertReports } from "./fixture";

describe("analytics migrations", () => {
  it("a database loaded before the aggregates existed is backfilled to exactly what a fresh one holds", async () => {
    const { db } = openDatabase(":memory:");
    const migrator = new Migrator({ db, provider: migrationProvider });
    const first = await migrator.migrateTo("2026-11-23T00-00_initial");
    expect(first.error).toBeUndefined();
    await insertReports(db, undefined, { aggregates: false });
    await migrateToLatest(db);
    const { db: fresh, close } = await fixtureDb();
    try {
      const dump = async (d: typeof db, t: string) => (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)} ORDER BY 1, 2, 3, 4, 5, 6`.execute(d)).rows;
      for (const t of ["report_agg", "score_agg", "indicator_agg", "cause_agg", "category_agg", "finding_agg", "line_item_agg", "rate_agg"]) {
        expect({ t, rows: await dump(db, t) }).toEqual({ t, rows: await dump(fresh, t) });
      }
      expect(await getOverview(db, {})).toEqual(await getOverview(fresh, {}));
      expect(await getDepartmentTable(db, {})).toEqual(await getDepartmentTable(fresh, {}));
      expect(await getScoreHistogram(db, {})).toEqual(await getScoreHistogram(fresh, {}));
    } finally {
      await close();
      await db.destroy();
    }
  });
});
