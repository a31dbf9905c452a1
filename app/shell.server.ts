import { getDb } from "~/db.server";
import { getFilterOptions } from "~/queries.server";
import type { FilterOptions } from "../db/queries/types";
import type { Viewer } from "~/auth/scope";

export interface Shell {
  options: FilterOptions;
  /** no report at all in the store: pages show how to ingest */
  empty: boolean;
  /** the options could not be read; pages still render, the filter bar is hidden */
  failed: boolean;
}

const noOptions: FilterOptions = { years: [], regions: [], departments: [], evaluationTypes: [], kinds: [] };

/** The filter options a viewer may pick from: a reporter sees its own departments only. */
export async function loadShell(viewer: Viewer | null): Promise<Shell> {
  if (!viewer) return { options: noOptions, empty: false, failed: false };
  try {
    const all = await getFilterOptions(getDb(), {});
    const options = viewer.role === "reporter" ? { ...all, departments: all.departments.filter((d) => viewer.departmentIds.includes(d.id)) } : all;
    const empty = options.years.length === 0 && options.departments.length === 0 && options.regions.length === 0;
    return { options, empty, failed: false };
  } catch (err) {
    console.error("[jixiao] filter options failed:", err);
    return { options: noOptions, empty: false, failed: true };
  }
}
