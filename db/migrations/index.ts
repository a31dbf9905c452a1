import type { Migration, MigrationProvider } from "kysely";
import * as initial from "./2026-11-23T00-00_initial";
import * as analytics from "./2026-11-23T03-30_analytics";
import * as reportAggregates from "./2026-11-23T06-00_report_aggregates";
import * as ratePoints from "./2026-11-23T07-00_rate_points";
import * as lighterIndexes from "./2026-11-23T07-30_lighter_indexes";
import * as users from "./2026-12-07T00-00_users";
import * as auditLog from "./2026-12-07T00-10_audit_log";
import * as reportVersions from "./2026-12-07T01-00_report_versions";
import * as corrections from "./2026-12-07T02-00_corrections";
import * as rollups from "./2026-12-07T03-00_rollups";

/**
 * Migrations listed statically (not read from the folder) so that the Remix server bundle and
 * the CLI run the very same list. Kysely applies them in name order; add new ones with a later date.
 */
const migrations: Record<string, Migration> = {
  "2026-11-23T00-00_initial": initial,
  "2026-11-23T03-30_analytics": analytics,
  "2026-11-23T06-00_report_aggregates": reportAggregates,
  "2026-11-23T07-00_rate_points": ratePoints,
  "2026-11-23T07-30_lighter_indexes": lighterIndexes,
  "2026-12-07T00-00_users": users,
  "2026-12-07T00-10_audit_log": auditLog,
  "2026-12-07T01-00_report_versions": reportVersions,
  "2026-12-07T02-00_corrections": corrections,
  "2026-12-07T03-00_rollups": rollups,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
