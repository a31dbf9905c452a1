import path from "node:path";
import { isPostgresUrl, openDatabaseAt, migrateToLatest, printableLocation, type DB } from "../db/connection";

/**
 * The app's one database handle. The Express server (run by tsx) and the Remix server bundle are
 * two copies of this module, so the handle lives on globalThis: both copies see the same one.
 * The path comes from the environment here — db/ never reads it.
 */
interface Handle {
  db: DB;
  close: () => void;
  file: string;
}

const KEY = Symbol.for("jixiao.db");
type Holder = { [KEY]?: Handle };
const holder = globalThis as unknown as Holder;

/**
 * DATABASE_URL naming a PostgreSQL server (postgres:// or postgresql://) selects it; otherwise the
 * embedded SQLite file at DATABASE_PATH.
 */
export function databasePath(): string {
  return databaseLocation(process.env);
}

export function databaseLocation(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL ?? "";
  if (/^postgres(ql)?:\/\//i.test(url)) return url;
  return env.DATABASE_PATH || "data/jixiao.db";
}

/** The database in use, fit to print: a PostgreSQL URL without its password, or the SQLite file's absolute path. */
export function databaseLabel(): string {
  const where = databasePath();
  return isPostgresUrl(where) ? printableLocation(where) : path.resolve(where);
}

export function getDb(): DB {
  if (!holder[KEY]) {
    const file = databasePath();
    const { db, close } = openDatabaseAt(file, {
      onIdleError: (err) => console.error(`database connection lost while idle (reconnecting on the next query): ${err.message}`),
    });
    holder[KEY] = { db, file, close: () => void close() };
  }
  return holder[KEY].db;
}

/** Opens (if needed) and migrates; the server calls this once before it listens. */
export async function initDb(): Promise<DB> {
  const db = getDb();
  await migrateToLatest(db);
  return db;
}

/** Tests point the app at their own temporary database. */
export function useDatabase(db: DB, close: () => void = () => {}): void {
  holder[KEY]?.close();
  holder[KEY] = { db, close, file: "(test)" };
}

export function closeDb(): void {
  holder[KEY]?.close();
  delete holder[KEY];
}
