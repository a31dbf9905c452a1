import type { DocumentModel } from "../document";
import { gradeBand } from "../normalize/grade";
import type { BudgetSource, Category, Grade, LineItem, ParsedReport, ScoreItem, SourceInfo } from "../types";
import { mapList } from "../arrays";
import { parseQuantity } from "../normalize/numbers";
import { extractBudgetEvidence, type BudgetEvidence } from "./budget";
import { dec, type Conflict, type Stated } from "./evidence";
import { extractHeader } from "./header";
import { indicatorStatements, mergeIndicators } from "./indicators";
import { lineItemStatements } from "./lineItems";
import { reconcileBudget, reconcileScoring, type CategoryCheck, type ReconciledBudget } from "./reconcile";
import { extractScoringEvidence, headerWeight, type ScoringEvidence, type ScoringSource } from "./scoring";
import { canonicalCategory } from "./categories";
import { readTemplate, type LowConfidence, type TemplateReading } from "./template";
import type { IndicatorStatement } from "./indicators";

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
  rateOverride: ReconciledBudget["rateOverride"];
  lowConfidence: LowConfidence[];
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
  const template = readTemplate(doc);
  const header = extractHeader(doc, template.header);
  const budgetEv = extractBudgetEvidence(doc, template.budget);
  const budget = reconcileBudget(budgetEv);
  const statements = indicatorStatements(doc);
  const fromTemplate = templateExplainsMore(statements, template);
  const scoringEv = extractScoringEvidence(doc);
  if (fromTemplate) adoptTemplateScoring(scoringEv, template);
  const scoring = reconcileScoring(scoringEv);
  const chosen = fromTemplate ? [...template.indicators, ...statements.filter((s) => s.origin !== "table")] : statements;
  const { indicators, conflicts: indicatorConflicts } = mergeIndicators(chosen);
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
      rateOverride: budget.rateOverride,
      lowConfidence: [
        ...(fromTemplate ? template.lowConfidence : template.lowConfidence.filter((l) => l.field.startsWith("budget") && !budgetEv.stated.adjusted.some((s) => s.label.startsWith("表格")))),
        ...budgetEv.notes,
      ],
    },
  };
}

/**
 * The header-index extractors read a table whose rows line up; the template reader reads any
 * linearisation. Its targets are taken when it explains more of the document: more indicators with a
 * target or a result, or as many with more of their 分值/得分.
 */
function templateExplainsMore(statements: IndicatorStatement[], template: TemplateReading): boolean {
  const table = statements.filter((s) => s.origin === "table" && (s.target || s.actual));
  const ours = template.indicators;
  if (ours.length !== table.length) return ours.length > table.length;
  return fit(ours) > fit(table);
}

/**
 * How well statements fit their columns' types: a name that is a figure, or a target that is a
 * sentence, is a row read out of line (a ragged pipe row read by position).
 */
function fit(list: IndicatorStatement[]): number {
  let score = 0;
  for (const s of list) {
    if (!/^[≥≤≧≦><=＞＜＝═]/.test(s.name) && !parseQuantity(s.name)) score += 1;
    if (s.level1) score += 0.25;
    for (const v of [s.target, s.actual]) if (v && (parseQuantity(v) || v.length <= 12)) score += 1;
    if (s.weight !== null) score += 0.5;
    if (s.score !== null) score += 0.5;
  }
  return score;
}

/** The template's own scoring (execution-rate row, weighted indicators, 总分) as the 自评表 source. */
function adoptTemplateScoring(ev: ScoringEvidence, template: TemplateReading): void {
  if (!template.items.some((i) => i.level1 !== "预算执行")) return;
  ev.sources = ev.sources.filter((s) => s.kind !== "selfEvaluationTable");
  const total = template.total?.score ? { value: template.total.score, line: template.total.line, label: "自评表“总分”" } : null;
  const categories: ScoringSource["categories"] = new Map();
  for (const cell of template.level1Cells) {
    const cat = canonicalCategory(cell.text);
    const weight = headerWeight(cell.text);
    if (cat && weight && !categories.has(cat)) categories.set(cat, { weight, score: null, line: cell.line, label: cell.text });
  }
  ev.sources.push({ kind: "selfEvaluationTable", categories, items: template.items, total, totalWeight: template.total?.weight ?? null });
  if (total) ev.totals.unshift(total);
}
