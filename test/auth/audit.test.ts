/** 操作日志: the admin page's filters and its .xlsx export; who may see it. */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import { closeDb, useDatabase } from "~/db.server";
import * as audit from "~/routes/admin.audit";
import * as auditXlsx from "~/routes/admin.audit[.]xlsx";
import { insertAuditEvent } from "../../db/queries/audit";
import { createEmptyDb } from "../app/fixture";
import { account, signIn, type TestAccount } from "../helpers/auth";
import { call } from "./requests";

describe.each(STORES)("on %s", (store) => {
  let admin: TestAccount;
  let analyst: TestAccount;
  beforeAll(async () => {
    const e = await createEmptyDb(store);
    useDatabase(e.db, e.close);
    admin = await account(e.db, "admin", "admin");
    analyst = await account(e.db, "analyst", "analyst");
    await signIn("analyst", "wrong password", "198.51.100.9");
    await insertAuditEvent(e.db, { actor: null, actorName: "analyst", action: "report.upload", address: "10.0.0.5", at: "2026-01-02T03:04:05.000Z", target: { type: "report", id: 7, label: "2025 校舍维修" }, detail: { file: "a.txt" } });
  });
  afterAll(() => closeDb());

  type Page = { total: number; rows: { action: string; actorName: string; address: string; at: string }[] };
  const page = async (a: TestAccount, query: string) => (await (await call(audit.loader, { url: `/admin/audit${query}`, cookie: a.cookie })).response.json()) as Page;

  describe("操作日志", () => {
    it("records logins (and failures) with the address they came from", async () => {
      const all = await page(admin, "");
      const actions = all.rows.map((r) => `${r.action} ${r.actorName} ${r.address}`);
      expect(actions).toEqual(expect.arrayContaining(["login admin 127.0.0.1", "login analyst 127.0.0.1", "login.failed analyst 198.51.100.9", "report.upload analyst 10.0.0.5"]));
    });

    it("filters by action, by who and by date", async () => {
      expect((await page(admin, "?action=login.failed")).rows.map((r) => r.actorName)).toEqual(["analyst"]);
      expect((await page(admin, "?actor=admin")).rows.every((r) => r.actorName === "admin")).toBe(true);
      const jan = await page(admin, "?from=2026-01-02&to=2026-01-02");
      expect(jan.rows.map((r) => r.action)).toEqual(["report.upload"]);
      expect((await page(admin, "?from=2026-01-03&to=2026-01-03")).total).toBe(0);
      // a malformed filter is dropped, not an error
      expect((await page(admin, "?from=yesterday&action=DROP TABLE")).total).toBe((await page(admin, "")).total);
    });

    it("exports what is filtered as .xlsx", async () => {
      const res = await call(auditXlsx.loader, { url: "/admin/audit.xlsx?action=report.upload", cookie: admin.cookie });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await res.response.arrayBuffer()) as never);
      const ws = wb.getWorksheet("操作日志")!;
      expect(ws.rowCount).toBe(2);
      expect(ws.getRow(2).values).toEqual([undefined, "2026-01-02 03:04:05.000", "analyst", "上传", "报告 7 2025 校舍维修", "10.0.0.5", "file: a.txt"]);
    });

    it("is the admin's only", async () => {
      expect((await call(audit.loader, { url: "/admin/audit", cookie: analyst.cookie })).status).toBe(403);
      expect((await call(auditXlsx.loader, { url: "/admin/audit.xlsx", cookie: analyst.cookie })).status).toBe(403);
      expect((await call(auditXlsx.loader, { url: "/admin/audit.xlsx" })).status).toBe(401);
      expect((await call(audit.loader, { url: "/admin/audit" })).status).toBe(302);
    });
  });
});

describe("the audit filter's end day", () => {
  it("is the next calendar day, across months, years and leap days; nothing for a day that is no date", async () => {
    const { nextDay } = await import("../../db/queries/audit");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
    expect(nextDay("2024-02-28")).toBe("2024-02-29");
    expect(nextDay("2023-02-28")).toBe("2023-03-01");
    expect(nextDay("2026-02-30")).toBeNull();
    expect(nextDay("2026-1-5")).toBeNull();
  });
});
