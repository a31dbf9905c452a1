import { getDb } from "~/db.server";
import { getFilterOptions } from "~/queries.server";
import type { FilterOptions } from "../db/queries/types";

export interface Shell {
  options: FilterOptions;
  /** no report at all in the store: pages show how to ingest */
  empty: boolean;
  /** the options could not be read; pages still render, the filter bar is hidden */
  failed: boolean;
}

const noOptions: FilterOptions = { years: [], regions: [], departments: [], evaluationTypes: [], kinds: [] };

export async function loadShell(): Promise<Shell> {
  try {
    const options = await getFilterOptions(getDb(), {});
    const empty = options.years.length === 0 && options.departments.length === 0 && options.regions.length === 0;
    return { options, empty, failed: false };
  } catch (err) {
    console.error("[jixiao] filter options failed:", err);
    return { options: noOptions, empty: false, failed: true };
  }
}
