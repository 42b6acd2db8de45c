// Where things are, for every harness module (the repository is found from this file, not the cwd).
import { fileURLToPath } from "node:url";
import path from "node:path";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const exampleDir = path.join(repoRoot, "examples", "nextjs-clerk");
export const cacheDir = path.join(repoRoot, ".cache");
