import type { ReportFilter } from "../../db/queries/types";
import type { Role } from "../../db/schema";

/** Who is asking, as every loader and action sees it (no hash, no token but the CSRF one). */
export interface Viewer {
  id: number;
  username: string;
  displayName: string | null;
  role: Role;
  /** the departments a reporter reports for (empty for the other roles: they see all) */
  departmentIds: number[];
}

export const ROLE_LABELS: Record<Role, string> = { admin: "管理员", analyst: "分析员", reporter: "填报单位" };

/** No department has this id: a reporter asking for another department's data gets none. */
const NO_DEPARTMENT = -1;

/** The filter a viewer may run: a reporter's is narrowed to its own departments. */
export function scopeFilter(filter: ReportFilter, viewer: Viewer): ReportFilter {
  if (viewer.role !== "reporter") return filter;
  const own = viewer.departmentIds;
  const asked = filter.departmentIds;
  const allowed = asked?.length ? asked.filter((d) => own.includes(d)) : own;
  return { ...filter, departmentIds: allowed.length ? allowed : [NO_DEPARTMENT] };
}

export function canSeeDepartment(viewer: Viewer, departmentId: number | null): boolean {
  if (viewer.role !== "reporter") return true;
  return departmentId !== null && viewer.departmentIds.includes(departmentId);
}

export const canReview = (viewer: Viewer | null | undefined) => viewer?.role === "admin" || viewer?.role === "analyst";
export const isAdmin = (viewer: Viewer | null | undefined) => viewer?.role === "admin";

/** Briefings, review and corrections: the analysts' work (and the admin's). */
export const STAFF_ROLES = ["admin", "analyst"] as const satisfies readonly Role[];
