// Where the time goes: warm decisions, cold decisions and route matching under V8's sampling
// profiler, in a fresh process (bench/children/profile.mjs); the report shows stages and hot spots.
import path from "node:path";
import { runChild } from "../lib/child.mjs";
import { benchDir } from "../lib/paths.mjs";

export async function runProfile({ poolFile, config, log }) {
  log(`profile: warm, cold and route work, ${config.profileSeconds} s each under the sampling profiler`);
  return runChild(path.join(benchDir, "children", "profile.mjs"), [poolFile, String(config.profileSeconds)]);
}
