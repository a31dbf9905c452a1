import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** `npm run ingest` as a user runs it: a process of its own, its exit code, what it prints. */
const ROOT = path.resolve(__dirname, "../..");
const SEEDS = path.resolve(ROOT, "../shared/seeds");

function ingest(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["ingest/cli/ingest.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: undefined, DATABASE_PATH: undefined, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run ingest", () => {
  it("loads a folder into the SQLite file DATABASE_PATH names and says what it did; a second run finds every file unchanged", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-cli-"));
    try {
      const r = ingest([SEEDS], { DATABASE_PATH: path.join(dir, "cli.db") });
      expect(r.code, r.err).toBe(0);
      const files = fs.readdirSync(SEEDS).filter((f) => f.endsWith(".txt")).length;
      expect(r.out).toContain(`files: ${files}  loaded: ${files}  unchanged: 0  replaced: 0  failed: 0`);
      expect(r.out).toContain(`database: ${path.join(dir, "cli.db")}`);
      // again: every file unchanged, nothing parsed twice
      expect(ingest(["--priority", "normal", SEEDS], { DATABASE_PATH: path.join(dir, "cli.db") }).out).toContain(`unchanged: ${files}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a priority it does not know, with the usage", () => {
    const r = ingest(["--priority", "high", SEEDS], {});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--priority takes low or normal, not high/);
    expect(r.err).toMatch(/usage: npm run ingest/);
  });

  it("names a database it cannot open, without its password, and exits 1", () => {
    const r = ingest([SEEDS], { DATABASE_URL: "postgres://jixiao:hunter2@127.0.0.1:1/jixiao" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("cannot open the database postgres://jixiao:***@127.0.0.1:1/jixiao");
    expect(r.err + r.out).not.toContain("hunter2");
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
