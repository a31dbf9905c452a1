import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The key that signs session cookies: SESSION_SECRET when set, else one generated on first start
 * and kept in the data directory (beside the database, never in the repository; mode 0600).
 */
export function dataDirectory(env: Record<string, string | undefined> = process.env): string {
  return env.DATA_DIR || path.dirname(path.resolve(env.DATABASE_PATH || "data/jixiao.db"));
}

const MIN_SECRET_LENGTH = 32;

export function sessionSecret(env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env.SESSION_SECRET;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (fromEnv.length < MIN_SECRET_LENGTH) throw new Error(`SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    return fromEnv;
  }
  const file = path.join(dataDirectory(env), "session-secret");
  try {
    const stored = fs.readFileSync(file, "utf8").trim();
    if (stored.length >= MIN_SECRET_LENGTH) return stored;
  } catch {
    // not generated yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // "wx": two processes starting at once must not overwrite each other's key
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    return fs.readFileSync(file, "utf8").trim();
  }
}
