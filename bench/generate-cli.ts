import { writeCorpus } from "./generate";

/** npm run generate -- --reports N --departments D --years 2022-2024 --seed S --out DIR */
function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}"`);
    const [k, v] = a.includes("=") ? a.slice(2).split("=", 2) : [a.slice(2), argv[++i]];
    if (v === undefined) throw new Error(`--${k} needs a value`);
    out[k] = v;
  }
  return out;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const reports = Number(args.reports ?? 100);
  const departments = Number(args.departments ?? 40);
  const [y0, y1] = (args.years ?? "2022-2024").split("-").map(Number);
  const seed = Number(args.seed ?? 1);
  const out = args.out;
  if (!out) throw new Error("--out DIR is required");
  if (![reports, departments, y0, y1 ?? y0, seed].every(Number.isInteger) || reports < 0 || departments < 1 || (y1 ?? y0) < y0) {
    throw new Error("--reports, --departments, --seed must be integers and --years like 2022-2024");
  }
  const t0 = performance.now();
  const { files, bytes } = writeCorpus(out, { reports, departments, years: [y0, y1 ?? y0], seed });
  const s = (performance.now() - t0) / 1000;
  console.error(`wrote ${files} reports (${(bytes / 1e6).toFixed(1)} MB) to ${out} in ${s.toFixed(1)} s`);
}

try {
  main();
} catch (e) {
  console.error(`generate: ${(e as Error).message}`);
  process.exit(1);
}
