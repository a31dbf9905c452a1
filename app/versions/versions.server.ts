import { getDb } from "~/db.server";
import { hasStoredFile } from "~/files.server";
import { getVersion, listVersions, snapshotReport, type Snapshot, type VersionRow } from "../../db/queries/versions";
import { diffSnapshots, type VersionDiff } from "./diff";

export interface VersionView extends VersionRow {
  hasFile: boolean;
}

export async function reportHistory(reportKey: string): Promise<VersionView[]> {
  return (await listVersions(getDb(), { reportKey })).map((v) => ({ ...v, hasFile: hasStoredFile(v.sha256) }));
}

/** A version's rows: the live ones while it is current, else its snapshot. */
async function snapshotOf(versionId: number, reportKey: string): Promise<{ version: VersionRow; snapshot: Snapshot } | null> {
  const v = await getVersion(getDb(), { versionId });
  if (!v || v.reportKey !== reportKey) return null;
  const snapshot = v.state === "current" && v.reportId !== null ? await snapshotReport(getDb(), { reportId: v.reportId }) : v.snapshot;
  return snapshot ? { version: v, snapshot } : null;
}

export async function compareVersions(reportKey: string, a: number, b: number): Promise<{ a: number; b: number; diff: VersionDiff } | null> {
  const [x, y] = await Promise.all([snapshotOf(a, reportKey), snapshotOf(b, reportKey)]);
  if (!x || !y) return null;
  return { a: x.version.version, b: y.version.version, diff: diffSnapshots(x.snapshot, y.snapshot) };
}

export { getVersion, listDeletedVersions, restoreVersion, VersionError } from "../../db/queries/versions";
