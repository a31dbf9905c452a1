import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, openPostgres } from "../../db/connection";
import { getOverview } from "../../db/queries";
import { databaseUrl, ensurePostgresCopy } from "../../bench/postgres";
import { writeRows } from "../../bench/rows";

const serverUrl = process.env.TEST_DATABASE_URL;

async function admin(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

describe.skipIf(!serverUrl)("bench copy from SQLite to PostgreSQL", () => {
  const name = `jixiao_test_copy_${process.pid}_${randomBytes(4).toString("hex")}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-copy-"));
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("copies every row exactly, fills the summary tables, and reuses a finished copy", async () => {
    const file = path.join(dir, "rows.db");
    const { db, sqlite } = openDatabase(file);
    await migrateToLatest(db);
    await writeRows(sqlite, { reports: 300, departments: 40, years: [2022, 2024], seed: 7, batch: 70 });
    await db.destroy();

    // small batches, so that paging by id is exercised; the copy checks itself against the file
    const first = await ensurePostgresCopy({ sqliteFile: file, serverUrl: serverUrl!, scale: "test", name, batch: 64 });
    expect(first.reused).toBe(false);
    expect(first.url).toBe(databaseUrl(serverUrl!, name));
    const second = await ensurePostgresCopy({ sqliteFile: file, serverUrl: serverUrl!, scale: "test", name });
    expect(second.reused).toBe(true);

    // the identity sequences are past the copied ids: the loader's next insert does not collide
    const server = openPostgres(first.url, { max: 1 });
    try {
      const max = await server.db.selectFrom("departments").select((eb) => eb.fn.max("id").as("m")).executeTakeFirstOrThrow();
      const row = await server.db.insertInto("departments").values({ name: "新部门", normalized_name: "新部门", region: null }).returning("id").executeTakeFirstOrThrow();
      expect(Number(row.id)).toBe(Number(max.m) + 1);
      expect((await getOverview(server.db, {})).reports).toBe(300);
    } finally {
      await server.db.destroy();
    }
  }, 120_000);
});
