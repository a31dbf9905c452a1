/**
 * `npm run ingest -- reports.zip`: the batch pipeline opens .zip archives and loads each report in
 * them on its own; a bomb or a broken archive fails alone and writes nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { ingestPaths } from "../../ingest/pipeline";
import { openTempDb, type TempDb } from "../helpers/temp-db";
import { reportDocx, reportXlsx } from "./helpers/report-fixture";

let t: TempDb;
let dir: string;

beforeEach(async () => {
  t = await openTempDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-zip-"));
});
afterEach(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("loads every report in a zip, lists the bad entries as failures, and skips non-reports", async () => {
  const zip = zipSync({
    "2024/自评报告.docx": await reportDocx(),
    "2024/文化站.xlsx": await reportXlsx("乡村文化站运维经费"),
    "2024/坏.docx": strToU8("not a docx"),
    "inner.zip": zipSync({ "a.txt": strToU8("x") }),
    "readme.png": new Uint8Array([1, 2, 3]),
  });
  const file = path.join(dir, "一批.zip");
  fs.writeFileSync(file, zip);
  const summary = await ingestPaths(t.db, [dir]);
  expect(summary).toMatchObject({ files: 4, loaded: 2, failed: 2 });
  expect(summary.failures.map((f) => [path.basename(f.file), f.code])).toEqual([
    ["坏.docx", "not_docx"],
    ["inner.zip", "nested_zip"],
  ]);
  expect(summary.failures[0].file).toBe(`${file}!/2024/坏.docx`);
  expect((await t.counts()).reports).toBe(2);
  // The same archive again: nothing new.
  const again = await ingestPaths(t.db, [file]);
  expect(again).toMatchObject({ loaded: 0, unchanged: 2, failed: 2 });
});

it("fails a zip bomb and a corrupt zip on their own, writing nothing for them", async () => {
  fs.writeFileSync(path.join(dir, "a-bomb.zip"), zipSync({ "r.txt": new Uint8Array(64 * 1024 * 1024) }));
  const many: Record<string, Uint8Array> = {};
  for (let i = 0; i < 10_000; i++) many[`r${i}.txt`] = strToU8("x");
  fs.writeFileSync(path.join(dir, "b-many.zip"), zipSync(many, { level: 0 }));
  fs.writeFileSync(path.join(dir, "c-corrupt.zip"), strToU8("PK\u0003\u0004 this is not really a zip"));
  fs.writeFileSync(path.join(dir, "d-good.docx"), await reportDocx());
  const summary = await ingestPaths(t.db, [dir]);
  expect(summary.failures.map((f) => [path.basename(f.file), f.code])).toEqual([
    ["a-bomb.zip", "zip_limit"],
    ["b-many.zip", "zip_limit"],
    ["c-corrupt.zip", "corrupt_zip"],
  ]);
  expect(summary.loaded).toBe(1);
  expect((await t.counts()).reports).toBe(1);
});
