import type { LoaderFunctionArgs } from "@remix-run/node";
import { briefingDownload } from "~/briefing/briefing.server";

/** /briefing.docx?year=… — the briefing as a Word document, same filters as the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  return briefingDownload(new URL(request.url), "docx");
}
