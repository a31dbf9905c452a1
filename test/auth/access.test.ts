/**
 * The route × role matrix: every page, download and POST, for each role and a signed-out visitor,
 * enforced by the loaders and actions themselves (no link hiding is involved: handlers are called
 * directly). Pages redirect a visitor to /login, downloads and API calls answer 401; a reporter gets
 * 404 for another department's department and report pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORES } from "../helpers/stores";
import { closeDb, useDatabase } from "~/db.server";
import * as overview from "~/routes/_index";
import * as departments from "~/routes/departments._index";
import * as department from "~/routes/departments.$id";
import * as report from "~/routes/reports.$id";
import * as indicators from "~/routes/indicators";
import * as quality from "~/routes/quality";
import * as briefing from "~/routes/briefing";
import * as briefingDocx from "~/routes/briefing[.]docx";
import * as briefingXlsx from "~/routes/briefing[.]xlsx";
import * as departmentsXlsx from "~/routes/departments[.]xlsx";
import * as upload from "~/routes/upload";
import * as uploadFile from "~/routes/upload.file";
import * as versionFile from "~/routes/versions.$id.file";
import * as trash from "~/routes/admin.trash";
import * as audit from "~/routes/admin.audit";
import * as review from "~/routes/review";
import * as auditXlsx from "~/routes/admin.audit[.]xlsx";
import { createFixtureDb, type FixtureDb } from "../app/fixture";
import { account, type TestAccount } from "../helpers/auth";
import { call, reportText, type Call } from "./requests";

type Who = "visitor" | "reporter" | "analyst" | "admin";
const WHO: Who[] = ["visitor", "reporter", "analyst", "admin"];

describe.each(STORES)("on %s", (store) => {
  let fx: FixtureDb;
  const accounts: Partial<Record<Who, TestAccount>> = {};
  let ids: { own: number; other: number; ownReport: number; otherReport: number; ownFile: number; otherFile: number };

  beforeAll(async () => {
    fx = await createFixtureDb(undefined, store);
    useDatabase(fx.db, fx.close);
    ids = {
      own: await fx.departmentId("教育局"),
      other: await fx.departmentId("交通运输局"),
      ownReport: await fx.reportId("教育局", 2023),
      otherReport: await fx.reportId("交通运输局", 2023),
      ownFile: 0,
      otherFile: 0,
    };
    accounts.reporter = await account(fx.db, "reporter", "reporter", [ids.own]);
    accounts.analyst = await account(fx.db, "analyst", "analyst");
    accounts.admin = await account(fx.db, "admin", "admin");
    // a stored file in each department, for the version downloads
    for (const [department, key] of [["教育局", "ownFile"], ["交通运输局", "otherFile"]] as const) {
      const res = await call(uploadFile.action, fileUpload(department)(accounts.admin, "admin"));
      const { reportId } = (await res.response.json()) as { reportId: number };
      ids[key] = (await fx.db.selectFrom("report_versions").select("id").where("report_id", "=", reportId).executeTakeFirstOrThrow()).id;
    }
  });
  afterAll(() => closeDb());

  interface Row {
    name: string;
    kind: "page" | "api";
    handler: unknown;
    call: (a: TestAccount | undefined, who: Who) => Call;
    expect: Record<Exclude<Who, "visitor">, number>;
  }

  const get = (url: string, params?: Record<string, string>) => (a: TestAccount | undefined): Call => ({ url, params, cookie: a?.cookie });
  const form = (url: string, params: Record<string, string>, fields: Record<string, string>) => (a: TestAccount | undefined): Call => ({
    method: "POST",
    url,
    params,
    cookie: a?.cookie,
    body: new URLSearchParams({ _csrf: a?.csrf ?? "", ...fields }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  const ALL_OK = { reporter: 200, analyst: 200, admin: 200 };
  const STAFF_ONLY = { reporter: 403, analyst: 200, admin: 200 };

  function fileUpload(department: string) {
    return (a: TestAccount | undefined, who: Who): Call => ({
      method: "POST",
      url: "/upload/file",
      cookie: a?.cookie,
      // each caller sends new bytes, so that each is a new report or version, never "unchanged"
      body: reportText({ department, project: "矩阵测试项目", year: 2025, budget: "100", spent: "80", score: "85", extra: `备注：${who}` }),
      headers: { "x-file-name": encodeURIComponent(`${who}.txt`), "x-csrf-token": a?.csrf ?? "" },
    });
  }

  function formUpload(a: TestAccount | undefined, who: Who): Call {
    const form = new FormData();
    form.set("_csrf", a?.csrf ?? "");
    form.set("files", new Blob([reportText({ department: "教育局", project: "表单上传项目", year: 2025, budget: "10", spent: "9", score: "90", extra: who })]), `${who}.txt`);
    return { method: "POST", url: "/upload", cookie: a?.cookie, body: form };
  }

  function tableExport(a: TestAccount | undefined): Call {
    return {
      method: "POST",
      url: "/departments.xlsx",
      cookie: a?.cookie,
      body: JSON.stringify({ title: "部门对比", columns: [{ id: "d", header: "部门", kind: "text" }], rows: [["教育局"]] }),
      headers: { "content-type": "application/json", "x-csrf-token": a?.csrf ?? "" },
    };
  }

  const ROWS: () => Row[] = () => [
    { name: "GET / (总览)", kind: "page", handler: overview.loader, call: get("/"), expect: ALL_OK },
    { name: "GET /departments", kind: "page", handler: departments.loader, call: get("/departments"), expect: ALL_OK },
    { name: "GET /departments/:own", kind: "page", handler: department.loader, call: get(`/departments/${ids.own}`, { id: String(ids.own) }), expect: ALL_OK },
    {
      name: "GET /departments/:other",
      kind: "page",
      handler: department.loader,
      call: get(`/departments/${ids.other}`, { id: String(ids.other) }),
      expect: { reporter: 404, analyst: 200, admin: 200 },
    },
    { name: "GET /reports/:own", kind: "page", handler: report.loader, call: get(`/reports/${ids.ownReport}`, { id: String(ids.ownReport) }), expect: ALL_OK },
    {
      name: "GET /reports/:other",
      kind: "page",
      handler: report.loader,
      call: get(`/reports/${ids.otherReport}`, { id: String(ids.otherReport) }),
      expect: { reporter: 404, analyst: 200, admin: 200 },
    },
    { name: "GET /indicators", kind: "page", handler: indicators.loader, call: get("/indicators"), expect: ALL_OK },
    { name: "GET /quality", kind: "page", handler: quality.loader, call: get("/quality"), expect: ALL_OK },
    { name: "GET /briefing", kind: "page", handler: briefing.loader, call: get("/briefing?year=2023"), expect: STAFF_ONLY },
    { name: "GET /upload", kind: "page", handler: upload.loader, call: get("/upload"), expect: ALL_OK },
    { name: "GET /briefing.docx", kind: "api", handler: briefingDocx.loader, call: get("/briefing.docx?year=2023"), expect: STAFF_ONLY },
    { name: "GET /briefing.xlsx", kind: "api", handler: briefingXlsx.loader, call: get("/briefing.xlsx?year=2023"), expect: STAFF_ONLY },
    { name: "POST /departments.xlsx", kind: "api", handler: departmentsXlsx.action, call: tableExport, expect: ALL_OK },
    { name: "POST /upload/file (own department)", kind: "api", handler: uploadFile.action, call: fileUpload("教育局"), expect: ALL_OK },
    // a reporter's file of another department is refused before anything is written
    { name: "POST /upload/file (other department)", kind: "api", handler: uploadFile.action, call: fileUpload("交通运输局"), expect: { reporter: 422, analyst: 200, admin: 200 } },
    { name: "POST /upload (form)", kind: "page", handler: upload.action, call: formUpload, expect: ALL_OK },
    { name: "GET /versions/:own/file", kind: "api", handler: versionFile.loader, call: get(`/versions/${ids.ownFile}/file`, { id: String(ids.ownFile) }), expect: ALL_OK },
    {
      name: "GET /versions/:other/file",
      kind: "api",
      handler: versionFile.loader,
      call: get(`/versions/${ids.otherFile}/file`, { id: String(ids.otherFile) }),
      expect: { reporter: 404, analyst: 200, admin: 200 },
    },
    // an unknown intent changes nothing: what is asserted is who gets as far as the intent
    {
      name: "POST /reports/:own (correct)",
      kind: "page",
      handler: report.action,
      // an empty reason is refused after the role check: nothing is corrected
      call: form(`/reports/${ids.ownReport}`, { id: String(ids.ownReport) }, { intent: "correct", target: "report||spent", value: "1", reason: "" }),
      expect: { reporter: 403, analyst: 400, admin: 400 },
    },
    { name: "POST /reports/:own (restore, delete)", kind: "page", handler: report.action, call: form(`/reports/${ids.ownReport}`, { id: String(ids.ownReport) }, { intent: "none" }), expect: { reporter: 403, analyst: 400, admin: 400 } },
    { name: "GET /review (待审核)", kind: "page", handler: review.loader, call: get("/review"), expect: STAFF_ONLY },
    { name: "GET /admin/audit", kind: "page", handler: audit.loader, call: get("/admin/audit"), expect: { reporter: 403, analyst: 403, admin: 200 } },
    { name: "GET /admin/audit.xlsx", kind: "api", handler: auditXlsx.loader, call: get("/admin/audit.xlsx"), expect: { reporter: 403, analyst: 403, admin: 200 } },
    { name: "GET /admin/trash", kind: "page", handler: trash.loader, call: get("/admin/trash"), expect: { reporter: 403, analyst: 403, admin: 200 } },
    { name: "POST /admin/trash (restore)", kind: "page", handler: trash.action, call: form("/admin/trash", {}, { versionId: "999999" }), expect: { reporter: 403, analyst: 403, admin: 400 } },
  ];

  describe("route × role matrix", () => {
    it("covers every route module of the app", async () => {
      const fs = await import("node:fs");
      const path = await import("node:path");
      const routes = fs.readdirSync(path.resolve(__dirname, "../../app/routes")).map((f) => f.replace(/\.tsx?$/, ""));
      // login/logout are the way in and out; the admin, review and version routes have their own tests
      const covered = new Set(["review", "versions.$id.file", "admin.trash", "admin.audit", "admin.audit[.]xlsx", "_index", "departments._index", "departments.$id", "reports.$id", "indicators", "quality", "briefing", "briefing[.]docx", "briefing[.]xlsx", "departments[.]xlsx", "upload", "upload.file", "login", "logout"]);
      const elsewhere = routes.filter((r) => !covered.has(r));
      for (const r of elsewhere) expect(r, `route ${r} needs an access test`).toMatch(/^(admin\.|review|reports\.\$id\.)/);
    });

    for (const who of WHO) {
      it(`${who}: every route answers as its role allows`, async () => {
        const got: Record<string, number> = {};
        const want: Record<string, number> = {};
        for (const row of ROWS()) {
          const a = who === "visitor" ? undefined : accounts[who];
          const answer = await call(row.handler, row.call(a, who));
          got[row.name] = answer.status;
          if (who === "visitor") {
            want[row.name] = row.kind === "page" ? 302 : 401;
            if (row.kind === "page") expect(answer.location, row.name).toMatch(/^\/login\?next=%2F/);
          } else want[row.name] = row.expect[who];
          if (answer.status === 200 && row.handler === uploadFile.action) {
            const body = (await answer.response.json()) as { status: string };
            expect(["loaded", "replaced"], row.name).toContain(body.status);
          }
        }
        expect(got).toEqual(want);
      });
    }

    it("a POST without the session's CSRF token is refused (403) and writes nothing", async () => {
      const before = fx.db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n"));
      const n0 = Number((await before.executeTakeFirstOrThrow()).n);
      for (const who of ["reporter", "analyst", "admin"] as const) {
        const a = accounts[who]!;
        const noToken = { ...a, csrf: "" };
        const wrong = { ...a, csrf: accounts[who === "admin" ? "analyst" : "admin"]!.csrf };
        for (const bad of [noToken, wrong]) {
          expect((await call(uploadFile.action, fileUpload("教育局")(bad, who))).status).toBe(403);
          expect((await call(upload.action, formUpload(bad, who))).status).toBe(403);
          expect((await call(departmentsXlsx.action, tableExport(bad))).status).toBe(403);
        }
      }
      expect(Number((await before.executeTakeFirstOrThrow()).n)).toBe(n0);
    });

    it("a reporter's pages show its own departments only", async () => {
      const r = accounts.reporter!;
      const data = (await (await call(overview.loader, get("/")(r))).response.json()) as { overview: { data: { reports: number; departments: number } } };
      expect(data.overview.data.departments).toBe(1);
      // asking for another department by the filter gets nothing of it
      const other = (await (await call(overview.loader, get(`/?dept=${ids.other}`)(r))).response.json()) as { overview: { data: { reports: number } } };
      expect(other.overview.data.reports).toBe(0);
      const table = (await (await call(departments.loader, get("/departments")(r))).response.json()) as { table: { data: { department: string }[] } };
      expect(table.table.data.map((d) => d.department)).toEqual(["教育局"]);
    });
  });
});
