import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import { sql } from "kysely";
import type { DB } from "../../db/connection";
import * as q from "../../db/queries";
import type { ReportFilter } from "../../db/queries/types";
import { AGGREGATES, backfill } from "../../db/migrations/2026-11-23T03-30_analytics";
import { backfillRatePoints, RATE_AGG } from "../../db/migrations/2026-11-23T07-00_rate_points";
import { backfillRollups, ROLLUPS } from "../../db/migrations/2026-12-07T03-00_rollups";
import { addReportsToAggregates, removeReportsFromAggregates } from "../../db/queries/aggregates";

const SUMMARY_TABLES = [...[...AGGREGATES, RATE_AGG].map((a) => a.table), ...ROLLUPS.map((r) => r.table)];
import { fixtureDb, matches, R1, R2, REPORTS } from "./fixture";

/**
 * Every filtered query must give exactly what the same query gives, unfiltered, on a database that
 * holds only the matching reports (same ids, so results compare whole).
 */
const FILTERS: ReportFilter[] = [
  { years: [2023] },
  { years: [2022] },
  { regions: [R2] },
  { regions: [R1] },
  { departmentIds: [2] },
  { departmentIds: [1, 3] },
  { evaluationTypes: ["self"] },
  { evaluationTypes: ["department", "third_party"] },
  { kinds: ["summary"] },
  { kinds: ["project"] },
  { years: [2023], regions: [R1], evaluationTypes: ["self", "finance"], kinds: ["project"] },
];

type Query = (db: DB, filter: ReportFilter | undefined) => Promise<unknown>;
const QUERIES: Record<string, Query> = {
  overview: (db, filter) => q.getOverview(db, { filter }),
  executionByDepartment: (db, filter) => q.getExecutionByDepartment(db, { filter }),
  executionByRegion: (db, filter) => q.getExecutionByRegion(db, { filter, lowThreshold: 55, midThreshold: 90 }),
  executionByYear: (db, filter) => q.getExecutionByYear(db, { filter }),
  lowestExecution: (db, filter) => q.getLowestExecutionProjects(db, { filter, limit: 3 }),
  departmentTable: (db, filter) => q.getDepartmentTable(db, { filter }),
  gradesByDepartment: (db, filter) => q.getGradeCounts(db, { filter, by: "department" }),
  gradesByYear: (db, filter) => q.getGradeCounts(db, { filter, by: "year" }),
  histogram: (db, filter) => q.getScoreHistogram(db, { filter }),
  unmetByType: (db, filter) => q.getUnmetIndicators(db, { filter, by: "type" }),
  unmetByName: (db, filter) => q.getUnmetIndicators(db, { filter, by: "name" }),
  unmetByDepartment: (db, filter) => q.getUnmetIndicators(db, { filter, by: "department" }),
  causes: (db, filter) => q.getDeviationCauses(db, { filter }),
  scoreLoss: (db, filter) => q.getScoreLoss(db, { filter }),
  credibility: (db, filter) => q.getCredibility(db, { filter }),
  yearOverYear: (db, filter) => q.getYearOverYear(db, { filter }),
  lineItems: (db, filter) => q.getLineItemSummary(db, { filter }),
  // finding row ids are autoincremented, so they differ between the two databases
  dataQuality: async (db, filter) => {
    const d = await q.getDataQuality(db, { filter });
    return { ...d, list: d.list.map(({ findingId: _id, ...rest }) => rest) };
  },
  departmentReports: async (db, filter) => Promise.all([1, 2, 3].map((departmentId) => q.getDepartmentReports(db, { departmentId, filter }))),
};

describe.each(STORES)("on %s", (store) => {
  let full: DB;
  let closeFull: () => Promise<void>;
  beforeAll(async () => ({ db: full, close: closeFull } = await fixtureDb(undefined, store)));
  afterAll(() => closeFull());

  describe("every query honours every filter", () => {
    for (const filter of FILTERS) {
      it(JSON.stringify(filter), async () => {
        const subset = REPORTS.filter((r) => matches(r, filter));
        expect(subset.length).toBeGreaterThan(0);
        expect(subset.length).toBeLessThan(REPORTS.length);
        const { db: only, close } = await fixtureDb(subset, store);
        try {
          for (const [name, run] of Object.entries(QUERIES)) {
            expect({ name, result: await run(full, filter) }).toEqual({ name, result: await run(only, undefined) });
          }
        } finally {
          await close();
        }
      });
    }
  });

  /** The aggregate tables' non-zero rows, comparable across databases. */
  async function aggregates(db: DB): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const t of SUMMARY_TABLES) {
      const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(db)).rows;
      const measures = (r: Record<string, unknown>) =>
        Object.entries(r).filter(([k]) => !["grain", "department_id", "year", "region", "evaluation_type", "kind", "indicator_type", "normalized_name", "cause", "category", "code", "severity", "score_point", "rate_point"].includes(k));
      out[t] = rows.filter((r) => measures(r).some(([, v]) => v !== 0)).map((r) => JSON.stringify(r)).sort();
    }
    return out;
  }

  describe("the aggregate tables stay exact", () => {
    it("after deleting reports (children go with them)", async () => {
      const { db, close } = await fixtureDb(undefined, store);
      const { db: expected, close: close2 } = await fixtureDb(REPORTS.filter((r) => r.id !== 1 && r.id !== 3), store);
      try {
        await removeReportsFromAggregates(db, { reportIds: [1, 3] });
        await db.deleteFrom("reports").where("id", "in", [1, 3]).execute();
        expect(await db.selectFrom("indicators").select("id").where("report_id", "=", 1).execute()).toEqual([]);
        expect(await aggregates(db)).toEqual(await aggregates(expected));
        expect(await q.getOverview(db, {})).toEqual(await q.getOverview(expected, {}));
      } finally {
        await close();
        await close2();
      }
    });

    it("after a report's dimensions or figures change, and after child rows change", async () => {
      const { db, close } = await fixtureDb(undefined, store);
      const moved = REPORTS.map((r) => (r.id === 4 ? { ...r, year: 2023, dept: 3, spentFen: 19_000_000, grade: "良" as const, scoreX100: 8800 } : r));
      const { db: expected, close: close2 } = await fixtureDb(moved, store);
      try {
        await removeReportsFromAggregates(db, { reportIds: [4] });
        await db.updateTable("reports").set({ year: 2023, department_id: 3, spent_fen: 19_000_000, grade: "良", score_total_x100: 8800 }).where("id", "=", 4).execute();
        await addReportsToAggregates(db, { reportIds: [4] });
        expect(await aggregates(db)).toEqual(await aggregates(expected));
        await removeReportsFromAggregates(db, { reportIds: [4] });
        await db.updateTable("indicators").set({ met: 1, cause: null }).where("report_id", "=", 4).where("position", "=", 0).execute();
        await addReportsToAggregates(db, { reportIds: [4] });
        expect((await q.getUnmetIndicators(db, { by: "department" })).find((r) => r.key === "3")?.unmet).toBe(2);
        expect((await q.getDeviationCauses(db, {})).find((c) => c.cause === "funds_not_allocated")).toBeUndefined();
      } finally {
        await close();
        await close2();
      }
    });

    it("the backfill (used by migrations over loaded data and by the bench row writer) agrees with the per-report adds", async () => {
      // the incremental path (one report at a time) and the backfill must agree: rebuild from scratch and compare
      const { db, close } = await fixtureDb(undefined, store);
      try {
        const before = await aggregates(db);
        for (const t of SUMMARY_TABLES) await sql`DELETE FROM ${sql.table(t)}`.execute(db);
        expect(SUMMARY_TABLES.length).toBe(16);
        await backfill(db);
        await backfillRatePoints(db);
        await backfillRollups(db);
        expect(await aggregates(db)).toEqual(before);
      } finally {
        await close();
      }
    });
  });
});
