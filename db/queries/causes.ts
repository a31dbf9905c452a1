import { CAUSE_LABELS as INGEST_CAUSE_LABELS, CAUSES } from "../../ingest/normalize/causes";
import type { CauseClass } from "./types";

/** Labels of the deviation-cause classes: the loader's rule table is the single source. */
export const CAUSE_LABELS: Record<CauseClass | "", string> = { ...INGEST_CAUSE_LABELS, "": "未说明原因" };

export const CAUSE_ORDER: (CauseClass | "")[] = [...CAUSES, ""];
