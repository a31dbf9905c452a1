import { sql } from "kysely";
import type { DB } from "../connection";
import { sumText, summarySource, withAggregates } from "./filter";
import { averageX100, fenToWan, percent } from "./numbers";
import { medianScore, pointCounts } from "./scoreDistribution";
import { prepared } from "./prepared";
import type { FilterParams, GradeCounts, Overview, ReportFilter } from "./types";

export function rateBasisOf(adjusted: number, initial: number): Overview["rateBasis"] {
  if (adjusted > 0 && initial > 0) return "mixed";
  if (adjusted > 0) return "adjusted";
  if (initial > 0) return "initial";
  return null;
}

const overviewTotals = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("report_agg", a.filter);
  return withAggregates(db)
    .selectFrom(source.from)
    .select([
      sql<number>`coalesce(sum(reports), 0)`.as("reports"),
      sumText("budget_fen").as("budget"),
      sumText("spent_fen").as("spent"),
      sql<number>`coalesce(sum(paired_reports), 0)`.as("pairedReports"),
      sumText("paired_budget_fen").as("pairedBudget"),
      sumText("paired_spent_fen").as("pairedSpent"),
      sql<number>`coalesce(sum(paired_adjusted), 0)`.as("pairedAdjusted"),
      sql<number>`coalesce(sum(paired_initial), 0)`.as("pairedInitial"),
      sql<number>`coalesce(sum(scored), 0)`.as("scored"),
      sumText("score_sum_x100").as("scoreSum"),
      sql<number>`coalesce(sum(grade_a), 0)`.as("a"),
      sql<number>`coalesce(sum(grade_b), 0)`.as("b"),
      sql<number>`coalesce(sum(grade_c), 0)`.as("c"),
      sql<number>`coalesce(sum(grade_d), 0)`.as("d"),
      sql<number>`coalesce(sum(grade_none), 0)`.as("none"),
      sql<number>`coalesce(sum(with_findings), 0)`.as("withFindings"),
    ])
    .where(source.where);
});

/** Departments with reports under the filter: one row per department at the department grain. */
const departmentCount = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("report_agg", a.filter, ["department_id"]);
  return withAggregates(db)
    .selectFrom(source.from)
    .select(sql<number>`count(DISTINCT CASE WHEN reports > 0 AND department_id <> 0 THEN department_id END)`.as("departments"))
    .where(source.where);
});

const unmetTotal = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("indicator_agg", a.filter);
  return withAggregates(db)
    .selectFrom(source.from)
    .select(sql<number>`coalesce(sum(unmet), 0)`.as("unmet"))
    .where(source.where);
});

/** The KPI block: totals, the group's execution rate (Σspent ÷ Σbudget), scores and grades. */
export async function getOverview(db: DB, params: FilterParams = {}): Promise<Overview> {
  const totals = (await overviewTotals(db, { filter: params.filter }))[0];
  const { departments } = (await departmentCount(db, { filter: params.filter }))[0];
  const unmet = (await unmetTotal(db, { filter: params.filter }))[0];
  const counts = await pointCounts(db, params.filter);

  const grades: GradeCounts = { 优: totals.a, 良: totals.b, 中: totals.c, 差: totals.d, none: totals.none };
  const graded = totals.a + totals.b + totals.c + totals.d;
  return {
    reports: totals.reports,
    departments,
    budget: fenToWan(totals.budget),
    spent: fenToWan(totals.spent),
    executionRate: totals.pairedReports > 0 ? percent(totals.pairedSpent, totals.pairedBudget) : null,
    rateBasis: rateBasisOf(totals.pairedAdjusted, totals.pairedInitial),
    rateReports: totals.pairedReports,
    averageScore: averageX100(totals.scoreSum, totals.scored),
    medianScore: await medianScore(db, params.filter, counts),
    grades,
    excellentShare: graded > 0 ? percent(totals.a, graded) : null,
    reportsWithFindings: totals.withFindings,
    unmetIndicators: unmet.unmet,
  };
}
