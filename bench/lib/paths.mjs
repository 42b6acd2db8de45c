// Where the bench finds the repository's parts (from this file, not the cwd).
import path from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.resolve(benchDir, "..");
export const wasmFile = path.join(repoRoot, "pkg", "edgeguard_bg.wasm");
export const glueFile = path.join(repoRoot, "pkg", "edgeguard_bg.js");
export const exampleDir = path.join(repoRoot, "examples", "nextjs-clerk");
export const reportFile = path.join(repoRoot, "BENCHMARKS.md");
