import type SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { AGGREGATES, backfill } from "../db/migrations/2026-11-23T03-30_analytics";
import { backfillRatePoints, RATE_AGG } from "../db/migrations/2026-11-23T07-00_rate_points";
import { backfillRollups, ROLLUPS } from "../db/migrations/2026-12-07T03-00_rollups";
import type { Database } from "../db/schema";
import { toHundredths, wanToFen } from "../ingest/rows";
import { departments, generateCorpus, type CorpusOptions, type ReportFacts } from "./generate";

/**
 * Fills a migrated database with generated reports straight through prepared statements, in big
 * transactions: the way to a million reports in minutes. Indexes are dropped for the load and
 * rebuilt after it (one sort per index instead of a million B-tree inserts), and the summary tables
 * and rollups are filled by one GROUP BY each, which gives the same state as the loader's per-batch
 * adds — the analytics and rollup tests check that the two agree.
 */

const TYPE_OF_LEVEL2: [RegExp, string][] = [
  [/数量/, "数量"],
  [/质量/, "质量"],
  [/时效/, "时效"],
  [/成本/, "成本"],
  [/满意/, "满意度"],
  [/效益|影响/, "效益"],
];

function indicatorType(level2: string): string {
  return TYPE_OF_LEVEL2.find(([re]) => re.test(level2))?.[1] ?? "其他";
}

// The loader's own conversions: exact, and cheap for plain decimals.
const fen = (wan: string | null): number | null => wanToFen(wan);
const x100 = (v: string | null): number | null => toHundredths(v);

const FINDING_SEVERITY: Record<string, "error" | "warning" | "info"> = {
  "budget.rate_mismatch": "error",
  "text.conflict": "warning",
  "credibility.high_score_low_execution": "warning",
  "indicator.unmet_full_score": "warning",
};

export interface RowWriterOptions extends CorpusOptions {
  /** reports per transaction (default 20,000) */
  batch?: number;
  /** write the evaluation-framework rows (score_items, ~20 per report; default true) */
  scoreItems?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function writeRows(sqlite: SQLite.Database, opts: RowWriterOptions): Promise<{ reports: number; ms: number }> {
  const started = performance.now();
  const batch = opts.batch ?? 20_000;
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -200000"); // ~200 MB: keeps RSS well under 1 GB

  // Set the indexes and triggers aside for the load.
  const schema = sqlite
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL`)
    .all() as { type: string; name: string; sql: string }[];
  for (const s of schema) sqlite.exec(`DROP ${s.type === "index" ? "INDEX" : "TRIGGER"} IF EXISTS "${s.name}"`);

  const depts = departments(opts.departments);
  const deptId = new Map<string, number>();
  const insDept = sqlite.prepare(`INSERT OR IGNORE INTO departments (name, normalized_name, region) VALUES (?, ?, ?)`);
  const getDept = sqlite.prepare(`SELECT id FROM departments WHERE normalized_name = ?`);
  for (const d of depts) {
    insDept.run(d.name, d.name, d.region);
    deptId.set(d.name, (getDept.get(d.name) as { id: number }).id);
  }

  const maxId = (sqlite.prepare(`SELECT coalesce(max(id), 0) AS m FROM reports`).get() as { m: number }).m;
  const maxFile = (sqlite.prepare(`SELECT coalesce(max(id), 0) AS m FROM source_files`).get() as { m: number }).m;
  const insFile = sqlite.prepare(`INSERT INTO source_files (id, file_name, sha256, format, size_bytes, source_text, ingested_at) VALUES (?, ?, ?, 'txt', ?, NULL, ?)`);
  const insReport = sqlite.prepare(`INSERT INTO reports (id, source_file_id, department_id, report_key, kind, title, project_name, implementing_unit, region, year,
    evaluation_type, budget_initial_fen, budget_adjusted_fen, budget_received_fen, spent_fen, budget_basis_fen, budget_basis, execution_rate_stated_x100,
    score_total_x100, grade, grade_stated, indicator_count, unmet_count, finding_count, error_count, warning_count, provenance_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, NULL, ?)`);
  const insSource = sqlite.prepare(`INSERT INTO budget_sources (report_id, position, name, initial_fen, adjusted_fen, spent_fen, execution_rate_x100) VALUES (?, 0, '财政拨款', ?, ?, ?, ?)`);
  const insCat = sqlite.prepare(`INSERT INTO categories (report_id, position, name, weight_x100, score_x100) VALUES (?, ?, ?, ?, ?)`);
  const insItem = sqlite.prepare(`INSERT INTO score_items (report_id, position, level1, level2, name, weight_x100, score_x100) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insInd = sqlite.prepare(`INSERT INTO indicators (report_id, position, level1, level2, indicator_type, name, normalized_name, target_text, actual_text, comparator,
    target_value, actual_value, unit, weight_x100, score_x100, completion_rate_x100, met, deviation_reason, cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insFinding = sqlite.prepare(`INSERT INTO findings (report_id, position, code, severity, message) VALUES (?, ?, ?, ?, ?)`);
  const insLine = sqlite.prepare(`INSERT INTO line_items (report_id, position, name, budget_fen, spent_fen, allocated) VALUES (?, ?, ?, ?, ?, ?)`);

  const now = new Date().toISOString();
  const writeOne = (id: number, fileId: number, f: ReportFacts) => {
    insFile.run(fileId, f.fileName, `generated-${opts.seed}-${id}`, 4000 + (id % 5000), now);
    const basis = f.budget.adjusted ?? f.budget.initial;
    const unmet = f.indicators.filter((i) => !i.met).length;
    const findings = f.expectedFindings;
    const errors = findings.filter((c) => FINDING_SEVERITY[c] === "error").length;
    insReport.run(
      id, fileId, deptId.get(f.department) ?? null, `${f.fileName}#${id}`, f.kind, f.title, f.projectName, f.implementingUnit, f.region, f.year,
      f.evaluationType, fen(f.budget.initial), fen(f.budget.adjusted), fen(f.budget.spent), fen(basis),
      f.budget.adjusted !== null ? "adjusted" : f.budget.initial !== null ? "initial" : null, x100(f.budget.executionRate),
      x100(f.score.total), f.score.grade, f.indicators.length, unmet, findings.length, errors, findings.length - errors, now,
    );
    if (f.kind === "project") insSource.run(id, fen(f.budget.initial), fen(f.budget.adjusted), fen(f.budget.spent), x100(f.budget.executionRate));
    f.categories.forEach((c, i) => insCat.run(id, i, c.name, x100(c.weight), x100(c.score)));
    if (opts.scoreItems !== false) f.scoreItems.forEach((s, i) => insItem.run(id, i, s.level1, s.level2, s.name, x100(s.weight), x100(s.score)));
    f.indicators.forEach((ind, i) =>
      insInd.run(
        id, i, ind.level1, ind.level2, indicatorType(ind.level2), ind.name, ind.name, ind.target, ind.actual, ind.comparator, ind.targetValue,
        ind.actualValue, ind.unit, x100(ind.weight), x100(ind.score), x100(ind.completionRate), ind.met ? 1 : 0, ind.deviationReason, ind.cause,
      ),
    );
    findings.forEach((code, i) => insFinding.run(id, i, code, FINDING_SEVERITY[code] ?? "warning", `${code}（生成数据）`));
    f.lineItems.forEach((l, i) => insLine.run(id, i, l.name, fen(l.budget), fen(l.spent), l.allocated ? 1 : 0));
  };

  const corpus = generateCorpus({ ...opts, renderText: false });
  let done = 0;
  const writeBatch = sqlite.transaction((n: number) => {
    for (let k = 0; k < n; k++) {
      const next = corpus.next();
      if (next.done) return;
      done++;
      writeOne(maxId + done, maxFile + done, next.value.facts);
    }
  });
  while (done < opts.reports) {
    writeBatch(Math.min(batch, opts.reports - done));
    opts.onProgress?.(done, opts.reports);
  }

  const tLoad = performance.now();
  for (const s of schema.filter((x) => x.type === "index")) sqlite.exec(s.sql);
  const tIndex = performance.now();
  // rebuild the summary tables and their rollups from scratch
  for (const a of [...AGGREGATES, RATE_AGG]) sqlite.exec(`DELETE FROM ${a.table}`);
  for (const r of ROLLUPS) sqlite.exec(`DELETE FROM ${r.table}`);
  // not destroyed: that would close the caller's connection
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await backfill(db);
  await backfillRatePoints(db);
  await backfillRollups(db);
  for (const s of schema.filter((x) => x.type === "trigger")) sqlite.exec(s.sql);
  const tAgg = performance.now();
  sqlite.exec("ANALYZE");
  sqlite.pragma("synchronous = NORMAL");
  if (process.env.ROWS_TIMING) console.error({ load: tLoad - started, index: tIndex - tLoad, aggregates: tAgg - tIndex, analyze: performance.now() - tAgg });
  return { reports: done, ms: performance.now() - started };
}
