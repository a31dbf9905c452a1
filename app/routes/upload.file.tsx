/**
 * POST /upload/file — one file per request (the upload page sends each file on its own so that
 * progress and results are per file). Body: the file's bytes; header X-File-Name: its name,
 * URI-encoded. Answers the file's UploadResult as JSON.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { receiveSingleUpload, uploadLimits } from "~/upload.server";
import { checkCsrf, clientAddress, csrfHeader, requireViewer } from "~/auth/session.server";
import { uploadAccess } from "~/auth/access.server";

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ error: { code: "method", message: "只接受 POST 上传" } }, { status: 405 });
  const viewer = await requireViewer(request, { api: true });
  checkCsrf(viewer, csrfHeader(request));
  const result = await receiveSingleUpload(getDb(), request, uploadLimits(), await uploadAccess(viewer, clientAddress(context)));
  const status = result.status !== "failed" ? 200 : result.error?.code === "too_large" ? 413 : 422;
  return json(result, { status });
}

export function loader() {
  throw new Response("请在“上传”页面上传文件。", { status: 405 });
}
