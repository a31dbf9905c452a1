import type { Generated, Insertable, Selectable } from "kysely";

/** Typed view of the tables created by db/migrations. Fen = integer fen; X100 = integer hundredths. */
export interface DepartmentTable {
  id: Generated<number>;
  name: string;
  normalized_name: string;
  region: string | null;
}

export interface SourceFileTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  format: string;
  size_bytes: number;
  source_text: string | null;
  ingested_at: string;
}

export interface ReportTable {
  id: Generated<number>;
  source_file_id: number;
  department_id: number | null;
  report_key: string;
  kind: "project" | "summary";
  title: string | null;
  project_name: string | null;
  implementing_unit: string | null;
  region: string | null;
  year: number | null;
  evaluation_type: string | null;
  budget_initial_fen: number | null;
  budget_adjusted_fen: number | null;
  budget_received_fen: number | null;
  spent_fen: number | null;
  budget_basis_fen: number | null;
  budget_basis: "adjusted" | "initial" | null;
  execution_rate_stated_x100: number | null;
  score_total_x100: number | null;
  grade: "优" | "良" | "中" | "差" | null;
  grade_stated: number;
  indicator_count: number;
  unmet_count: number;
  finding_count: number;
  error_count: number;
  warning_count: number;
  provenance_json: string | null;
  created_at: string;
}

export interface BudgetSourceTable {
  id: Generated<number>;
  report_id: number;
  position: number;
  name: string;
  initial_fen: number | null;
  adjusted_fen: number | null;
  spent_fen: number | null;
  execution_rate_x100: number | null;
  source_line: number | null;
}

export interface CategoryTable {
  id: Generated<number>;
  report_id: number;
  position: number;
  name: string;
  weight_x100: number | null;
  score_x100: number | null;
  source_line: number | null;
}

export interface ScoreItemTable {
  id: Generated<number>;
  report_id: number;
  position: number;
  level1: string | null;
  level2: string | null;
  name: string;
  weight_x100: number | null;
  score_x100: number | null;
  source_line: number | null;
}

export interface IndicatorTable {
  id: Generated<number>;
  report_id: number;
  position: number;
  level1: string | null;
  level2: string | null;
  indicator_type: string;
  name: string;
  normalized_name: string;
  target_text: string | null;
  actual_text: string | null;
  comparator: string | null;
  target_value: string | null;
  actual_value: string | null;
  unit: string | null;
  weight_x100: number | null;
  score_x100: number | null;
  completion_rate_x100: number | null;
  met: number | null;
  deviation_reason: string | null;
  cause: string | null;
  source_line: number | null;
}

export interface LineItemTable {
  id: Generated<number>;
  report_id: number;
  position: number;
  name: string;
  budget_fen: number | null;
  spent_fen: number | null;
  allocated: number;
  source_line: number | null;
}

export interface FindingTable {
  id: Generated<number>;
  report_id: number;
  position: number;
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  field: string | null;
  source_line: number | null;
}

export interface Database {
  departments: DepartmentTable;
  source_files: SourceFileTable;
  reports: ReportTable;
  budget_sources: BudgetSourceTable;
  categories: CategoryTable;
  score_items: ScoreItemTable;
  indicators: IndicatorTable;
  line_items: LineItemTable;
  findings: FindingTable;
  users: UserTable;
  user_departments: UserDepartmentTable;
  audit_log: AuditLogTable;
  report_versions: ReportVersionTable;
  corrections: CorrectionTable;
}

export type Report = Selectable<ReportTable>;
export type NewReport = Insertable<ReportTable>;

export type Role = "admin" | "analyst" | "reporter";

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string | null;
  /** argon2id PHC string; the password itself is never stored */
  password_hash: string;
  role: Role;
  disabled: Generated<number>;
  /** copied into session cookies; raised to end every session of the user */
  session_epoch: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface UserDepartmentTable {
  user_id: number;
  department_id: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  target_type: string | null;
  target_id: number | null;
  target_label: string | null;
  address: string;
  detail_json: Generated<string>;
}

export type VersionState = "current" | "superseded" | "deleted";

export interface ReportVersionTable {
  id: Generated<number>;
  report_key: string;
  version: number;
  state: VersionState;
  /** the reports row while current; the id it had once archived */
  report_id: number | null;
  department_id: number | null;
  label: string | null;
  sha256: string;
  file_name: string;
  format: string;
  size_bytes: number;
  uploaded_by: number | null;
  uploaded_by_name: string | null;
  uploaded_at: string;
  archived_at: string | null;
  archived_by_name: string | null;
  /** the version's rows and source text, once it is no longer in `reports` (db/queries/versions.ts) */
  snapshot_json: string | null;
  reviewed_at: string | null;
  reviewed_by_name: string | null;
}

export interface CorrectionTable {
  id: Generated<number>;
  report_key: string;
  target_kind: "report" | "indicator" | "line_item";
  /** '' for the report itself; an indicator's normalized_name; a line item's name */
  target_key: string;
  field: string;
  /** JSON of the stored value as extracted, and as corrected */
  old_value: string;
  new_value: string;
  reason: string;
  created_by: number | null;
  created_by_name: string;
  created_at: string;
  revoked_at: string | null;
  revoked_by_name: string | null;
  applied_report_id: number | null;
}
