// The native criterion numbers of `cargo bench --bench decide`, read from target/criterion
// (criterion writes one estimates.json per benchmark). Nothing here runs cargo unless asked.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { run } from "../../tests/support/run.mjs";
import { repoRoot } from "../lib/paths.mjs";

export const NATIVE_GROUP = "decide";

export async function runCargoBench({ log }) {
  log("cargo bench --bench decide (native, release profile; compiles first)");
  await run("cargo", ["bench", "--bench", "decide"], { cwd: repoRoot, verbose: true, label: "cargo bench" });
}

/** [{ id, medianNs, lowNs, highNs, at }] for the benchmarks of the `decide` group, or null. */
export function readCriterion() {
  const root = path.join(repoRoot, "target", "criterion", NATIVE_GROUP);
  if (!existsSync(root)) return null;
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (!entry.isDirectory()) continue;
      if (entry.name === "new" && existsSync(path.join(full, "estimates.json"))) {
        const estimates = JSON.parse(readFileSync(path.join(full, "estimates.json"), "utf8"));
        const meta = JSON.parse(readFileSync(path.join(full, "benchmark.json"), "utf8"));
        found.push({
          id: meta.function_id ?? meta.full_id ?? path.relative(root, dir),
          medianNs: estimates.median.point_estimate,
          lowNs: estimates.median.confidence_interval.lower_bound,
          highNs: estimates.median.confidence_interval.upper_bound,
          at: statSync(path.join(full, "estimates.json")).mtime.toISOString(),
        });
      } else {
        walk(full);
      }
    }
  };
  walk(root);
  return found.length ? found.sort((a, b) => a.id.localeCompare(b.id)) : null;
}
