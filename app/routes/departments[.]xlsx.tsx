import type { ActionFunctionArgs } from "@remix-run/node";
import { buildTableWorkbook, exportRequestSchema } from "~/xlsx.server";
import { checkCsrf, csrfHeader, requireViewer } from "~/auth/session.server";

/**
 * XLSX export of what the departments table shows: the browser posts the visible columns and the
 * filtered, sorted rows; the workbook is built here (exceljs stays out of the browser bundle).
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("仅支持 POST", { status: 405 });
  const viewer = await requireViewer(request, { api: true });
  checkCsrf(viewer, csrfHeader(request));
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > 5_000_000) return new Response("导出数据过大", { status: 413 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return new Response("请求格式错误", { status: 400 });
  }
  const parsed = exportRequestSchema.safeParse(body);
  if (!parsed.success) return new Response("请求格式错误", { status: 400 });
  const bytes = await buildTableWorkbook(parsed.data);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent("部门对比.xlsx")}`,
    },
  });
}

export function loader() {
  return new Response("请在部门对比页面点击“导出 Excel”", { status: 405 });
}
