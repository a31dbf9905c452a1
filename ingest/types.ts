/**
 * The ParsedReport contract (../shared/report-format.md, version 1).
 * Everything after the extractors — loader, parse command, tests — speaks this shape.
 */

/** An exact decimal as a string ("4.55"), or null when the report does not say. */
export type Dec = string | null;

/** "doc" covers WPS .wps and "xls" WPS .et: the same OLE binaries under WPS Office's own extensions. */
export type SourceFormat = "txt" | "docx" | "doc" | "xlsx" | "xls" | "pdf" | "html" | "md";
export type ReportKind = "project" | "summary";
export type EvaluationType = "self" | "department" | "finance" | "third_party";
import type { Grade } from "../db/vocabulary";

export type { Grade };
export type Comparator = ">=" | "<=" | "=" | ">" | "<";
export type Severity = "error" | "warning" | "info";

export interface SourceInfo {
  file: string;
  sha256: string;
  format: SourceFormat;
}

export interface BudgetSource {
  name: string;
  initial: Dec;
  adjusted: Dec;
  spent: Dec;
  executionRate: Dec;
  /** Source line (1-based) the row came from; an addition to the contract for traceability. */
  line?: number;
}

export interface Budget {
  initial: Dec;
  adjusted: Dec;
  received: Dec;
  spent: Dec;
  executionRate: Dec;
  sources: BudgetSource[];
}

export interface ReportScore {
  total: Dec;
  grade: Grade | null;
  gradeStated: boolean;
}

export interface Category {
  name: string;
  weight: Dec;
  score: Dec;
  line?: number;
}

export interface ScoreItem {
  level1: string | null;
  level2: string | null;
  name: string;
  weight: Dec;
  score: Dec;
  line?: number;
}

export interface Indicator {
  level1: string | null;
  level2: string | null;
  name: string;
  target: string | null;
  actual: string | null;
  comparator: Comparator | null;
  targetValue: Dec;
  actualValue: Dec;
  unit: string | null;
  weight: Dec;
  score: Dec;
  completionRate: Dec;
  met: boolean | null;
  deviationReason: string | null;
  line?: number;
}

export interface LineItem {
  name: string;
  budget: Dec;
  spent: Dec;
  allocated: boolean;
  line?: number;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  field?: string;
  line?: number;
}

export interface ParsedReport {
  schemaVersion: 1;
  source: SourceInfo;
  kind: ReportKind;
  title: string | null;
  projectName: string | null;
  department: string | null;
  implementingUnit: string | null;
  region: string | null;
  year: number | null;
  evaluationType: EvaluationType | null;
  budget: Budget;
  score: ReportScore;
  categories: Category[];
  scoreItems: ScoreItem[];
  indicators: Indicator[];
  lineItems: LineItem[];
  findings: Finding[];
  /**
   * Where scalar facts were read: dotted field path → 1-based source line.
   * An addition to the contract so that the UI can point at the line a value came from.
   */
  provenance?: Record<string, number>;
}

export interface ParseFailure {
  source: SourceInfo | { file: string; sha256: string | null; format: SourceFormat | null };
  error: { code: string; message: string };
}

export type ParseResult = ParsedReport | ParseFailure;

export function isFailure(r: ParseResult): r is ParseFailure {
  return (r as ParseFailure).error !== undefined;
}
