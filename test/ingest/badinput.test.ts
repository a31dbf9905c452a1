// Bad input: each file gets a clear error that names it and says why, and nothing reaches the DB.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ingestBuffer, type IngestOutcome } from "../../ingest/load";
import { parseFile } from "../../ingest/parse";
import { ingestPaths } from "../../ingest/pipeline";
import { isFailure, type ParseFailure, type ParseResult } from "../../ingest/types";
import { encodeGbk } from "../helpers/gbk";
import { openTempDb, type TempDb } from "../helpers/temp-db";

// The shared reference reports, read in place at test time (never copied into the repo).
const SEEDS = fileURLToPath(new URL("../../../shared/seeds/", import.meta.url));

function firstSeed(): string {
  const name = fs.readdirSync(SEEDS).filter((f) => f.endsWith(".txt")).sort()[0];
  return path.join(SEEDS, name);
}

// A department's own, made-up report, written for this test; GBK-encoded below.
const GBK_REPORT = [
  "示例县档案局",
  "档案数字化经费项目支出绩效评价报告",
  "",
  "一、基本情况",
  "（一）项目概况",
  "项目名称：档案数字化经费",
  "主管部门：示例县档案局",
  "实施单位：示例县档案馆",
  "2023年度，本项目年初预算数20万元，全年预算数20万元，全年执行数18万元，执行率90%。",
  "二、绩效目标完成情况",
  "档案扫描数量:指标值：>=5000卷，实际完成值：4600卷，指标完成率92%；偏差原因：扫描设备故障，进度滞后。",
  "数字化验收合格率:指标值：>=95%，实际完成值：98%，指标完成率103.16%；偏差原因：无。",
  "三、评价结论",
  "经评价，本项目综合得分86分，评价等级为“良”。",
  "",
].join("\n");

// Not a report at all: a meeting notice, written for this test.
const MEETING_NOTICE = [
  "关于召开第一季度安全生产工作会议的通知",
  "",
  "各科室、各直属单位：",
  "经研究，定于2024年4月8日（星期一）上午9:30在机关三楼会议室召开第一季度安全生产工作会议，现将有关事项通知如下：",
  "一、参会人员：各科室负责人、各直属单位主要负责人。",
  "二、会议内容：通报第一季度安全生产情况，部署第二季度重点工作。",
  "三、有关要求：请参会人员提前10分钟到场，不得无故缺席。",
  "",
  "办公室",
  "2024年4月1日",
].join("\n");

let dir: string;
let t: TempDb;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-bad-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

const emptyCounts = {
  departments: 0,
  source_files: 0,
  reports: 0,
  budget_sources: 0,
  categories: 0,
  score_items: 0,
  indicators: 0,
  line_items: 0,
  findings: 0,
};

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** parseFile fails naming the file and giving a reason; ingestBuffer fails the same way and writes nothing. */
async function expectRejected(file: string): Promise<{ parsed: ParseFailure; ingested: IngestOutcome }> {
  const name = path.basename(file);
  const parsed: ParseResult = await parseFile(file);
  expect(isFailure(parsed), `${name} should not parse`).toBe(true);
  const failure = parsed as ParseFailure;
  expect(failure.source.file).toContain(name);
  expect(failure.error.code).toMatch(/\S/);
  expect(failure.error.message.trim().length).toBeGreaterThan(5);

  const ingested = await ingestBuffer(t.db, { bytes: fs.readFileSync(file), fileName: name });
  expect(ingested.status).toBe("failed");
  if (ingested.status === "failed") {
    expect(ingested.error.code).toBe(failure.error.code);
    expect(ingested.error.message.trim().length).toBeGreaterThan(5);
  }
  expect(await t.counts()).toEqual(emptyCounts);
  return { parsed: failure, ingested };
}

describe("bad input", () => {
  it("rejects an empty file", async () => {
    await expectRejected(write("empty.txt", ""));
  });

  it("rejects a binary file (PNG)", async () => {
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...randomBytes(2000));
    await expectRejected(write("chart.png", png));
  });

  it("rejects random bytes named .txt", async () => {
    await expectRejected(write("random.txt", randomBytes(64 * 1024)));
  });

  it("rejects a truncated report (the first 300 bytes of a real one)", async () => {
    const head = fs.readFileSync(firstSeed()).subarray(0, 300);
    await expectRejected(write("truncated.txt", head));
  });

  it("rejects a text that is no report (a meeting notice)", async () => {
    await expectRejected(write("notice.txt", MEETING_NOTICE));
  });

  it("rejects a 50 MB junk file", async () => {
    const file = path.join(dir, "junk.txt");
    const chunk = randomBytes(1024 * 1024);
    const fd = fs.openSync(file, "w");
    try {
      for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
    try {
      expect(fs.statSync(file).size).toBe(50 * 1024 * 1024);
      await expectRejected(file);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("reads a GBK-encoded report as a report, not mojibake", async () => {
    const bytes = encodeGbk(GBK_REPORT);
    // The fixture really is GBK: it is not valid UTF-8, so the decoder has to detect the encoding.
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const file = write("gbk-report.txt", bytes);

    const parsed = await parseFile(file);
    expect(isFailure(parsed), isFailure(parsed) ? parsed.error.message : "").toBe(false);
    if (isFailure(parsed)) return;
    expect(JSON.stringify(parsed)).not.toContain("\ufffd");
    expect(parsed.projectName ?? parsed.title ?? "").toContain("档案数字化经费");
    expect(parsed.department ?? "").toContain("档案局");

    const outcome = await ingestBuffer(t.db, { bytes, fileName: "gbk-report.txt" });
    expect(outcome.status).toBe("loaded");
    expect((await t.counts()).reports).toBe(1);
    const stored = await t.db.selectFrom("source_files").select("source_text").executeTakeFirstOrThrow();
    expect(stored.source_text ?? "").toContain("档案扫描数量");
  });

  it("reports every bad file of a batch by name and still loads the good one", async () => {
    const batch = path.join(dir, "batch");
    fs.mkdirSync(batch);
    fs.writeFileSync(path.join(batch, "a-empty.txt"), "");
    fs.writeFileSync(path.join(batch, "b-random.txt"), randomBytes(4096));
    fs.writeFileSync(path.join(batch, "c-notice.txt"), MEETING_NOTICE);
    fs.copyFileSync(firstSeed(), path.join(batch, "d-report.txt"));
    fs.writeFileSync(path.join(batch, "e-truncated.txt"), fs.readFileSync(firstSeed()).subarray(0, 300));

    const summary = await ingestPaths(t.db, [batch]);
    expect(summary).toMatchObject({ files: 5, loaded: 1, failed: 4 });
    expect(summary.failures.map((f) => path.basename(f.file))).toEqual(["a-empty.txt", "b-random.txt", "c-notice.txt", "e-truncated.txt"]);
    for (const f of summary.failures) expect(f.message.trim().length).toBeGreaterThan(5);
    expect((await t.counts()).reports).toBe(1);
    expect((await t.counts()).source_files).toBe(1);
  });
});
