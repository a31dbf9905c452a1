/**
 * Review and correction: a corrected figure is what every aggregate, page and briefing uses (and
 * says so); corrections are their own rows and carry over to a re-ingest or a new version whose
 * figure still reads as extracted; marking reviewed records who and when.
 */
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import { closeDb, useDatabase } from "~/db.server";
import * as overview from "~/routes/_index";
import * as departments from "~/routes/departments._index";
import * as report from "~/routes/reports.$id";
import * as review from "~/routes/review";
import * as briefingDocx from "~/routes/briefing[.]docx";
import * as uploadFile from "~/routes/upload.file";
import { createFixtureDb, type FixtureDb } from "../app/fixture";
import { account, type TestAccount } from "../helpers/auth";
import { aggregatesKeptAndRecomputed } from "../helpers/aggregates";
import { call, reportText } from "./requests";

describe.each(STORES)("on %s", (store) => {
  let fx: FixtureDb;
  let analyst: TestAccount;
  let reporter: TestAccount;
  let eduReport: number;

  beforeAll(async () => {
    fx = await createFixtureDb(undefined, store);
    useDatabase(fx.db, fx.close);
    analyst = await account(fx.db, "analyst", "analyst");
    reporter = await account(fx.db, "reporter", "reporter", [await fx.departmentId("教育局")]);
    eduReport = await fx.reportId("教育局", 2023);
  });
  afterAll(() => closeDb());

  const json = async <T>(p: Promise<{ response: Response }>) => (await (await p).response.json()) as T;
  const post = (a: TestAccount, reportId: number, fields: Record<string, string>) =>
    call(report.action, {
      method: "POST",
      url: `/reports/${reportId}`,
      params: { id: String(reportId) },
      cookie: a.cookie,
      body: new URLSearchParams({ _csrf: a.csrf, ...fields }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });

  async function eduRate(year?: number): Promise<string> {
    const t = await json<{ table: { data: { department: string; executionRate: string }[] } }>(call(departments.loader, { url: `/departments${year ? `?year=${year}` : ""}`, cookie: analyst.cookie }));
    return t.table.data.find((d) => d.department === "教育局")!.executionRate;
  }

  /** The text of each table row of the briefing .docx that names the department. */
  async function docxRows(query: string, name: string): Promise<string[]> {
    const res = await call(briefingDocx.loader, { url: `/briefing.docx?${query}`, cookie: analyst.cookie });
    const xml = strFromU8(unzipSync(new Uint8Array(await res.response.arrayBuffer()))["word/document.xml"]);
    const rows = xml.match(/<w:tr[ >][\s\S]*?<\/w:tr>/g) ?? [];
    return rows.map((r) => (r.match(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, "")).join("|")).filter((t) => t.includes(name));
  }
  async function docxText(query: string): Promise<string> {
    const res = await call(briefingDocx.loader, { url: `/briefing.docx?${query}`, cookie: analyst.cookie });
    const xml = strFromU8(unzipSync(new Uint8Array(await res.response.arrayBuffer()))["word/document.xml"]);
    return xml.replace(/<[^>]+>/g, "");
  }

  describe("a correction", () => {
    it("changes the department's execution rate on the overview, the departments table and in the briefing .docx", async () => {
      expect(await eduRate()).toBe("76.67"); // (50 + 180) / (100 + 200)
      const before = await docxRows("year=2023", "教育局");
      expect(before.some((r) => r.includes("50.00"))).toBe(true);

      expect((await post(reporter, eduReport, { intent: "correct", target: "report||spent", value: "80", reason: "原文第 6 行为 80 万元" })).status).toBe(403);
      const res = await post(analyst, eduReport, { intent: "correct", target: "report||spent", value: "80", reason: "原文第 6 行为 80 万元" });
      expect(res.status).toBe(302);

      expect(await eduRate()).toBe("86.67"); // (80 + 180) / 300
      const o = await json<{ overview: { data: { spent: string; executionRate: string } }; review: { data: { corrections: number } } }>(call(overview.loader, { url: "/", cookie: analyst.cookie }));
      expect(o.overview.data.spent).toBe("1070.25");
      expect(o.overview.data.executionRate).toBe("84.24"); // 1,070.25 / 1,270.5
      expect(o.review.data.corrections).toBe(1);
      const after = await docxRows("year=2023", "教育局");
      expect(after.some((r) => r.includes("80.00"))).toBe(true);
      expect(after.some((r) => r.includes("50.00"))).toBe(false);
      expect(await docxText("year=2023")).toContain("1 份报告的 1 处数值经分析员人工更正");
    });

    it("is its own row (who, when, why, old → new) and the report page says the figure is corrected", async () => {
      const page = await json<{ budget: { spent: string }; corrections: { label: string; oldValue: string; newValue: string; reason: string; by: string; applied: boolean }[] }>(
        call(report.loader, { url: `/reports/${eduReport}`, params: { id: String(eduReport) }, cookie: analyst.cookie }),
      );
      expect(page.budget.spent).toBe("80");
      expect(page.corrections).toEqual([expect.objectContaining({ label: "实际支出（万元）", oldValue: "50", newValue: "80", reason: "原文第 6 行为 80 万元", by: "analyst", applied: true })]);
      const row = await fx.db.selectFrom("corrections").selectAll().executeTakeFirstOrThrow();
      expect([row.old_value, row.new_value, row.created_by_name]).toEqual(["50000000", "80000000", "analyst"]);
      expect(row.created_at).toMatch(/^\d{4}-/);
    });

    it("keeps the summary tables exact", async () => {
      const { kept, recomputed } = await aggregatesKeptAndRecomputed(fx.db);
      expect(kept).toEqual(recomputed);
    });

    it("an indicator's met and a grade can be corrected too; revoking restores the extracted value", async () => {
      const page = await json<{ indicators: { normalizedName: string; met: boolean | null }[] }>(call(report.loader, { url: `/reports/${eduReport}`, params: { id: String(eduReport) }, cookie: analyst.cookie }));
      const unmet = page.indicators.find((i) => i.met === false)!;
      expect((await post(analyst, eduReport, { intent: "correct", target: `indicator|${unmet.normalizedName}|met`, value: "达成", reason: "复核后已完成" })).status).toBe(302);
      const unmetCount = async () => (await fx.db.selectFrom("reports").select("unmet_count").where("id", "=", eduReport).executeTakeFirstOrThrow()).unmet_count;
      expect(await unmetCount()).toBe(0);
      const id = (await fx.db.selectFrom("corrections").select("id").where("field", "=", "met").executeTakeFirstOrThrow()).id;
      expect((await post(analyst, eduReport, { intent: "revoke", correctionId: String(id) })).status).toBe(302);
      expect(await unmetCount()).toBe(1);
      expect((await post(analyst, eduReport, { intent: "correct", target: "report||grade", value: "良好", reason: "x" })).status).toBe(400);
      const { kept, recomputed } = await aggregatesKeptAndRecomputed(fx.db);
      expect(kept).toEqual(recomputed);
    });
  });

  describe("corrections and new versions", () => {
    const file = (spent: string, note = "") =>
      reportText({ department: "卫生健康局", project: "疫苗冷链", year: 2024, budget: "100", spent, score: "88", extra: note ? `备注：${note}` : undefined });
    const upload = async (bytes: Uint8Array<ArrayBuffer>) =>
      json<{ status: string; reportId: number }>(
        call(uploadFile.action, { method: "POST", url: "/upload/file", cookie: analyst.cookie, body: bytes, headers: { "x-file-name": "cold-chain.txt", "x-csrf-token": analyst.csrf } }),
      );
    const spentOf = async (reportId: number) => (await fx.db.selectFrom("reports").select("spent_fen").where("id", "=", reportId).executeTakeFirstOrThrow()).spent_fen;

    it("apply to a new version whose figure is unchanged, not to one that states another, and survive re-ingest", async () => {
      const v1 = await upload(file("40"));
      expect((await post(analyst, v1.reportId, { intent: "correct", target: "report||spent", value: "60", reason: "表内合计误读" })).status).toBe(302);
      expect(await spentOf(v1.reportId)).toBe(60_000_000);

      // the same file again: unchanged, still corrected
      const again = await upload(file("40"));
      expect(again).toMatchObject({ status: "unchanged", reportId: v1.reportId });
      expect(await spentOf(v1.reportId)).toBe(60_000_000);

      // a new version still stating 40: the correction carries over
      const v2 = await upload(file("40", "修订说明"));
      expect(v2.status).toBe("replaced");
      expect(await spentOf(v2.reportId)).toBe(60_000_000);

      // a version stating 70: the department's own figure wins, the correction stays on record
      const v3 = await upload(file("70"));
      expect(await spentOf(v3.reportId)).toBe(70_000_000);
      const c = await fx.db.selectFrom("corrections").selectAll().where("report_key", "like", "%疫苗冷链%").executeTakeFirstOrThrow();
      expect([c.revoked_at, c.applied_report_id]).toEqual([null, null]);

      // re-ingesting the first file (as a new version) brings the correction back
      const v4 = await upload(file("40"));
      expect(await spentOf(v4.reportId)).toBe(60_000_000);
      const { kept, recomputed } = await aggregatesKeptAndRecomputed(fx.db);
      expect(kept).toEqual(recomputed);
    });
  });

  describe("review", () => {
    it("the 待审核 queue lists reports with findings; marking reviewed records who and when and the overview counts the rest", async () => {
      type Q = { queue: { total: number; rows: { reportId: number; errors: number }[] } };
      expect((await call(review.loader, { url: "/review", cookie: reporter.cookie })).status).toBe(403);
      const q = await json<Q>(call(review.loader, { url: "/review", cookie: analyst.cookie }));
      const road = await fx.reportId("交通运输局", 2023);
      expect(q.queue.rows[0]).toMatchObject({ reportId: road, errors: 1 });
      expect(q.queue.rows.map((r) => r.reportId)).toContain(eduReport);
      type O = { review: { data: { unreviewed: number; queue: number } } };
      const before = (await json<O>(call(overview.loader, { url: "/", cookie: analyst.cookie }))).review.data;

      expect((await post(analyst, road, { intent: "review" })).status).toBe(302);
      const after = await json<Q>(call(review.loader, { url: "/review", cookie: analyst.cookie }));
      expect(after.queue.rows.map((r) => r.reportId)).not.toContain(road);
      expect(after.queue.total).toBe(q.queue.total - 1);
      const o = (await json<O>(call(overview.loader, { url: "/", cookie: analyst.cookie }))).review.data;
      expect(o).toEqual({ ...before, unreviewed: before.unreviewed - 1, queue: before.queue - 1, reports: expect.any(Number), corrections: expect.any(Number) });
      const v = await fx.db.selectFrom("report_versions").select(["reviewed_by_name", "reviewed_at"]).where("report_id", "=", road).executeTakeFirstOrThrow();
      expect(v.reviewed_by_name).toBe("analyst");
      expect(v.reviewed_at).toMatch(/^\d{4}-/);
      const log = await fx.db.selectFrom("audit_log").select("action").where("action", "in", ["report.correct", "report.review", "report.correction.revoke"]).execute();
      expect(log.map((l) => l.action).sort()).toEqual(["report.correct", "report.correct", "report.correct", "report.correction.revoke", "report.review"]);
    });
  });
});
