/** 操作日志 display, shared by the page (browser) and the export (server). */
import type { AuditRow } from "../db/queries/audit";

export const ACTION_LABELS: Record<string, string> = {
  login: "登录",
  "login.failed": "登录失败",
  "login.blocked": "登录被限制",
  logout: "退出",
  "report.upload": "上传",
  "report.replace": "替换（新版本）",
  "report.delete": "删除",
  "report.restore": "恢复旧版本",
  "report.undelete": "从回收站恢复",
  "report.correct": "更正数值",
  "report.correction.revoke": "撤销更正",
  "report.review": "标记已审核",
  "user.add": "新增用户",
  "user.passwd": "重置密码",
  "user.disable": "停用用户",
  "user.enable": "启用用户",
};

export function describeDetail(r: AuditRow): string {
  return Object.entries(r.detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("；");
}

