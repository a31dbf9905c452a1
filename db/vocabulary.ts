/**
 * The values the schema's coded columns hold, with their labels: indicators.cause and reports.grade.
 * The loader writes them (ingest/normalize/causes.ts and grade.ts decide which applies), the queries
 * group by them and the pages print their labels, so they live here, below both: db/ imports nothing
 * from ingest/ or app/.
 */

/** Deviation-cause classes, in the order the analytics list them. */
export const CAUSES = ["funds_not_allocated", "external_event", "target_set_badly", "schedule_slipped", "cost_overrun", "other"] as const;
export type Cause = (typeof CAUSES)[number];

export const CAUSE_LABELS: Readonly<Record<Cause, string>> = {
  funds_not_allocated: "资金未下达或不及时",
  external_event: "疫情等外部因素",
  target_set_badly: "指标设置不合理",
  schedule_slipped: "进度滞后",
  cost_overrun: "成本超支",
  other: "其他",
};

export const GRADES = ["优", "良", "中", "差"] as const;
export type Grade = (typeof GRADES)[number];

/** The score bands of the evaluation framework, best first: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60. */
export const GRADE_BANDS: readonly { grade: Grade; minScore: number }[] = [
  { grade: "优", minScore: 90 },
  { grade: "良", minScore: 80 },
  { grade: "中", minScore: 60 },
  { grade: "差", minScore: 0 },
];
