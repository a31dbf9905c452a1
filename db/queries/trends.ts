import { sql } from "kysely";
import type { DB } from "../connection";
import { departmentNames, summarySource, NO_DEPARTMENT, withAggregates, executionSums, scoreSums } from "./filter";
import { averageX100, difference, fenToWan, percent, zhOrder } from "./numbers";
import { prepared } from "./prepared";
import type { FilterParams, ReportFilter, YearOverYearRow, YearStat } from "./types";

const departmentYearSums = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("report_agg", a.filter, ["department_id", "year"]);
  return withAggregates(db)
    .selectFrom(source.from)
    .select(["report_agg.department_id as departmentId", "report_agg.year", ...executionSums(), ...scoreSums()])
    .where(source.where)
    .where("report_agg.year", "<>", 0)
    .groupBy(["report_agg.department_id", "report_agg.year"])
    .having(sql<boolean>`sum(report_agg.reports) > 0`)
    .orderBy("report_agg.department_id")
    .orderBy("report_agg.year");
});

/**
 * Per department and year: budget, spent, execution rate, average score and grade mix, each with
 * its change from the department's previous year in the data (consecutive years present, not
 * necessarily adjacent calendar years). Reports without a year are left out.
 */
export async function getYearOverYear(db: DB, params: FilterParams = {}): Promise<YearOverYearRow[]> {
  const rows = await departmentYearSums(db, { filter: params.filter });
  const names = await departmentNames(db);
  const byDept = new Map<number, YearOverYearRow>();
  for (const r of rows) {
    const dept = byDept.get(r.departmentId) ?? { departmentId: r.departmentId, department: names.get(r.departmentId) ?? NO_DEPARTMENT, years: [] };
    byDept.set(r.departmentId, dept);
    const prev = dept.years.at(-1);
    const stat: YearStat = {
      year: r.year,
      reports: r.reports,
      budget: fenToWan(r.budget),
      spent: fenToWan(r.spent),
      executionRate: r.paired > 0 ? percent(r.pairedSpent, r.pairedBudget) : null,
      averageScore: averageX100(r.scoreSum, r.scored),
      grades: { 优: r.a, 良: r.b, 中: r.c, 差: r.d, none: r.none },
      rateChange: null,
      scoreChange: null,
      gradeChange: null,
    };
    if (prev) {
      // changes of the displayed (rounded) figures, so that they read consistently with them
      stat.rateChange = difference(stat.executionRate, prev.executionRate);
      stat.scoreChange = difference(stat.averageScore, prev.averageScore);
      stat.gradeChange = {
        优: stat.grades.优 - prev.grades.优,
        良: stat.grades.良 - prev.grades.良,
        中: stat.grades.中 - prev.grades.中,
        差: stat.grades.差 - prev.grades.差,
      };
    }
    dept.years.push(stat);
  }
  const out = [...byDept.values()];
  const order = zhOrder(out.map((d) => d.department));
  return out.sort((a, b) => order.get(a.department)! - order.get(b.department)! || a.departmentId - b.departmentId);
}
