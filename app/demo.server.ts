import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { DB } from "../db/connection";

/**
 * Fills an empty store with the demo jurisdiction so that a fresh clone shows a dashboard: the
 * corpus generator writes report files to a temporary folder and the normal ingest pipeline reads
 * them back, so the demo exercises the same parser and loader as real reports.
 */
export async function hasReports(db: DB): Promise<boolean> {
  const { getFilterOptions } = await import("../db/queries/index");
  const o = await getFilterOptions(db, {});
  return o.years.length > 0 || o.departments.length > 0 || o.regions.length > 0;
}

export async function loadDemo(db: DB, log: (line: string) => void = console.log): Promise<void> {
  const { writeDemo } = await import("../bench/generate");
  const { ingestPaths } = await import("../ingest/pipeline");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "jixiao-demo-"));
  try {
    const started = Date.now();
    await writeDemo(dir);
    const summary = await ingestPaths(db, [dir], { workers: Math.max(1, Math.min(2, os.availableParallelism() - 1)) });
    log(
      `demo jurisdiction loaded: ${summary.files} files → ${summary.loaded} reports loaded` +
        (summary.replaced ? `, ${summary.replaced} replaced a report of the same project and year` : "") +
        (summary.unchanged ? `, ${summary.unchanged} unchanged` : "") +
        (summary.failed ? `, ${summary.failed} failed` : "") +
        ` in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const f of summary.failures.slice(0, 5)) log(`  failed ${f.file}: ${f.message}`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
