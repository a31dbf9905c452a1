import type { LoaderFunctionArgs } from "@remix-run/node";
import { briefingDownload } from "~/briefing/briefing.server";
import { requireViewer } from "~/auth/session.server";
import { STAFF_ROLES } from "~/auth/scope";

/** /briefing.docx?year=… — the briefing as a Word document, same filters as the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(request, { roles: STAFF_ROLES, api: true });
  return briefingDownload(new URL(request.url), "docx");
}
