import { sql } from "kysely";
import { groupKeys } from "../dialect";
import type { DB } from "../connection";
import { NO_DEPARTMENT, summarySource, withAggregates } from "./filter";
import { FenTotal, fenToWan, zhRanks } from "./numbers";
import { prepared } from "./prepared";
import type { FilterParams, LineItemSummary, LineItemSummaryRow, ReportFilter } from "./types";

const lineItemSums = prepared((db, a: { filter?: ReportFilter }) => {
  const source = summarySource("line_item_agg", a.filter, ["department_id"]);
  return withAggregates(db)
    .selectFrom(source.from)
    // a name per summary row is cheaper than a second round trip for every department's name
    .leftJoin("departments", "departments.id", "line_item_agg.department_id")
    .select([
      "line_item_agg.department_id as departmentId",
      "departments.name as department",
      sql<number>`sum(line_item_agg.items)`.as("items"),
      sql<string>`CAST(sum(line_item_agg.planned_fen) AS TEXT)`.as("planned"),
      sql<string>`CAST(sum(line_item_agg.allocated_fen) AS TEXT)`.as("allocated"),
      sql<string>`CAST(sum(line_item_agg.spent_fen) AS TEXT)`.as("spent"),
      sql<number>`sum(line_item_agg.not_allocated_items)`.as("notAllocatedItems"),
      sql<string>`CAST(sum(line_item_agg.not_allocated_fen) AS TEXT)`.as("notAllocated"),
    ])
    .where(source.where)
    .groupBy(groupKeys(db, ["line_item_agg.department_id"], ["departments.id"]))
    .having(sql<boolean>`sum(line_item_agg.items) > 0`);
});

/**
 * The funded items listed by department summaries: planned (every item's budget), allocated
 * (items the finance bureau released), spent, and the funds planned but never allocated (未下达).
 */
export async function getLineItemSummary(db: DB, params: FilterParams = {}): Promise<LineItemSummary> {
  const rows = await lineItemSums(db, { filter: params.filter });
  const totals = { items: 0, planned: new FenTotal(), allocated: new FenTotal(), spent: new FenTotal(), notAllocatedItems: 0, notAllocated: new FenTotal() };
  const byDepartment: LineItemSummaryRow[] = rows.map((r) => {
    totals.items += r.items;
    totals.planned.add(r.planned);
    totals.allocated.add(r.allocated);
    totals.spent.add(r.spent);
    totals.notAllocatedItems += r.notAllocatedItems;
    totals.notAllocated.add(r.notAllocated);
    return {
      key: String(r.departmentId),
      departmentId: r.departmentId === 0 ? null : r.departmentId,
      department: r.department ?? NO_DEPARTMENT,
      items: r.items,
      // the sums' own text, formatted without a round trip through a number
      planned: fenToWan(r.planned),
      allocated: fenToWan(r.allocated),
      spent: fenToWan(r.spent),
      notAllocatedItems: r.notAllocatedItems,
      notAllocated: fenToWan(r.notAllocated),
    };
  });
  // most unallocated items first, then by name in pinyin order; each row's rank is looked up once, not per comparison
  const ranks = zhRanks(byDepartment.map((r) => r.department));
  const nameRank = byDepartment.map((r) => ranks.get(r.department)!);
  const order = byDepartment.map((_, i) => i);
  order.sort((i, j) => byDepartment[j].notAllocatedItems - byDepartment[i].notAllocatedItems || nameRank[i] - nameRank[j]);
  return {
    totals: {
      items: totals.items,
      planned: totals.planned.toWan(),
      allocated: totals.allocated.toWan(),
      spent: totals.spent.toWan(),
      notAllocatedItems: totals.notAllocatedItems,
      notAllocated: totals.notAllocated.toWan(),
    },
    byDepartment: order.map((i) => byDepartment[i]),
  };
}
