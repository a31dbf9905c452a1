import { CompiledQuery, Kysely, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, runCompiled, transaction, type DB } from "../../db/connection";
import type { Database } from "../../db/schema";

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
