import Decimal from "decimal.js";
import type { ParsedReport } from "../ingest/types";
import type { ReportFacts } from "./generate";

/**
 * The key facts a generated report meant to state, compared with what the parser read back.
 * Returns one line per disagreement (empty when the round trip holds).
 */
export function compareFacts(facts: ReportFacts, parsed: ParsedReport): string[] {
  const out: string[] = [];
  const dec = (label: string, want: string | null | undefined, got: string | null | undefined) => {
    if (want === null || want === undefined) return;
    if (got === null || got === undefined || !new Decimal(want).eq(got)) out.push(`${label}: want ${want}, got ${got ?? "null"}`);
  };
  const eq = (label: string, want: unknown, got: unknown) => {
    if (want !== got) out.push(`${label}: want ${String(want)}, got ${String(got)}`);
  };
  eq("kind", facts.kind, parsed.kind);
  eq("year", facts.year, parsed.year);
  if (!parsed.department || !parsed.department.includes(facts.department)) out.push(`department: want ${facts.department}, got ${parsed.department}`);
  if (facts.projectName && !(parsed.projectName ?? "").includes(facts.projectName)) out.push(`projectName: want ${facts.projectName}, got ${parsed.projectName}`);
  eq("evaluationType", facts.evaluationType, parsed.evaluationType);
  if (facts.budget.adjusted !== null) dec("budget.adjusted", facts.budget.adjusted, parsed.budget.adjusted);
  if (facts.budget.initial !== null && facts.budget.initial !== facts.budget.adjusted) dec("budget.initial", facts.budget.initial, parsed.budget.initial);
  dec("budget.spent", facts.budget.spent, parsed.budget.spent);
  dec("budget.executionRate", facts.budget.executionRate, parsed.budget.executionRate);
  dec("score.total", facts.score.total, parsed.score.total);
  eq("score.grade", facts.score.grade, parsed.score.grade);

  for (const c of facts.categories) {
    const got = parsed.categories.find((p) => p.name.includes(c.name));
    if (!got) {
      out.push(`category ${c.name}: missing`);
      continue;
    }
    dec(`category ${c.name}.weight`, c.weight, got.weight);
    dec(`category ${c.name}.score`, c.score, got.score);
  }
  if (parsed.categories.length !== facts.categories.length) out.push(`categories: want ${facts.categories.length}, got ${parsed.categories.length}`);

  for (const i of facts.indicators) {
    const got = parsed.indicators.filter((p) => p.name === i.name);
    if (got.length !== 1) {
      out.push(`indicator ${i.name}: found ${got.length} times`);
      continue;
    }
    const g = got[0];
    eq(`indicator ${i.name}.met`, i.met, g.met);
    dec(`indicator ${i.name}.targetValue`, i.targetValue, g.targetValue);
    dec(`indicator ${i.name}.actualValue`, i.actualValue, g.actualValue);
    if (i.comparator) eq(`indicator ${i.name}.comparator`, i.comparator, g.comparator);
    if (i.deviationReason && !(g.deviationReason ?? "").includes(i.deviationReason)) out.push(`indicator ${i.name}.deviationReason: want ${i.deviationReason}, got ${g.deviationReason}`);
  }
  if (parsed.indicators.length !== facts.indicators.length) out.push(`indicators: want ${facts.indicators.length}, got ${parsed.indicators.length}`);

  for (const l of facts.lineItems) {
    const got = parsed.lineItems.find((p) => p.name === l.name);
    if (!got) {
      out.push(`line item ${l.name}: missing`);
      continue;
    }
    dec(`line item ${l.name}.budget`, l.budget, got.budget);
    dec(`line item ${l.name}.spent`, l.spent, got.spent);
    eq(`line item ${l.name}.allocated`, l.allocated, got.allocated);
  }
  if (parsed.lineItems.length !== facts.lineItems.length) out.push(`lineItems: want ${facts.lineItems.length}, got ${parsed.lineItems.length}`);

  const codes = new Set(parsed.findings.map((f) => f.code));
  for (const code of facts.expectedFindings) if (!codes.has(code)) out.push(`finding ${code}: not raised`);
  return out;
}
