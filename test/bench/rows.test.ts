import { removeReportsFromAggregates } from "../../db/queries/aggregates";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { getOverview, getUnmetIndicators } from "../../db/queries";
import { writeRows } from "../../bench/rows";

describe("bench row writer", () => {
  it("fills a database whose aggregates, indexes and triggers match a row-by-row load", async () => {
    const { db, sqlite } = openDatabase(":memory:");
    await migrateToLatest(db);
    const schema = () => sqlite.prepare(`SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name`).all();
    const before = schema();
    const { reports } = await writeRows(sqlite, { reports: 300, departments: 40, years: [2022, 2024], seed: 5, batch: 70 });
    expect(reports).toBe(300);
    expect(schema()).toEqual(before);

    const count = (sqlText: string) => (sqlite.prepare(sqlText).get() as { n: number }).n;
    expect(count("SELECT count(*) AS n FROM reports")).toBe(300);
    expect(count("SELECT sum(reports) AS n FROM report_agg")).toBe(300);
    expect(count("SELECT sum(indicators) AS n FROM indicator_agg")).toBe(count("SELECT count(*) AS n FROM indicators"));
    expect(count("SELECT sum(unmet) AS n FROM indicator_agg")).toBe(count("SELECT count(*) AS n FROM indicators WHERE met = 0"));
    expect(count("SELECT sum(findings) AS n FROM finding_agg")).toBe(count("SELECT count(*) AS n FROM findings"));
    expect(count("SELECT sum(items) AS n FROM line_item_agg")).toBe(count("SELECT count(*) AS n FROM line_items"));
    const budgetFen = count("SELECT sum(budget_basis_fen) AS n FROM reports");
    const overview = await getOverview(db, {});
    expect(overview.reports).toBe(300);
    expect(overview.departments).toBe(40);
    expect(overview.budget).toBe((budgetFen / 1e6).toString());

    // from here the application keeps them: taking a report out and deleting it moves every aggregate with it
    const victim = sqlite.prepare("SELECT id, unmet_count AS u FROM reports WHERE unmet_count > 0 LIMIT 1").get() as { id: number; u: number };
    const unmetBefore = (await getUnmetIndicators(db, { by: "type" })).reduce((s, r) => s + r.unmet, 0);
    await removeReportsFromAggregates(db, { reportIds: [victim.id] });
    await db.deleteFrom("reports").where("id", "=", victim.id).execute();
    expect((await getOverview(db, {})).reports).toBe(299);
    expect((await getUnmetIndicators(db, { by: "type" })).reduce((s, r) => s + r.unmet, 0)).toBe(unmetBefore - victim.u);
    await db.destroy();
  });
});
