import { sql, type SqlBool } from "kysely";
import { countWhere } from "../dialect";
import type { DB } from "../connection";
import { departmentNames, filterWhere, NO_DEPARTMENT, summarySource, withAggregates } from "./filter";
import { percent, thresholdX100, x100ToString, compareZh } from "./numbers";
import type { CategoryClass, Credibility, CredibilityPoint, FilterParams, GradeBand, ScoreLossRow } from "./types";

const CLASSES: CategoryClass[] = ["决策", "过程", "产出", "效益", "满意度", "其他"];

/** Points lost per framework category and department: Σ(weight − score) over categories stating both. */
export async function getScoreLoss(db: DB, params: FilterParams = {}): Promise<ScoreLossRow[]> {
  const source = summarySource("category_agg", params.filter, ["department_id"]);
  const rows = await withAggregates(db)
    .selectFrom(source.from)
    .select([
      "category_agg.department_id as departmentId",
      "category_agg.category",
      sql<number>`sum(category_agg.scored)`.as("scored"),
      sql<string>`CAST(sum(category_agg.weight_x100) - sum(category_agg.score_x100) AS TEXT)`.as("lostX100"),
    ])
    .where(source.where)
    .groupBy(["category_agg.department_id", "category_agg.category"])
    .having(sql<boolean>`sum(category_agg.categories) > 0`)
    .execute();
  const names = await departmentNames(db);
  // hundredths as integers: exact, and no Decimal per cell
  const byDept = new Map<number, { department: string; lost: Map<CategoryClass, number>; scored: number }>();
  for (const r of rows) {
    const d = byDept.get(r.departmentId) ?? { department: names.get(r.departmentId) ?? NO_DEPARTMENT, lost: new Map(), scored: 0 };
    d.lost.set(r.category as CategoryClass, Number(r.lostX100));
    d.scored += r.scored;
    byDept.set(r.departmentId, d);
  }
  const out: (ScoreLossRow & { totalX100: number })[] = [];
  for (const [departmentId, d] of byDept) {
    const lost = Object.fromEntries(CLASSES.map((c) => [c, x100ToString(d.lost.get(c) ?? 0)])) as Record<CategoryClass, string>;
    const totalX100 = CLASSES.reduce((s, c) => s + (d.lost.get(c) ?? 0), 0);
    out.push({ departmentId, department: d.department, lost, total: x100ToString(totalX100), categories: d.scored, totalX100 });
  }
  return out
    .sort((a, b) => b.totalX100 - a.totalX100 || compareZh(a.department, b.department))
    .map(({ totalX100: _t, ...row }) => row);
}

export interface CredibilityParams extends FilterParams {
  /** percent (default 60): 优/良 reports below it are flagged */
  lowThreshold?: number;
  /** scatter points returned, most recent reports first (default 2000, at most 20000) */
  limit?: number;
  /** rows of the flagged list (default 100, at most 5000) */
  flaggedLimit?: number;
}

/** Score against execution rate per report, and the reports graded 优/良 whose execution is below the threshold. */
export async function getCredibility(db: DB, params: CredibilityParams = {}): Promise<Credibility> {
  const low = thresholdX100(params.lowThreshold ?? 60);
  const limit = Math.max(1, Math.min(params.limit ?? 2000, 20_000));
  const flaggedLimit = Math.max(1, Math.min(params.flaggedLimit ?? 100, 5000));
  const flaggedExpr = sql<SqlBool>`(reports.grade IN ('优', '良') AND reports.spent_fen * 10000 < ${low} * reports.budget_basis_fen)`;
  const base = () =>
    db
      .selectFrom("reports")
      .where("reports.score_total_x100", "is not", null)
      .where("reports.budget_basis_fen", ">", 0)
      .where("reports.spent_fen", "is not", null)
      .where(filterWhere(params.filter, "reports"));
  // counted on write for the default threshold; any other needs a pass over the reports
  const totals = summarySource("report_agg", params.filter);
  const counts =
    low === 6000
      ? await withAggregates(db)
          .selectFrom(totals.from)
          .select([sql<number>`coalesce(sum(scored_rated), 0)`.as("points"), sql<number>`coalesce(sum(flagged60), 0)`.as("flagged")])
          .where(totals.where)
          .executeTakeFirstOrThrow()
      : await base()
          .select([sql<number>`count(*)`.as("points"), sql<number>`coalesce(${countWhere(db, flaggedExpr)}, 0)`.as("flagged")])
          .executeTakeFirstOrThrow();
  const pointQuery = () =>
    base()
      .leftJoin("departments", "departments.id", "reports.department_id")
      .select([
        "reports.id",
        "reports.department_id",
        "departments.name as department",
        "reports.project_name",
        "reports.title",
        "reports.year",
        "reports.score_total_x100",
        "reports.budget_basis_fen",
        "reports.spent_fen",
        "reports.grade",
        // 0/1 on both stores (PostgreSQL's comparison is a boolean)
        sql<number>`CASE WHEN ${flaggedExpr} THEN 1 ELSE 0 END`.as("flagged"),
      ])
      .orderBy("reports.id", "desc");
  const toPoint = (r: Awaited<ReturnType<ReturnType<typeof pointQuery>["execute"]>>[number]): CredibilityPoint => ({
    reportId: r.id,
    departmentId: r.department_id,
    department: r.department,
    projectName: r.project_name ?? r.title,
    year: r.year,
    score: x100ToString(r.score_total_x100 as number),
    executionRate: percent(r.spent_fen, r.budget_basis_fen) as string,
    grade: r.grade as GradeBand | null,
    flagged: r.flagged === 1,
  });
  const points = (await pointQuery().limit(limit).execute()).map(toPoint);
  const flagged = (await pointQuery().where(flaggedExpr).limit(flaggedLimit).execute()).map(toPoint);
  return { totalPoints: counts.points, points, highScoreLowExecutionCount: counts.flagged, highScoreLowExecution: flagged };
}
