import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The rule lives in eslint.config.js; this checks that it really bites, so a later edit of the
// config cannot silently let db/ depend on the loader or the pages again.
describe("db/ stands alone", () => {
  const eslint = new ESLint();
  const lint = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath }))[0].messages.map((m) => m.ruleId);

  it("refuses an import from ingest/ or app/ inside db/", async () => {
    expect(await lint('import { classifyCause } from "../../ingest/normalize/causes";\nexport const f = classifyCause;\n', "db/queries/probe.ts")).toContain(
      "no-restricted-imports",
    );
    expect(await lint('import { formatWan } from "../../app/format";\nexport const f = formatWan;\n', "db/queries/probe.ts")).toContain("no-restricted-imports");
  });

  it("lets ingest/ use the shared vocabulary in db/", async () => {
    expect(await lint('import { CAUSES } from "../../db/vocabulary";\nexport const c = CAUSES;\n', "ingest/normalize/probe.ts")).not.toContain("no-restricted-imports");
  });
});
