import type { DocumentModel } from "../document";
import { gradeBand } from "../normalize/grade";
import type { BudgetSource, Category, Grade, LineItem, ParsedReport, ScoreItem, SourceInfo } from "../types";
import { mapList } from "../arrays";
import { extractBudgetEvidence, type BudgetEvidence } from "./budget";
import { dec, type Conflict, type Stated } from "./evidence";
import { extractHeader } from "./header";
import { indicatorStatements, mergeIndicators } from "./indicators";
import { lineItemStatements } from "./lineItems";
import { reconcileBudget, reconcileScoring, type CategoryCheck } from "./reconcile";
import { extractScoringEvidence } from "./scoring";

/** What the audit needs beyond the report itself: the statements that were weighed against each other. */
export interface ExtractionEvidence {
  conflicts: Conflict[];
  categoryChecks: CategoryCheck[];
  partAmounts: Stated[];
  statedTotal: Stated | null;
  totalDerived: boolean;
  totalWeight: string;
  indicatorConflicts: { name: string; field: string; a: string; b: string; lineA: number; lineB: number }[];
  budget: BudgetEvidence;
}

export interface Extraction {
  report: ParsedReport;
  evidence: ExtractionEvidence;
}

function noteLine(provenance: Record<string, number>, field: string, s: Stated | null): void {
  if (s && s.line) provenance[field] = s.line;
}

/** Document model → ParsedReport (without findings: the audit adds those). */
export function extractReport(doc: DocumentModel, source: SourceInfo): Extraction {
  const header = extractHeader(doc);
  const budgetEv = extractBudgetEvidence(doc);
  const budget = reconcileBudget(budgetEv);
  const scoringEv = extractScoringEvidence(doc);
  const scoring = reconcileScoring(scoringEv);
  const { indicators, conflicts: indicatorConflicts } = mergeIndicators(indicatorStatements(doc));
  const items = lineItemStatements(doc);

  const provenance: Record<string, number> = { ...header.lines };
  noteLine(provenance, "budget.initial", budget.initial);
  noteLine(provenance, "budget.adjusted", budget.adjusted);
  noteLine(provenance, "budget.received", budget.received);
  noteLine(provenance, "budget.spent", budget.spent);
  noteLine(provenance, "budget.executionRate", budget.executionRate);
  noteLine(provenance, "score.total", scoring.total);

  const total = scoring.total?.value ?? null;
  const statedGrade = scoringEv.grade;
  let grade: Grade | null = statedGrade?.grade ?? null;
  if (statedGrade) provenance["score.grade"] = statedGrade.line;
  else if (total) grade = gradeBand(total);

  const sources: BudgetSource[] = mapList(budgetEv.sources, (s) => ({
    name: s.name,
    initial: dec(s.initial),
    adjusted: dec(s.adjusted),
    spent: dec(s.spent),
    executionRate: dec(s.executionRate),
    line: s.line,
  }));
  const categories: Category[] = mapList(scoring.categories, (c) => ({ name: c.name, weight: dec(c.weight), score: dec(c.score), ...(c.line ? { line: c.line } : {}) }));
  const scoreItems: ScoreItem[] = mapList(scoring.items, (i) => ({ level1: i.level1, level2: i.level2, name: i.name, weight: dec(i.weight), score: dec(i.score), line: i.line }));
  const lineItems: LineItem[] = mapList(items, (i) => ({ name: i.name, budget: dec(i.budget), spent: dec(i.spent), allocated: i.allocated, line: i.line }));
  const kind = header.isSummary || (lineItems.length >= 3 && indicators.length === 0) ? "summary" : "project";

  const report: ParsedReport = {
    schemaVersion: 1,
    source,
    kind,
    title: header.title,
    projectName: kind === "summary" ? null : header.projectName,
    department: header.department,
    implementingUnit: header.implementingUnit,
    region: header.region,
    year: header.year,
    evaluationType: header.evaluationType,
    budget: {
      initial: dec(budget.initial?.value),
      adjusted: dec(budget.adjusted?.value),
      received: dec(budget.received?.value),
      spent: dec(budget.spent?.value),
      executionRate: dec(budget.executionRate?.value),
      sources,
    },
    score: { total: dec(total), grade, gradeStated: !!statedGrade },
    categories,
    scoreItems,
    indicators,
    lineItems: kind === "summary" ? lineItems : [],
    findings: [],
    provenance,
  };
  return {
    report,
    evidence: {
      conflicts: [...budget.conflicts, ...scoring.conflicts],
      categoryChecks: scoring.categories,
      partAmounts: budgetEv.partAmounts,
      statedTotal: scoring.totalDerived ? null : scoring.total,
      totalDerived: scoring.totalDerived,
      totalWeight: scoring.totalWeight.toFixed(),
      indicatorConflicts,
      budget: budgetEv,
    },
  };
}
