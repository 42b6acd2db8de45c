// The real packages, loaded the way they load in plain Node: @clerk/nextjs/server through its
// CommonJS build (its ESM build does not load outside Next), @clerk/backend and jose as ESM.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { repoRoot } from "../../tests/support/paths.mjs";

const require = createRequire(import.meta.url);

/** Read from node_modules directly: not every package exports its package.json. */
export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "not installed";
  }
}

export async function loadReferencePackages() {
  const originalWarn = console.warn;
  // createRouteMatcher prints a deprecation notice once per process; it is not part of any timing.
  console.warn = () => {};
  try {
    const { createRouteMatcher } = require("@clerk/nextjs/server");
    createRouteMatcher(["/"]);
    const { verifyToken } = await import("@clerk/backend");
    const jose = await import("jose");
    return {
      createRouteMatcher,
      verifyToken,
      jose,
      versions: Object.fromEntries(["@clerk/nextjs", "@clerk/backend", "jose", "next"].map((name) => [name, packageVersion(name)])),
    };
  } finally {
    console.warn = originalWarn;
  }
}
