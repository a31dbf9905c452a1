/**
 * No secret, password or session token in the logs, in the database in clear, or in the
 * repository. The logs of a real server are checked by test/e2e/roles.test.ts.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, useDatabase } from "~/db.server";
import { sessionSecret } from "~/auth/secret.server";
import { createFixtureDb, type FixtureDb } from "../app/fixture";
import { createAccount, csrfOf, signIn } from "../helpers/auth";

const ROOT = path.resolve(__dirname, "../..");
const PASSWORD = "Tr0ub4dor&3 secret words";

let fx: FixtureDb;
const logged: string[] = [];
let cookie = "";
let csrf = "";

beforeAll(async () => {
  fx = await createFixtureDb();
  useDatabase(fx.db, fx.close);
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
  const { insertUser } = await import("../../db/queries/users");
  const { hashPassword } = await import("~/auth/passwords.server");
  await insertUser(fx.db, { username: "keeper", role: "admin", passwordHash: await hashPassword(PASSWORD) });
  await createAccount(fx.db, "other", "analyst");
  await signIn("keeper", "a wrong guess of the password");
  const ok = await signIn("keeper", PASSWORD);
  cookie = ok.cookie!;
  csrf = await csrfOf(cookie);
});
afterAll(() => {
  vi.restoreAllMocks();
  closeDb();
});

describe("secrets", () => {
  it("the session key is kept in the data directory, readable by its owner only", () => {
    const file = path.join(process.env.DATA_DIR!, "session-secret");
    expect(fs.readFileSync(file, "utf8").trim()).toBe(sessionSecret());
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it("nothing logged while signing in holds the password, the cookie, the CSRF token or the key", () => {
    const text = logged.join("\n");
    for (const secret of [PASSWORD, "a wrong guess", cookie.split("=")[1], csrf, sessionSecret()]) expect(text).not.toContain(secret);
  });

  it("the database file holds hashes only: no password, cookie, token or key in its bytes", () => {
    // the main file and its write-ahead log: between them every page written so far
    const bytes = Buffer.concat([fs.readFileSync(fx.file), ...["-wal"].filter((s) => fs.existsSync(fx.file + s)).map((s) => fs.readFileSync(fx.file + s))]);
    for (const secret of [PASSWORD, "a wrong guess", cookie.split("=")[1], csrf, sessionSecret()]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(bytes.includes(Buffer.from("$argon2id$v=19$"))).toBe(true);
  });

  it("the repository tracks no key, hash, database or data directory", () => {
    const files = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(files.filter((f) => /(^|\/)(session-secret|\.env(\..*)?|.*\.db(-wal|-shm)?)$/.test(f) || f.startsWith("data/"))).toEqual([]);
    const offenders: string[] = [];
    for (const f of files) {
      const full = path.join(ROOT, f);
      if (!fs.existsSync(full) || fs.statSync(full).size > 2_000_000) continue;
      const text = fs.readFileSync(full, "latin1");
      // an argon2 hash, a private key, or a SESSION_SECRET given a value
      if (/\$argon2(id|i|d)\$v=\d+\$m=\d+[^\s"'`]*\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{16,}/.test(text)) offenders.push(`${f}: argon2 hash`);
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) offenders.push(`${f}: private key`);
      if (/SESSION_SECRET\s*[=:]\s*["']?[A-Za-z0-9+/_-]{16,}/.test(text)) offenders.push(`${f}: SESSION_SECRET value`);
    }
    expect(offenders).toEqual([]);
  });

  it("the generated key and stored files are ignored by git", () => {
    const ignored = execFileSync("git", ["check-ignore", "data/session-secret", "data/files/ab/abc", "data/jixiao.db"], { cwd: ROOT, encoding: "utf8" });
    expect(ignored.trim().split("\n")).toHaveLength(3);
  });
});
