import { z } from "zod";
import type { ReportFilter } from "../db/queries/types";

/**
 * The dashboard's filters live in the URL (bookmarkable, back button works). This module parses
 * them with zod and turns them back into query strings; it is shared by loaders and components.
 */

export const FILTER_KEYS = ["year", "region", "dept", "type"] as const;
export const EVALUATION_TYPES = ["self", "department", "finance", "third_party"] as const;

const yearSchema = z.coerce.number().int().min(1990).max(2100);
const idSchema = z.coerce.number().int().positive();
const regionSchema = z.string().trim().min(1).max(100);
const typeSchema = z.enum(EVALUATION_TYPES);

/** Keeps the values that validate and drops the rest: a stale bookmark should still open. */
function valid<T>(values: string[], schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  for (const v of values) {
    const r = schema.safeParse(v);
    if (r.success && !out.includes(r.data)) out.push(r.data);
  }
  return out;
}

export function parseFilter(params: URLSearchParams): ReportFilter {
  const filter: ReportFilter = {};
  const years = valid(params.getAll("year"), yearSchema);
  const regions = valid(params.getAll("region"), regionSchema);
  const departmentIds = valid(params.getAll("dept"), idSchema);
  const evaluationTypes = valid(params.getAll("type"), typeSchema);
  if (years.length) filter.years = years;
  if (regions.length) filter.regions = regions;
  if (departmentIds.length) filter.departmentIds = departmentIds;
  if (evaluationTypes.length) filter.evaluationTypes = evaluationTypes;
  return filter;
}

export function isFiltered(filter: ReportFilter): boolean {
  return Boolean(
    filter.years?.length || filter.regions?.length || filter.departmentIds?.length || filter.evaluationTypes?.length,
  );
}

/** The filter part of a query string ("year=2023&dept=4"), for links that keep the current filters. */
export function filterSearch(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const key of FILTER_KEYS) for (const v of params.getAll(key)) out.append(key, v);
  return out.toString();
}

export function withFilters(path: string, params: URLSearchParams): string {
  const s = filterSearch(params);
  return s ? `${path}?${s}` : path;
}

/** Table state kept in the URL next to the filters. */
export const tableStateSchema = z.object({
  sort: z
    .string()
    .regex(/^[A-Za-z0-9_]+\.(asc|desc)$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
  size: z.coerce.number().int().refine((n) => [10, 20, 50, 100].includes(n)).catch(20).default(20),
  q: z.string().max(200).catch("").default(""),
});

export type TableState = z.infer<typeof tableStateSchema>;

export function parseTableState(params: URLSearchParams): TableState {
  return tableStateSchema.parse({
    sort: params.get("sort") ?? undefined,
    page: params.get("page") ?? undefined,
    size: params.get("size") ?? undefined,
    q: params.get("q") ?? undefined,
  });
}

/** A positive integer id from a route param, or null (the route then throws a 404). */
export function parseId(value: string | undefined): number | null {
  const r = idSchema.safeParse(value);
  return r.success && String(r.data) === value ? r.data : null;
}
