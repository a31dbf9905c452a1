/* eslint-disable @typescript-eslint/no-explicit-any -- loader JSON is read loosely in assertions; the figures themselves are asserted exactly */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import { useDatabase, closeDb } from "~/db.server";
import { loader as overviewLoader } from "~/routes/_index";
import { loader as departmentsLoader } from "~/routes/departments._index";
import { loader as departmentLoader } from "~/routes/departments.$id";
import { loader as reportLoader } from "~/routes/reports.$id";
import { loader as indicatorsLoader } from "~/routes/indicators";
import { loader as qualityLoader } from "~/routes/quality";
import { loader as rootLoader } from "~/root";
import { createEmptyDb, createFixtureDb, FIXTURE, type FixtureDb } from "./fixture";
import { account } from "../helpers/auth";

type LoaderArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };

/** The analyst's session cookie: every loader requires a signed-in user (test/app/access.test.ts covers the roles). */
let cookie = "";
const request = (url: string) => new Request(`http://test${url}`, { headers: { cookie } });

/** Runs a route loader like Remix does and returns its JSON body (or the thrown Response). */
async function run<T = any>(loader: (args: LoaderArgs) => Promise<Response>, url: string, params: Record<string, string> = {}): Promise<T> {
  const res = await loader({ request: request(url), params, context: {} });
  return (await res.json()) as T;
}

async function status(loader: (args: LoaderArgs) => Promise<Response>, url: string, params: Record<string, string>): Promise<number> {
  try {
    const res = await loader({ request: request(url), params, context: {} });
    return res.status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

const L = {
  overview: overviewLoader as unknown as (a: LoaderArgs) => Promise<Response>,
  departments: departmentsLoader as unknown as (a: LoaderArgs) => Promise<Response>,
  department: departmentLoader as unknown as (a: LoaderArgs) => Promise<Response>,
  report: reportLoader as unknown as (a: LoaderArgs) => Promise<Response>,
  indicators: indicatorsLoader as unknown as (a: LoaderArgs) => Promise<Response>,
  quality: qualityLoader as unknown as (a: LoaderArgs) => Promise<Response>,
  root: rootLoader as unknown as (a: LoaderArgs) => Promise<Response>,
};

describe.each(STORES)("on %s", (store) => {
  describe("route loaders on the fixture jurisdiction", () => {
    let fx: FixtureDb;
    beforeAll(async () => {
      fx = await createFixtureDb(undefined, store);
      useDatabase(fx.db, fx.close);
      cookie = (await account(fx.db, "analyst", "analyst")).cookie;
    });
    afterAll(() => closeDb());

    it("root: filter options list the years, region and departments", async () => {
      const shell = await run(L.root, "/");
      expect(shell.empty).toBe(false);
      expect(shell.options.years).toEqual([2023, 2024]);
      expect(shell.options.regions).toEqual([FIXTURE.region]);
      expect(shell.options.departments.map((d: { name: string }) => d.name).sort()).toEqual([...FIXTURE.departments].sort());
    });

    it("overview: KPIs to the digit, all years", async () => {
      const data = await run(L.overview, "/");
      expect(data.overview.ok).toBe(true);
      const o = data.overview.data;
      expect(o.reports).toBe(FIXTURE.all.reports);
      expect(o.departments).toBe(FIXTURE.all.departments);
      expect(o.budget).toBe(FIXTURE.all.budget);
      expect(o.spent).toBe(FIXTURE.all.spent);
      expect(o.executionRate).toBe(FIXTURE.all.rate);
      expect(o.averageScore).toBe(FIXTURE.all.average);
      expect(o.excellentShare).toBe(FIXTURE.all.excellentShare);
      expect(o.reportsWithFindings).toBe(FIXTURE.all.withFindings);
      expect(o.grades).toMatchObject({ 优: 2, 良: 2, 中: 1, 差: 1 });
    });

    it("overview: the year filter in the URL changes every section", async () => {
      const data = await run(L.overview, "/?year=2023");
      expect(data.filter).toEqual({ years: [2023] });
      const o = data.overview.data;
      expect([o.reports, o.budget, o.spent, o.executionRate, o.averageScore]).toEqual([
        FIXTURE.y2023.reports,
        FIXTURE.y2023.budget,
        FIXTURE.y2023.spent,
        FIXTURE.y2023.rate,
        FIXTURE.y2023.average,
      ]);
      expect(data.byDepartment.data.total).toBe(3);
      const bars = data.byDepartment.data.rows as { label: string; executionRate: string }[];
      expect(bars[0].label).toBe("交通运输局"); // lowest rate first: the chart shows the worst N
      expect(Object.fromEntries(bars.map((b) => [b.label, b.executionRate]))).toEqual({ 教育局: "50.00", 卫生健康局: "90.00", 交通运输局: "40.00" });
      expect(data.trend.data).toEqual([{ year: 2023, executionRate: "69.09", averageScore: "75.00", budget: "550", spent: "380" }]);
    });

    it("overview: trend per year, grade stacks per year, lowest projects, flagged scatter points", async () => {
      const data = await run(L.overview, "/");
      expect(data.trend.data.map((t: { year: number; executionRate: string; averageScore: string }) => [t.year, t.executionRate, t.averageScore])).toEqual([
        [2023, FIXTURE.y2023.rate, FIXTURE.y2023.average],
        [2024, FIXTURE.y2024.rate, FIXTURE.y2024.average],
      ]);
      expect(data.gradesByYear.data).toEqual([
        { label: "2023年", grades: { 优: 1, 良: 0, 中: 1, 差: 1, none: 0 } },
        { label: "2024年", grades: { 优: 1, 良: 2, 中: 0, 差: 0, none: 0 } },
      ]);
      expect(data.lowest.data[0]).toMatchObject({ projectName: "农村公路养护", year: 2023, executionRate: "40.00" });
      expect(data.credibility.data.highScoreLowExecutionCount).toBe(1);
      expect(data.credibility.data.highScoreLowExecution[0]).toMatchObject({ projectName: "学生资助项目", year: 2023, executionRate: "50.00", score: "92.00" });
    });

    it("overview: a bad filter value is ignored, not an error", async () => {
      const data = await run(L.overview, "/?year=abc&type=nope&dept=-1");
      expect(data.filter).toEqual({});
      expect(data.overview.data.reports).toBe(6);
    });

    it("departments: one row per department with exact figures, honouring the filter", async () => {
      const data = await run(L.departments, "/departments");
      const rows = data.table.data as { department: string; reports: number; budget: string; spent: string; executionRate: string; averageScore: string; unmetIndicators: number; findings: number }[];
      const edu = rows.find((r) => r.department === "教育局")!;
      expect(edu).toMatchObject({ reports: 2, budget: "300", spent: "230", executionRate: "76.67", averageScore: "88.50", unmetIndicators: 1, findings: 1 });
      const road = rows.find((r) => r.department === "交通运输局")!;
      expect(road).toMatchObject({ budget: "270.5", spent: "160.25", executionRate: "59.24", averageScore: "71.75", findings: 1 });
      const only2024 = await run(L.departments, "/departments?year=2024");
      expect(only2024.table.data.find((r: { department: string }) => r.department === "交通运输局")).toMatchObject({ budget: "120.5", executionRate: "83.20" });
    });

    it("department page: its reports, trend and causes; unknown id → 404", async () => {
      const id = await fx.departmentId("交通运输局");
      const data = await run(L.department, `/departments/${id}`, { id: String(id) });
      expect(data.department.name).toBe("交通运输局");
      expect(data.reports.data.total).toBe(2);
      expect(data.yearOverYear.data.map((y: { year: number; executionRate: string }) => [y.year, y.executionRate])).toEqual([
        [2023, "40.00"],
        [2024, "83.20"],
      ]);
      const causes = data.causes.data.filter((c: { unmet: number }) => c.unmet > 0);
      expect(causes).toHaveLength(1);
      expect(causes[0].examples[0]).toMatchObject({ indicator: "养护里程", reason: "项目进度滞后" });
      expect(await status(L.department, "/departments/99999", { id: "99999" })).toBe(404);
      expect(await status(L.department, "/departments/x", { id: "x" })).toBe(404);
    });

    it("report page: facts, unmet indicator with its reason, finding, source lines", async () => {
      const id = await fx.reportId("教育局", 2023);
      const r = await run(L.report, `/reports/${id}`, { id: String(id) });
      expect(r.projectName).toBe("学生资助项目");
      expect(r.budget).toMatchObject({ adjusted: "100", spent: "50", executionRate: "50.00" });
      const unmet = r.indicators.filter((i: { met: boolean | null }) => i.met === false);
      expect(unmet).toHaveLength(1);
      expect(unmet[0]).toMatchObject({ name: "受助学生人数", deviationReason: "资金未及时下达，部分学生未获资助", sourceLine: 9 });
      expect(unmet[0].causeLabel).toBeTruthy();
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]).toMatchObject({ code: "budget.rate_mismatch", severity: "warning", sourceLine: 7 });
      expect(r.sourceLines[4]).toBe("全年预算数：100万元");
      expect(r.provenance["budget.adjusted"]).toBe(5);
      expect(r.source.text).toBeUndefined();
      expect(await status(L.report, "/reports/424242", { id: "424242" })).toBe(404);
    });

    it("indicators: unmet by type and cause, drill-down examples for a cause", async () => {
      const data = await run(L.indicators, "/indicators");
      const byType = Object.fromEntries(data.byType.data.map((r: { label: string; unmet: number }) => [r.label, r.unmet]));
      expect(byType["数量"]).toBe(2);
      expect(byType["时效"]).toBe(1);
      const total = data.causes.data.reduce((s: number, c: { unmet: number }) => s + c.unmet, 0);
      expect(total).toBe(FIXTURE.all.unmet);
      const schedule = data.causes.data.find((c: { examples: { indicator: string }[] }) => c.examples.some((e) => e.indicator === "养护里程"));
      const drill = await run(L.indicators, `/indicators?cause=${schedule.cause || "none"}`);
      expect(drill.selectedCause).toBe(schedule.cause || "none");
      const selected = drill.causes.data.find((c: { cause: string }) => (c.cause || "none") === drill.selectedCause);
      expect(selected.examples.map((e: { indicator: string }) => e.indicator)).toContain("养护里程");
    });

    it("quality: findings by code and severity, each with its report; code filter narrows the list", async () => {
      const data = await run(L.quality, "/quality");
      expect(data.quality.data.total).toBe(2);
      expect(Object.fromEntries(data.quality.data.bySeverity.map((s: { key: string; count: number }) => [s.key, s.count]))).toEqual({ error: 1, warning: 1 });
      const narrowed = await run(L.quality, "/quality?code=score.total_mismatch");
      expect(narrowed.quality.data.list).toHaveLength(1);
      expect(narrowed.quality.data.list[0]).toMatchObject({ code: "score.total_mismatch", projectName: "农村公路养护", year: 2023 });
    });
  });

  describe("route loaders on an empty store and on a failing query", () => {
    it("an empty database marks the shell empty and the overview shows zero reports", async () => {
      const e = await createEmptyDb(store);
      useDatabase(e.db, e.close);
      cookie = (await account(e.db, "analyst", "analyst")).cookie;
      const shell = await run(L.root, "/");
      expect(shell.empty).toBe(true);
      const data = await run(L.overview, "/");
      expect(data.overview.data.reports).toBe(0);
      closeDb();
    });

    it("a failing query becomes an error section, not a thrown error", async () => {
      const e = await createEmptyDb(store);
      // Drop a table under the queries' feet: every section must report its failure on its own.
      await e.db.schema.dropTable("findings").execute();
      useDatabase(e.db, e.close);
      cookie = (await account(e.db, "analyst", "analyst")).cookie;
      const data = await run(L.quality, "/quality");
      expect(data.quality.ok).toBe(false);
      expect(data.quality.error).toMatch(/查询失败/);
      expect(JSON.stringify(data)).not.toMatch(/SqliteError|at .*\.ts/);
      closeDb();
    });
  });
});
