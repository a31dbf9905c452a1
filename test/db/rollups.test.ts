import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import { Rng } from "../../bench/generate";
import type { DB } from "../../db/connection";
import { AGGREGATES, backfill } from "../../db/migrations/2026-11-23T03-30_analytics";
import { backfillRatePoints, RATE_AGG } from "../../db/migrations/2026-11-23T07-00_rate_points";
import { backfillRollups, ROLLUPS } from "../../db/migrations/2026-12-07T03-00_rollups";
import * as q from "../../db/queries";
import { addCorrection, revokeCorrection, type Target } from "../../db/queries/corrections";
import { deleteReport, restoreVersion } from "../../db/queries/versions";
import { loadReport, loadReports } from "../../ingest/load";
import { toReportRows } from "../../ingest/rows";
import type { Indicator, ParsedReport } from "../../ingest/types";
import { fakeSha, indicator } from "../helpers/parsed-report";
import { openTempDb, type TempDb } from "../helpers/temp-db";

/**
 * The summary tables and their rollups are kept by the application, a signed delta per report on
 * every write path. This test drives those paths at random — loads (single and batched, many of
 * them replacing an earlier version), deletes, restores, corrections and their revocation — and
 * after every step compares every table, row by row and digit by digit, with the same tables
 * rebuilt from the base rows by one GROUP BY each; and the dashboard's answers on the rollups with
 * the answers from the five-dimension summary tables.
 */

/** The untyped handle the migrations' backfills take. */
type AnyDb = Parameters<typeof backfill>[0];

const TABLES = [...[...AGGREGATES, RATE_AGG].map((a) => a.table), ...ROLLUPS.map((r) => r.table)];
const KEY_COLUMNS = new Set(["grain", "department_id", "year", "region", "evaluation_type", "kind", "indicator_type", "normalized_name", "cause", "category", "code", "severity", "score_point", "rate_point"]);

/** Every row of every table with a measure not zero (a report taken out leaves zeros behind), as sorted text. */
async function tables(db: AnyDb): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t)}`.execute(db)).rows;
    out[t] = rows
      .filter((r) => Object.entries(r).some(([k, v]) => !KEY_COLUMNS.has(k) && Number(v) !== 0))
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))))
      .sort();
  }
  return out;
}

class Rollback extends Error {}


/** The tables as rebuilt from the base rows, inside a transaction that is then rolled back. */
async function rebuilt(db: DB): Promise<Record<string, string[]>> {
  let result: Record<string, string[]> = {};
  await db
    .transaction()
    .execute(async (transaction) => {
      const trx = transaction as unknown as AnyDb;
      for (const t of TABLES) await sql`DELETE FROM ${sql.table(t)}`.execute(trx);
      await backfill(trx);
      await backfillRatePoints(trx);
      await backfillRollups(trx);
      result = await tables(trx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return result;
}

// Small pools, so that reports collide on department, project and year (a replacement) and on
// every summary key.
const DEPARTMENTS = ["甲县教育局", "甲县卫生健康局", "乙区交通运输局", null];
const PROJECTS = ["校舍维修", "设备购置", "道路养护"];
const YEARS = [2022, 2023, null];
const REGIONS = ["甲县", "乙区", null];
const EVALUATION_TYPES = ["self", "third_party", "finance"] as const;
const CATEGORY_NAMES = ["决策", "项目过程", "产出指标", "效益", "满意度", "其他"];
const LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "服务对象满意度指标"];
const INDICATOR_NAMES = ["完成数量", "合格率", "完成及时率", "成本控制", "受益人数", "满意度"];
const REASONS = ["资金未及时下达", "受疫情影响", "项目进度滞后", "", null];
const FINDING_CODES = ["budget.rate_mismatch", "score.total_mismatch", "grade.band_mismatch"];

function money(rng: Rng): string {
  // up to six places in 万元: one fen is 0.000001 万元
  return rng.dec(0, 500, rng.pick([0, 2, 6])).toString();
}

function randomReport(rng: Rng, n: number): ParsedReport {
  const indicators: Indicator[] = Array.from({ length: rng.int(0, 5) }, (_, i) => {
    const met = rng.pick([true, false, false, null]);
    return indicator({
      level2: rng.pick(LEVEL2),
      name: `${rng.pick(INDICATOR_NAMES)}${i % 2 ? "" : "（%）"}`,
      met,
      deviationReason: met === false ? rng.pick(REASONS) : null,
      target: "≥90%",
      actual: `${rng.int(50, 100)}%`,
      line: i + 10,
    });
  });
  const budget = rng.chance(0.85) ? money(rng) : null;
  return {
    schemaVersion: 1,
    source: { file: `r${n}.txt`, sha256: fakeSha(`rollup-${n}-${rng.next()}`), format: "txt" },
    kind: rng.chance(0.8) ? "project" : "summary",
    title: null,
    projectName: rng.pick(PROJECTS),
    department: rng.pick(DEPARTMENTS),
    implementingUnit: null,
    region: rng.pick(REGIONS),
    year: rng.pick(YEARS),
    evaluationType: rng.pick(EVALUATION_TYPES),
    budget: {
      initial: rng.chance(0.5) ? budget : null,
      adjusted: budget,
      received: null,
      spent: rng.chance(0.85) ? money(rng) : null,
      executionRate: null,
      sources: [],
    },
    score: rng.chance(0.8) ? { total: rng.dec(40, 100, rng.pick([0, 1, 2])).toString(), grade: rng.pick(["优", "良", "中", "差", null]), gradeStated: true } : { total: null, grade: null, gradeStated: false },
    categories: Array.from({ length: rng.int(0, 4) }, (_, i) => ({
      name: rng.pick(CATEGORY_NAMES),
      weight: rng.chance(0.9) ? String(rng.int(5, 40)) : null,
      score: rng.chance(0.9) ? rng.dec(0, 40, 2).toString() : null,
      line: 40 + i,
    })),
    scoreItems: [],
    indicators,
    lineItems: Array.from({ length: rng.chance(0.3) ? rng.int(1, 3) : 0 }, (_, i) => ({
      name: `支出事项${i}`,
      budget: money(rng),
      spent: money(rng),
      allocated: rng.chance(0.7),
      line: 60 + i,
    })),
    findings: Array.from({ length: rng.int(0, 2) }, (_, i) => ({
      code: rng.pick(FINDING_CODES),
      severity: rng.pick(["error", "warning", "info"] as const),
      message: "不一致",
      line: 70 + i,
    })),
  } as ParsedReport;
}

async function currentReports(db: DB): Promise<{ id: number }[]> {
  return db.selectFrom("reports").select("id").orderBy("id").execute();
}

/** A correction of a figure the report has: report figures always, an indicator's outcome or a line item's amount when it has one. */
async function randomTarget(db: DB, rng: Rng, reportId: number): Promise<{ target: Target; value: number | string | null }> {
  const indicators = await db.selectFrom("indicators").select("normalized_name").where("report_id", "=", reportId).execute();
  const items = await db.selectFrom("line_items").select("name").where("report_id", "=", reportId).execute();
  const choice = rng.int(0, 6);
  if (choice === 5 && indicators.length) {
    return { target: { kind: "indicator", key: rng.pick(indicators).normalized_name, field: "met" }, value: rng.pick([0, 1, null]) };
  }
  if (choice === 6 && items.length) return { target: { kind: "line_item", key: rng.pick(items).name, field: "budget" }, value: rng.int(0, 9_000_000_000) };
  const field = rng.pick(["budget_initial", "budget_adjusted", "spent", "score", "grade"]);
  if (field === "grade") return { target: { kind: "report", key: "", field }, value: rng.pick(["优", "良", "中", "差", null]) };
  if (field === "score") return { target: { kind: "report", key: "", field }, value: rng.int(0, 10_000) };
  return { target: { kind: "report", key: "", field }, value: rng.chance(0.1) ? null : rng.int(0, 9_000_000_000) };
}

describe.each(STORES)("on %s", (store) => {
  let t: TempDb;
  beforeEach(async () => {
    t = await openTempDb(store);
  });
  afterEach(async () => {
    await t.close();
  });

  /** The dashboard's questions read from the rollups, and the same from the five-dimension summary tables (a filter on every kind forces them). */
  async function answers(db: DB, viaSummaryTables: boolean) {
    const all = viaSummaryTables ? { kinds: ["project", "summary"] as ("project" | "summary")[] } : undefined;
    const filter = (extra: object = {}) => (all || Object.keys(extra).length ? { ...all, ...extra } : undefined);
    const departments = await db.selectFrom("departments").select("id").orderBy("id").execute();
    const one = departments[0]?.id;
    return {
      overview: await q.getOverview(db, { filter: filter() }),
      overview2023: await q.getOverview(db, { filter: filter({ years: [2023] }) }),
      executionByDepartment: await q.getExecutionByDepartment(db, { filter: filter() }),
      executionByYear: await q.getExecutionByYear(db, { filter: filter(), lowThreshold: 72.5 }),
      gradesByDepartment: await q.getGradeCounts(db, { by: "department", filter: filter() }),
      gradesByYear: await q.getGradeCounts(db, { by: "year", filter: filter() }),
      histogram: await q.getScoreHistogram(db, { filter: filter() }),
      unmetByName: await q.getUnmetIndicators(db, { by: "name", filter: filter() }),
      unmetByType: await q.getUnmetIndicators(db, { by: "type", filter: filter() }),
      unmetByDepartment: await q.getUnmetIndicators(db, { by: "department", filter: filter() }),
      causes: await q.getDeviationCauses(db, { filter: filter() }),
      scoreLoss: await q.getScoreLoss(db, { filter: filter() }),
      yearOverYear: await q.getYearOverYear(db, { filter: filter() }),
      lineItems: await q.getLineItemSummary(db, { filter: filter() }),
      departmentTable: await q.getDepartmentTable(db, { filter: filter() }),
      oneDepartment: one === undefined ? null : await q.getUnmetIndicators(db, { by: "type", filter: filter({ departmentIds: [one] }) }),
    };
  }

  describe("rollups stay exact under random inserts, replacements, deletes, restores and corrections", () => {
    for (const seed of [1, 2, 3]) {
      it(`seed ${seed}`, async () => {
        const rng = new Rng(seed);
        const db = t.db;
        const log: string[] = [];
        const deleted: number[] = [];
        const corrections: number[] = [];
        let n = 0;
        const opts = () => ({ sizeBytes: 100, fileName: `f${n}.txt`, sourceText: null });
        for (let step = 0; step < 100; step++) {
          const reports = await currentReports(db);
          const op = reports.length < 4 ? "load" : rng.pick(["load", "load", "batch", "delete", "correct", "correct", "revoke", "restore"]);
          if (op === "load") {
            const outcome = await loadReport(db, randomReport(rng, ++n), opts());
            log.push(`load → ${outcome.status} ${"reportId" in outcome ? outcome.reportId : ""}`);
          } else if (op === "batch") {
            const items = Array.from({ length: rng.int(2, 6) }, () => ({ rows: toReportRows(randomReport(rng, ++n)), ...opts() }));
            const outcomes = await loadReports(db, items);
            log.push(`batch → ${outcomes.map((o) => o.status).join(",")}`);
          } else if (op === "delete") {
            const victim = rng.pick(reports).id;
            const version = await deleteReport(db, { reportId: victim, by: "测试" });
            deleted.push(version.id);
            log.push(`delete ${victim}`);
          } else if (op === "correct") {
            const reportId = rng.pick(reports).id;
            const { target, value } = await randomTarget(db, rng, reportId);
            try {
              corrections.push(await addCorrection(db, { reportId, target, value, reason: "核对原件", by: { id: null, name: "分析员" } }));
              log.push(`correct ${reportId} ${target.kind}.${target.field} = ${value}`);
            } catch (e) {
              log.push(`correct ${reportId} refused: ${(e as Error).message}`);
            }
          } else if (op === "revoke" && corrections.length) {
            const id = corrections.splice(rng.int(0, corrections.length - 1), 1)[0];
            await revokeCorrection(db, { correctionId: id, by: "分析员" }).catch(() => undefined);
            log.push(`revoke ${id}`);
          } else if (op === "restore" && deleted.length) {
            const id = deleted.splice(rng.int(0, deleted.length - 1), 1)[0];
            await restoreVersion(db, { versionId: id, by: "分析员" }).catch((e: Error) => log.push(`restore refused: ${e.message}`));
            log.push(`restore version ${id}`);
          }
          const context = `seed ${seed}, step ${step}: ${log.at(-1)}`;
          expect(await tables(db), context).toEqual(await rebuilt(db));
          if (step % 10 === 9) expect(await answers(db, false), context).toEqual(await answers(db, true));
        }
        // the run did exercise every path
        expect(log.some((l) => l.includes("replaced"))).toBe(true);
        expect(log.some((l) => l.startsWith("delete"))).toBe(true);
        expect(log.some((l) => l.startsWith("correct") && !l.includes("refused"))).toBe(true);
        expect((await currentReports(db)).length).toBeGreaterThan(0);
      });
    }
  });
});
