/**
 * A parser thread for ingest/pipeline.ts: receives file bytes, parses them and converts the result
 * into rows (ingest/rows.ts), so that the writer thread only writes. It never touches the database.
 */
import { parentPort } from "node:worker_threads";
import { parseBuffer } from "./parse";
import { prepareForLoad } from "./rows";
import { takePhases, timed, timing } from "./timing";

interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  fileName: string;
}

const port = parentPort;
if (port) {
  port.on("message", async ({ id, bytes, fileName }: ParseRequest) => {
    try {
      const parsed = await parseBuffer(bytes, fileName);
      const result = timed("rows", () => prepareForLoad(parsed));
      port.postMessage(timing.on ? { id, result, phases: takePhases() } : { id, result });
    } catch (error) {
      port.postMessage({ id, crash: error instanceof Error ? error.message : String(error) });
    }
  });
  // Sent once the parser and its readers have been imported, so the pool knows the thread works.
  port.postMessage({ ready: true });
}
