import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTempDb, type TempDb } from "../helpers/temp-db";
import { buildFixture } from "./fixture";
import { closeDb, useDatabase } from "../../app/db.server";
import { loadOverviewPage } from "../../app/pages/overview.server";
import { ANALYST_VIEWER } from "../helpers/auth";
import { loadBriefing } from "../../app/briefing/briefing.server";
import { parseFilter } from "../../app/filters";
import { getExecutionByDepartment } from "../../db/queries";

/**
 * The briefing and the dashboard answer the same filter with the same figures: the overview's KPIs
 * (through both pages' loaders) and every department's execution rate.
 */

let t: TempDb;

beforeAll(async () => {
  t = await openTempDb();
  await buildFixture(t.db);
  useDatabase(t.db);
});

afterAll(async () => {
  closeDb();
  await t.close();
});

describe("briefing = dashboard", () => {
  for (const query of ["year=2024", "year=2023", "year=2024&type=self", "year=2024&region=示例市"]) {
    it(`has the dashboard's overview and department rates for ${query}`, async () => {
      const params = new URLSearchParams(query);
      const dashboard = await loadOverviewPage(params, ANALYST_VIEWER);
      const briefing = await loadBriefing(params);
      if (!dashboard.overview.ok) throw new Error("dashboard overview failed");
      expect(briefing.data.overview.current).toEqual(dashboard.overview.data);
      // The dashboard's execution-by-department chart and table read this query.
      const byDepartment = await getExecutionByDepartment(t.db, { filter: parseFilter(params) });
      const dashboardRates = Object.fromEntries(byDepartment.map((r) => [r.label, r.executionRate]));
      const briefingRates = Object.fromEntries(briefing.data.recommendations.departments.map((d) => [d.department, d.executionRate]));
      expect(briefingRates).toEqual(dashboardRates);
      expect(Object.keys(briefingRates).length).toBeGreaterThan(0);
    });
  }
});
