// `npm run bench`: edgeguard side by side with Clerk's JS path (and jose), every figure from this one
// run, written to BENCHMARKS.md. Sections that cannot be measured say why instead of failing the run.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadReferencePackages } from "./lib/clerk.mjs";
import { parseArgs } from "./lib/config.mjs";
import { describeMachine } from "./lib/machine.mjs";
import { exampleDir, reportFile, repoRoot, wasmFile } from "./lib/paths.mjs";
import { savePool, signTokenPool } from "./lib/scenario.mjs";
import { renderReport } from "./report/render.mjs";
import { runDecisions } from "./sections/decisions.mjs";
import { runMemory } from "./sections/memory.mjs";
import { runProfile } from "./sections/profile.mjs";
import { readCriterion, runCargoBench } from "./sections/native.mjs";
import { runRoutes } from "./sections/routes.mjs";
import { middlewareSize, wasmSize } from "./sections/size.mjs";
import { runStartup } from "./sections/startup.mjs";

const options = parseArgs(process.argv.slice(2));
if (options.renderFrom) {
  // Wording changes only: the figures stay those of the one saved run.
  const saved = JSON.parse(readFileSync(options.renderFrom, "utf8"));
  const target = options.out ? path.resolve(options.out) : reportFile;
  writeFileSync(target, renderReport(saved));
  console.error(`[bench] re-rendered ${target} from ${options.renderFrom} (run of ${saved.machine.date})`);
  process.exit(0);
}
const { config } = options;
const started = Date.now();
const log = (message) => process.stderr.write(`[bench] ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}\n`);

if (!existsSync(wasmFile)) {
  console.error("pkg/edgeguard_bg.wasm is missing: run `npm run build` (bash scripts/build.sh) first.");
  process.exit(1);
}

const results = { options: { quick: options.quick, seed: options.seed, sections: options.sections, config }, machine: describeMachine() };
const skipped = (why) => ({ skipped: why });
const wanted = (name) => options.sections.includes(name);

async function section(name, fn) {
  if (!wanted(name)) {
    results[name] = skipped("not run (--only)");
    return;
  }
  try {
    results[name] = await fn();
  } catch (error) {
    log(`${name}: FAILED — ${error.stack ?? error}`);
    results[name] = { failed: String(error.message ?? error).split("\n")[0] };
  }
}

log(`route corpus seed ${options.seed}${options.quick ? " (quick run)" : ""}`);
const needsPool = ["startup", "decisions", "profile", "memory"].some(wanted);
const tmp = mkdtempSync(path.join(os.tmpdir(), "edgeguard-bench-"));
const poolFile = path.join(tmp, "pool.json");
let pool = null;
try {
  if (needsPool) {
    log(`signing ${config.poolTokens.toLocaleString("en-US")} distinct RS256 session tokens (RSA-2048, node:crypto)`);
    const signStarted = Date.now();
    pool = signTokenPool(config.poolTokens, { onProgress: (n) => log(`  ${n.toLocaleString("en-US")} signed`) });
    savePool(poolFile, pool);
    results.signing = { tokens: pool.tokens.length, seconds: (Date.now() - signStarted) / 1000 };
  }

  // The wasm size now; the example's middleware size at the end: a `next build` before the timed
  // sections left this (virtual, 2-core) machine measurably slower for minutes afterwards.
  await section("size", async () => ({ wasm: wasmSize(), middleware: skipped("measured at the end of the run") }));
  await section("startup", () => runStartup({ poolFile, config, log }));

  const refs = wanted("routes") || wanted("decisions") ? await loadReferencePackages() : null;
  results.versions = refs?.versions;
  await section("routes", () => runRoutes({ refs, config, seed: options.seed, log }));
  await section("decisions", () => runDecisions({ pool, refs, config, log }));
  await section("profile", () => runProfile({ poolFile, config, log }));
  await section("memory", () => runMemory({ poolFile, config, log }));
  if (wanted("size") && results.size?.wasm) {
    try {
      if (options.withNextBuild) {
        if (!existsSync(path.join(exampleDir, "node_modules", "next", "package.json"))) {
          throw new Error("--with-next-build needs the example's dependencies: run `bash scripts/setup.sh` first");
        }
        const { prepareExample } = await import("../tests/support/app-build.mjs");
        log("next build of examples/nextjs-clerk (edge runtime)");
        await prepareExample({ runtime: "edge" });
      }
      results.size.middleware = middlewareSize(exampleDir) ?? skipped("not measured: no build found (examples/nextjs-clerk/.next); run with --with-next-build");
    } catch (error) {
      log(`size (middleware): FAILED — ${error.stack ?? error}`);
      results.size.middleware = { failed: String(error.message ?? error).split("\n")[0] };
    }
  }
  await section("native", async () => {
    if (options.withCargoBench) await runCargoBench({ log });
    return readCriterion() ?? skipped("not measured in this run: no criterion results in target/criterion/decide; run `cargo bench --bench decide` (or `npm run bench -- --with-cargo-bench`)");
  });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

results.machine.loadAverageAfter = os.loadavg();
results.durationSeconds = (Date.now() - started) / 1000;
const out = options.out ? path.resolve(options.out) : reportFile;
writeFileSync(out, renderReport(results));
mkdirSync(path.join(repoRoot, ".cache"), { recursive: true });
writeFileSync(path.join(repoRoot, ".cache", "bench-results.json"), JSON.stringify(results, null, 2));
log(`wrote ${path.relative(process.cwd(), out) || out} (${results.durationSeconds.toFixed(0)} s)`);
