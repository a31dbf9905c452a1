/**
 * The query layer's public shapes. Every query function lives in db/queries/*, takes the db first
 * and one parameters object, and returns plain data: money as 万元 decimal strings (exact, from fen),
 * scores as decimal strings, rates as percent strings rounded once, half-up, to 2 places ("63.95").
 * null where nothing is known (e.g. a rate over a zero budget).
 */
export type Wan = string; // 万元, exact decimal string
export type Percent = string | null; // "63.95" means 63.95 %
export type GradeBand = "优" | "良" | "中" | "差";

/** The filters every view honours (all optional; empty = everything). */
export interface ReportFilter {
  years?: number[];
  regions?: string[];
  departmentIds?: number[];
  evaluationTypes?: ("self" | "department" | "finance" | "third_party")[];
  kinds?: ("project" | "summary")[];
}

export interface GradeCounts {
  优: number;
  良: number;
  中: number;
  差: number;
  /** reports without a total score */
  none: number;
}

export interface Overview {
  reports: number;
  departments: number;
  budget: Wan;
  spent: Wan;
  /** Σspent ÷ Σbudget over reports that state both. */
  executionRate: Percent;
  /** which budget figure the rate is measured against: adjusted where stated, else initial */
  rateBasis: "adjusted" | "initial" | "mixed" | null;
  /** reports that state both budget and spent (the rate's basis); `budget`/`spent` above sum every report stating each */
  rateReports: number;
  averageScore: string | null;
  medianScore: string | null;
  grades: GradeCounts;
  /** share of graded reports graded 优, percent */
  excellentShare: Percent;
  reportsWithFindings: number;
  unmetIndicators: number;
}

export interface ExecutionRow {
  key: string; // department id / region / year as text
  label: string; // department name / region / year
  departmentId?: number;
  reports: number;
  budget: Wan;
  spent: Wan;
  executionRate: Percent;
  /** reports stating both budget and spent (those the rate and the below-threshold counts cover) */
  rateReports: number;
  belowLow: number; // reports with rate < lowThreshold (default 60)
  belowMid: number; // reports with rate < midThreshold (default 80)
  /** mean total score of the scored reports (half-up, 2 places); null when none is scored */
  averageScore: string | null;
}

export interface ProjectExecution {
  reportId: number;
  departmentId: number | null;
  department: string | null;
  projectName: string | null;
  year: number | null;
  budget: Wan | null;
  spent: Wan | null;
  executionRate: Percent;
  score: string | null;
  grade: GradeBand | null;
}

export interface DepartmentSummaryRow {
  departmentId: number;
  department: string;
  region: string | null;
  reports: number;
  budget: Wan;
  spent: Wan;
  executionRate: Percent;
  averageScore: string | null;
  grades: GradeCounts;
  unmetIndicators: number;
  findings: number;
}

export interface FilterOptions {
  years: number[];
  regions: string[];
  departments: { id: number; name: string }[];
  evaluationTypes: string[];
  /** added: report kinds present ("project" / "summary") */
  kinds?: string[];
}

// ---------------------------------------------------------------------------------------------
// Added by the analytics layer (names above are unchanged).

export type EvaluationType = "self" | "department" | "finance" | "third_party";
export type ReportKind = "project" | "summary";
export type Severity = "error" | "warning" | "info";
/** Deviation-cause classes (db/vocabulary.ts); "" when an unmet indicator gives no reason. */
export type CauseClass = import("../vocabulary").Cause;
/** The five classes of the evaluation framework; other category names fold to 其他. */
export type CategoryClass = "决策" | "过程" | "产出" | "效益" | "满意度" | "其他";

/** Every query takes one parameters object; `filter` is always optional. */
export interface FilterParams {
  filter?: ReportFilter;
}

export interface ThresholdParams extends FilterParams {
  /** percent; reports whose rate is below it count in `belowLow` (default 60) */
  lowThreshold?: number;
  /** percent; default 80 */
  midThreshold?: number;
}

export interface GradeCountRow {
  key: string; // department id or year, as text
  label: string; // department name or year
  departmentId?: number;
  year?: number;
  reports: number;
  grades: GradeCounts;
}

export interface HistogramBin {
  /** inclusive lower edge */
  from: number;
  /** exclusive upper edge, except the last bin which includes 100 */
  to: number;
  count: number;
}

export interface UnmetIndicatorRow {
  key: string; // indicator type / normalized name / department id
  label: string;
  departmentId?: number;
  /** indicators in the group */
  indicators: number;
  /** indicators whose met is known */
  judged: number;
  unmet: number;
  /** unmet ÷ judged, percent */
  unmetShare: Percent;
}

export interface CauseExample {
  reportId: number;
  indicator: string;
  reason: string;
  department: string | null;
  year: number | null;
}

export interface DeviationCauseRow {
  /** "" = unmet without a classified reason */
  cause: CauseClass | "";
  label: string;
  unmet: number;
  /** of which give a reason */
  withReason: number;
  examples: CauseExample[];
}

export interface ScoreLossRow {
  departmentId: number;
  department: string;
  /** points lost = Σ(weight − score) over categories stating both, per class */
  lost: Record<CategoryClass, string>;
  /** Σ over all classes */
  total: string;
  /** reports contributing at least one scored category */
  categories: number;
}

export interface CredibilityPoint {
  reportId: number;
  departmentId: number | null;
  department: string | null;
  projectName: string | null;
  year: number | null;
  score: string;
  executionRate: string;
  grade: GradeBand | null;
  /** grade 优/良 with execution below the low threshold */
  flagged: boolean;
}

export interface Credibility {
  /** reports with both a score and an execution rate */
  totalPoints: number;
  /** up to `limit` points (the most recent reports first); flagged points always included first */
  points: CredibilityPoint[];
  highScoreLowExecutionCount: number;
  highScoreLowExecution: CredibilityPoint[];
}

export interface YearStat {
  year: number;
  reports: number;
  budget: Wan;
  spent: Wan;
  executionRate: Percent;
  averageScore: string | null;
  grades: GradeCounts;
  /** change from the previous year present in the data for this department (null for the first) */
  rateChange: string | null;
  scoreChange: string | null;
  gradeChange: { 优: number; 良: number; 中: number; 差: number } | null;
}

export interface YearOverYearRow {
  departmentId: number;
  department: string;
  years: YearStat[];
}

export interface LineItemSummaryRow {
  key: string;
  departmentId: number | null;
  department: string;
  items: number;
  /** Σ budget of every item (allocated or not) */
  planned: Wan;
  /** Σ budget of allocated items */
  allocated: Wan;
  spent: Wan;
  notAllocatedItems: number;
  notAllocated: Wan;
}

export interface LineItemSummary {
  totals: Omit<LineItemSummaryRow, "key" | "departmentId" | "department">;
  byDepartment: LineItemSummaryRow[];
}

export interface CountRow {
  key: string;
  label: string;
  departmentId?: number;
  count: number;
}

export interface FindingListRow {
  findingId: number;
  reportId: number;
  departmentId: number | null;
  department: string | null;
  projectName: string | null;
  year: number | null;
  code: string;
  severity: Severity;
  message: string;
  field: string | null;
  sourceLine: number | null;
}

export interface DataQuality {
  total: number;
  reportsWithFindings: number;
  byCode: CountRow[];
  bySeverity: CountRow[];
  byDepartment: CountRow[];
  /** the most recent findings first, `limit` of them */
  list: FindingListRow[];
}

export interface DepartmentReportRow extends ProjectExecution {
  kind: ReportKind;
  evaluationType: string | null;
  title: string | null;
  unmetIndicators: number;
  findings: number;
}

export interface DepartmentReports {
  total: number;
  rows: DepartmentReportRow[];
}

export interface DepartmentInfo {
  id: number;
  name: string;
  normalizedName: string;
  region: string | null;
  reports: number;
  years: number[];
}

export interface ReportDetail {
  id: number;
  reportKey: string;
  kind: ReportKind;
  title: string | null;
  projectName: string | null;
  departmentId: number | null;
  department: string | null;
  implementingUnit: string | null;
  region: string | null;
  year: number | null;
  evaluationType: string | null;
  budget: {
    initial: Wan | null;
    adjusted: Wan | null;
    received: Wan | null;
    spent: Wan | null;
    basis: Wan | null;
    basisKind: "adjusted" | "initial" | null;
    /** as the report states it */
    executionRateStated: string | null;
    /** spent ÷ basis, computed */
    executionRate: Percent;
  };
  score: { total: string | null; grade: GradeBand | null; gradeStated: boolean };
  sources: { position: number; name: string; initial: Wan | null; adjusted: Wan | null; spent: Wan | null; executionRate: string | null; sourceLine: number | null }[];
  categories: { position: number; name: string; weight: string | null; score: string | null; sourceLine: number | null }[];
  scoreItems: { position: number; level1: string | null; level2: string | null; name: string; weight: string | null; score: string | null; sourceLine: number | null }[];
  indicators: {
    position: number;
    level1: string | null;
    level2: string | null;
    type: string;
    name: string;
    /** the name as grouped (and as corrections address the indicator) */
    normalizedName: string;
    target: string | null;
    actual: string | null;
    comparator: string | null;
    targetValue: string | null;
    actualValue: string | null;
    unit: string | null;
    weight: string | null;
    score: string | null;
    completionRate: string | null;
    met: boolean | null;
    deviationReason: string | null;
    cause: string | null;
    sourceLine: number | null;
  }[];
  lineItems: { position: number; name: string; budget: Wan | null; spent: Wan | null; allocated: boolean; sourceLine: number | null }[];
  findings: { id: number; position: number; code: string; severity: Severity; message: string; field: string | null; sourceLine: number | null }[];
  /** dotted field path → 1-based source line */
  provenance: Record<string, number>;
  source: { fileId: number; fileName: string; sha256: string; format: string; sizeBytes: number; ingestedAt: string; text: string | null };
}
