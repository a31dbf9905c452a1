import type { LoaderFunctionArgs } from "@remix-run/node";
import { briefingDownload } from "~/briefing/briefing.server";

/** /briefing.xlsx?year=… — the briefing's tables as a workbook, same filters as the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  return briefingDownload(new URL(request.url), "xlsx");
}
