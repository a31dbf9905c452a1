import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireViewer } from "~/auth/session.server";
import { auditWorkbook } from "~/audit.server";
import { contentDisposition } from "~/briefing/briefing.server";

/** /admin/audit.xlsx?action=…&actor=…&from=…&to=… — the filtered 操作日志 as a workbook. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(request, { roles: ["admin"], api: true });
  const bytes = await auditWorkbook(new URL(request.url).searchParams);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition("jixiao-audit-log.xlsx", "操作日志.xlsx"),
      "Cache-Control": "no-store",
    },
  });
}
