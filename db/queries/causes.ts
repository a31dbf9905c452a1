import { CAUSE_LABELS as CLASS_LABELS, CAUSES } from "../vocabulary";
import type { CauseClass } from "./types";

/** Labels of the deviation-cause classes: db/vocabulary.ts is the single source. */
export const CAUSE_LABELS: Record<CauseClass | "", string> = { ...CLASS_LABELS, "": "未说明原因" };

export const CAUSE_ORDER: (CauseClass | "")[] = [...CAUSES, ""];
