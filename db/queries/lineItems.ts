import { sql } from "kysely";
import type { DB } from "../connection";
import { departmentNames, filterWhere, NO_DEPARTMENT, withAggregates } from "./filter";
import { fenToWan, compareZh } from "./numbers";
import type { FilterParams, LineItemSummary, LineItemSummaryRow } from "./types";

/**
 * The funded items listed by department summaries: planned (every item's budget), allocated
 * (items the finance bureau released), spent, and the funds planned but never allocated (未下达).
 */
export async function getLineItemSummary(db: DB, params: FilterParams = {}): Promise<LineItemSummary> {
  const rows = await withAggregates(db)
    .selectFrom("line_item_agg")
    .select([
      "line_item_agg.department_id as departmentId",
      sql<number>`sum(line_item_agg.items)`.as("items"),
      sql<string>`CAST(sum(line_item_agg.planned_fen) AS TEXT)`.as("planned"),
      sql<string>`CAST(sum(line_item_agg.allocated_fen) AS TEXT)`.as("allocated"),
      sql<string>`CAST(sum(line_item_agg.spent_fen) AS TEXT)`.as("spent"),
      sql<number>`sum(line_item_agg.not_allocated_items)`.as("notAllocatedItems"),
      sql<string>`CAST(sum(line_item_agg.not_allocated_fen) AS TEXT)`.as("notAllocated"),
    ])
    .where(filterWhere(params.filter, "line_item_agg"))
    .groupBy("line_item_agg.department_id")
    .having(sql<boolean>`sum(line_item_agg.items) > 0`)
    .execute();
  const names = await departmentNames(db);
  let totals = { items: 0, planned: 0n, allocated: 0n, spent: 0n, notAllocatedItems: 0, notAllocated: 0n };
  const byDepartment: LineItemSummaryRow[] = rows.map((r) => {
    totals = {
      items: totals.items + r.items,
      planned: totals.planned + BigInt(r.planned),
      allocated: totals.allocated + BigInt(r.allocated),
      spent: totals.spent + BigInt(r.spent),
      notAllocatedItems: totals.notAllocatedItems + r.notAllocatedItems,
      notAllocated: totals.notAllocated + BigInt(r.notAllocated),
    };
    return {
      key: String(r.departmentId),
      departmentId: r.departmentId === 0 ? null : r.departmentId,
      department: names.get(r.departmentId) ?? NO_DEPARTMENT,
      items: r.items,
      planned: fenToWan(r.planned),
      allocated: fenToWan(r.allocated),
      spent: fenToWan(r.spent),
      notAllocatedItems: r.notAllocatedItems,
      notAllocated: fenToWan(r.notAllocated),
    };
  });
  byDepartment.sort((a, b) => b.notAllocatedItems - a.notAllocatedItems || compareZh(a.department, b.department));
  return {
    totals: {
      items: totals.items,
      planned: fenToWan(totals.planned),
      allocated: fenToWan(totals.allocated),
      spent: fenToWan(totals.spent),
      notAllocatedItems: totals.notAllocatedItems,
      notAllocated: fenToWan(totals.notAllocated),
    },
    byDepartment,
  };
}
