import { getDb } from "~/db.server";
import { scopeFilter, type Viewer } from "~/auth/scope";
import { correctionSummary, reviewQueue, unreviewedCount } from "~/corrections.server";
import { parseFilter } from "~/filters";
import { section } from "~/section.server";
import {
  getCredibility,
  getExecutionByDepartment,
  getExecutionByYear,
  getGradeCounts,
  getLowestExecutionProjects,
  getOverview,
} from "~/queries.server";
import type { TrendPoint } from "~/charts/trend";
import type { GradeRow } from "~/charts/grades";

/** How many scatter points the browser gets; flagged points always come first (query layer). */
const SCATTER_LIMIT = 500;
/** Bars in the execution-by-department chart. */
const DEPARTMENT_BARS = 40;

export async function loadOverviewPage(params: URLSearchParams, viewer: Viewer) {
  const db = getDb();
  const filter = parseFilter(params);
  const scoped = scopeFilter(filter, viewer);
  const [overview, byDepartment, gradesByYear, credibility, trend, lowest, review] = await Promise.all([
    section("overview", () => getOverview(db, { filter: scoped })),
    section("executionByDepartment", async () => {
      const rows = await getExecutionByDepartment(db, { filter: scoped });
      // A province has hundreds of departments: the chart shows the lowest rates (where the
      // problems are); the departments table has them all.
      const rate = (r: (typeof rows)[number]) => (r.executionRate === null ? Infinity : Number(r.executionRate));
      const shown = [...rows].sort((a, b) => rate(a) - rate(b)).slice(0, DEPARTMENT_BARS);
      return { rows: shown, total: rows.length };
    }),
    section("gradesByYear", async (): Promise<GradeRow[]> => {
      const rows = await getGradeCounts(db, { filter: scoped, by: "year" });
      return rows.map((r) => ({ label: r.year ? `${r.year}年` : r.label, grades: r.grades }));
    }),
    section("credibility", () => getCredibility(db, { filter: scoped, limit: SCATTER_LIMIT })),
    section("trend", async (): Promise<TrendPoint[]> =>
      (await getExecutionByYear(db, { filter: scoped }))
        .filter((y) => /^\d{4}$/.test(y.key))
        .map((y) => ({ year: Number(y.key), executionRate: y.executionRate, averageScore: y.averageScore, budget: y.budget, spent: y.spent })),
    ),
    section("lowestProjects", () => getLowestExecutionProjects(db, { filter: scoped, limit: 10 })),
    section("review", async () => ({
      unreviewed: await unreviewedCount(db, { filter: scoped }),
      queue: (await reviewQueue(db, { filter: scoped, limit: 0 })).total,
      ...(await correctionSummary(db, { filter: scoped })),
    })),
  ]);
  return { filter, overview, byDepartment, gradesByYear, credibility, trend, lowest, review };
}
