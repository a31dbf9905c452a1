/**
 * Versions, nothing lost: a replacement keeps the earlier version (rows, source text, file bytes
 * under its sha256, uploader, time); restoring and deleting (回收站) move versions, never drop
 * one; the summary tables stay exactly what the live rows give; every step is in the 操作日志.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import { closeDb, useDatabase } from "~/db.server";
import * as overview from "~/routes/_index";
import * as report from "~/routes/reports.$id";
import * as uploadFile from "~/routes/upload.file";
import * as trash from "~/routes/admin.trash";
import * as versionFile from "~/routes/versions.$id.file";
import { storedPath } from "~/files.server";
import { createFixtureDb, FIXTURE, type FixtureDb } from "../app/fixture";
import { account, type TestAccount } from "../helpers/auth";
import { aggregatesKeptAndRecomputed } from "../helpers/aggregates";
import { call, reportText } from "./requests";

describe.each(STORES)("on %s", (store) => {
  let fx: FixtureDb;
  let analyst: TestAccount;
  let admin: TestAccount;
  let reporter: TestAccount;

  beforeAll(async () => {
    fx = await createFixtureDb(undefined, store);
    useDatabase(fx.db, fx.close);
    analyst = await account(fx.db, "analyst", "analyst");
    admin = await account(fx.db, "admin", "admin");
    reporter = await account(fx.db, "reporter", "reporter", [await fx.departmentId("交通运输局")]);
  });
  afterAll(() => closeDb());

  const v1 = reportText({ department: "教育局", project: "校舍维修", year: 2024, budget: "100", spent: "50", score: "80", grade: "良" });
  const v2 = reportText({ department: "教育局", project: "校舍维修", year: 2024, budget: "100", spent: "80", score: "90", grade: "优" });

  async function upload(a: TestAccount, bytes: Uint8Array<ArrayBuffer>, name: string) {
    const res = await call(uploadFile.action, { method: "POST", url: "/upload/file", cookie: a.cookie, body: bytes, headers: { "x-file-name": encodeURIComponent(name), "x-csrf-token": a.csrf } });
    return (await res.response.json()) as { status: string; reportId: number };
  }

  async function spent(): Promise<string> {
    const data = (await (await call(overview.loader, { url: "/", cookie: analyst.cookie })).response.json()) as { overview: { data: { spent: string } } };
    return data.overview.data.spent;
  }

  const versions = () => fx.db.selectFrom("report_versions").selectAll().where("report_key", "like", "%校舍维修%").orderBy("version").execute();

  function post(handler: unknown, a: TestAccount, url: string, params: Record<string, string>, fields: Record<string, string>) {
    return call(handler, { method: "POST", url, params, cookie: a.cookie, body: new URLSearchParams({ _csrf: a.csrf, ...fields }), headers: { "content-type": "application/x-www-form-urlencoded" } });
  }

  describe("report versions", () => {
    let firstId: number;
    let secondId: number;

    it("a replacement keeps the earlier version with its rows, file, sha256, uploader and time", async () => {
      const a = await upload(analyst, v1, "校舍维修.txt");
      expect(a.status).toBe("loaded");
      firstId = a.reportId;
      expect(await spent()).toBe("1090.25"); // 1,040.25 + 50
      const b = await upload(admin, v2, "校舍维修（修订）.txt");
      expect(b.status).toBe("replaced");
      secondId = b.reportId;
      expect(await spent()).toBe("1120.25"); // the current version only: + 80

      const rows = await versions();
      expect(rows.map((r) => [r.version, r.state, r.uploaded_by_name, r.report_id])).toEqual([
        [1, "superseded", "analyst", firstId],
        [2, "current", "admin", secondId],
      ]);
      const snapshot = JSON.parse(rows[0].snapshot_json!);
      expect(snapshot.report.spent_fen).toBe(50_000_000);
      expect(snapshot.source.source_text).toContain("全年执行数：50万元");
      for (const r of rows) {
        expect(r.uploaded_at).toMatch(/^\d{4}-\d\d-\d\dT/);
        // bytes stored by sha256, never by the uploaded name
        const file = storedPath(r.sha256);
        expect(path.basename(file)).toBe(r.sha256);
        expect(fs.existsSync(file)).toBe(true);
      }
      expect(fs.readFileSync(storedPath(rows[0].sha256))).toEqual(Buffer.from(v1));
    });

    it("the report page lists the history and the differences between two versions", async () => {
      const [x, y] = await versions();
      const res = await call(report.loader, { url: `/reports/${secondId}?a=${x.id}&b=${y.id}`, params: { id: String(secondId) }, cookie: analyst.cookie });
      const page = (await res.response.json()) as { history: { version: number; hasFile: boolean }[]; compare: { diff: { fields: { field: string; a: string; b: string }[] } } };
      expect(page.history.map((h) => [h.version, h.hasFile])).toEqual([[2, true], [1, true]]);
      expect(page.compare.diff.fields).toEqual(
        expect.arrayContaining([
          { field: "实际支出（万元）", a: "50", b: "80" },
          { field: "预算执行率（%）", a: "50.00", b: "80.00" },
          { field: "自评得分", a: "80.00", b: "90.00" },
          { field: "评价等级", a: "良", b: "优" },
        ]),
      );
      // the old id leads to the current version
      const old = await call(report.loader, { url: `/reports/${firstId}`, params: { id: String(firstId) }, cookie: analyst.cookie });
      expect([old.status, old.location]).toEqual([302, `/reports/${secondId}`]);
      // a stored file downloads as uploaded; a reporter of another department gets 404
      const dl = await call(versionFile.loader, { url: `/versions/${x.id}/file`, params: { id: String(x.id) }, cookie: analyst.cookie });
      expect(Buffer.from(await dl.response.arrayBuffer())).toEqual(Buffer.from(v1));
      expect((await call(versionFile.loader, { url: `/versions/${x.id}/file`, params: { id: String(x.id) }, cookie: reporter.cookie })).status).toBe(404);
      expect((await call(versionFile.loader, { url: `/versions/${x.id}/file`, params: { id: String(x.id) } })).status).toBe(401);
    });

    it("restoring v1 makes it current and keeps v2; the dashboard follows", async () => {
      const [x] = await versions();
      expect((await post(report.action, reporter, `/reports/${secondId}`, { id: String(secondId) }, { intent: "restore", versionId: String(x.id) })).status).toBe(403);
      const res = await post(report.action, analyst, `/reports/${secondId}`, { id: String(secondId) }, { intent: "restore", versionId: String(x.id) });
      expect(res.status).toBe(302);
      const rows = await versions();
      expect(rows.map((r) => [r.version, r.state])).toEqual([
        [1, "current"],
        [2, "superseded"],
      ]);
      expect(res.location).toBe(`/reports/${rows[0].report_id}`);
      expect(JSON.parse(rows[1].snapshot_json!).report.spent_fen).toBe(80_000_000);
      expect(await spent()).toBe("1090.25");
    });

    it("delete moves the report to the 回收站; only the admin restores it; nothing is lost", async () => {
      const current = (await versions())[0].report_id!;
      const del = await post(report.action, analyst, `/reports/${current}`, { id: String(current) }, { intent: "delete" });
      expect(del.status).toBe(302);
      expect(await spent()).toBe(FIXTURE.all.spent);
      expect((await versions()).map((r) => r.state)).toEqual(["deleted", "superseded"]);
      const gone = await call(report.loader, { url: `/reports/${current}`, params: { id: String(current) }, cookie: analyst.cookie });
      expect(gone.status).toBe(404);

      expect((await call(trash.loader, { url: "/admin/trash", cookie: analyst.cookie })).status).toBe(403);
      expect((await call(trash.loader, { url: "/admin/trash", cookie: reporter.cookie })).status).toBe(403);
      const list = (await (await call(trash.loader, { url: "/admin/trash", cookie: admin.cookie })).response.json()) as { deleted: { id: number }[] };
      expect(list.deleted).toHaveLength(1);
      expect((await post(trash.action, analyst, "/admin/trash", {}, { versionId: String(list.deleted[0].id) })).status).toBe(403);
      const back = await post(trash.action, admin, "/admin/trash", {}, { versionId: String(list.deleted[0].id) });
      expect(back.status).toBe(302);
      expect((await versions()).map((r) => r.state)).toEqual(["current", "superseded"]);
      expect(await spent()).toBe("1090.25");
      for (const r of await versions()) expect(fs.existsSync(storedPath(r.sha256))).toBe(true);
    });

    it("the summary tables equal what the live rows give after all of it", async () => {
      const { kept, recomputed } = await aggregatesKeptAndRecomputed(fx.db);
      expect(kept).toEqual(recomputed);
    });

    it("each step is in the 操作日志 with who and from where", async () => {
      const log = await fx.db.selectFrom("audit_log").select(["action", "actor_name", "address"]).where("action", "like", "report.%").orderBy("id").execute();
      expect(log.map((l) => `${l.action} ${l.actor_name} ${l.address}`)).toEqual([
        "report.upload analyst 192.0.2.7",
        "report.replace admin 192.0.2.7",
        "report.restore analyst 192.0.2.7",
        "report.delete analyst 192.0.2.7",
        "report.undelete admin 192.0.2.7",
      ]);
    });
  });
});
