import { parseFile, toContractJson } from "../parse";

/** `npm run --silent parse -- FILE...`: the ParsedReport JSON array on stdout; errors per file; exit 1 if any failed. */
async function main() {
  const files = process.argv.slice(2);
  if (!files.length) {
    process.stderr.write("usage: npm run --silent parse -- FILE...\n");
    process.exit(2);
  }
  const results = [];
  let failed = 0;
  for (const f of files) {
    const r = await parseFile(f);
    if ("error" in r) {
      failed++;
      process.stderr.write(`${r.error.message}\n`);
    }
    results.push(toContractJson(r));
  }
  process.stdout.write(JSON.stringify(results, null, 2) + "\n");
  process.exitCode = failed ? 1 : 0;
}

void main();
