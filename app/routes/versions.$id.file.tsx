import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireViewer } from "~/auth/session.server";
import { canSeeDepartment } from "~/auth/scope";
import { contentDisposition } from "~/briefing/briefing.server";
import { getDb } from "~/db.server";
import { parseId } from "~/filters";
import { readStoredFile } from "~/files.server";
import { getVersion } from "~/versions/versions.server";

/** GET /versions/:id/file — the bytes of one stored version, as uploaded. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, { api: true });
  const id = parseId(params.id);
  const v = id === null ? null : await getVersion(getDb(), { versionId: id });
  // deleted versions are the admin's (回收站); another department's are nobody else's business
  const visible = v && canSeeDepartment(viewer, v.departmentId) && (v.state !== "deleted" || viewer.role === "admin");
  const bytes = visible ? readStoredFile(v.sha256) : null;
  if (!v || !visible || !bytes) throw new Response("该文件不存在。", { status: 404, statusText: "Not Found" });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": contentDisposition(`report-v${v.version}.${v.format}`, v.fileName),
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
