// Section 4: start-up, each sample a fresh Node process (bench/children/startup.mjs), the two
// loading styles interleaved.
import path from "node:path";
import { runChild } from "../lib/child.mjs";
import { summarize } from "../lib/stats.mjs";
import { benchDir } from "../lib/paths.mjs";

const FIELDS = ["importMs", "readMs", "compileMs", "instantiateMs", "createGuardMs", "firstDecideMs", "secondDecideMs", "firstWarmDecideMs"];

export async function runStartup({ poolFile, config, log }) {
  const script = path.join(benchDir, "children", "startup.mjs");
  const modes = ["node-entry", "edge"];
  const runs = Object.fromEntries(modes.map((mode) => [mode, []]));
  log(`start-up: ${config.startup.runs} fresh processes per loading style`);
  for (let i = 0; i < config.startup.runs; i++) {
    for (const mode of i % 2 ? [...modes].reverse() : modes) {
      runs[mode].push(await runChild(script, [mode, poolFile]));
    }
  }
  const result = {};
  for (const mode of modes) {
    result[mode] = { runs: runs[mode].length, actions: runs[mode][0].actions };
    for (const field of FIELDS) {
      const values = runs[mode].map((run) => run[field]).filter((v) => typeof v === "number");
      if (values.length) result[mode][field] = summarize(values);
    }
  }
  return result;
}
