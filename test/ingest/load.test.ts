import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { sql } from "kysely";
import { openDatabase } from "../../db/connection";
import { AGGREGATES, backfill } from "../../db/migrations/2026-11-23T03-30_analytics";
import { backfillRatePoints, RATE_AGG } from "../../db/migrations/2026-11-23T07-00_rate_points";
import { loadReport, loadReports, type LoadOutcome, type Writable } from "../../ingest/load";
import { ingestPaths, type ParseFn } from "../../ingest/pipeline";
import { packRows, reportKey, toHundredths, toReportRows, wanToFen, type TableRows } from "../../ingest/rows";
import type { ParsedReport } from "../../ingest/types";
import { fakeSha, indicator, sampleReport } from "../helpers/parsed-report";
import { STORES } from "../helpers/stores";
import { openTempDb, type TempDb } from "../helpers/temp-db";

const opts = { sizeBytes: 1234, fileName: "sample.txt", sourceText: "第一行\n第二行" };

describe.each(STORES)("on %s", (store) => {
  let t: TempDb;
  beforeEach(async () => {
    t = await openTempDb(store);
  });
  afterEach(async () => {
    await t.close();
  });

  describe("packRows", () => {
    it("lays rows out flat, columns in order, each followed by an empty report_id slot", () => {
      expect(
        packRows([
          { position: 0, name: "决策", weight_x100: 2000 },
          { position: 1, name: "过程", weight_x100: null },
        ]),
      ).toEqual({ columns: ["position", "name", "weight_x100"], values: [0, "决策", 2000, null, 1, "过程", null, null] });
      expect(packRows([])).toEqual({ columns: [], values: [] });
    });
  });

  describe("decimal conversion", () => {
    it("converts 万元 to integer fen without floating-point error", () => {
      expect(wanToFen("4.55")).toBe(4_550_000);
      expect(wanToFen("0.000001")).toBe(1);
      expect(wanToFen("0.1")).toBe(100_000);
      expect(wanToFen("280.19")).toBe(280_190_000);
      expect(wanToFen("12345678.123456")).toBe(12_345_678_123_456);
      expect(wanToFen("-1.5")).toBe(-1_500_000);
      expect(wanToFen(null)).toBeNull();
    });

    it("rounds half-up only below one fen", () => {
      expect(wanToFen("0.0000005")).toBe(1);
      expect(wanToFen("0.0000004")).toBe(0);
      expect(wanToFen("1.0000015")).toBe(1_000_002);
    });

    it("converts scores and rates to hundredths, half-up", () => {
      expect(toHundredths("89.455")).toBe(8946);
      expect(toHundredths("63.94")).toBe(6394);
      expect(toHundredths("100")).toBe(10000);
      expect(toHundredths("4.995")).toBe(500);
      expect(toHundredths("0.004")).toBe(0);
    });

    it("gives the same integers on the plain-digits path as decimal.js does", () => {
      // reference: the decimal.js computation every value once went through (+ 0: a negative zero is stored as 0)
      const reference = (v: string, places: number) => new Decimal(v).times(new Decimal(10).pow(places)).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber() + 0;
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
      for (let i = 0; i < 2000; i++) {
        const integer = String(next() % 10 ** (1 + (next() % 9)));
        const fraction = String(next()).slice(0, next() % 8);
        const value = `${next() % 5 === 0 ? "-" : ""}${integer}${fraction ? `.${fraction}` : ""}`;
        expect(wanToFen(value)).toBe(reference(value, 6));
        expect(toHundredths(value)).toBe(reference(value, 2));
      }
      expect(Object.is(wanToFen("-0.000"), 0)).toBe(true);
      expect(wanToFen("007.5")).toBe(7_500_000);
    });

    it("rejects what is not a decimal, naming the field", () => {
      expect(() => wanToFen("约30", "budget.spent")).toThrow(/budget\.spent/);
      expect(() => toHundredths("Infinity", "score.total")).toThrow(/score\.total/);
      expect(() => wanToFen("1e30", "budget.initial")).toThrow(/too large/);
    });
  });

  describe("loadReport", () => {
    it("stores every figure of a report exactly", async () => {
      const parsed = sampleReport();
      const outcome = await loadReport(t.db, parsed, opts);
      expect(outcome).toMatchObject({ status: "loaded", findings: { error: 1, warning: 1, info: 1 } });

      const report = await t.db.selectFrom("reports").selectAll().where("id", "=", outcome.reportId).executeTakeFirstOrThrow();
      expect(report).toMatchObject({
        kind: "project",
        project_name: "会务保障经费",
        year: 2023,
        evaluation_type: "self",
        budget_initial_fen: 4_550_000,
        budget_adjusted_fen: 32_500_000,
        budget_received_fen: 32_500_000,
        spent_fen: 20_780_000,
        budget_basis_fen: 32_500_000,
        budget_basis: "adjusted",
        execution_rate_stated_x100: 6394,
        score_total_x100: 8946,
        grade: "良",
        grade_stated: 1,
        indicator_count: 2,
        unmet_count: 1,
        finding_count: 3,
        error_count: 1,
        warning_count: 1,
      });
      expect(JSON.parse(report.provenance_json!)).toEqual({ "budget.adjusted": 12, "score.total": 50 });

      const file = await t.db.selectFrom("source_files").selectAll().executeTakeFirstOrThrow();
      expect(file).toMatchObject({ file_name: "sample.txt", sha256: parsed.source.sha256, format: "txt", size_bytes: 1234, source_text: "第一行\n第二行" });
      expect(report.source_file_id).toBe(file.id);

      const sources = await t.db.selectFrom("budget_sources").selectAll().orderBy("position").execute();
      expect(sources.map((s) => [s.name, s.initial_fen, s.adjusted_fen, s.spent_fen, s.execution_rate_x100, s.source_line])).toEqual([
        ["财政拨款", 4_550_000, 32_500_000, 20_780_000, 6394, 40],
        ["其他资金", 0, 1, null, null, 41],
      ]);

      const categories = await t.db.selectFrom("categories").selectAll().orderBy("position").execute();
      expect(categories.map((c) => [c.name, c.weight_x100, c.score_x100])).toEqual([
        ["决策", 2000, 1850],
        ["产出", 4000, 3251],
      ]);

      const items = await t.db.selectFrom("score_items").selectAll().execute();
      expect(items.map((i) => [i.level1, i.level2, i.name, i.weight_x100, i.score_x100])).toEqual([["决策", "项目立项", "立项依据充分性", 500, 500]]);

      const indicators = await t.db.selectFrom("indicators").selectAll().orderBy("position").execute();
      expect(indicators[0]).toMatchObject({
        name: "参会人数（人）",
        normalized_name: "参会人数",
        indicator_type: "数量",
        target_text: "≥350人",
        actual_text: "271人",
        comparator: ">=",
        target_value: "350",
        actual_value: "271",
        unit: "人",
        weight_x100: 1000,
        score_x100: 774,
        completion_rate_x100: 7743,
        met: 0,
        cause: "external_event",
        source_line: 80,
      });
      // A reason next to a met target is no deviation: no cause.
      expect(indicators[1]).toMatchObject({ indicator_type: "满意度", met: 1, cause: null, completion_rate_x100: 10316 });

      const lineItems = await t.db.selectFrom("line_items").selectAll().orderBy("position").execute();
      expect(lineItems.map((l) => [l.name, l.budget_fen, l.spent_fen, l.allocated])).toEqual([
        ["会议费", 12_345_678, 0, 1],
        ["培训费", 3_000_000, null, 0],
      ]);

      const findings = await t.db.selectFrom("findings").selectAll().orderBy("position").execute();
      expect(findings.map((f) => [f.code, f.severity, f.field, f.source_line])).toEqual([
        ["budget.rate_mismatch", "warning", "budget.executionRate", 42],
        ["score.total_mismatch", "error", null, null],
        ["text.conflict", "info", null, null],
      ]);

      const departments = await t.db.selectFrom("departments").selectAll().execute();
      expect(departments).toEqual([
        { id: report.department_id, name: "示范区人民代表大会常务委员会", normalized_name: "示范区人大常委会", region: "示范市示范区" },
      ]);
    });

    it("measures execution against the initial budget when no adjusted one is stated", async () => {
      const parsed = sampleReport();
      parsed.budget.adjusted = null;
      const { reportId } = await loadReport(t.db, parsed, opts);
      const r = await t.db.selectFrom("reports").select(["budget_basis", "budget_basis_fen"]).where("id", "=", reportId).executeTakeFirstOrThrow();
      expect(r).toEqual({ budget_basis: "initial", budget_basis_fen: 4_550_000 });
    });

    it("changes nothing when the same file (sha256) is loaded again", async () => {
      const first = await loadReport(t.db, sampleReport(), opts);
      const before = await t.counts();
      const second = await loadReport(t.db, sampleReport(), { ...opts, fileName: "copy-of-sample.txt" });
      expect(second.status).toBe("unchanged");
      expect(second.reportId).toBe(first.reportId);
      expect(await t.counts()).toEqual(before);
      const names = await t.db.selectFrom("source_files").select("file_name").execute();
      expect(names).toEqual([{ file_name: "sample.txt" }]);
    });

    it("replaces an older version of the same report and removes its rows", async () => {
      const first = await loadReport(t.db, sampleReport(), opts);
      const v2 = sampleReport({
        source: { file: "sample-v2.txt", sha256: fakeSha("sample-v2"), format: "txt" },
        // The same department under its long name and the same project with other spacing.
        department: "示范区人大常委会",
        projectName: "会务保障 经费",
        indicators: [indicator({ name: "会议次数", met: true })],
        findings: [],
      });
      v2.budget.spent = "30";
      const second = await loadReport(t.db, v2, { ...opts, fileName: "sample-v2.txt" });
      expect(second.status).toBe("replaced");
      expect(second.replacedReportId).toBe(first.reportId);
      expect(second.replaced).toMatchObject({ reportId: first.reportId, fileName: "sample.txt", label: "2023 会务保障经费" });
      expect(second.reportId).not.toBe(first.reportId);

      const counts = await t.counts();
      expect(counts).toMatchObject({ reports: 1, source_files: 1, departments: 1, indicators: 1, findings: 0, budget_sources: 2, categories: 2, line_items: 2 });
      const report = await t.db.selectFrom("reports").selectAll().executeTakeFirstOrThrow();
      expect(report).toMatchObject({ id: second.reportId, spent_fen: 30_000_000, indicator_count: 1, unmet_count: 0, finding_count: 0 });
      const file = await t.db.selectFrom("source_files").select(["file_name", "sha256"]).executeTakeFirstOrThrow();
      expect(file).toEqual({ file_name: "sample-v2.txt", sha256: fakeSha("sample-v2") });
      expect(await t.db.selectFrom("indicators").select("report_id").where("report_id", "=", first.reportId).execute()).toEqual([]);
    });

    it("keeps different years, projects and departments apart", async () => {
      const base = sampleReport();
      const variants: ParsedReport[] = [
        base,
        sampleReport({ source: { ...base.source, sha256: fakeSha("y") }, year: 2022 }),
        sampleReport({ source: { ...base.source, sha256: fakeSha("p") }, projectName: "代表履职经费" }),
        sampleReport({ source: { ...base.source, sha256: fakeSha("d") }, department: "示范区政协" }),
        sampleReport({ source: { ...base.source, sha256: fakeSha("k") }, kind: "summary" }),
      ];
      const statuses: LoadOutcome["status"][] = [];
      for (const v of variants) statuses.push((await loadReport(t.db, v, opts)).status);
      expect(statuses).toEqual(["loaded", "loaded", "loaded", "loaded", "loaded"]);
      expect(new Set(variants.map(reportKey)).size).toBe(5);
      expect((await t.counts()).reports).toBe(5);
    });

    it("never lets two anonymous reports replace each other", async () => {
      const anonymous = { department: null, projectName: null, title: null };
      await loadReport(t.db, sampleReport({ ...anonymous, source: { file: "a", sha256: fakeSha("a"), format: "txt" } }), opts);
      const b = await loadReport(t.db, sampleReport({ ...anonymous, source: { file: "b", sha256: fakeSha("b"), format: "txt" } }), opts);
      expect(b.status).toBe("loaded");
      expect(await t.counts()).toMatchObject({ reports: 2, departments: 0 });
    });

    it("groups department synonyms into one department, keeping the first name", async () => {
      const names = [
        "中国共产党示范州委员会组织部",
        "中共示范州委组织部",
        "示范州党委组织部",
        "示范州 党委组织部",
        "中共示范州委员会组织部",
      ];
      for (const [i, department] of names.entries()) {
        await loadReport(t.db, sampleReport({ department, projectName: `项目${i}`, source: { file: "x", sha256: fakeSha(`dept${i}`), format: "txt" } }), opts);
      }
      const departments = await t.db.selectFrom("departments").selectAll().execute();
      expect(departments).toHaveLength(1);
      expect(departments[0]).toMatchObject({ name: "中国共产党示范州委员会组织部", normalized_name: "示范州党委组织部" });
      const reports = await t.db.selectFrom("reports").select("department_id").distinct().execute();
      expect(reports).toEqual([{ department_id: departments[0].id }]);
    });

    it("fills a department's region learnt from a later report, without renaming it", async () => {
      await loadReport(t.db, sampleReport({ region: null }), opts);
      await loadReport(t.db, sampleReport({ department: "示范区人大常委会", projectName: "另一项目", source: { file: "y", sha256: fakeSha("r2"), format: "txt" } }), opts);
      const departments = await t.db.selectFrom("departments").select(["name", "region"]).execute();
      expect(departments).toEqual([{ name: "示范区人民代表大会常务委员会", region: "示范市示范区" }]);
    });

    it("leaves nothing behind when an insert fails mid-load", async () => {
      await loadReport(t.db, sampleReport({ projectName: "已有项目", source: { file: "ok", sha256: fakeSha("ok"), format: "txt" } }), opts);
      const before = await t.counts();
      // Findings are inserted last, so the report, its budget rows and indicators are already
      // written when the NOT NULL constraint on findings.message fails.
      const broken = sampleReport({ source: { file: "broken", sha256: fakeSha("broken"), format: "txt" }, department: "全新部门" });
      broken.findings.push({ code: "x", severity: "info", message: null as unknown as string });
      await expect(loadReport(t.db, broken, opts)).rejects.toThrow(/NOT[ -]NULL/i);
      expect(await t.counts()).toEqual(before);
      expect(await t.db.selectFrom("departments").select("name").where("name", "=", "全新部门").execute()).toEqual([]);
    });

    it("keeps the previous version when its replacement fails mid-load", async () => {
      const first = await loadReport(t.db, sampleReport(), opts);
      const before = await t.counts();
      const broken = sampleReport({ source: { file: "v2", sha256: fakeSha("sample-v2") , format: "txt" } });
      broken.indicators.push(indicator({ name: null as unknown as string }));
      await expect(loadReport(t.db, broken, opts)).rejects.toThrow();
      expect(await t.counts()).toEqual(before);
      const report = await t.db.selectFrom("reports").select("id").executeTakeFirstOrThrow();
      expect(report.id).toBe(first.reportId);
      // And the next attempt, with a valid file, still replaces it.
      const fixed = await loadReport(t.db, sampleReport({ source: { file: "v2", sha256: fakeSha("sample-v2"), format: "txt" } }), opts);
      expect(fixed.status).toBe("replaced");
    });

    it("refuses a malformed amount before writing anything", async () => {
      const parsed = sampleReport();
      parsed.lineItems[1].spent = "三万";
      await expect(loadReport(t.db, parsed, opts)).rejects.toThrow(/lineItems\[1\]\.spent/);
      expect((await t.counts()).reports).toBe(0);
    });

    it("inserts a report with many rows in batches", async () => {
      const parsed = sampleReport({
        indicators: Array.from({ length: 3000 }, (_, i) => indicator({ name: `指标${i}`, weight: "0.01", met: i % 3 === 0 ? false : true, deviationReason: "资金未到位" })),
      });
      const { reportId } = await loadReport(t.db, parsed, opts);
      const r = await t.db.selectFrom("reports").select(["indicator_count", "unmet_count"]).where("id", "=", reportId).executeTakeFirstOrThrow();
      expect(r).toEqual({ indicator_count: 3000, unmet_count: 1000 });
      expect((await t.counts()).indicators).toBe(3000);
      const causes = await t.db.selectFrom("indicators").select("cause").where("met", "=", 0).distinct().execute();
      expect(causes).toEqual([{ cause: "funds_not_allocated" }]);
    });
  });

  /** The summary tables' rows that count (a replaced report leaves rows whose measures are all zero). */
  async function dumpAggregates(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const a of [...AGGREGATES, RATE_AGG]) {
      const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(a.table)}`.execute(t.db)).rows;
      out[a.table] = rows.filter((r) => a.measures.some((m) => r[m.name] !== 0)).map((r) => JSON.stringify(r)).sort();
    }
    return out;
  }

  /** One cell of packed rows (ingest/rows.ts TableRows): each row is its columns, then its report_id slot. */
  function setCell(rows: TableRows, row: number, column: string, value: unknown): void {
    const k = rows.columns.indexOf(column);
    expect(k).toBeGreaterThanOrEqual(0);
    rows.values[row * (rows.columns.length + 1) + k] = value;
  }

  describe("loadReports (one commit for many reports)", () => {
    const writable = (i: number, overrides: Partial<ParsedReport> = {}): Writable => ({
      rows: toReportRows(sampleReport({ projectName: `项目${i}`, source: { file: `r${i}.txt`, sha256: fakeSha(`many${i}`), format: "txt" }, ...overrides })),
      sizeBytes: 100 + i,
      fileName: `r${i}.txt`,
      sourceText: null,
    });

    it("keeps every report all or nothing: one that fails mid-write leaves no trace, the others stand", async () => {
      const broken = writable(2);
      // A child row the schema refuses, so the failure comes after the report row was written.
      setCell(broken.rows.categories, 1, "name", null);
      const outcomes = await loadReports(t.db, [writable(1), broken, writable(3)]);
      expect(outcomes.map((o) => o.status)).toEqual(["loaded", "failed", "loaded"]);
      expect(outcomes[1]).toMatchObject({ file: "r2.txt", error: { code: "load_failed" } });
      expect((outcomes[1] as { error: { message: string } }).error.message).toMatch(/NOT[ -]NULL/i);
      expect(await t.counts()).toMatchObject({ reports: 2, source_files: 2, categories: 4, indicators: 4 });
      const stored = await t.db.selectFrom("reports").select("project_name").orderBy("id").execute();
      expect(stored.map((r) => r.project_name)).toEqual(["项目1", "项目3"]);
      expect((await sql<{ n: number }>`SELECT sum(reports) AS n FROM report_agg`.execute(t.db)).rows[0].n).toBe(2);
    });

    // SQLite's one writer lock; PostgreSQL's writers wait on row locks instead
    it.runIf(store === "sqlite")("fails every report of the batch with a reason, writing nothing, when the database is locked", async () => {
      await loadReport(t.db, sampleReport(), { sizeBytes: 1, fileName: "first.txt" });
      const before = await t.counts();
      // Another connection holds the write lock; the loader gives up after its busy timeout.
      const other = openDatabase(t.file!);
      other.sqlite.exec("BEGIN IMMEDIATE");
      await sql`PRAGMA busy_timeout = 50`.execute(t.db);
      try {
        const outcomes = await loadReports(t.db, [writable(1), writable(2)]);
        expect(outcomes.map((o) => o.status)).toEqual(["failed", "failed"]);
        expect(outcomes[0]).toMatchObject({ file: "r1.txt", error: { code: "load_failed" } });
        expect((outcomes[0] as { error: { message: string } }).error.message).toMatch(/locked/);
      } finally {
        other.sqlite.exec("ROLLBACK");
        other.sqlite.close();
      }
      expect(await t.counts()).toEqual(before);
    });

    it("keeps the summary tables equal to a rebuild from the rows, through loads and replacements", async () => {
      const outcomes = await loadReports(t.db, [
        writable(1),
        writable(2, { year: 2024 }),
        // the same report again with other bytes: replaces the first within the batch
        { ...writable(1), rows: toReportRows(sampleReport({ projectName: "项目1", source: { file: "r1b.txt", sha256: fakeSha("many1b"), format: "txt" }, score: { total: "71.5", grade: "中", gradeStated: true } })) },
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(["loaded", "loaded", "replaced"]);
      const dump = dumpAggregates;
      const incremental = await dump();
      await expectRebuildToEqual(incremental);
      expect(incremental.report_agg.length).toBeGreaterThan(0);
      const grades = (await sql<{ a: number; c: number }>`SELECT sum(grade_b) AS a, sum(grade_c) AS c FROM report_agg`.execute(t.db)).rows[0];
      expect(grades).toEqual({ a: 1, c: 1 });

      // a new version, later in the same batch, that fails half-way through replacing: the old one
      // and its contribution stay (its summary rows were added before the delete, then rolled back)
      const broken = { ...writable(3), rows: toReportRows(sampleReport({ projectName: "项目3", source: { file: "r3b.txt", sha256: fakeSha("many3b"), format: "txt" } })) };
      setCell(broken.rows.indicators, 0, "name", null);
      const again = await loadReports(t.db, [writable(3), broken]);
      expect(again.map((o) => o.status)).toEqual(["loaded", "failed"]);
      expect((await t.counts()).reports).toBe(3);
      await expectRebuildToEqual(await dump());
    });

    it.runIf(store === "postgres")("two writers at once: overlapping batches and new versions all land, the summary tables exact", async () => {
      const departments = ["教育局", "卫生健康委员会", "交通运输局"];
      const item = (i: number, version = "") => ({
        rows: toReportRows(
          sampleReport({
            projectName: `并发项目${i}`,
            department: `示范区${departments[i % 3]}`,
            year: 2022 + (i % 3),
            source: { file: `c${i}${version}.txt`, sha256: fakeSha(`concurrent${i}${version}`), format: "txt" },
            score: { total: version ? "71.5" : "88", grade: version ? "中" : "良", gradeStated: true },
          }),
        ),
        sizeBytes: 100 + i,
        fileName: `c${i}${version}.txt`,
        sourceText: null,
      });
      const range = (from: number, to: number, version = "") => Array.from({ length: to - from + 1 }, (_, k) => item(from + k, version));
      // the same files from both writers (12–24), then new versions of a third of them from both
      const [a, b] = await Promise.all([loadReports(t.db, range(1, 24)), loadReports(t.db, range(12, 36))]);
      const [c, d] = await Promise.all([loadReports(t.db, range(1, 12, "v2")), loadReports(t.db, range(7, 18, "v2"))]);
      const all = [...a, ...b, ...c, ...d];
      expect(all.filter((o) => o.status === "failed")).toEqual([]);
      expect((await t.counts()).reports).toBe(36);
      const versions = await t.db.selectFrom("report_versions").select(["report_key", "version", "state"]).orderBy("report_key").orderBy("version").execute();
      // every key has exactly one current version, and the 18 replaced ones an archived first
      expect(versions.filter((v) => v.state === "current")).toHaveLength(36);
      expect(versions.filter((v) => v.state === "superseded")).toHaveLength(18);
      await expectRebuildToEqual(await dumpAggregates());
    });

    /** The summary tables rebuilt from the rows hold what the loader's incremental adds left. */
    async function expectRebuildToEqual(incremental: Record<string, unknown[]>) {
      for (const a of [...AGGREGATES, RATE_AGG]) await sql`DELETE FROM ${sql.table(a.table)}`.execute(t.db);
      await backfill(t.db);
      await backfillRatePoints(t.db);
      expect(await dumpAggregates()).toEqual(incremental);
    }
  });

  describe("ingestPaths", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-batch-"));
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    // A stand-in parser: the files hold ParsedReport JSON, or the word "broken".
    const jsonParse: ParseFn = async (bytes, fileName) => {
      const text = new TextDecoder().decode(bytes);
      if (text === "broken") return { source: { file: fileName, sha256: null, format: null }, error: { code: "not_a_report", message: `${fileName}: 不是绩效评价报告` } };
      return { ...(JSON.parse(text) as ParsedReport), sourceText: text };
    };
    const write = (name: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    };
    const report = (i: number) => JSON.stringify(sampleReport({ projectName: `项目${i}`, source: { file: `r${i}.txt`, sha256: fakeSha(`batch${i}`), format: "txt" } }));

    it("loads the good files of a batch and reports the failing one", async () => {
      write("a/r1.txt", report(1));
      write("a/r2.txt", "broken");
      write("b/r3.txt", report(3));
      write("b/.hidden.txt", report(4));
      write("b/notes.csv", report(5));
      const seen: string[] = [];
      const summary = await ingestPaths(t.db, [dir, path.join(dir, "missing.txt")], {
        parse: jsonParse,
        onProgress: (done, total, outcome, file) => seen.push(`${done}/${total} ${outcome.status} ${path.basename(file)}`),
      });
      expect(summary).toMatchObject({ files: 4, loaded: 2, unchanged: 0, replaced: 0, failed: 2 });
      expect(summary.failures.map((f) => [path.basename(f.file), f.code])).toEqual([
        ["r2.txt", "not_a_report"],
        ["missing.txt", "not_found"],
      ]);
      expect(summary.failures[0].message).toContain("不是绩效评价报告");
      expect(summary.findings).toEqual({ error: 2, warning: 2, info: 2 });
      expect(summary.bytes).toBe(fs.statSync(path.join(dir, "a/r1.txt")).size + 6 + fs.statSync(path.join(dir, "b/r3.txt")).size);
      expect(seen).toEqual(["1/4 loaded r1.txt", "2/4 failed r2.txt", "3/4 loaded r3.txt", "4/4 failed missing.txt"]);
      expect((await t.counts()).reports).toBe(2);

      const again = await ingestPaths(t.db, [dir], { parse: jsonParse });
      expect(again).toMatchObject({ loaded: 0, unchanged: 2, failed: 1 });
      expect((await t.counts()).reports).toBe(2);
    });

    it("says which report a new version replaced", async () => {
      write("old.txt", report(1));
      await ingestPaths(t.db, [path.join(dir, "old.txt")], { parse: jsonParse });
      const newer = sampleReport({ projectName: "项目1", source: { file: "new.txt", sha256: fakeSha("newer"), format: "txt" } });
      write("new.txt", JSON.stringify(newer));
      const summary = await ingestPaths(t.db, [path.join(dir, "new.txt")], { parse: jsonParse });
      expect(summary).toMatchObject({ loaded: 0, replaced: 1 });
      expect(summary.replacements).toHaveLength(1);
      // The stored name is the file's own name, not the folder it was loaded from.
      expect(summary.replacements[0].replacedFile).toBe("old.txt");
      expect(summary.replacements[0].replacedLabel).toBe("2023 项目1");
    });
  });

  describe("ingestPaths with the real parser", () => {
    const seeds = fileURLToPath(new URL("../../../shared/seeds/", import.meta.url));

    it("gives the same result with parser threads as in this thread", async () => {
      const inThread = await ingestPaths(t.db, [seeds], { workers: 0 });
      expect(inThread.workers).toBe(0);
      const other = await openTempDb(store);
      try {
        const threaded = await ingestPaths(other.db, [seeds], { workers: 2, waitForWorkers: true });
        expect(threaded.workers).toBe(2);
        // fewer files than a minimum batch: the writer waits for all of them and commits once
        expect(threaded.commits).toBe(1);
        const pick = (s: typeof inThread) => ({ loaded: s.loaded, failed: s.failed, findings: s.findings, bytes: s.bytes });
        expect(pick(threaded)).toEqual(pick(inThread));
        expect(inThread.loaded).toBe(fs.readdirSync(seeds).filter((f) => f.endsWith(".txt")).length);
        expect(await other.counts()).toEqual(await t.counts());
        const keys = async (d: TempDb) => (await d.db.selectFrom("reports").select(["report_key", "spent_fen", "score_total_x100"]).orderBy("report_key").execute());
        expect(await keys(other)).toEqual(await keys(t));
      } finally {
        await other.close();
      }
    });
  });
});
