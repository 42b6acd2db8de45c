// Section 6: RSS and wasm memory over a long run in a fresh process (bench/children/memory.mjs).
import path from "node:path";
import { runChild } from "../lib/child.mjs";
import { benchDir } from "../lib/paths.mjs";

/** Memory is flat when nothing grows after the cache has had time to fill (the first 20%). */
const SETTLED_FRACTION = 0.2;
const RSS_TOLERANCE = 0.05;

export async function runMemory({ poolFile, config, log }) {
  const { decisions, distinct, sampleEvery } = config.memory;
  log(`memory: ${decisions.toLocaleString("en-US")} decisions over ${distinct.toLocaleString("en-US")} distinct tokens (fresh process, --expose-gc)`);
  const script = path.join(benchDir, "children", "memory.mjs");
  const result = await runChild(script, [poolFile, String(decisions), String(distinct), String(sampleEvery)], {
    nodeFlags: ["--expose-gc"],
  });
  const { samples } = result;
  const last = samples[samples.length - 1];
  const settled = samples.find((s) => s.decisions >= decisions * SETTLED_FRACTION) ?? last;
  const wasmGrowth = last.wasmMemory - settled.wasmMemory;
  const rssGrowth = last.rss - settled.rss;
  return {
    ...result,
    decisions,
    distinct,
    settledAt: settled.decisions,
    wasmGrowthAfterSettle: wasmGrowth,
    rssGrowthAfterSettle: rssGrowth,
    flat: wasmGrowth === 0 && rssGrowth <= settled.rss * RSS_TOLERANCE,
    rssTolerance: RSS_TOLERANCE,
  };
}
