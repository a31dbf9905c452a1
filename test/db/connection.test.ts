import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CompiledQuery, Kysely, sql, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { beginBulkLoad, migrateToLatest, openDatabase, openPostgres, printableLocation, runCompiled, transaction, type DB } from "../../db/connection";
import { prepared } from "../../db/queries/prepared";
import type { Database } from "../../db/schema";
import { openStore, STORES } from "../helpers/stores";

const COUNT = { sql: "SELECT count(*) AS n FROM departments", parameters: [] };
const insertDepartment = (name: string) => ({
  sql: "INSERT INTO departments (name, normalized_name, region) VALUES (?, ?, ?)",
  parameters: [name, name, null],
});

describe("runCompiled: statements run on the handle directly only where Kysely would run them at once", () => {
  let db: DB;
  beforeEach(async () => {
    ({ db } = openDatabase(":memory:"));
    await migrateToLatest(db);
  });
  afterEach(() => db.destroy());

  it("on the root DB with no transaction open: rows at once, as Kysely gives them", async () => {
    await runCompiled(db, insertDepartment("教育局"));
    const direct = runCompiled<{ n: number }>(db, COUNT);
    expect(Array.isArray(direct)).toBe(true);
    expect(direct).toEqual([{ n: 1 }]);
    expect((await db.executeQuery(CompiledQuery.raw(COUNT.sql, []))).rows).toEqual(direct);
  });

  it("waits for a transaction someone else holds open, and never reads its uncommitted rows", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((r) => (inserted = r));
    const held = db.transaction().execute(async (trx) => {
      await trx.executeQuery(CompiledQuery.raw(insertDepartment("财政局").sql, insertDepartment("财政局").parameters));
      inserted();
      await gate;
    });
    await insertedSignal;
    const during = runCompiled<{ n: number }>(db, COUNT);
    // a direct read here would see the uncommitted row: it must queue behind the transaction instead
    expect(during).toBeInstanceOf(Promise);
    release();
    await held;
    expect(await during).toEqual([{ n: 1 }]);
  });

  it("inside transaction(): direct, and rolled back with the transaction", async () => {
    let inside: unknown;
    await expect(
      transaction(db, async (trx) => {
        runCompiled(trx, insertDepartment("卫健委"));
        inside = runCompiled(trx, COUNT);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(inside).toEqual([{ n: 1 }]);
    expect(await runCompiled(db, COUNT)).toEqual([{ n: 0 }]);
  });

  it("a DB not opened by openDatabase goes through Kysely and gives the same rows", async () => {
    const { sqlite } = openDatabase(":memory:");
    const plain = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      await migrateToLatest(plain);
      await runCompiled(plain, insertDepartment("交通局"));
      const rows = runCompiled<{ n: number }>(plain, COUNT);
      expect(rows).toBeInstanceOf(Promise);
      expect(await rows).toEqual([{ n: 1 }]);
    } finally {
      await plain.destroy();
    }
  });
});

describe("beginBulkLoad", () => {
  it("raises the WAL autocheckpoint and keeps temp storage in memory, then restores both and leaves the WAL checkpointed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-ckpt-"));
    const { db, sqlite } = openDatabase(path.join(dir, "bulk.db"));
    try {
      await migrateToLatest(db);
      const setting = () => Number(sqlite.pragma("wal_autocheckpoint", { simple: true }));
      const tempStore = () => Number(sqlite.pragma("temp_store", { simple: true }));
      expect(setting()).toBe(1000);
      expect(tempStore()).toBe(0);
      const restore = beginBulkLoad(db, 16_000);
      expect(setting()).toBe(16_000);
      // 2: MEMORY
      expect(tempStore()).toBe(2);
      await transaction(db, async (trx) => {
        for (let i = 0; i < 200; i++) runCompiled(trx, insertDepartment(`部门${i}`));
      });
      const pending = sqlite.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
      expect(pending[0].log).toBeGreaterThan(0);
      restore();
      expect(setting()).toBe(1000);
      expect(tempStore()).toBe(0);
      // every frame of the WAL is in the database file again
      const [after] = sqlite.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
      expect(after.checkpointed).toBe(after.log);
      expect(runCompiled(db, COUNT)).toEqual([{ n: 200 }]);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves an in-memory database as it is", async () => {
    const { db, sqlite } = openDatabase(":memory:");
    const before = [sqlite.pragma("wal_autocheckpoint", { simple: true }), sqlite.pragma("temp_store", { simple: true })];
    beginBulkLoad(db)();
    expect([sqlite.pragma("wal_autocheckpoint", { simple: true }), sqlite.pragma("temp_store", { simple: true })]).toEqual(before);
    await db.destroy();
  });
});

describe("prepared", () => {
  it("compiles a shape once for a DB and its transactions, and binds each call's values", async () => {
    const { db } = openDatabase(":memory:");
    try {
      await migrateToLatest(db);
      let compiles = 0;
      const byName = prepared((d, a: { name: string }) => {
        compiles++;
        return d.selectFrom("departments").select("name").where("name", "=", a.name);
      });
      await runCompiled(db, insertDepartment("教育局"));
      await runCompiled(db, insertDepartment("卫健委"));
      expect(await byName(db, { name: "教育局" })).toEqual([{ name: "教育局" }]);
      await transaction(db, async (trx) => {
        expect(await byName(trx, { name: "卫健委" })).toEqual([{ name: "卫健委" }]);
      });
      await transaction(db, async (trx) => {
        expect(await byName(trx, { name: "财政局" })).toEqual([]);
      });
      expect(compiles).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});

describe.runIf(STORES.includes("postgres"))("PostgreSQL values read as SQLite's driver reads them", () => {
  it("counts and integral sums are numbers, sums past 2^53 stay exact text, averages are doubles", async () => {
    const store = await openStore("postgres");
    try {
      const row = (await sql<Record<string, unknown>>`
        SELECT count(*) AS n, sum(x) AS s, sum(x) * 4000000000000 AS big, avg(x) AS mean, CAST(sum(x) AS TEXT) AS money
        FROM (VALUES (CAST(1 AS BIGINT)), (2), (4)) AS t(x)`.execute(store.db)).rows[0];
      expect(row).toEqual({ n: 3, s: 7, big: 28_000_000_000_000, mean: 7 / 3, money: "7" });
      const huge = (await sql<{ v: unknown }>`SELECT sum(x) AS v FROM (VALUES (CAST(9007199254740993 AS BIGINT)), (0)) AS t(x)`.execute(store.db)).rows[0];
      expect(huge.v).toBe("9007199254740993");
    } finally {
      await store.close();
    }
  });

  it("survives the server ending an idle pooled connection: the next query reconnects", async () => {
    const store = await openStore("postgres");
    const lost: string[] = [];
    const { db, pool } = openPostgres(process.env.TEST_DATABASE_URL!, { max: 1, onIdleError: (e) => lost.push(e.message) });
    try {
      const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0].pid;
      await sql`SELECT pg_terminate_backend(${pid})`.execute(store.db);
      for (let i = 0; i < 50 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(lost[0]).toMatch(/terminat/);
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows).toEqual([{ one: 1 }]);
      expect(pool.totalCount).toBe(1);
    } finally {
      await db.destroy();
      await store.close();
    }
  });
});

describe("printableLocation", () => {
  it("hides a PostgreSQL URL's password and leaves a file path as it is", () => {
    expect(printableLocation("postgres://jixiao:s3cr%40t@db.example:5432/jixiao")).toBe("postgres://jixiao:***@db.example:5432/jixiao");
    expect(printableLocation("postgresql://jixiao@127.0.0.1:5432/jixiao")).toBe("postgresql://jixiao@127.0.0.1:5432/jixiao");
    expect(printableLocation("data/jixiao.db")).toBe("data/jixiao.db");
  });
});
