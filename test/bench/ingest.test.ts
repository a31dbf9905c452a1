import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import { afterAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { getDepartmentTable, getLineItemSummary, getOverview, getUnmetIndicators } from "../../db/queries";
import { writeCorpus } from "../../bench/generate";
import { ingestPaths } from "../../ingest/pipeline";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-gen-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("generated corpus through the real ingest", () => {
  it("loads with zero failures and the analytics add up to the facts the generator wrote", async () => {
    const { facts } = writeCorpus(dir, { reports: 90, departments: 12, years: [2023, 2024], seed: 31 });
    const { db } = openDatabase(":memory:");
    await migrateToLatest(db);
    const summary = await ingestPaths(db, [dir]);
    expect(summary.failures).toEqual([]);
    expect(summary.loaded).toBe(90);

    const sum = (xs: (string | null)[]) => xs.reduce((s, x) => (x === null ? s : s.plus(x)), new Decimal(0));
    const o = await getOverview(db, {});
    expect(o.reports).toBe(90);
    expect(o.departments).toBe(12);
    expect(o.budget).toBe(sum(facts.map((f) => f.budget.adjusted ?? f.budget.initial)).toFixed());
    expect(o.spent).toBe(sum(facts.map((f) => f.budget.spent)).toFixed());
    for (const g of ["优", "良", "中", "差"] as const) expect(o.grades[g]).toBe(facts.filter((f) => f.score.grade === g).length);
    expect(o.unmetIndicators).toBe(facts.reduce((s, f) => s + f.indicators.filter((i) => !i.met).length, 0));

    const byType = await getUnmetIndicators(db, { by: "type" });
    expect(byType.reduce((s, r) => s + r.indicators, 0)).toBe(facts.reduce((s, f) => s + f.indicators.length, 0));
    const items = facts.flatMap((f) => f.lineItems);
    const li = await getLineItemSummary(db, {});
    expect(li.totals.items).toBe(items.length);
    expect(li.totals.notAllocated).toBe(sum(items.filter((l) => !l.allocated).map((l) => l.budget)).toFixed());
    const table = await getDepartmentTable(db, {});
    expect(table.reduce((s, r) => s + r.reports, 0)).toBe(90);
    await db.destroy();
  });
});
