/** The shared seeds and their gold files, for tests that read them from ../shared. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GoldFile } from "../../helpers/score";

export type { GoldFile };
/** One scorer for the whole suite: the port of the shared tool in ../../helpers/score.ts. */
export { scoreReport as scoreAgainstGold } from "../../helpers/score";

export const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared");
export const SEEDS_DIR = path.join(SHARED, "seeds");
export const GOLD_DIR = path.join(SHARED, "gold");

export function goldFiles(): GoldFile[] {
  return readdirSync(GOLD_DIR)
    .filter((n) => n.endsWith(".json"))
    .sort()
    .map((n) => JSON.parse(readFileSync(path.join(GOLD_DIR, n), "utf8")) as GoldFile);
}
