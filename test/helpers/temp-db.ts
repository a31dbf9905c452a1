import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateToLatest, openDatabase, type DB } from "../../db/connection";

export interface TempDb {
  db: DB;
  file: string;
  /** Row counts of every table, to assert that a failed load wrote nothing. */
  counts(): Record<string, number>;
  close(): Promise<void>;
}

const TABLES = [
  "departments",
  "source_files",
  "reports",
  "budget_sources",
  "categories",
  "score_items",
  "indicators",
  "line_items",
  "findings",
] as const;

/** A fresh, migrated SQLite file in the OS temp folder; close() removes it. */
export async function openTempDb(): Promise<TempDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-test-"));
  const file = path.join(dir, "test.db");
  const { db, sqlite } = openDatabase(file);
  await migrateToLatest(db);
  return {
    db,
    file,
    counts() {
      const out: Record<string, number> = {};
      for (const t of TABLES) {
        // Table names come from the constant list above, never from input.
        out[t] = (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      }
      return out;
    },
    async close() {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
