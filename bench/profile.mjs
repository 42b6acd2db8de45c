// Where the time goes, by hand: node bench/profile.mjs warm|cold|route [seconds]
// Prints stages and the functions with most self time; writes the .cpuprofile to .cache/ (open it in
// Chrome DevTools). `npm run bench` runs the same profiles and puts their summary in BENCHMARKS.md.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./lib/paths.mjs";
import { namedWasm } from "./lib/named-wasm.mjs";
import { profileWork } from "./lib/profile-work.mjs";
import { signTokenPool } from "./lib/scenario.mjs";

const [kind = "warm", secondsArg = "5"] = process.argv.slice(2);
const pool = kind === "route" ? null : signTokenPool(kind === "cold" ? 4000 : 64);
const module = namedWasm();
if (!module.named) console.log(`(wasm function names unavailable: ${module.why})`);
const result = await profileWork(kind, { pool, seconds: Number(secondsArg), module });
mkdirSync(path.join(repoRoot, ".cache"), { recursive: true });
const file = path.join(repoRoot, ".cache", `bench-${kind}.cpuprofile`);
writeFileSync(file, JSON.stringify(result.profile));
const pct = (share) => `${(100 * share).toFixed(1).padStart(5)}%`;
console.log(`${kind}: ${result.calls.toLocaleString("en-US")} calls, ${result.perCallUs.toFixed(2)} µs per call with the profiler on; ${result.samples} samples → ${path.relative(process.cwd(), file)}`);
console.log("\ninclusive time by stage:");
for (const stage of result.stages) console.log(`${pct(stage.share)}  ${stage.label}`);
console.log("\nself time, top functions:");
for (const fn of result.top) console.log(`${pct(fn.share)}  ${fn.name.slice(0, 150)}`);
