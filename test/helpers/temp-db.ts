import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DB } from "../../db/connection";
import { openStore, type Store } from "./stores";

export interface TempDb {
  db: DB;
  store: Store;
  /** The SQLite file (another connection can open it); undefined on PostgreSQL. */
  file: string | undefined;
  /** Row counts of every table, to assert that a failed load wrote nothing. */
  counts(): Promise<Record<string, number>>;
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

/** A fresh, migrated store: an SQLite file in the OS temp folder, or a database on the test PostgreSQL server; close() removes it. */
export async function openTempDb(store: Store = "sqlite"): Promise<TempDb> {
  const dir = store === "sqlite" ? fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-test-")) : undefined;
  const file = dir && path.join(dir, "test.db");
  const opened = await openStore(store, { file });
  return {
    db: opened.db,
    store,
    file,
    async counts() {
      const out: Record<string, number> = {};
      for (const t of TABLES) out[t] = await opened.count(t);
      return out;
    },
    async close() {
      await opened.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
