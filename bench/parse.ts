/**
 * Parse speed on real-size reports (issue 13: ≥ 200 reports/s per core). Every development-corpus
 * report grown to 20–30 KB (bench/realsize.ts) is parsed with parseBuffer in this one thread:
 * warm passes first, then timed passes. The rate per core comes from the process's CPU time
 * (process.cpuUsage), which a busy neighbour on this shared machine inflates far less than wall time.
 *
 * Before timing, each variant is parsed once beside its original and the facts compared: the added
 * narrative is neutral, so any difference is the parser reading the longer text differently.
 *
 * Called by bench/run.ts ("parse" in bench/results.json); `npx tsx bench/parse.ts` runs it alone
 * and only prints (for `node --cpu-prof --import tsx bench/parse.ts`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseBuffer, type ParseOutcome } from "../ingest/parse";
import type { ParsedReport } from "../ingest/types";
import { DEFAULT_SEED, writeRealSize, type RealSizeReport } from "./realsize";

export const TARGET_PER_CORE = 200;

export interface ParseBenchOptions {
  warmPasses?: number;
  timedPasses?: number;
  seed?: number;
  log?: (s: string) => void;
}

export interface FactDifference {
  report: string;
  family: string;
  field: string;
  original: unknown;
  variant: unknown;
}

const round = (x: number) => Math.round(x * 100) / 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------------------------------------
// Facts compared between a report and its real-size variant: everything in the contract except
// where it was read (line numbers, provenance) and the file itself.

function withoutLines(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutLines);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "line").map(([k, x]) => [k, withoutLines(x)]));
  }
  return v;
}

/** field path → value; list entries keyed by name (and occurrence), so one extra row is one difference. */
function facts(r: ParseOutcome): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if ("error" in r) {
    out.set("error.code", r.error.code);
    return out;
  }
  const report = r as ParsedReport;
  for (const k of ["kind", "title", "projectName", "department", "implementingUnit", "region", "year", "evaluationType"] as const) out.set(k, report[k]);
  for (const k of ["initial", "adjusted", "received", "spent", "executionRate"] as const) out.set(`budget.${k}`, report.budget[k]);
  for (const k of ["total", "grade", "gradeStated"] as const) out.set(`score.${k}`, report.score[k]);
  const list = (prefix: string, xs: { name: string }[]) => {
    const seen = new Map<string, number>();
    for (const x of xs) {
      const n = (seen.get(x.name) ?? 0) + 1;
      seen.set(x.name, n);
      out.set(`${prefix}[${x.name}${n > 1 ? `#${n}` : ""}]`, JSON.stringify(withoutLines(x)));
    }
  };
  list("budget.sources", report.budget.sources);
  list("categories", report.categories);
  list("scoreItems", report.scoreItems);
  list("indicators", report.indicators);
  list("lineItems", report.lineItems);
  // findings by code and field; their messages quote line numbers, which the padding moves
  const codes = new Map<string, number>();
  for (const f of report.findings) codes.set(`${f.code}${f.field ? `@${f.field}` : ""}`, (codes.get(`${f.code}${f.field ? `@${f.field}` : ""}`) ?? 0) + 1);
  for (const [k, n] of codes) out.set(`findings[${k}]`, n);
  return out;
}

/** Differences in the facts of two parses, as field → both values (undefined: absent on that side). */
export function compareFacts(a: ParseOutcome, b: ParseOutcome): { field: string; original: unknown; variant: unknown }[] {
  const fa = facts(a);
  const fb = facts(b);
  const diffs: { field: string; original: unknown; variant: unknown }[] = [];
  for (const k of new Set([...fa.keys(), ...fb.keys()])) {
    const x = fa.get(k);
    const y = fb.get(k);
    if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push({ field: k, original: x, variant: y });
  }
  return diffs;
}

async function verify(reports: RealSizeReport[]): Promise<FactDifference[]> {
  const out: FactDifference[] = [];
  for (const r of reports) {
    const original = await parseBuffer(fs.readFileSync(r.original), path.basename(r.original));
    const variant = await parseBuffer(fs.readFileSync(r.variant), path.basename(r.variant));
    for (const d of compareFacts(original, variant)) out.push({ report: r.name, family: r.family, ...d });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function timePasses(inputs: { name: string; family: string; bytesOf: Uint8Array; file: string }[], passes: number) {
  const perReport = new Map<string, { family: string; cpuMs: number[]; wallMs: number[] }>();
  for (const r of inputs) perReport.set(r.name, { family: r.family, cpuMs: [], wallMs: [] });
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const r of inputs) {
      const c = process.cpuUsage();
      const t = performance.now();
      await parseBuffer(r.bytesOf, r.file);
      const wall = performance.now() - t;
      const used = process.cpuUsage(c);
      const entry = perReport.get(r.name)!;
      entry.cpuMs.push((used.user + used.system) / 1000);
      entry.wallMs.push(wall);
    }
  }
  const wallSeconds = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { perReport, cpu, cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds };
}

export async function benchParse(opts: ParseBenchOptions = {}) {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const warmPasses = opts.warmPasses ?? 3;
  const timedPasses = opts.timedPasses ?? 10;
  const seed = opts.seed ?? DEFAULT_SEED;
  const loadAverageAtStart = os.loadavg().map(round);

  const reports = writeRealSize({ seed });
  const inputs = reports.map((r) => ({ ...r, bytesOf: new Uint8Array(fs.readFileSync(r.variant)), file: path.basename(r.variant) }));
  const meanKb = inputs.reduce((s, r) => s + r.bytes, 0) / inputs.length / 1024;
  log(`parse: ${inputs.length} real-size reports (${round(Math.min(...inputs.map((r) => r.bytes)) / 1024)}–${round(Math.max(...inputs.map((r) => r.bytes)) / 1024)} KB, mean ${round(meanKb)} KB), seed ${seed}`);

  log("parse: checking that each real-size variant gives its original's facts …");
  const differences = await verify(reports);
  const failed = [];
  for (const r of inputs) {
    const out = await parseBuffer(r.bytesOf, r.file);
    if ("error" in out) failed.push({ report: r.name, code: out.error.code, message: out.error.message });
  }

  log(`parse: ${warmPasses} warm passes, ${timedPasses} timed passes, one thread …`);
  for (let pass = 0; pass < warmPasses; pass++) for (const r of inputs) await parseBuffer(r.bytesOf, r.file);

  const timed = await timePasses(inputs, timedPasses);
  const { perReport, cpu, cpuSeconds, wallSeconds } = timed;
  const parses = inputs.length * timedPasses;

  // the same passes over the ~2 KB originals: what the added length costs
  const originals = reports.map((r) => ({ name: r.name, family: r.family, bytesOf: new Uint8Array(fs.readFileSync(r.original)), file: path.basename(r.original) }));
  for (let pass = 0; pass < warmPasses; pass++) for (const r of originals) await parseBuffer(r.bytesOf, r.file);
  const small = await timePasses(originals, timedPasses);

  const families: Record<string, { reports: number; meanKb: number; medianCpuMs: number; medianWallMs: number; reportsPerCpuSecond: number }> = {};
  for (const fam of [...new Set(inputs.map((r) => r.family))].sort()) {
    const mine = [...perReport.values()].filter((e) => e.family === fam);
    const cpuMs = median(mine.flatMap((e) => e.cpuMs));
    families[fam] = {
      reports: mine.length,
      meanKb: round(inputs.filter((r) => r.family === fam).reduce((s, r) => s + r.bytes, 0) / mine.length / 1024),
      medianCpuMs: round(cpuMs),
      medianWallMs: round(median(mine.flatMap((e) => e.wallMs))),
      reportsPerCpuSecond: round(1000 / cpuMs),
    };
  }
  const slowest = [...perReport.entries()]
    .map(([name, e]) => ({ name, family: e.family, medianCpuMs: round(median(e.cpuMs)) }))
    .sort((a, b) => b.medianCpuMs - a.medianCpuMs)
    .slice(0, 5);

  const reportsPerCpuSecond = round(parses / cpuSeconds);
  return {
    reports: inputs.length,
    meanKbPerReport: round(meanKb),
    warmPasses,
    timedPasses,
    parses,
    cpuSeconds: round(cpuSeconds),
    userSeconds: round(cpu.user / 1e6),
    systemSeconds: round(cpu.system / 1e6),
    wallSeconds: round(wallSeconds),
    // CPU time of the whole process, V8's helper threads (GC, compiler) included
    reportsPerCpuSecond,
    reportsPerWallSecond: round(parses / wallSeconds),
    mbPerCpuSecond: round((inputs.reduce((s, r) => s + r.bytes, 0) * timedPasses) / 1e6 / cpuSeconds),
    originals: {
      meanKbPerReport: round(originals.reduce((s, r) => s + r.bytesOf.length, 0) / originals.length / 1024),
      reportsPerCpuSecond: round(parses / small.cpuSeconds),
      reportsPerWallSecond: round(parses / small.wallSeconds),
    },
    targetPerCore: TARGET_PER_CORE,
    targetMet: reportsPerCpuSecond >= TARGET_PER_CORE,
    families,
    slowest,
    failed,
    differences,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg().map(round),
    seed,
  };
}

export type ParseBenchResult = Awaited<ReturnType<typeof benchParse>>;

export function printParse(r: ParseBenchResult): void {
  const lines = [
    `parse: ${r.parses} parses of ${r.reports} reports (mean ${r.meanKbPerReport} KB) in ${r.cpuSeconds} s CPU / ${r.wallSeconds} s wall`,
    `  ${r.reportsPerCpuSecond} reports/s per core (CPU time), ${r.reportsPerWallSecond} reports/s wall, ${r.mbPerCpuSecond} MB/s per core; load ${r.loadAverageAtStart.join(" ")} → ${r.loadAverageAtEnd.join(" ")}`,
    `  the ${r.originals.meanKbPerReport} KB originals: ${r.originals.reportsPerCpuSecond} reports/s per core, ${r.originals.reportsPerWallSecond} wall`,
    `  ${"family".padEnd(24)}${"reports".padEnd(9)}${"KB".padEnd(8)}${"median CPU ms".padEnd(15)}${"median wall ms".padEnd(16)}reports/s per core`,
    ...Object.entries(r.families).map(
      ([f, v]) => `  ${f.padEnd(24)}${String(v.reports).padEnd(9)}${String(v.meanKb).padEnd(8)}${String(v.medianCpuMs).padEnd(15)}${String(v.medianWallMs).padEnd(16)}${v.reportsPerCpuSecond}${v.reportsPerCpuSecond < r.targetPerCore ? "  (below target)" : ""}`,
    ),
    r.targetMet
      ? `  TARGET MET: ${r.reportsPerCpuSecond} ≥ ${r.targetPerCore} reports/s per core`
      : `  TARGET NOT MET: ${r.reportsPerCpuSecond} < ${r.targetPerCore} reports/s per core`,
  ];
  if (r.failed.length) lines.push(`  ${r.failed.length} real-size reports failed to parse: ${r.failed.map((f) => `${f.report} (${f.code})`).join(", ")}`);
  if (r.differences.length) {
    lines.push(`  ${r.differences.length} differences between real-size variants and their originals:`);
    for (const d of r.differences) lines.push(`    ${d.report} ${d.field}: ${JSON.stringify(d.original)} → ${JSON.stringify(d.variant)}`);
  } else {
    lines.push("  every real-size variant parses to its original's facts");
  }
  console.log(lines.join("\n"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const num = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  benchParse({ warmPasses: num("warm"), timedPasses: num("passes"), seed: num("seed") })
    .then(printParse)
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
