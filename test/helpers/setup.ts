import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Session keys and stored files of in-process tests go to a temporary data directory, never data/.
if (!process.env.DATA_DIR) process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "jixiao-data-"));
