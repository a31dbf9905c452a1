/**
 * Optional CPU-time accounting of the ingest phases (the ingest benchmark's breakdown). Off unless
 * JIXIAO_TIMING=1 or enableTiming() (parser threads inherit the environment); when off, a
 * phase costs one boolean test.
 */
export type Phase = "read" | "decode" | "parse" | "audit" | "rows" | "hash" | "write";
export type PhaseMs = Partial<Record<Phase, number>>;

/** Whether phases are timed in this thread; `enableTiming` turns it on here and in threads started after. */
export const timing = { on: process.env.JIXIAO_TIMING === "1" };

export function enableTiming(): void {
  timing.on = true;
  process.env.JIXIAO_TIMING = "1";
}
let acc: PhaseMs = {};

export function addPhase(phase: Phase, ms: number): void {
  acc[phase] = (acc[phase] ?? 0) + ms;
}

/** Runs fn, adding its wall time in this thread to `phase` when timing is on. */
export function timed<T>(phase: Phase, fn: () => T): T {
  if (!timing.on) return fn();
  const t = performance.now();
  try {
    return fn();
  } finally {
    addPhase(phase, performance.now() - t);
  }
}

/** The accumulated times since the last take, and a fresh start. */
export function takePhases(): PhaseMs {
  const out = acc;
  acc = {};
  return out;
}

export function mergePhases(into: PhaseMs, from: PhaseMs | undefined): void {
  if (!from) return;
  for (const [k, v] of Object.entries(from) as [Phase, number][]) into[k] = (into[k] ?? 0) + v;
}
